#!/usr/bin/env bash
# Sourced by provision.sh and apiserver.sh: the pinned component versions and
# where their binaries are cached.
KUBE_VERSION=v1.36.3
ETCD_VERSION=v3.6.16
KUBE_CACHE="${THINKUBE_JH_CACHE:-$HOME/.cache/cdk8s-thinkube-jupyterhub}/kube/${KUBE_VERSION}"
KUBE_BIN="${KUBE_CACHE}/bin"
# shellcheck disable=SC2034 # read by the scripts that source this file
KUBE_BINARIES=(kube-apiserver kube-controller-manager kubectl etcd)
export KUBE_VERSION ETCD_VERSION KUBE_CACHE KUBE_BIN
