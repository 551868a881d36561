#!/usr/bin/env bash
# Sourced by provision.sh: assembles OCI images from local files with
# umoci (Debian), no base image and no registry.

# oci_image_archive ROOTFS OUT.tar NAME:TAG UMOCI_CONFIG_ARGS...: an OCI
# archive holding one image whose only layer is the directory ROOTFS.
oci_image_archive() {
  local rootfs="$1" out="$2" ref="$3"
  shift 3
  local work
  work="$(mktemp -d "$(dirname "$out")/.oci.XXXXXX")"
  umoci init --layout "$work/layout"
  umoci new --image "$work/layout:${ref##*:}"
  umoci unpack --image "$work/layout:${ref##*:}" "$work/bundle" >/dev/null
  cp -a "$rootfs/." "$work/bundle/rootfs/"
  umoci repack --image "$work/layout:${ref##*:}" "$work/bundle"
  umoci config --image "$work/layout:${ref##*:}" --architecture amd64 --os linux "$@"
  tar -C "$work/layout" -cf "$out.partial" .
  mv "$out.partial" "$out"
  rm -rf "$work"
}
