#!/usr/bin/env bash
# Sourced by provision.sh and run.sh: picks the interpreter and computes the
# cached venv's path, so both agree on it. Sets HUB_PYTHON and HUB_VENV.
# The hub image of chart 4.4.0 runs Python 3.12: prefer it, fall back to
# python3 (with a warning) so a machine without 3.12 still runs the tier.

hub_python_pick() {
  if [ -n "${THINKUBE_JH_PYTHON:-}" ]; then
    echo "$THINKUBE_JH_PYTHON"
    return
  fi
  if command -v python3.12 >/dev/null 2>&1 && python3.12 -c '' 2>/dev/null; then
    command -v python3.12
    return
  fi
  local candidate
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return
    fi
  done
  command -v python3 || true
}

HUB_PYTHON="$(hub_python_pick)"
_hub_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
_hub_py_version="$("$HUB_PYTHON" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none)"
_hub_hash="$({ cat "$_hub_here/requirements.txt"; echo "$_hub_py_version"; } | sha256sum | cut -c1-16)"
HUB_VENV="${THINKUBE_JH_CACHE:-$HOME/.cache/cdk8s-thinkube-jupyterhub}/python/$_hub_hash"
export HUB_PYTHON HUB_VENV
