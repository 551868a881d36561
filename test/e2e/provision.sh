#!/usr/bin/env bash
# The end-to-end tier's own pieces: Debian's chromium (driven by playwright-core,
# which never downloads a browser) with fonts, socat and ip for the hub's
# network namespace, and the hub-runtime venv of test/python (built by its
# provision.sh if missing); helm and the chart come from test/helm. Keycloak and the
# kube-apiserver come from their tiers' provision.sh; configurable-http-proxy
# and playwright-core from `npm ci`. Idempotent: a warm run only checks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
# Pages render with real glyphs in the screenshots, not tofu boxes.
dpkg -s fonts-liberation2 >/dev/null 2>&1 || apt_packages+=(fonts-liberation2)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || apt_packages+=(fonts-dejavu-core)
# The hub's network namespace is joined to the host's loopback by socat bridges (hub-process.ts).
command -v socat >/dev/null || apt_packages+=(socat)
command -v ip >/dev/null || apt_packages+=(iproute2)
if [ "${#apt_packages[@]}" -gt 0 ]; then
  echo "e2e: installing ${apt_packages[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null # its wrapper script warns on stderr

bash "$repo/test/python/provision.sh"
# shellcheck source=test/python/venv-path.sh
source "$repo/test/python/venv-path.sh"
"$HUB_VENV/bin/python" -c 'import sqlite3, jupyterhub, kubespawner, oauthenticator'

for tool in configurable-http-proxy playwright-core; do
  [ -x "$repo/node_modules/.bin/$tool" ] || { echo "e2e: node_modules/.bin/$tool missing (run npm ci)" >&2; exit 1; }
done
echo "e2e: chromium, hub venv ($HUB_VENV) and configurable-http-proxy ready"
