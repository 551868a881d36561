#!/usr/bin/env bash
# Runs the hub-runtime tests (pytest) in the venv provision.sh builds, inside
# the hub pod's filesystem layout (test/support/hub-pod.sh) so the chart's own
# jupyterhub_config.py runs unmodified; helm renders it (test/helm). Without
# the venv or helm the tier skips loudly, or fails under CI=true.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=test/python/venv-path.sh
source "$here/venv-path.sh"

unavailable() {
  local message="[python] tier unavailable: $1"
  if [ "${CI:-}" = true ]; then
    echo "FAIL: $message (CI=true: a missing toolchain is a failure)" >&2
    exit 1
  fi
  echo "*** SKIPPING $message ***" >&2
  exit 0
}

[ -f "$HUB_VENV/.complete" ] || unavailable "no venv at $HUB_VENV (run bash test/python/provision.sh)"
reason="$(bash "$here/../helm/provision.sh" check 2>&1)" || unavailable "$reason"

cd "$here"
status=0
bash "$here/../support/hub-pod.sh" "$HUB_VENV" "$HUB_VENV/bin/python" -m pytest -p no:cacheprovider "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "FAIL: pytest collected no tests in test/python" >&2
  exit 1
fi
exit "$status"
