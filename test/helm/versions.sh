#!/usr/bin/env bash
# Sourced by provision.sh and helm.sh: the pinned helm, where it and the chart
# archives are cached, and the chart versions the tests render (every version
# whose values schema is vendored in vendor/z2jh).
HELM_VERSION=v3.22.0
HELM_CACHE="${THINKUBE_JH_CACHE:-$HOME/.cache/cdk8s-thinkube-jupyterhub}/helm"
HELM_BIN="${HELM_CACHE}/${HELM_VERSION}/bin"
HELM_CHARTS="${HELM_CACHE}/charts"
_helm_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Where the archives come from when the chart repository is unreachable: the
# copies rebuilt from the upstream tags (provenance in ../shared/reference/README.md).
HELM_OFFLINE_CHARTS="${THINKUBE_JH_OFFLINE_CHARTS:-$(dirname "$_helm_repo_root")/shared/reference/charts}"
# shellcheck disable=SC2034 # read by the scripts that source this file
mapfile -t CHART_VERSIONS < <(
  find "$_helm_repo_root/vendor/z2jh" -name 'values.schema-*.yaml' |
    sed 's/.*values\.schema-\(.*\)\.yaml$/\1/' | sort -rV
)
export HELM_VERSION HELM_CACHE HELM_BIN HELM_CHARTS HELM_OFFLINE_CHARTS
