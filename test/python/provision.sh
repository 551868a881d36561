#!/usr/bin/env bash
# Builds (once) the venv the hub-runtime tests run in: the hub image's pinned
# packages from requirements.txt plus pytest, cached outside the work tree under
# a hash of requirements.txt and the interpreter version. Idempotent: a venv
# without its .complete marker (an interrupted build) is rebuilt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=test/python/venv-path.sh
source "$here/venv-path.sh"

if [ -f "$HUB_VENV/.complete" ]; then
  echo "python tier: venv ready at $HUB_VENV"
  exit 0
fi
if [ -z "$HUB_PYTHON" ] || ! "$HUB_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "python tier: no Python >= 3.10 found (want 3.12 like the hub image)" >&2
  exit 1
fi
if [ "$("$HUB_PYTHON" -c 'import sys; print(sys.version_info[:2] == (3, 12))')" != True ]; then
  echo "WARNING: python tier: using $HUB_PYTHON, not Python 3.12 as in the hub image" >&2
fi

rm -rf "$HUB_VENV"
mkdir -p "$(dirname "$HUB_VENV")"
"$HUB_PYTHON" -m venv "$HUB_VENV"
"$HUB_VENV/bin/pip" install --quiet --no-deps -r "$here/requirements.txt"
"$HUB_VENV/bin/pip" check
touch "$HUB_VENV/.complete"
echo "python tier: venv built at $HUB_VENV"
