#!/usr/bin/env bash
# Builds (once) the venv the hub-runtime tests run in: the hub image's pinned
# packages from requirements.txt (pycurl compiled against Debian's libcurl)
# plus pytest, cached outside the work tree under a hash of requirements.txt
# and the interpreter version. Idempotent: a venv
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

# pycurl compiles against libcurl (the hub image builds it from source too).
if ! command -v curl-config >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo 'python tier: curl-config missing (install libcurl4-openssl-dev and libssl-dev) for pycurl' >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libcurl4-openssl-dev libssl-dev >/dev/null
fi

rm -rf "$HUB_VENV"
mkdir -p "$(dirname "$HUB_VENV")"
"$HUB_PYTHON" -m venv "$HUB_VENV"
# Like the image: pycurl's wheels are not portable (github.com/pycurl/pycurl/issues/834).
PYCURL_SSL_LIBRARY=openssl nice -n 10 "$HUB_VENV/bin/pip" install --quiet --no-deps --no-binary pycurl -r "$here/requirements.txt"
"$HUB_VENV/bin/pip" check
touch "$HUB_VENV/.complete"
echo "python tier: venv built at $HUB_VENV"
