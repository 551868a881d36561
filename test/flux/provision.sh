#!/usr/bin/env bash
# Builds Flux's source-controller and helm-controller from Go modules, for the
# Flux test tier (reconcile.test.ts), and keeps the CRDs each module ships in
# config/crd/bases (what `flux install` applies). Cached per version pair; a
# warm run only checks the binaries are there.
#
#   provision.sh          build both (idempotent)
#   provision.sh check    exit 1 with the reason on stderr if the tier cannot run
#   provision.sh path     print the directory of the binaries and crds/ (for the tests)
#
# Both modules replace their `api` submodule with ./api, a directory the
# module zip leaves out (it is a module of its own): `go install module@version`
# refuses replace directives, so each is built from its module source with the
# api module of the same version put in that place, and its own go.sum.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"
# shellcheck source=../kube/build-kubernetes.sh
source "$here/../kube/build-kubernetes.sh"

CONTROLLERS=(source-controller helm-controller)

built() {
  local name
  for name in "${CONTROLLERS[@]}"; do [ -x "$FLUX_BIN/$name" ] || return 1; done
  [ -f "$FLUX_CRDS/helm.toolkit.fluxcd.io_helmreleases.yaml" ]
}

case "${1:-}" in
  path) echo "$FLUX_CACHE"; exit 0 ;;
  check)
    built || {
      echo "Flux helm-controller ${FLUX_HELM_CONTROLLER_VERSION} and source-controller ${FLUX_SOURCE_CONTROLLER_VERSION} are not built in $FLUX_BIN (run test/flux/provision.sh)" >&2
      exit 1
    }
    exit 0 ;;
esac

if built; then
  echo "flux: helm-controller ${FLUX_HELM_CONTROLLER_VERSION}, source-controller ${FLUX_SOURCE_CONTROLLER_VERSION} cached in $FLUX_BIN"
  exit 0
fi

lock_go_build "$FLUX_CACHE" flux
if built; then exit 0; fi # another run built them while we waited
started=$SECONDS
staging="$FLUX_CACHE/build.partial"
rm -rf "$staging" && mkdir -p "$staging/bin" "$staging/crds" "$staging/src"
log="$FLUX_CACHE/provision.log"
: >"$log"

module_dir() { # module@version -> its directory in the module cache
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

build_controller() { # name version
  local name=$1 version=$2 module="github.com/fluxcd/$1" src
  src="$staging/src/$name"
  echo "flux: building $name $version from Go modules (cold, takes minutes)"
  cp -r "$(module_dir "$module@$version")" "$src"
  cp -r "$(module_dir "$module/api@$version")" "$src/api"
  chmod -R u+w "$src"
  # As its Dockerfile builds it: CGO off, trimmed paths (lock_go_build's GOFLAGS).
  if ! (cd "$src" && nice -n 10 go build -ldflags '-s -w' -o "$staging/bin/$name" .) >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "flux: $name build failed (full log: $log)" >&2
    exit 1
  fi
  cp "$src"/config/crd/bases/*.yaml "$staging/crds/"
}

build_controller source-controller "$FLUX_SOURCE_CONTROLLER_VERSION"
build_controller helm-controller "$FLUX_HELM_CONTROLLER_VERSION"
rm -rf "$staging/src" "$FLUX_BIN" "$FLUX_CRDS"
mv "$staging/bin" "$FLUX_BIN" && mv "$staging/crds" "$FLUX_CRDS" && rm -rf "$staging"
echo "flux: built in $((SECONDS - started)) s into $FLUX_BIN"
