#!/usr/bin/env bash
# Runs the hub-runtime tests (pytest) in the venv provision.sh builds. Without
# that venv the tier skips loudly, or fails under CI=true.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=test/python/venv-path.sh
source "$here/venv-path.sh"

if [ ! -f "$HUB_VENV/.complete" ]; then
  message="[python] tier unavailable: no venv at $HUB_VENV (run bash test/python/provision.sh)"
  if [ "${CI:-}" = true ]; then
    echo "FAIL: $message (CI=true: a missing toolchain is a failure)" >&2
    exit 1
  fi
  echo "*** SKIPPING $message ***" >&2
  exit 0
fi

cd "$here"
status=0
"$HUB_VENV/bin/python" -m pytest -p no:cacheprovider "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "FAIL: pytest collected no tests in test/python" >&2
  exit 1
fi
exit "$status"
