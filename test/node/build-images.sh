#!/usr/bin/env bash
# Builds the images the cluster's pods run, with no registry to pull a base
# from: ONE Debian root filesystem (debootstrap, cached as the `base` image),
# every other image derived from it by adding layers (packages from Debian,
# PyPI or npm, installed in a chroot), all in one OCI layout so that shared
# layers are stored once. Run by provision.sh, which pushes the result
# to the registry standing in for Harbor.
#
#   build-images.sh LAYOUT NAME...   build the images (tags of LAYOUT) not built yet
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

LAYOUT="$1"
shift
DEBIAN_MIRROR=http://deb.debian.org/debian

# (grep without -q: it would close the pipe early, and pipefail fail it.)
has_tag() { [ -d "$LAYOUT" ] && umoci ls --layout "$LAYOUT" 2>/dev/null | grep -x "$1" >/dev/null; }

# in_chroot ROOTFS COMMAND: runs COMMAND (a shell string) in ROOTFS with
# /proc, /dev, DNS and the machine's CA bundle (the package registries may be
# reached through a TLS proxy that only it trusts; the bundle is removed
# again, so it is in no image), in a private mount namespace so that no
# mount outlives it or shows on the machine.
in_chroot() {
  cp /etc/resolv.conf "$1/etc/resolv.conf"
  cp /etc/ssl/certs/ca-certificates.crt "$1/tmp/build-ca.crt"
  # shellcheck disable=SC2016 # expanded by the inner shell
  unshare --mount --propagation private -- sh -c '
    mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" &&
    exec chroot "$1" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive SSL_CERT_FILE=/tmp/build-ca.crt \
      PIP_CERT=/tmp/build-ca.crt NODE_EXTRA_CA_CERTS=/tmp/build-ca.crt npm_config_cafile=/tmp/build-ca.crt \
      /bin/sh -ec "$2"' sh "$1" "$2"
  : >"$1/etc/resolv.conf"
  rm -f "$1/tmp/build-ca.crt"
}

