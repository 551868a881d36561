#!/usr/bin/env bash
# Static-check tools for shell and Python files: shellcheck from Debian.
set -euo pipefail

if command -v shellcheck >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "shellcheck is missing and this is not root: install Debian's shellcheck package" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
shellcheck --version | head -2
