#!/usr/bin/env bash
# Sourced by provision.sh: the pinned Flux controllers and where they are cached.
# helm-controller v1.6.4 is built against source-controller/api v1.9.0. The
# source-controller is v1.9.0, the newest whose whole dependency graph the Go
# module proxy serves (v1.9.1 to v1.9.6 need github.com/fluxcd/pkg/artifact
# v0.18.1 or later, which it refuses; v1.10 needs Go 1.27).
FLUX_HELM_CONTROLLER_VERSION=v1.6.4
FLUX_SOURCE_CONTROLLER_VERSION=v1.9.0
FLUX_CACHE="${THINKUBE_JH_CACHE:-$HOME/.cache/cdk8s-thinkube-jupyterhub}/flux/helm-${FLUX_HELM_CONTROLLER_VERSION}-source-${FLUX_SOURCE_CONTROLLER_VERSION}"
FLUX_BIN="${FLUX_CACHE}/bin"
FLUX_CRDS="${FLUX_CACHE}/crds"
export FLUX_HELM_CONTROLLER_VERSION FLUX_SOURCE_CONTROLLER_VERSION FLUX_CACHE FLUX_BIN FLUX_CRDS