apt_install() {
  echo "apt-get update -qq && apt-get install -y -qq --no-install-recommends $* >/dev/null &&
    apt-get clean && rm -rf /var/lib/apt/lists/*"
}

# derive FROM TO ADD COMMAND [UMOCI_CONFIG_ARGS...]: TO is FROM plus one
# layer: what the function ADD (given the root filesystem's path; `:` for
# none) and then COMMAND (run in a chroot of it) changed.
derive() {
  local from="$1" to="$2" add="$3" command="$4"
  shift 4
  has_tag "$to" && return 0
  has_tag "$from" || { echo "images: $from must be built before $to" >&2; return 1; }
  local bundle="$LAYOUT.bundle-$to"
  rm -rf "$bundle"
  umoci unpack --image "$LAYOUT:$from" "$bundle" >/dev/null
  "$add" "$bundle/rootfs"
  in_chroot "$bundle/rootfs" "$command"
  umoci repack --image "$LAYOUT:$to" "$bundle"
  [ "$#" = 0 ] || umoci config --image "$LAYOUT:$to" "$@"
  rm -rf "$bundle"
  umoci gc --layout "$LAYOUT"
}

# new_image TAG ROOTFS UMOCI_CONFIG_ARGS...: a one-layer image of ROOTFS.
new_image() {
  local tag="$1" rootfs="$2" bundle="$LAYOUT.bundle-$1"
  shift 2
  [ -d "$LAYOUT" ] || umoci init --layout "$LAYOUT"
  umoci new --image "$LAYOUT:$tag"
  rm -rf "$bundle"
  umoci unpack --image "$LAYOUT:$tag" "$bundle" >/dev/null
  cp -a "$rootfs/." "$bundle/rootfs/"
  umoci repack --image "$LAYOUT:$tag" "$bundle"
  umoci config --image "$LAYOUT:$tag" --architecture amd64 --os linux "$@"
  rm -rf "$bundle"
}

# busybox: Debian's static busybox alone (sh, chown, wget, nslookup...), for
# the fix-permissions init container.
build_busybox() {
  has_tag busybox && return 0
  local rootfs="$LAYOUT.rootfs-busybox" applet
  rm -rf "$rootfs" && mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/root"
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/:/bin/false' >"$rootfs/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$rootfs/etc/group"
  new_image busybox "$rootfs" --config.cmd /bin/sh --config.env PATH=/bin
  rm -rf "$rootfs"
}

build_base() {
  has_tag base && return 0
  local rootfs="$LAYOUT.debootstrap"
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$DEBIAN_MIRROR" >/dev/null
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*
  new_image base "$rootfs" --config.cmd /bin/bash \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env LANG=C.UTF-8
  rm -rf "$rootfs"
}

# git: the clone-examples init container runs git and sh.
build_git() {
  derive base git : "$(apt_install git)"
}

# tk-service-discovery: bash, kubectl, jq, yq (Thinkube's is Alpine-based
# with the same tools). kubectl is the harness's own build, yq the discovery
# tier's (test/discovery/provision.sh).
add_discovery_tools() {
  install -m 0755 "$KUBE_BIN/kubectl" "$YQ_BIN/yq" "$1/usr/local/bin/"
}

build_service_discovery() {
  # shellcheck source=../discovery/versions.sh
  source "$here/../discovery/versions.sh"
  [ -x "$YQ_BIN/yq" ] || bash "$here/../discovery/provision.sh" >/dev/null
  derive base tk-service-discovery add_discovery_tools \
    "$(apt_install jq curl) && mkdir -p /scripts" --config.workingdir /scripts
}

# jupyter-env: ONE Python environment with jupyterhub (for
# jupyterhub-singleuser) and JupyterLab from PyPI, a layer that the three
# notebook images share. Thinkube installs them system-wide, so they are on
# PATH; here a venv at /opt/jupyter, first on PATH.
JUPYTER_PATH=/opt/jupyter/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

build_jupyter_env() {
  derive base jupyter-env : "$(apt_install python3 python3-venv) &&
    python3 -m venv /opt/jupyter &&
    /opt/jupyter/bin/pip install --quiet --no-cache-dir --disable-pip-version-check \
      jupyterhub==$NOTEBOOK_JUPYTERHUB_VERSION jupyterlab==$NOTEBOOK_JUPYTERLAB_VERSION" \
    --config.env "PATH=$JUPYTER_PATH"
}

add_thinkube_startup() {
  install -m 0755 "$here/images/startup.sh" "$1/usr/local/bin/startup.sh"
  install -d "$1/opt/thinkube"
  install -m 0644 "$here/images/00-thinkube-env.py" "$1/opt/thinkube/00-thinkube-env.py"
}

# tk-jupyter-ml-cpu, tk-jupyter-ml-gpu: family "thinkube" (no CUDA here:
# the GPU image's runtime cannot be built or run on this machine; its user,
# entrypoint and Jupyter are the same as the CPU image's).
build_thinkube_notebook() {
  derive jupyter-env "$1" add_thinkube_startup \
    "useradd --create-home --uid 1000 --gid 100 --shell /bin/bash jovyan && echo $1 >/opt/thinkube/image-name" \
    --config.user 1000 --config.workingdir /home/jovyan --config.entrypoint /usr/local/bin/startup.sh \
    --config.cmd jupyter --config.cmd lab --config.cmd --ip=0.0.0.0 --config.cmd --port=8888 --config.cmd --no-browser \
    --config.env NB_UID=1000 --config.env NB_GID=100 --config.env HOME=/home/jovyan \
    --config.label "org.thinkube.image-family=thinkube"
}

add_docker_stacks_start() {
  install -m 0755 "$here/images/start.sh" "$1/usr/local/bin/start.sh"
}

# tk-jupyter-scipy: family "docker-stacks": tini, then start.sh.
build_docker_stacks_notebook() {
  derive jupyter-env "$1" add_docker_stacks_start \
    "$(apt_install tini sudo) && useradd --create-home --uid 1000 --gid 100 --shell /bin/bash jovyan" \
    --config.user 1000 --config.workingdir /home/jovyan \
    --config.entrypoint tini --config.entrypoint -g --config.entrypoint -- --config.entrypoint start.sh \
    --config.cmd jupyter --config.cmd lab \
    --config.env NB_USER=jovyan --config.env NB_UID=1000 --config.env NB_GID=100 --config.env HOME=/home/jovyan \
    --config.label "org.thinkube.image-family=docker-stacks"
}

# k8s-hub: the chart's hub image recipe (zero-to-jupyterhub-k8s 4.4.0,
# images/hub): its pinned requirements (test/python/requirements.txt holds
# the ones our config loads, with their closure), pycurl built against
# Debian's libcurl, user jovyan (1000) in /srv/jupyterhub.
add_hub_requirements() {
  sed '/^# Test runner only/,$d' "$here/../python/requirements.txt" >"$1/tmp/hub-requirements.txt"
}

build_hub() {
  derive base k8s-hub add_hub_requirements "$(apt_install python3 python3-venv libcurl4 python3-dev gcc libcurl4-openssl-dev libssl-dev) &&
    python3 -m venv /usr/local/hub &&
    PYCURL_SSL_LIBRARY=openssl /usr/local/hub/bin/pip install --quiet --no-cache-dir --disable-pip-version-check \
      --no-deps -r /tmp/hub-requirements.txt &&
    /usr/local/hub/bin/pip check &&
    apt-get purge -y -qq --auto-remove python3-dev gcc libcurl4-openssl-dev libssl-dev >/dev/null &&
    rm -f /tmp/hub-requirements.txt &&
    useradd --create-home --uid 1000 --gid 100 --shell /bin/bash jovyan &&
    mkdir -p /srv/jupyterhub && chown 1000:100 /srv/jupyterhub" \
    --config.user 1000 --config.workingdir /srv/jupyterhub \
    --config.env PATH=/usr/local/hub/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.cmd jupyterhub
}

# configurable-http-proxy from npm on Debian's Node.js. The chart pins
# 5.2.0, which needs Node >= 20; Debian 12 ships 18, so the last release
# that runs on it, 4.6.3 (same command line and REST API).
build_proxy() {
  derive base configurable-http-proxy : "$(apt_install nodejs npm) &&
    npm install --global --silent --no-audit --no-fund configurable-http-proxy@$PROXY_CHP_VERSION &&
    apt-get purge -y -qq --auto-remove npm >/dev/null && rm -rf /root/.npm" \
    --config.user 65534 --config.entrypoint configurable-http-proxy
}

for tag in "$@"; do
  case "$tag" in
    # One statement per line: `set -e` does not apply inside an && list.
    busybox) build_busybox ;;
    base) build_base ;;
    git)
      build_base
      build_git
      ;;
    tk-service-discovery)
      build_base
      build_service_discovery
      ;;
    jupyter-env)
      build_base
      build_jupyter_env
      ;;
    tk-jupyter-ml-cpu | tk-jupyter-ml-gpu)
      build_base
      build_jupyter_env
      build_thinkube_notebook "$tag"
      ;;
    tk-jupyter-scipy)
      build_base
      build_jupyter_env
      build_docker_stacks_notebook "$tag"
      ;;
    k8s-hub)
      build_base
      build_hub
      ;;
    configurable-http-proxy)
      build_base
      build_proxy
      ;;
    *) echo "images: no recipe for $tag" >&2; exit 1 ;;
  esac
done
