#!/usr/bin/env bash
# Sourced by provision.sh; read by the tests: the pinned yq and its cache.
YQ_VERSION=v4.54.3
YQ_CACHE="${THINKUBE_JH_CACHE:-$HOME/.cache/cdk8s-thinkube-jupyterhub}/yq/${YQ_VERSION}"
YQ_BIN="${YQ_CACHE}/bin"
export YQ_VERSION YQ_CACHE YQ_BIN
