#!/usr/bin/env bash
# Benchmark baseline only, never shipped: the approach the original Thinkube
# playbook's discovery script took, re-implemented (not copied) so the
# benchmark can measure it in the same run: one `yq` process per variable
# and one `kubectl get secret` per secret reference. It lists the ConfigMaps
# once, like lib/discovery/service-discovery-init.sh, so the comparison
# isolates the per-variable processes. It writes double-quoted values, which
# is unsafe for hostile values: the benchmark only registers benign ones.
set -euo pipefail

out="${THINKUBE_SERVICE_ENV_FILE:-/home/jovyan/.config/thinkube/service-env.sh}"
selector="${THINKUBE_DISCOVERY_SELECTOR:-thinkube.io/managed=true}"
mkdir -p "$(dirname "$out")"
: >"$out"

list="$(kubectl get configmaps -A -l "$selector" -o json)"
count="$(jq '.items | length' <<<"$list")"
for ((c = 0; c < count; c++)); do
  namespace="$(jq -r ".items[$c].metadata.namespace" <<<"$list")"
  service="$(jq -r ".items[$c].data[\"service.yaml\"] // empty" <<<"$list")"
  [ -n "$service" ] || continue
  variables="$(yq '.service.environment_variables | length' <<<"$service")"
  for ((v = 0; v < variables; v++)); do
    IFS=$'\t' read -r name value secret_namespace secret_name secret_key < <(
      yq ".service.environment_variables[$v] | [.name, .value // \"-\", .valueFrom.secretKeyRef.namespace // \"$namespace\", .valueFrom.secretKeyRef.name // \"-\", .valueFrom.secretKeyRef.key // \"-\"] | @tsv" <<<"$service"
    )
    if [ "$secret_name" != - ]; then
      if ! value="$(kubectl get secret -n "$secret_namespace" "$secret_name" -o jsonpath="{.data.$secret_key}" | base64 -d)"; then
        echo "skipping $name" >&2
        continue
      fi
    fi
    printf 'export %s="%s"\n' "$name" "$value" >>"$out"
  done
done
echo "baseline: wrote $out"
