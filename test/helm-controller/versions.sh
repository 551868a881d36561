#!/usr/bin/env bash
# Sourced by provision.sh: the pinned k3s-io helm-controller and where its
# binary is cached.
HELM_CONTROLLER_VERSION=v0.17.9
HELM_CONTROLLER_CACHE="${THINKUBE_JH_CACHE:-$HOME/.cache/cdk8s-thinkube-jupyterhub}/helm-controller/${HELM_CONTROLLER_VERSION}"
HELM_CONTROLLER_BIN="${HELM_CONTROLLER_CACHE}/bin"
export HELM_CONTROLLER_VERSION HELM_CONTROLLER_CACHE HELM_CONTROLLER_BIN
