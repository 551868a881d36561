#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Sourced by the node tier's scripts: pinned versions of the node components
# and where they are cached (beside the control plane of ../kube).
# shellcheck source=../kube/versions.sh
source "$(dirname "${BASH_SOURCE[0]}")/../kube/versions.sh"
CONTAINERD_VERSION=v2.4.2
COREDNS_VERSION=v1.15.0
# The NetworkPolicy enforcer of the opt-in (node.sh, THINKUBE_NODE_NETWORK_POLICY=1):
# the only version the Go module proxy serves (see README.md for its limits).
KUBE_ROUTER_VERSION=v2.1.0
NODE_CACHE="${KUBE_CACHE}/node"
NODE_BIN="${NODE_CACHE}/bin"
# shellcheck disable=SC2034 # read by the scripts that source this file
NODE_BINARIES=(kubelet kube-scheduler kube-proxy containerd containerd-shim-runc-v2 ctr coredns pause)
# Images built locally into OCI archives: the sandbox (pause) image, which
# node.sh loads into containerd, and those pushed to the registry standing in
# for Harbor (registry.sh), which pods pull as <registry>/library/NAME:TAG.
# shellcheck disable=SC2034
NODE_SANDBOX_IMAGE=pause:1
# shellcheck disable=SC2034
NODE_REGISTRY_IMAGES=(busybox:1.35 git:2.39 tk-service-discovery:1
  tk-jupyter-ml-cpu:1 tk-jupyter-ml-gpu:1 tk-jupyter-scipy:1 k8s-hub:4.4.0 configurable-http-proxy:4.6.3)
# The notebook images' shared Python environment (as Thinkube's images pin).
NOTEBOOK_JUPYTERHUB_VERSION=5.3.0
NOTEBOOK_JUPYTERLAB_VERSION=4.4.9
PROXY_CHP_VERSION=4.6.3
# The name pods use for the registry (containerd maps it to the local one).
NODE_REGISTRY="${THINKUBE_NODE_REGISTRY:-harbor.thinkube.test}"
# From Debian: runc, the CNI plugins, socat (the apiserver relay), iptables and
# conntrack (kube-proxy), ipset (kube-router's policy sets), the registry; umoci, skopeo, busybox-static and debootstrap build
# and push the images.
# shellcheck disable=SC2034
NODE_DEBIAN_PACKAGES=(runc containernetworking-plugins socat iptables conntrack ipset docker-registry
  umoci skopeo busybox-static debootstrap)
NODE_CNI_DIR=/usr/lib/cni
export KUBE_ROUTER_VERSION PROXY_CHP_VERSION NOTEBOOK_JUPYTERHUB_VERSION NOTEBOOK_JUPYTERLAB_VERSION CONTAINERD_VERSION COREDNS_VERSION NODE_CACHE NODE_BIN NODE_CNI_DIR NODE_REGISTRY
