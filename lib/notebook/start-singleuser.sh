#!/usr/bin/env bash
# The notebook container's last step before JupyterHub's single-user server,
# run as `bash -c "<this file>" jupyterhub-singleuser <KubeSpawner's args>`
# after the image's own entrypoint (docker-stacks: tini and start.sh, which
# drops from root to jovyan; Thinkube: startup.sh as jovyan). Whatever the
# image, jupyter must never run as root, and the discovered service
# environment must be in the server's (and so every kernel's) environment.
# THINKUBE_SERVICE_ENV_FILE comes from the pod spec.

set -euo pipefail

if [ "$(id -u)" = 0 ]; then
  echo "refusing to start jupyterhub-singleuser as root: the image's entrypoint did not switch to the notebook user; check the image's start family (images.families)" >&2
  exit 1
fi
if [ -f "${THINKUBE_SERVICE_ENV_FILE:-}" ]; then
  # A broken service environment must not keep the notebook from starting.
  set +eu
  # shellcheck source=/dev/null
  . "$THINKUBE_SERVICE_ENV_FILE"
  set -eu
fi
exec jupyterhub-singleuser "$@"
