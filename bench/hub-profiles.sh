#!/usr/bin/env bash
# Runs bench/hub-profiles.py with the hub-runtime venv (built if missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=test/python/venv-path.sh
source "$root/test/python/venv-path.sh"
[ -f "$HUB_VENV/.complete" ] || bash "$root/test/python/provision.sh"
# The chart's own hub config runs in the hub pod's filesystem layout (hub-pod.sh).
exec bash "$root/test/support/hub-pod.sh" "$HUB_VENV" "$HUB_VENV/bin/python" "$root/bench/hub-profiles.py" "$@"
