#!/bin/bash
# The ENTRYPOINT of our stand-ins for Thinkube's tk-jupyter-ml-cpu and
# tk-jupyter-ml-gpu images (family "thinkube"). Written for the tests to
# behave as the notebook-image contract describes the original
# (thinkube/thinkube, ansible/40_thinkube/core/harbor/base-images/
# startup.sh.j2 at d2d0042): runs as the container user (jovyan, uid 1000),
# prepares ~/thinkube, exits 1 when the examples clone is missing, then runs
# its arguments, which JupyterHub passes.
set -euo pipefail
image="$(cat /opt/thinkube/image-name)"
notebooks="$HOME/thinkube/notebooks"
examples="$HOME/thinkube/examples-repo/thinkube-ai-examples"

mkdir -p "$notebooks"

ipython_startup="$HOME/.ipython/profile_default/startup"
mkdir -p "$ipython_startup"
if [ ! -f "$ipython_startup/00-thinkube-env.py" ]; then
  cp /opt/thinkube/00-thinkube-env.py "$ipython_startup/"
  echo "startup: IPython environment loader installed"
fi

if [ ! -d "$examples" ]; then
  echo "ERROR: Examples repository not found at $examples"
  echo "The deployment is incomplete: it must clone the examples repository."
  exit 1
fi

if [ ! -L "$notebooks/templates" ]; then
  rm -rf "$notebooks/templates"
  ln -s "$examples" "$notebooks/templates"
fi

for dir in common "${image#tk-jupyter-}"; do
  target="$notebooks/examples/$image/$dir"
  if [ -d "$examples/$dir" ] && [ ! -f "$target/.copied" ]; then
    mkdir -p "$target"
    cp -r "$examples/$dir/." "$target/"
    touch "$target/.copied"
  fi
done

export PATH="$HOME/.local/bin:$PATH"
exec "$@"
