#!/usr/bin/env bash
# Sourced by provision.sh and node.sh: the OCI registry that stands in
# for Harbor. Debian's docker-registry (distribution 2.8) serving one storage
# directory in the node cache: provision.sh pushes the locally built
# images into it (registry on the machine's 127.0.0.1 for the push), node.sh
# serves it inside the cluster's network namespace on 127.0.0.1:5000, where
# containerd pulls <registry>/library/NAME:TAG as a cluster pulls from Harbor.

REGISTRY_STORAGE="$NODE_CACHE/registry"

# registry_config FILE ADDRESS: a configuration serving REGISTRY_STORAGE.
registry_config() {
  cat >"$1" <<YAML
version: 0.1
log:
  level: warn
  accesslog: { disabled: true }
storage:
  filesystem: { rootdirectory: $REGISTRY_STORAGE }
  delete: { enabled: true }
http:
  addr: $2
YAML
}

# pushed NAME:TAG: the registry's storage has library/NAME:TAG.
pushed() {
  [ -f "$REGISTRY_STORAGE/docker/registry/v2/repositories/library/${1%%:*}/_manifests/tags/${1##*:}/current/link" ]
}

# registry_ready ADDRESS: the registry answers its API root.
registry_ready() { curl -fsS "http://$1/v2/" >/dev/null; }
