#!/usr/bin/env bash
# Sourced by provision.sh: the pinned NetworkPolicy analyser and its cache.
# Cyclonus is the engine policy-assistant (sigs.k8s.io/network-policy-api) was
# derived from; policy-assistant itself is a nested module whose path
# (sigs.k8s.io/network-policy-api/policy-assistant) does not match its folder
# (cmd/policy-assistant), so the Go module proxy cannot serve it (404).
CYCLONUS_MODULE=github.com/mattfenwick/cyclonus
CYCLONUS_VERSION=v0.5.6
NETPOL_CACHE="${THINKUBE_JH_CACHE:-$HOME/.cache/cdk8s-thinkube-jupyterhub}/netpol/${CYCLONUS_VERSION}"
NETPOL_BIN="${NETPOL_CACHE}/bin"
export CYCLONUS_MODULE CYCLONUS_VERSION NETPOL_CACHE NETPOL_BIN
