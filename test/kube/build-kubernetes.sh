#!/usr/bin/env bash
# Sourced by provision.sh and ../node/provision.sh: builds commands of
# k8s.io/kubernetes at KUBE_VERSION from Go modules (the callers set GOFLAGS,
# GOTOOLCHAIN and CGO_ENABLED).

# lock_go_build DIR NAME: checks for go, takes DIR's provision lock (fd 9,
# held until the caller exits) and sets the build environment: the machine
# is shared, so two compile jobs, static binaries.
lock_go_build() {
  command -v go >/dev/null || { echo "$2: go is not installed" >&2; exit 1; }
  mkdir -p "$1"
  exec 9>"$1/.provision.lock"
  flock 9
  export GOFLAGS="${GOFLAGS:-} -p=2 -trimpath" GOTOOLCHAIN=local CGO_ENABLED=0
}

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

# build_kubernetes WORKDIR OUTDIR COMMAND...: k8s.io/kubernetes/cmd/COMMAND
# for each COMMAND, into OUTDIR/; WORKDIR is a throw-away module.
build_kubernetes() {
  local dir="$1" out="$2"
  shift 2
  local cmds=("$@")
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir" || exit 1
    go mod init thinkube.local/kube-harness-build >/dev/null 2>&1
    local replaces
    mapfile -t replaces < <(staging_replaces)
    [ "${#replaces[@]}" -gt 10 ] || { echo 'kube: staging module list looks wrong' >&2; exit 1; }
    go mod edit "-require=k8s.io/kubernetes@${KUBE_VERSION}" "${replaces[@]}"
    local packages=("${cmds[@]/#/k8s.io/kubernetes/cmd/}")
    # Each one pinned: a bare `go get pkg` means pkg@upgrade.
    go get "${packages[@]/%/@${KUBE_VERSION}}"
    nice -n 10 go build -ldflags "$(version_ldflags)" -o "$out/" "${packages[@]}"
  )
  rm -rf "$dir"
}
