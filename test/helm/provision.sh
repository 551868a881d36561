#!/usr/bin/env bash
# Provisions the real-chart tier for every test tier: helm built from Go modules
# and the Z2JH chart archive of each version the tests render, obtained the way
# a user's machine does (`helm pull` from the config's chart repository). With
# no route to that repository (as in CI here) it falls back to the copies
# rebuilt from the upstream tags, and says so. Cached; a warm run only checks.
#
#   provision.sh          build helm and fetch the charts (idempotent)
#   provision.sh check    exit 1 with the reason on stderr if the tier cannot run
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

chart_archive() { echo "$HELM_CHARTS/jupyterhub-$1.tgz"; }

unavailable_reason() {
  [ -x "$HELM_BIN/helm" ] || { echo "helm ${HELM_VERSION} is not built in $HELM_BIN (run test/helm/provision.sh)"; return; }
  local version
  for version in "${CHART_VERSIONS[@]}"; do
    [ -f "$(chart_archive "$version")" ] ||
      { echo "chart jupyterhub-$version is not in $HELM_CHARTS (run test/helm/provision.sh)"; return; }
  done
}

if [ "${1:-}" = check ]; then
  reason="$(unavailable_reason)"
  [ -z "$reason" ] || { echo "$reason" >&2; exit 1; }
  exit 0
fi

# helm's version and the Kubernetes version it renders for (Capabilities, the
# chart's kubeVersion constraint) are link-time variables; these are the
# values helm's Makefile sets for a release build.
helm_ldflags() {
  local dir commit client_go major minor
  dir="$(go mod download -json "helm.sh/helm/v3@${HELM_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  commit="$(go mod download -json "helm.sh/helm/v3@${HELM_VERSION}" | sed -n 's/^[[:space:]]*"Hash": "\(.*\)",$/\1/p')"
  client_go="$(awk '$1 == "k8s.io/client-go" { print $2 }' "$dir/go.mod")"
  client_go="${client_go#v0.}"
  major=1 minor="${client_go%%.*}"
  printf '%s' "-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}" \
    " -X helm.sh/helm/v3/internal/version.metadata= -X helm.sh/helm/v3/internal/version.gitCommit=${commit}" \
    " -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    " -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=${major} -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${minor}" \
    " -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=${major} -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${minor}"
}

build_helm() {
  [ -x "$HELM_BIN/helm" ] && return
  command -v go >/dev/null || { echo 'helm: go is not installed' >&2; return 1; }
  local started=$SECONDS staging="$HELM_BIN.partial" ldflags
  echo "helm: building helm ${HELM_VERSION} from Go modules (cold, takes minutes)"
  rm -rf "$staging"
  ldflags="$(helm_ldflags)"
  # The machine is shared: two compile jobs, low priority.
  local log="$HELM_CACHE/provision.log"
  if ! GOFLAGS="${GOFLAGS:-} -p=2 -trimpath" GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$staging" \
    nice -n 10 go install -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "helm: build failed (full log: $log)" >&2
    return 1
  fi
  mv "$staging" "$HELM_BIN"
  echo "helm: built $("$HELM_BIN/helm" version --short) in $((SECONDS - started)) s into $HELM_BIN"
}

# `helm pull` as a user runs it; the offline copy only when that fails.
fetch_chart() {
  local version="$1" repo="$2" name="$3" archive pulled
  archive="$(chart_archive "$version")"
  if [ -f "$archive" ]; then
    echo "helm: chart $name-$version cached ($(cat "$archive.source" 2>/dev/null || echo 'source unknown'))"
    return
  fi
  pulled="$(mktemp -d)"
  local source="helm pull $name --repo $repo --version $version"
  if ! "$HELM_BIN/helm" pull "$name" --repo "$repo" --version "$version" --destination "$pulled" 2>"$pulled/error"; then
    local offline="$HELM_OFFLINE_CHARTS/$name-$version.tgz"
    echo "helm: helm pull $name --repo $repo --version $version failed: $(tr '\n' ' ' <"$pulled/error")" >&2
    [ -f "$offline" ] || { rm -rf "$pulled"; echo "helm: no offline copy at $offline either" >&2; return 1; }
    echo "helm: OFFLINE FALLBACK: using $offline for chart $name-$version" >&2
    cp "$offline" "$pulled/"
    source="offline copy $offline (helm pull from $repo failed)"
  fi
  # The archive must be the chart and version asked for, whichever way it came.
  local shown
  shown="$("$HELM_BIN/helm" show chart "$pulled/$name-$version.tgz" | awk '/^(name|version):/ { printf "%s ", $2 }')"
  [ "$shown" = "$name $version " ] || { rm -rf "$pulled"; echo "helm: $name-$version.tgz holds '$shown'" >&2; return 1; }
  mv "$pulled/$name-$version.tgz" "$archive"
  echo "$source" >"$archive.source"
  rm -rf "$pulled"
  echo "helm: chart $name-$version ready ($(cat "$archive.source"))"
}

mkdir -p "$HELM_CHARTS"
exec 9>"$HELM_CACHE/.provision.lock"
flock 9
build_helm
repo='' name=''
for version in "${CHART_VERSIONS[@]}"; do
  if [ -z "$repo" ] && [ ! -f "$(chart_archive "$version")" ]; then
    read -r repo name < <(cd "$here/../.." && node_modules/.bin/tsx test/helm/chart-source.ts)
  fi
  fetch_chart "$version" "$repo" "${name:-jupyterhub}"
done
