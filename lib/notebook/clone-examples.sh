#!/bin/sh
# The clone-examples init container (alpine/git, as root): a fresh shallow
# clone of EXAMPLES_REPOSITORY into EXAMPLES_DIR/thinkube-ai-examples on every
# start, owned by NOTEBOOK_OWNER (uid:gid).
#
# Thinkube images' startup.sh exits 1 when that folder is missing, so it
# exists whatever happens: when the clone fails (GitHub unreachable) or the
# examples are turned off (EXAMPLES_REPOSITORY empty), it is an empty folder
# holding a notice that says why, and the server still starts.
# POSIX sh (busybox in the image): no pipefail, and no pipes.
set -eu

target="$EXAMPLES_DIR/thinkube-ai-examples"
rm -rf "$target"
reason=
if [ -z "${EXAMPLES_REPOSITORY:-}" ]; then
  reason="the examples are turned off in this hub's configuration (examples.enabled)"
elif git clone --quiet --depth 1 "$EXAMPLES_REPOSITORY" "$target"; then
  echo "cloned $EXAMPLES_REPOSITORY"
else
  rm -rf "$target"
  reason="$EXAMPLES_REPOSITORY could not be cloned when this server started"
fi
if [ -n "$reason" ]; then
  mkdir -p "$target"
  {
    echo "No Thinkube examples here: $reason."
    echo "Stop and start your server to try again. An administrator sees why in:"
    echo "  kubectl logs $(uname -n) -c clone-examples"
  } > "$target/EXAMPLES-UNAVAILABLE.txt"
  echo "examples unavailable: $reason; $target holds only a notice" >&2
fi
chown -R "$NOTEBOOK_OWNER" "$EXAMPLES_DIR"
