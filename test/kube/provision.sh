#!/usr/bin/env bash
# Builds the real Kubernetes API for the kube test tier from Go modules:
# kube-apiserver, kube-controller-manager and kubectl from k8s.io/kubernetes,
# and etcd from go.etcd.io/etcd/server/v3. Cached per version; a warm run
# only checks the binaries are there.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

all_built() {
  local name
  for name in "${KUBE_BINARIES[@]}"; do
    [ -x "$KUBE_BIN/$name" ] || return 1
  done
}

if all_built; then
  echo "kube: binaries ${KUBE_VERSION} cached in $KUBE_BIN"
  exit 0
fi

command -v go >/dev/null || { echo 'kube: go is not installed' >&2; exit 1; }
mkdir -p "$KUBE_CACHE"
exec 9>"$KUBE_CACHE/.provision.lock"
flock 9
if all_built; then exit 0; fi # another run built them while we waited

# The machine is shared: two compile jobs, low priority.
export GOFLAGS="${GOFLAGS:-} -p=2 -trimpath" GOTOOLCHAIN=local CGO_ENABLED=0
started=$SECONDS
staging="$KUBE_CACHE/bin.partial"
rm -rf "$staging" && mkdir -p "$staging"

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them
# with ./staging paths that do not exist in the module zip; pin each one to
# the matching published v0.x.y instead. The list comes from that go.mod.
staging_replaces() {
  local gomod
  gomod="$(go mod download -json "k8s.io/kubernetes@${KUBE_VERSION}" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [ -f "$gomod" ] || { echo "kube: no go.mod for k8s.io/kubernetes@${KUBE_VERSION}" >&2; return 1; }
  awk -v v="v0.${KUBE_VERSION#v1.}" '
    /^require \(/ { inreq = 1; next }
    inreq && /^\)/ { inreq = 0 }
    inreq && $2 == "v0.0.0" { required[$1] = 1 }
    $2 == "=>" && $3 ~ /^\.\/staging\// { staged[$1] = 1 }
    END { for (m in staged) if (m in required) printf "-replace=%s=%s@%s\n", m, m, v }
  ' "$gomod" | sort
}

version_ldflags() {
  local minor="${KUBE_VERSION#v1.}"
  minor="${minor%%.*}"
  local pkg flags=''
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=${KUBE_VERSION} -X $pkg.gitMajor=1 -X $pkg.gitMinor=${minor}"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  echo "-s -w$flags"
}

build_kubernetes() {
  local dir="$KUBE_CACHE/build-kubernetes"
  local cmds=(kube-apiserver kube-controller-manager kubectl)
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir"
    go mod init thinkube.local/kube-harness-build >/dev/null 2>&1
    local replaces
    mapfile -t replaces < <(staging_replaces)
    [ "${#replaces[@]}" -gt 10 ] || { echo 'kube: staging module list looks wrong' >&2; exit 1; }
    go mod edit "-require=k8s.io/kubernetes@${KUBE_VERSION}" "${replaces[@]}"
    local packages=("${cmds[@]/#/k8s.io/kubernetes/cmd/}")
    # Each one pinned: a bare `go get pkg` means pkg@upgrade.
    go get "${packages[@]/%/@${KUBE_VERSION}}"
    nice -n 10 go build -ldflags "$(version_ldflags)" -o "$staging/" "${packages[@]}"
  )
}

build_etcd() {
  local dir="$KUBE_CACHE/build-etcd"
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir"
    go mod init thinkube.local/etcd-harness-build >/dev/null 2>&1
    go get "go.etcd.io/etcd/server/v3@${ETCD_VERSION}"
    nice -n 10 go build -ldflags '-s -w' -o "$staging/etcd" go.etcd.io/etcd/server/v3
  )
}

echo "kube: building Kubernetes ${KUBE_VERSION} and etcd ${ETCD_VERSION} from Go modules (cold, takes minutes)"
log="$KUBE_CACHE/provision.log"
trap 'tail -n 40 "$log" >&2; echo "kube: build failed (full log: $log)" >&2' ERR
build_etcd >"$log" 2>&1
build_kubernetes >>"$log" 2>&1
trap - ERR
rm -rf "$KUBE_BIN" && mv "$staging" "$KUBE_BIN"
rm -rf "$KUBE_CACHE/build-kubernetes" "$KUBE_CACHE/build-etcd"
echo "kube: built in $((SECONDS - started))s into $KUBE_BIN"
