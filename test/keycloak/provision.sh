#!/usr/bin/env bash
# Fetches org.keycloak:keycloak-quarkus-dist from Maven Central with Maven,
# unpacks it into the cache and starts it once, so that the (slow, about
# 30 s) Quarkus augmentation for the test tier's build options is done here
# and not in every test run. A warm run only checks the marker file.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

if [ -f "$KEYCLOAK_CACHE/.warmed" ]; then
  echo "keycloak: ${KEYCLOAK_VERSION} cached in $KEYCLOAK_DIST"
  exit 0
fi

command -v mvn >/dev/null || { echo 'keycloak: mvn is not installed (apt-get install -y maven)' >&2; exit 1; }
keycloak_java_home >/dev/null || { echo 'keycloak: no Java 21 or newer found (set KEYCLOAK_JAVA_HOME)' >&2; exit 1; }
mkdir -p "$KEYCLOAK_CACHE"
exec 9>"$KEYCLOAK_CACHE/.provision.lock"
flock 9
if [ -f "$KEYCLOAK_CACHE/.warmed" ]; then exit 0; fi # another run finished while we waited

started=$SECONDS
if [ ! -x "$KEYCLOAK_DIST/bin/kc.sh" ]; then
  archive="$KEYCLOAK_CACHE/keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz"
  echo "keycloak: fetching org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz with Maven"
  mvn -B -q -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    "-Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz" \
    "-DoutputDirectory=$KEYCLOAK_CACHE"
  staging="$KEYCLOAK_CACHE/unpack.partial"
  rm -rf "$staging" && mkdir -p "$staging"
  tar -xzf "$archive" -C "$staging"
  rm -rf "$KEYCLOAK_DIST" && mv "$staging/keycloak-${KEYCLOAK_VERSION}" "$KEYCLOAK_DIST"
  rm -rf "$staging" "$archive" # Maven keeps its own copy in the local repository
fi

echo "keycloak: first start to augment the server for ${KEYCLOAK_BUILD_OPTIONS[*]}"
run_dir="$(mktemp -d)"
trap 'bash "$here/keycloak.sh" stop "$run_dir"; rm -rf "$run_dir"' EXIT
# Free ports for the warm-up instance: the OS picks them.
read -r http_port management_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
KEYCLOAK_HTTP_PORT="$http_port" KEYCLOAK_MANAGEMENT_PORT="$management_port" \
  bash "$here/keycloak.sh" start "$run_dir" >/dev/null
touch "$KEYCLOAK_CACHE/.warmed"
echo "keycloak: ${KEYCLOAK_VERSION} ready in $KEYCLOAK_DIST ($((SECONDS - started))s, Java $(keycloak_java_home))"
