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
# shellcheck source=build-kubernetes.sh
source "$here/build-kubernetes.sh"

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

lock_go_build "$KUBE_CACHE" kube
if all_built; then exit 0; fi # another run built them while we waited
started=$SECONDS
staging="$KUBE_CACHE/bin.partial"
rm -rf "$staging" && mkdir -p "$staging"

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
build_kubernetes "$KUBE_CACHE/build-kubernetes" "$staging" kube-apiserver kube-controller-manager kubectl >>"$log" 2>&1
trap - ERR
rm -rf "$KUBE_BIN" && mv "$staging" "$KUBE_BIN"
rm -rf "$KUBE_CACHE/build-etcd"
echo "kube: built in $((SECONDS - started))s into $KUBE_BIN"
