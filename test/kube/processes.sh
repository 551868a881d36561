#!/usr/bin/env bash
# Sourced by apiserver.sh and ../node/node.sh: their long-lived processes.
# Callers define STATE (pid files STATE/NAME.pid, logs STATE/logs/NAME.log),
# COMPONENTS (the names wait_for watches) and die.

# Orphaned children are reaped late here: a zombie counts as dead.
process_alive() {
  local stat
  stat="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$stat" != Z* ]]
}

pid_alive() { [ -f "$STATE/$1.pid" ] && process_alive "$(cat "$STATE/$1.pid")"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port_except TAKEN...: a free port on 127.0.0.1 (of the network namespace
# this runs in), other than TAKEN. It lies below the kernel's ephemeral range:
# a port from that range can be taken by any outgoing connection between this
# check and the listener's bind (etcd once failed so in CI).
free_port_except() {
  local low port
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  while :; do
    port=$((10000 + (RANDOM * 32768 + RANDOM) % (low - 10000)))
    [[ " $* " == *" $port "* ]] && continue
    port_in_use "$port" || { echo "$port"; return; }
  done
}

free_port() { free_port_except 0; }

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds; fail
# early, with its log, when one of COMPONENTS has exited.
wait_for() {
  local deadline=$((SECONDS + $1)) what="$2" c
  shift 2
  until "$@" >/dev/null 2>&1; do
    for c in "${COMPONENTS[@]}"; do
      if [ -f "$STATE/$c.pid" ] && ! pid_alive "$c"; then
        tail -n 30 "$STATE/logs/$c.log" >&2 || true
        die "$c exited while waiting for $what (log: $STATE/logs/$c.log)"
      fi
    done
    [ "$SECONDS" -lt "$deadline" ] || die "timed out waiting for $what (logs: $STATE/logs)"
    sleep 0.2
  done
}
