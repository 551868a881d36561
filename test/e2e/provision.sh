#!/usr/bin/env bash
# The end-to-end tier's own piece: Debian's chromium (driven by playwright-core,
# which never downloads a browser) with fonts. The rest comes from the other
# tiers' provision.sh: Keycloak (test/keycloak), the cluster with its real
# node, the registry and the images (test/kube, test/node), helm and the
# chart (test/helm); playwright-core from `npm ci`. Idempotent: a warm run
# only checks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
# Pages render with real glyphs in the screenshots, not tofu boxes.
dpkg -s fonts-liberation2 >/dev/null 2>&1 || apt_packages+=(fonts-liberation2)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || apt_packages+=(fonts-dejavu-core)
if [ "${#apt_packages[@]}" -gt 0 ]; then
  echo "e2e: installing ${apt_packages[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null # its wrapper script warns on stderr

[ -d "$repo/node_modules/playwright-core" ] || { echo "e2e: node_modules/playwright-core missing (run npm ci)" >&2; exit 1; }
echo "e2e: chromium ready"
