#!/usr/bin/env bash
# Sourced by provision.sh and keycloak.sh: the pinned Keycloak version, where
# it is cached, and the Java it runs on.
KEYCLOAK_VERSION=26.7.3
KEYCLOAK_CACHE="${THINKUBE_JH_CACHE:-$HOME/.cache/cdk8s-thinkube-jupyterhub}/keycloak/${KEYCLOAK_VERSION}"
KEYCLOAK_DIST="${KEYCLOAK_CACHE}/keycloak-${KEYCLOAK_VERSION}"
# Build-time options: start-dev re-augments (about 30 s) whenever these differ
# from the ones the cached distribution was warmed with.
# shellcheck disable=SC2034 # read by keycloak.sh
KEYCLOAK_BUILD_OPTIONS=(--db=dev-mem --health-enabled=true)
export KEYCLOAK_VERSION KEYCLOAK_CACHE KEYCLOAK_DIST

# Prints the JAVA_HOME of a JDK that Keycloak 26 runs on (21 or newer):
# $KEYCLOAK_JAVA_HOME if set, else the newest under /usr/lib/jvm, else the java on PATH.
keycloak_java_home() {
  local candidate major best='' best_major=0
  if [ -n "${KEYCLOAK_JAVA_HOME:-}" ]; then
    echo "$KEYCLOAK_JAVA_HOME"
    return 0
  fi
  for candidate in /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java || echo /nonexistent)")")")"; do
    [ -x "$candidate/bin/java" ] || continue
    major="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}
