#!/usr/bin/env bash
# Builds the real k3s-io helm-controller (the one k3s and RKE2 embed, here as
# it runs standalone) from Go modules, for the helm-controller test tier. Its
# main package is the module root, github.com/k3s-io/helm-controller. Cached
# per version; a warm run only checks the binary is there.
#
#   provision.sh          build the binary (idempotent)
#   provision.sh check    exit 1 with the reason on stderr if the tier cannot run
#   provision.sh path     print the binary's path (for the tests)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"
# shellcheck source=../kube/build-kubernetes.sh
source "$here/../kube/build-kubernetes.sh"

binary="$HELM_CONTROLLER_BIN/helm-controller"

if [ "${1:-}" = path ]; then
  echo "$binary"
  exit 0
fi

if [ "${1:-}" = check ]; then
  [ -x "$binary" ] || {
    echo "helm-controller ${HELM_CONTROLLER_VERSION} is not built in $HELM_CONTROLLER_BIN (run test/helm-controller/provision.sh)" >&2
    exit 1
  }
  exit 0
fi

if [ -x "$binary" ]; then
  echo "helm-controller: ${HELM_CONTROLLER_VERSION} cached in $HELM_CONTROLLER_BIN"
  exit 0
fi

lock_go_build "$HELM_CONTROLLER_CACHE" helm-controller
if [ -x "$binary" ]; then exit 0; fi # another run built it while we waited
started=$SECONDS
staging="$HELM_CONTROLLER_BIN.partial"
rm -rf "$staging"
log="$HELM_CONTROLLER_CACHE/provision.log"
echo "helm-controller: building ${HELM_CONTROLLER_VERSION} from Go modules (cold, takes minutes)"
# The version variable its own scripts/build sets; the module has no replace
# directives, so `go install module@version` builds it as released.
if ! GOBIN="$staging" nice -n 10 go install \
  -ldflags "-s -w -X github.com/k3s-io/helm-controller/pkg/version.Version=${HELM_CONTROLLER_VERSION}" \
  "github.com/k3s-io/helm-controller@${HELM_CONTROLLER_VERSION}" >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "helm-controller: build failed (full log: $log)" >&2
  exit 1
fi
rm -rf "$HELM_CONTROLLER_BIN" && mv "$staging" "$HELM_CONTROLLER_BIN"
echo "helm-controller: built in $((SECONDS - started)) s into $HELM_CONTROLLER_BIN"
