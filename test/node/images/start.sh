#!/bin/bash
# The start script of our stand-in for tk-jupyter-scipy (family
# "docker-stacks"), run by tini as the image's ENTRYPOINT. Written for the
# tests to behave like jupyter/docker-stacks' start.sh in what a spawner
# relies on: started as root it gives NB_USER the uid/gid NB_UID/NB_GID,
# chowns the home with CHOWN_HOME=1|yes, grants passwordless sudo with
# GRANT_SUDO=1|yes, then runs the command as that user; started as another
# uid it runs the command as is (and says that sudo cannot be granted).
set -euo pipefail
NB_USER="${NB_USER:-jovyan}"
NB_UID="${NB_UID:-1000}"
NB_GID="${NB_GID:-100}"
yes_() { [ "$1" = 1 ] || [ "$1" = yes ]; }

[ "$#" -gt 0 ] || set -- jupyter lab

if [ "$(id -u)" = 0 ]; then
  if [ "$NB_UID" != "$(id -u "$NB_USER")" ] || [ "$NB_GID" != "$(id -g "$NB_USER")" ]; then
    echo "start.sh: giving $NB_USER uid:gid $NB_UID:$NB_GID"
    getent group "$NB_GID" >/dev/null || groupadd --gid "$NB_GID" "$NB_USER"
    usermod --non-unique --uid "$NB_UID" --gid "$NB_GID" "$NB_USER"
  fi
  if yes_ "${CHOWN_HOME:-}"; then
    # shellcheck disable=SC2086 # options are words
    chown ${CHOWN_HOME_OPTS:-} "$NB_UID:$NB_GID" "/home/$NB_USER"
  fi
  if yes_ "${GRANT_SUDO:-}"; then
    echo "start.sh: granting $NB_USER passwordless sudo"
    echo "$NB_USER ALL=(ALL) NOPASSWD:ALL" >/etc/sudoers.d/added-by-start-script
  fi
  exec sudo --preserve-env --set-home --user "$NB_USER" PATH="$PATH" "$@"
fi

if yes_ "${GRANT_SUDO:-}"; then
  echo "start.sh: WARNING: the container must start as root to grant sudo"
fi
exec "$@"
