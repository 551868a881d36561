#!/usr/bin/env bash
# Runs bench/hub-start.py with the hub-runtime venv (built if missing) and helm.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=test/python/venv-path.sh
source "$root/test/python/venv-path.sh"
[ -f "$HUB_VENV/.complete" ] || bash "$root/test/python/provision.sh"
bash "$root/test/helm/provision.sh" check || bash "$root/test/helm/provision.sh"
exec "$HUB_VENV/bin/python" "$root/bench/hub-start.py" "$@"
