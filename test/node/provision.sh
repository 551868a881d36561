#!/usr/bin/env bash
# Builds the node of the kube test tier (see node.sh), cached per version:
# kubelet, kube-scheduler and kube-proxy from k8s.io/kubernetes (with the
# control plane of ../kube, sharing its Go module and build caches),
# containerd v2 and its runc shim, CoreDNS (as a library, coredns/main.go),
# a pause program and its OCI image (no public registry can be reached, so no
# registry.k8s.io/pause), kube-router (the NetworkPolicy enforcer node.sh runs
# on request); then the pods' images (build-images.sh), pushed to
# the registry standing in for Harbor (registry.sh). runc, the CNI plugins,
# socat, iptables, ipset, conntrack, the registry and the image tools come from
# Debian. A warm run only checks that everything is there.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"
# shellcheck source=../kube/build-kubernetes.sh
source "$here/../kube/build-kubernetes.sh"
# shellcheck source=oci.sh
source "$here/oci.sh"
# shellcheck source=registry.sh
source "$here/registry.sh"
# shellcheck source=../kube/processes.sh
source "$here/../kube/processes.sh"

IMAGES="$NODE_CACHE/images"

# built NAME...: whether every NAME is in the node's cache.
built() {
  local name
  for name in "$@"; do
    [ -x "$NODE_BIN/$name" ] || return 1
  done
}

binaries_built() { built "${NODE_BINARIES[@]}" kube-router; }

all_built() {
  binaries_built && [ -f "$IMAGES/${NODE_SANDBOX_IMAGE%%:*}.tar" ] || return 1
  local image
  for image in "${NODE_REGISTRY_IMAGES[@]}"; do pushed "$image" || return 1; done
}

