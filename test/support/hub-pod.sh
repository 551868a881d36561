#!/usr/bin/env bash
# Runs a command with the hub pod's filesystem paths, so the chart's own
# jupyterhub_config.py and z2jh.py run unmodified, and nothing on the host
# changes: inside a private mount namespace (unshare; a user namespace too when
# not root),
# - /usr/local/etc and /usr/local/share become private tmpfs dirs (their
#   existing entries stay reachable through symlinks), with an empty
#   /usr/local/etc/jupyterhub for the hub ConfigMap and Secret the command lays
#   out, and /usr/local/share/jupyterhub holding the venv's share/jupyterhub,
#   bind-mounted back over the venv's copy: the hub image installs JupyterHub
#   into /usr/local, so both paths are the same directory there too;
# - /etc/hosts also maps the chart's Service names to 127.0.0.1;
# - with THINKUBE_HUB_POD_NET=1, a network namespace of its own too (only
#   loopback, brought up), where the pods bind their fixed ports as in the
#   cluster without touching the host's.
#
#   hub-pod.sh VENV COMMAND [ARGS...]
set -euo pipefail
venv="$1"
shift

if [ "${THINKUBE_HUB_POD:-}" != 1 ]; then
  command -v unshare >/dev/null || { echo 'hub-pod: unshare (util-linux) is not installed' >&2; exit 1; }
  # A PID namespace too: when the command ends, the kernel ends everything it
  # left behind (the hub's services, a proxy), as when a pod goes away.
  isolate=(--mount --propagation private --pid --fork --kill-child)
  [ "${THINKUBE_HUB_POD_NET:-}" != 1 ] || isolate+=(--net)
  [ "$(id -u)" -eq 0 ] || isolate=(--user --map-root-user "${isolate[@]}")
  THINKUBE_HUB_POD=1 exec unshare "${isolate[@]}" bash "${BASH_SOURCE[0]}" "$venv" "$@"
fi

# One empty directory on the host; everything under it is this namespace's tmpfs.
originals="${TMPDIR:-/tmp}/thinkube-hub-pod"
mkdir -p "$originals"
mount -t tmpfs tmpfs "$originals"
for dir in /usr/local/etc /usr/local/share; do
  mkdir -p "$originals$dir"
  mount --bind "$dir" "$originals$dir"
  mount -t tmpfs -o mode=0755 tmpfs "$dir"
  for entry in "$originals$dir"/*; do
    [ -e "$entry" ] && ln -s "$entry" "$dir/"
  done
done
mkdir /usr/local/etc/jupyterhub
cp -a "$venv/share/jupyterhub" /usr/local/share/jupyterhub
mount --bind /usr/local/share/jupyterhub "$venv/share/jupyterhub"

hosts="$originals/hosts"
{ cat /etc/hosts; echo '127.0.0.1 hub proxy-api proxy-public'; } >"$hosts"
mount --bind "$hosts" /etc/hosts

if [ "${THINKUBE_HUB_POD_NET:-}" = 1 ]; then
  ip link set lo up
fi

# This shell is the namespace's init: the kernel delivers it only the signals
# it handles, so it forwards them to the command, and its exit ends the rest.
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
status=0
while kill -0 "$child" 2>/dev/null; do
  wait "$child" && status=0 || status=$?
done
exit "$status"
