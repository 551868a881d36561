#!/usr/bin/env bash
# Builds mikefarah yq v4 from Go modules for the discovery tier: the init
# script needs a YAML parser for each ConfigMap's service.yaml (jq reads JSON
# only), and Debian's `yq` is a different program (a Python jq wrapper).
# Cached per version; a warm run only checks the binary is there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=test/discovery/versions.sh
source "$here/versions.sh"

if ! command -v jq >/dev/null && [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null
fi

if [ -x "$YQ_BIN/yq" ]; then
  echo "discovery: yq ${YQ_VERSION} cached in $YQ_BIN"
  exit 0
fi

command -v go >/dev/null || { echo 'discovery: go is not installed' >&2; exit 1; }
command -v jq >/dev/null || { echo 'discovery: jq is not installed (apt-get install -y jq)' >&2; exit 1; }
mkdir -p "$YQ_CACHE"
exec 9>"$YQ_CACHE/.provision.lock"
flock 9
if [ -x "$YQ_BIN/yq" ]; then exit 0; fi # another run built it while we waited

started=$SECONDS
GOFLAGS="${GOFLAGS:-} -p=2 -trimpath" GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$YQ_CACHE/bin.partial" \
  nice -n 10 go install "github.com/mikefarah/yq/v4@${YQ_VERSION}"
mv "$YQ_CACHE/bin.partial" "$YQ_BIN"
"$YQ_BIN/yq" --version
echo "discovery: built yq ${YQ_VERSION} in $((SECONDS - started)) s"
