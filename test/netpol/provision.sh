#!/usr/bin/env bash
# Provisions the NetworkPolicy tier: the Cyclonus analyser built from Go
# modules, which simulates the verdict of Kubernetes NetworkPolicies for given
# traffic. Cached; a warm run only checks.
#
#   provision.sh          build the analyser (idempotent)
#   provision.sh check    exit 1 with the reason on stderr if the tier cannot run
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

if [ "${1:-}" = check ]; then
  [ -x "$NETPOL_BIN/cyclonus" ] ||
    { echo "cyclonus ${CYCLONUS_VERSION} is not built in $NETPOL_BIN (run test/netpol/provision.sh)" >&2; exit 1; }
  exit 0
fi

mkdir -p "$NETPOL_CACHE"
exec 9>"$NETPOL_CACHE/.provision.lock"
flock 9
if [ -x "$NETPOL_BIN/cyclonus" ]; then
  echo "netpol: cyclonus ${CYCLONUS_VERSION} cached in $NETPOL_BIN"
  exit 0
fi
command -v go >/dev/null || { echo 'netpol: go is not installed' >&2; exit 1; }
started=$SECONDS
staging="$NETPOL_BIN.partial"
log="$NETPOL_CACHE/provision.log"
echo "netpol: building cyclonus ${CYCLONUS_VERSION} from Go modules (cold, takes minutes)"
rm -rf "$staging"
# The machine is shared: two compile jobs, low priority.
if ! GOFLAGS="${GOFLAGS:-} -p=2 -trimpath" GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$staging" \
  nice -n 10 go install -ldflags '-s -w' "${CYCLONUS_MODULE}/cmd/cyclonus@${CYCLONUS_VERSION}" >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "netpol: build failed (full log: $log)" >&2
  exit 1
fi
mv "$staging" "$NETPOL_BIN"
echo "netpol: built cyclonus ${CYCLONUS_VERSION} in $((SECONDS - started)) s into $NETPOL_BIN"
