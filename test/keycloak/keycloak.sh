#!/usr/bin/env bash
# Runs the cached Keycloak (see provision.sh) in dev mode on 127.0.0.1, one
# instance per RUN_DIR, so that parallel runs never share state:
#
#   keycloak.sh check             prints why Keycloak cannot run here (exit 1), or nothing
#   keycloak.sh start RUN_DIR     starts in the background, waits for health, prints env lines
#   keycloak.sh stop RUN_DIR      stops the instance started in RUN_DIR
#   keycloak.sh run RUN_DIR       runs in the foreground
#
# Environment: KEYCLOAK_HTTP_PORT (default 8180), KEYCLOAK_MANAGEMENT_PORT
# (default 9180), KC_BOOTSTRAP_ADMIN_USERNAME (default admin),
# KC_BOOTSTRAP_ADMIN_PASSWORD (default: generated into RUN_DIR/admin-password,
# mode 0600), KEYCLOAK_HEAP (default -Xms64m -Xmx768m), KEYCLOAK_START_TIMEOUT
# seconds (default 240). Realm files in RUN_DIR/import/*.json are imported at
# start. KEYCLOAK_HTTPS_PORT with KEYCLOAK_TLS_CERT and KEYCLOAK_TLS_KEY also
# serves HTTPS.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

http_port="${KEYCLOAK_HTTP_PORT:-8180}"
management_port="${KEYCLOAK_MANAGEMENT_PORT:-9180}"

unavailable_reason() {
  [ -x "$KEYCLOAK_DIST/bin/kc.sh" ] || { echo "Keycloak ${KEYCLOAK_VERSION} is not provisioned in $KEYCLOAK_DIST (run test/keycloak/provision.sh)"; return; }
  [ -f "$KEYCLOAK_CACHE/.warmed" ] || { echo "Keycloak ${KEYCLOAK_VERSION} in $KEYCLOAK_DIST was never started (run test/keycloak/provision.sh)"; return; }
  keycloak_java_home >/dev/null || { echo 'no Java 21 or newer found (set KEYCLOAK_JAVA_HOME)'; return; }
  command -v curl >/dev/null || echo 'curl is not installed'
}

# The instance's home: its own bin, conf and data; the (large, read-only
# after warm-up) lib, providers and themes are links to the cached distribution.
prepare_home() {
  local run_dir="$1" home="$1/home" entry
  rm -rf "$home" && mkdir -p "$home/data"
  cp -r "$KEYCLOAK_DIST/bin" "$KEYCLOAK_DIST/conf" "$home/"
  for entry in lib providers themes; do
    ln -s "$KEYCLOAK_DIST/$entry" "$home/$entry"
  done
  if compgen -G "$run_dir/import/*.json" >/dev/null; then
    ln -s "$run_dir/import" "$home/data/import"
  fi
}

admin_password() {
  local run_dir="$1"
  if [ -n "${KC_BOOTSTRAP_ADMIN_PASSWORD:-}" ]; then
    echo "$KC_BOOTSTRAP_ADMIN_PASSWORD"
    return
  fi
  if [ ! -s "$run_dir/admin-password" ]; then
    (umask 077 && openssl rand -hex 16 >"$run_dir/admin-password")
  fi
  cat "$run_dir/admin-password"
}

run_foreground() {
  local run_dir="$1" java_home
  java_home="$(keycloak_java_home)" || { echo 'keycloak: no Java 21 or newer found (set KEYCLOAK_JAVA_HOME)' >&2; exit 1; }
  prepare_home "$run_dir"
  local args=(start-dev "${KEYCLOAK_BUILD_OPTIONS[@]}"
    --http-host=127.0.0.1 "--http-port=$http_port"
    --http-management-port="$management_port" --http-management-scheme=http)
  [ -L "$run_dir/home/data/import" ] && args+=(--import-realm)
  if [ -n "${KEYCLOAK_HTTPS_PORT:-}" ]; then
    args+=("--https-port=$KEYCLOAK_HTTPS_PORT"
      "--https-certificate-file=$KEYCLOAK_TLS_CERT" "--https-certificate-key-file=$KEYCLOAK_TLS_KEY")
  fi
  KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$(admin_password "$run_dir")" \
    JAVA_HOME="$java_home" JAVA_OPTS_KC_HEAP="${KEYCLOAK_HEAP:--Xms64m -Xmx768m}" \
    KC_HTTP_MANAGEMENT_HOST=127.0.0.1 \
    exec "$run_dir/home/bin/kc.sh" "${args[@]}"
}

is_running() {
  local pid_file="$1/keycloak.pid"
  [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

start() {
  local run_dir="$1" timeout="${KEYCLOAK_START_TIMEOUT:-240}" started=$SECONDS
  mkdir -p "$run_dir"
  if is_running "$run_dir"; then
    echo "keycloak: already running in $run_dir" >&2
  else
    # Its own session, so that stop can end kc.sh and its java together.
    setsid "$0" run "$run_dir" >"$run_dir/keycloak.log" 2>&1 </dev/null &
    echo $! >"$run_dir/keycloak.pid"
  fi
  until curl -sf "http://127.0.0.1:$management_port/health/ready" >/dev/null; do
    if ! is_running "$run_dir"; then
      echo "keycloak: exited during start; last log lines:" >&2
      tail -n 20 "$run_dir/keycloak.log" >&2
      exit 1
    fi
    if [ $((SECONDS - started)) -ge "$timeout" ]; then
      echo "keycloak: not ready after ${timeout}s; last log lines:" >&2
      tail -n 20 "$run_dir/keycloak.log" >&2
      stop "$run_dir"
      exit 1
    fi
    sleep 0.5
  done
  echo "KEYCLOAK_URL=http://127.0.0.1:$http_port"
  echo "KEYCLOAK_MANAGEMENT_URL=http://127.0.0.1:$management_port"
  echo "KEYCLOAK_START_SECONDS=$((SECONDS - started))"
}

stop() {
  local run_dir="$1" pid waited=0
  [ -s "$run_dir/keycloak.pid" ] || return 0
  pid="$(cat "$run_dir/keycloak.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 60 ]; do
      sleep 0.5
      waited=$((waited + 1))
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$run_dir/keycloak.pid"
}

command="${1:-}"
case "$command" in
  check)
    reason="$(unavailable_reason)"
    [ -z "$reason" ] || { echo "$reason" >&2; exit 1; }
    ;;
  start | stop | run)
    [ $# -eq 2 ] || { echo "usage: $0 $command RUN_DIR" >&2; exit 2; }
    run_dir="$(mkdir -p "$2" && cd "$2" && pwd)"
    case "$command" in
      start) start "$run_dir" ;;
      stop) stop "$run_dir" ;;
      run) run_foreground "$run_dir" ;;
    esac
    ;;
  *)
    echo "usage: $0 check | start RUN_DIR | stop RUN_DIR | run RUN_DIR" >&2
    exit 2
    ;;
esac