debian_missing() {
  local pkg
  for pkg in "${NODE_DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}

install_debian_packages() {
  local missing
  mapfile -t missing < <(debian_missing)
  [ "${#missing[@]}" -gt 0 ] || return 0
  [ "$(id -u)" = 0 ] || { echo "node: not root, cannot install Debian packages: ${missing[*]}" >&2; exit 1; }
  echo "node: installing from Debian: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_debian_packages
bash "$here/../kube/provision.sh"

if all_built; then
  echo "node: binaries cached in $NODE_BIN"
  exit 0
fi

lock_go_build "$NODE_CACHE" node
if all_built; then exit 0; fi # another run built them while we waited
started=$SECONDS
# A cold run builds every binary and image; a partial one (after a version
# bump, say) only what is missing. Only a cold run's time is the cold build.
cold=0
[ -n "$(ls -A "$NODE_BIN" 2>/dev/null)" ] || cold=1
staging="$NODE_CACHE/bin.partial"
rm -rf "$staging" && mkdir -p "$staging"

# go_module_build DIR VERSION OUT TAGS LDFLAGS PACKAGES...: build PACKAGES
# (of one module) at VERSION in a throw-away module DIR.
go_module_build() {
  local dir="$1" version="$2" out="$3" tags="$4" ldflags="$5"
  shift 5
  local packages=("$@")
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir" || exit 1
    go mod init thinkube.local/node-harness-build >/dev/null 2>&1
    # Each package pinned, so that go.sum covers what it imports.
    go get "${packages[@]/%/@$version}"
    nice -n 10 go build -tags "$tags" -ldflags "$ldflags" -o "$out" "${packages[@]}"
  )
  rm -rf "$dir"
}

build_containerd() {
  local m=github.com/containerd/containerd/v2
  # No btrfs, devmapper or zfs snapshotters: they need C libraries, and the
  # node uses overlayfs.
  go_module_build "$NODE_CACHE/build-containerd" "$CONTAINERD_VERSION" "$staging/" \
    no_btrfs,no_devmapper,no_zfs "-s -w -X $m/version.Version=$CONTAINERD_VERSION" \
    "$m/cmd/containerd" "$m/cmd/containerd-shim-runc-v2" "$m/cmd/ctr"
}

# build_local_main SRC_DIR OUT [MODULE@VERSION...]: our own main package
# (SRC_DIR/*.go), in a throw-away module that requires the given modules.
build_local_main() {
  local src="$1" out="$2" dir
  shift 2
  dir="$NODE_CACHE/build-$(basename "$src")"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$src"/*.go "$dir/"
  (
    cd "$dir" || exit 1
    go mod init "thinkube.local/$(basename "$src")" >/dev/null 2>&1
    if [ "$#" -gt 0 ]; then
      go get "$@"
      go mod tidy
    fi
    nice -n 10 go build -ldflags '-s -w' -o "$out" .
  )
  rm -rf "$dir"
}

build_pause() { build_local_main "$here/pause" "$staging/pause"; }

build_coredns() { build_local_main "$here/coredns" "$staging/coredns" "github.com/coredns/coredns@$COREDNS_VERSION"; }

# kube-router with every controller compiled in; node.sh runs only its
# NetworkPolicy controller. Pure Go (netlink, iptables and ipset through their
# commands): no cgo, no tags.
build_kube_router() {
  local m=github.com/cloudnativelabs/kube-router/v2
  go_module_build "$NODE_CACHE/build-kube-router" "$KUBE_ROUTER_VERSION" "$staging/kube-router" '' \
    "-s -w -X $m/pkg/version.Version=$KUBE_ROUTER_VERSION" "$m/cmd/kube-router"
}

# The sandbox image: the pause program alone.
build_pause_image() {
  local rootfs="$NODE_CACHE/rootfs-pause"
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  cp "$NODE_BIN/pause" "$rootfs/pause"
  oci_image_archive "$rootfs" "$IMAGES/pause.tar" pause:1 \
    --config.entrypoint /pause --config.user 65535:65535
  rm -rf "$rootfs"
}

# build_and_push_images: each registry image not pushed yet is built
# (build-images.sh) and pushed from the layout to library/NAME:TAG, one after
# the other, so that a failure keeps what was done. The push goes through a
# registry on the machine's 127.0.0.1 that lives for the push only.
build_and_push_images() {
  local port config pid image started deadline=$((SECONDS + 30))
  port="$(free_port)"
  config="$NODE_CACHE/registry-push.yml"
  mkdir -p "$REGISTRY_STORAGE"
  registry_config "$config" "127.0.0.1:$port"
  docker-registry serve "$config" 9>&- &
  pid=$!
  # shellcheck disable=SC2064 # the pid is known now
  trap "kill $pid 2>/dev/null || true" RETURN
  until registry_ready "127.0.0.1:$port"; do
    [ "$SECONDS" -lt "$deadline" ] || { echo 'node: the registry did not start' >&2; return 1; }
    sleep 0.2
  done
  for image in "${NODE_REGISTRY_IMAGES[@]}"; do
    pushed "$image" && continue
    started=$SECONDS
    bash "$here/build-images.sh" "$IMAGES/layout" "${image%%:*}"
    skopeo copy --quiet --dest-tls-verify=false "oci:$IMAGES/layout:${image%%:*}" \
      "docker://127.0.0.1:$port/library/$image"
    echo "node: image $image built and pushed in $((SECONDS - started))s" >&3
  done
  rm -f "$config"
}

echo "node: building what is missing of kubelet, kube-scheduler, kube-proxy ${KUBE_VERSION}, containerd ${CONTAINERD_VERSION}, CoreDNS ${COREDNS_VERSION}, kube-router ${KUBE_ROUTER_VERSION} from Go modules (cold, takes minutes)"
log="$NODE_CACHE/provision.log"
trap 'tail -n 40 "$log" >&2; echo "node: build failed (full log: $log)" >&2' ERR
{
  # Each group built only when missing (a cache from before kube-router
  # keeps its other binaries); moved into the cache when all are built.
  built pause || build_pause
  built kubelet kube-scheduler kube-proxy ||
    build_kubernetes "$NODE_CACHE/build-kubernetes" "$staging" kubelet kube-scheduler kube-proxy
  built containerd containerd-shim-runc-v2 ctr || build_containerd
  built coredns || build_coredns
  if ! built kube-router; then
    kube_router_started=$SECONDS
    build_kube_router
    echo "node: kube-router ${KUBE_ROUTER_VERSION} built in $((SECONDS - kube_router_started))s" >&3
  fi
  mkdir -p "$NODE_BIN"
  find "$staging" -mindepth 1 -maxdepth 1 -exec mv -f {} "$NODE_BIN/" \;
  rm -rf "$staging"
  mkdir -p "$IMAGES"
  [ -f "$IMAGES/pause.tar" ] || build_pause_image
  build_and_push_images
} 3>&1 >"$log" 2>&1
trap - ERR
record="$((SECONDS - started)) s ($([ "$cold" = 1 ] && echo cold || echo partial): node binaries and images; $(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "$record" >>"$NODE_CACHE/build-history"
[ "$cold" = 0 ] || echo "$record" >"$NODE_CACHE/build-seconds"
echo "node: built in $((SECONDS - started))s into $NODE_BIN"
