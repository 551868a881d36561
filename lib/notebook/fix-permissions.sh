#!/bin/sh
# The fix-permissions init container (busybox, as root), with the shared claims
# mounted at SHARED_ROOT/<purpose>.
#
# 1. Once per claim: the claim's root belongs to NOTEBOOK_OWNER (uid:gid),
#    setgid group-writable, so that every user can write datasets and models.
# 2. With personal workspaces (NOTEBOOK_WORKSPACE, the user's folder of the
#    notebooks claim, expanded by KubeSpawner): create it owned by the user,
#    mode 2700 (private; setgid keeps group users on new files), before the
#    notebook container mounts it as its subPath.
# 3. Report, never move: files the shared layout left at the notebooks claim's
#    root are no one's workspace; the README's "Personal workspaces" says how
#    an administrator hands them over.
# POSIX sh (busybox in the image): no pipefail.
set -eu

for purpose in notebooks datasets models; do
  dir="$SHARED_ROOT/$purpose"
  if [ ! -f "$dir/.thinkube-initialized" ]; then
    chown "$NOTEBOOK_OWNER" "$dir"
    chmod 2775 "$dir"
    touch "$dir/.thinkube-initialized"
    echo "initialized $dir"
  fi
done

if [ -n "${NOTEBOOK_WORKSPACE:-}" ]; then
  workspace="$SHARED_ROOT/notebooks/$NOTEBOOK_WORKSPACE"
  if [ ! -d "$workspace" ]; then
    mkdir -p "$workspace"
    chown "$NOTEBOOK_OWNER" "$workspace"
    chmod 2700 "$workspace"
    echo "created workspace $NOTEBOOK_WORKSPACE"
  fi
  folder="${NOTEBOOK_WORKSPACE%%/*}"
  left=0
  for entry in "$SHARED_ROOT"/notebooks/* "$SHARED_ROOT"/notebooks/.[!.]*; do
    [ -e "$entry" ] || continue
    case "${entry##*/}" in
      "$folder" | .thinkube-initialized) ;;
      *) left=$((left + 1)) ;;
    esac
  done
  if [ "$left" -gt 0 ]; then
    echo "notebooks claim: $left entries at its root from the shared layout are in no workspace (nothing was moved): see README, Personal workspaces"
  fi
fi
