#!/usr/bin/env bash
# A whole test cluster with one real node, inside a network namespace of its
# own: etcd, kube-apiserver and kube-controller-manager (../kube/apiserver.sh),
# kube-scheduler, containerd + runc, the CNI bridge, kubelet, kube-proxy and
# CoreDNS; with THINKUBE_NODE_NETWORK_POLICY=1 at start, also kube-router as
# the NetworkPolicy enforcer (its firewall controller alone). The pod, Service
# and node addresses (private ranges) exist only in
# that namespace; the machine's own namespace reaches the API server through a
# relay on 127.0.0.1 (socat -> unix socket -> socat inside), so the admin
# kubeconfig's https://127.0.0.1:<port> works on both sides.
#
#   node.sh check               exit 1 with the reason if the tier cannot run
#                               (with THINKUBE_NODE_NETWORK_POLICY=1: also kube-router's)
#   node.sh start               start (a no-op when already running)
#   node.sh env                 print `export NAME='value'` lines (those of apiserver.sh, plus the node's)
#   node.sh exec CMD...         run CMD inside the cluster's network namespace
#   node.sh exec-net CMD...     the same, but with the machine's mounts (for a
#                               browser or a CLI that reads the work tree)
#   node.sh publish PORT IPORT  make the machine's 127.0.0.1:PORT reachable
#                               inside as NODE_IP:IPORT (for pods and the browser)
#   node.sh stop                stop everything and undo every change to the machine
#
# State lives in THINKUBE_NODE_STATE (default: a "state" dir in the node
# cache); the control plane's in its kube/ subdirectory. One node at a time
# per machine (a lock). With THINKUBE_NODE_OWNER_PID, start also stops it all
# when that process ends.
#
# Host changes and how stop undoes them: the network namespace (deleted; its
# bridges, veths, iptables chains and sysctls go with it), a private mount
# namespace (every mount of kubelet and containerd lives there and goes with
# its last process), the cgroups under CGROUP_ROOT (processes killed, then
# removed), and the kernel tunables the kubelet sets (saved, then restored).
# kube-router's iptables chains and ipsets are the network namespace's own.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"
# shellcheck source=registry.sh
source "$here/registry.sh"

STATE="${THINKUBE_NODE_STATE:-$NODE_CACHE/state}"
KUBE_STATE="$STATE/kube"
PKI="$KUBE_STATE/pki"
NETNS=thinkube-node
NODE_NAME=thinkube-node
# The node's own address, on a bridge (the kubelet refuses a loopback node
# IP, and dummy links are not available on every kernel).
NODE_BRIDGE=tk-node0
NODE_IP=10.200.0.1
POD_CIDR=10.244.0.0/24
CLUSTER_CIDR=10.244.0.0/16
CLUSTER_DNS=10.96.0.10
# The apiserver's --service-cluster-ip-range (../kube/apiserver.sh).
SERVICE_CIDR=10.96.0.0/16
CGROUP_ROOT=/thinkube-node
MACHINE_LOCK=/run/thinkube-node.lock
SAVED_SYSCTLS=/run/thinkube-node.sysctl
# What the kubelet's container manager sets when it does not protect the
# kernel defaults; restored on stop.
KUBELET_SYSCTLS=(vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops
  kernel/keys/root_maxkeys kernel/keys/root_maxbytes)
PAUSE_IMAGE="localhost/thinkube/$NODE_SANDBOX_IMAGE"
REGISTRY_ADDRESS=127.0.0.1:5000
COMPONENTS=(registry kube-scheduler containerd kubelet kube-proxy coredns)
# Read at start; a node started with it has kube-router among its components.
NETWORK_POLICY="${THINKUBE_NODE_NETWORK_POLICY:-0}"
KUBE_ROUTER_HEALTH=127.0.0.1:20244

die() { echo "node: $*" >&2; exit 1; }

unavailable_reason() {
  local reason
  reason="$(bash "$here/../kube/apiserver.sh" check 2>&1)" || { echo "$reason"; return; }
  local name
  for name in "${NODE_BINARIES[@]}"; do
    [ -x "$NODE_BIN/$name" ] || {
      echo "$name is not built in $NODE_BIN (run test/node/provision.sh)"
      return
    }
  done
  [ -f "$NODE_CACHE/images/${NODE_SANDBOX_IMAGE%%:*}.tar" ] ||
    { echo "the pause image is not built (run test/node/provision.sh)"; return; }
  for name in "${NODE_REGISTRY_IMAGES[@]}"; do
    pushed "$name" || { echo "the registry does not hold library/$name (run test/node/provision.sh)"; return; }
  done
  local tool
  for tool in runc socat iptables conntrack docker-registry ip nsenter unshare flock; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (run test/node/provision.sh)"; return; }
  done
  [ -x "$NODE_CNI_DIR/bridge" ] || { echo "the CNI plugins are not in $NODE_CNI_DIR (run test/node/provision.sh)"; return; }
  [ "$(id -u)" = 0 ] || { echo 'the node needs root (network namespace, cgroups, mounts)'; return; }
  [ -d /sys/fs/cgroup/memory ] || [ -f /sys/fs/cgroup/cgroup.controllers ] || { echo 'no cgroup hierarchy at /sys/fs/cgroup'; return; }
  if [ "$NETWORK_POLICY" = 1 ]; then
    [ -x "$NODE_BIN/kube-router" ] || { echo "kube-router is not built in $NODE_BIN (run test/node/provision.sh)"; return; }
    command -v ipset >/dev/null || echo 'ipset is not installed (run test/node/provision.sh)'
  fi
}

# shellcheck source=../kube/processes.sh
source "$here/../kube/processes.sh"

holder() { cat "$STATE/holder.pid"; }

# Runs a command inside the cluster's network and mount namespaces.
inside() { nsenter --target "$(holder)" --net --mount -- "$@"; }

admin_kubectl() { "$KUBE_BIN/kubectl" --kubeconfig "$KUBE_STATE/admin.kubeconfig" "$@"; }

running() {
  pid_alive holder && pid_alive relay || return 1
  local p components=("${COMPONENTS[@]}")
  [ ! -f "$STATE/network-policy" ] || components+=(kube-router)
  for p in "${components[@]}"; do pid_alive "$p" || return 1; done
  admin_kubectl get node "$NODE_NAME" >/dev/null 2>&1
}

# launch NAME BINARY ARGS...: a long-lived process inside the namespaces.
launch() {
  local name="$1"
  shift
  # fds 8 and 9 are the machine and state locks: only the holder keeps them.
  inside env PATH="$NODE_BIN:$KUBE_BIN:$PATH" "$@" >"$STATE/logs/$name.log" 2>&1 8>&- 9>&- &
  echo $! >"$STATE/$name.pid"
  disown $! # stop kills it: no job-control notice
}

# --- the namespaces ------------------------------------------------------------

# A holder process owns the private mount namespace (inside the network
# namespace) and the machine lock; every other process joins its namespaces.
make_namespaces() {
  ip netns add "$NETNS"
  nsenter --net="/run/netns/$NETNS" unshare --mount --propagation slave -- sleep infinity \
    </dev/null >/dev/null 2>&1 9>&- &
  echo $! >"$STATE/holder.pid"
  disown $!
  wait_for 10 'the namespace holder' inside true
  # Paths the components write to whatever their configuration says (the
  # kubelet's /var/log/containers links, the shims' sockets under
  # /run/containerd, runc's /run/runc, libcni's cache in /var/lib/cni) get
  # tmpfs mounts of their own in the private mount namespace: the machine's
  # directories stay untouched and everything goes with the namespace.
  local dir
  for dir in /var/log /run /var/lib; do
    inside mount -t tmpfs -o size=64m,mode=755 thinkube-node "$dir"
  done
  inside ip link set lo up
  inside ip link add "$NODE_BRIDGE" type bridge
  inside ip addr add "$NODE_IP/24" dev "$NODE_BRIDGE"
  inside ip link set "$NODE_BRIDGE" up
  # A route for the Service range, as a node's default route gives it: the
  # namespace's own processes (a browser, curl) reach ClusterIPs, which
  # kube-proxy's OUTPUT rules then translate to pod addresses.
  inside ip route add "$SERVICE_CIDR" dev "$NODE_BRIDGE" src "$NODE_IP"
  # Per network namespace: routing between the pod bridge and the node, and
  # bridged pod-to-pod traffic through kube-proxy's rules.
  inside sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
}

# The machine's 127.0.0.1:PORT -> a unix socket -> 127.0.0.1:PORT inside.
start_relay() {
  local port="$1" socket="$STATE/apiserver.sock"
  inside socat "UNIX-LISTEN:$socket,fork,unlink-early,mode=600" "TCP:127.0.0.1:$port" \
    </dev/null >"$STATE/logs/relay-inside.log" 2>&1 8>&- 9>&- &
  echo $! >"$STATE/relay-inside.pid"
  disown $!
  wait_for 10 'the relay socket' test -S "$socket"
  socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$socket" \
    </dev/null >"$STATE/logs/relay.log" 2>&1 8>&- 9>&- &
  echo $! >"$STATE/relay.pid"
  disown $!
}

# publish HOST_PORT PORT: the machine's 127.0.0.1:HOST_PORT -> a unix socket
# -> NODE_IP:PORT inside, the reverse of start_relay: a service on the
# machine's loopback (Keycloak, the fake thinkube-control) that pods and a
# browser inside must reach. Nothing outside sends to a private address.
cmd_publish() {
  local host_port="$1" port="$2" socket
  [[ "$host_port" =~ ^[0-9]+$ && "$port" =~ ^[0-9]+$ ]] || die 'usage: node.sh publish HOST_PORT PORT'
  socket="$STATE/publish-$port.sock"
  socat "UNIX-LISTEN:$socket,fork,unlink-early,mode=600" "TCP:127.0.0.1:$host_port" \
    </dev/null >"$STATE/logs/publish-$port.log" 2>&1 8>&- 9>&- &
  echo $! >"$STATE/publish-$port.pid"
  disown $!
  wait_for 10 "the socket of published port $port" test -S "$socket"
  inside socat "TCP-LISTEN:$port,bind=$NODE_IP,fork,reuseaddr" "UNIX-CONNECT:$socket" \
    </dev/null >"$STATE/logs/publish-$port-inside.log" 2>&1 8>&- 9>&- &
  disown $!
  wait_for 10 "$NODE_IP:$port inside" inside bash -c "exec 3<>/dev/tcp/$NODE_IP/$port"
}

# --- credentials -----------------------------------------------------------------

# shellcheck source=../kube/pki.sh
source "$here/../kube/pki.sh"

# write_kubeconfig FILE CERT_NAME: a kubeconfig for a client certificate.
write_kubeconfig() {
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: thinkube-test
  cluster:
    server: $(cat "$KUBE_STATE/server")
    certificate-authority: $PKI/ca.crt
users:
- name: $2
  user:
    client-certificate: $PKI/$2.crt
    client-key: $PKI/$2.key
contexts:
- name: thinkube-test
  context:
    cluster: thinkube-test
    user: $2
current-context: thinkube-test
EOF
  chmod 600 "$1"
}

make_node_credentials() {
  sign_cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "$CLIENT_CERT_EXTENSIONS"
  sign_cert kubelet-serving "/O=system:nodes/CN=system:node:$NODE_NAME" \
    "$(printf '%s\n' 'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' \
      "subjectAltName=IP:$NODE_IP,DNS:$NODE_NAME")"
  sign_cert scheduler '/CN=system:kube-scheduler' "$CLIENT_CERT_EXTENSIONS"
  sign_cert kube-proxy '/CN=system:kube-proxy' "$CLIENT_CERT_EXTENSIONS"
  sign_cert coredns '/CN=thinkube:coredns' "$CLIENT_CERT_EXTENSIONS"
  local name names=(kubelet scheduler kube-proxy coredns)
  if [ "$NETWORK_POLICY" = 1 ]; then
    sign_cert kube-router '/CN=thinkube:kube-router' "$CLIENT_CERT_EXTENSIONS"
    names+=(kube-router)
  fi
  for name in "${names[@]}"; do
    write_kubeconfig "$STATE/$name.kubeconfig" "$name"
  done
}

# --- components ------------------------------------------------------------------

start_control_plane() {
  local port="$1"
  # The control plane's own processes run inside too: the apiserver's
  # children inherit the namespaces of this command.
  inside env THINKUBE_KUBE_STATE="$KUBE_STATE" THINKUBE_KUBE_PORT="$port" \
    THINKUBE_KUBE_NODE_IP="$NODE_IP" bash "$here/../kube/apiserver.sh" start \
    >"$STATE/logs/apiserver-start.log" 2>&1 8>&- 9>&- ||
    { cat "$STATE/logs/apiserver-start.log" >&2; die 'the control plane did not start'; }
}

start_scheduler() {
  launch kube-scheduler kube-scheduler --kubeconfig "$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig "$STATE/scheduler.kubeconfig" \
    --secure-port 0 --leader-elect=false --profiling=false
}

# The registry standing in for Harbor, inside the namespace; containerd
# resolves NODE_REGISTRY to it over plain HTTP.
start_registry() {
  registry_config "$STATE/registry.yml" "$REGISTRY_ADDRESS"
  launch registry docker-registry serve "$STATE/registry.yml"
  mkdir -p "$STATE/containerd/certs.d/$NODE_REGISTRY"
  cat >"$STATE/containerd/certs.d/$NODE_REGISTRY/hosts.toml" <<EOF
server = 'http://$REGISTRY_ADDRESS'

[host.'http://$REGISTRY_ADDRESS']
  capabilities = ['pull', 'resolve']
EOF
  wait_for 20 'the registry' inside curl -fsS "http://$REGISTRY_ADDRESS/v2/"
}

start_containerd() {
  local dir="$STATE/containerd"
  mkdir -p "$dir/root" "$dir/state" "$STATE/cni/net.d" "$STATE/netns" "$dir/certs.d"
  cat >"$dir/config.toml" <<EOF
version = 3
root = '$dir/root'
state = '$dir/state'

[grpc]
  address = '$dir/containerd.sock'

[plugins.'io.containerd.cri.v1.runtime']
  # CAP_SYS_RESOURCE may be missing: never raise a container's OOM score
  # adjustment above the node's own.
  restrict_oom_score_adj = true
  enable_selinux = false
  netns_mounts_under = '$STATE/netns'
  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
    runtime_type = 'io.containerd.runc.v2'
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
      BinaryName = '$(command -v runc)'
      SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ['$NODE_CNI_DIR']
    conf_dir = '$STATE/cni/net.d'

[plugins.'io.containerd.cri.v1.images']
  snapshotter = 'overlayfs'
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = '$PAUSE_IMAGE'
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = '$dir/certs.d'

[plugins.'io.containerd.grpc.v1.cri']
  disable_tcp_service = true
EOF
  cat >"$STATE/cni/net.d/10-thinkube-node.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "thinkube-node",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "tk-cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_CIDR" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$STATE/cni/ipam"
      }
    }
  ]
}
EOF
  launch containerd containerd --config "$dir/config.toml" --log-level warn
  wait_for 30 'containerd' inside "$NODE_BIN/ctr" --address "$dir/containerd.sock" version
  # The sandbox image is built locally (provision.sh) and pinned: no
  # public registry can be reached.
  inside "$NODE_BIN/ctr" --address "$dir/containerd.sock" -n k8s.io images import \
    --base-name "${PAUSE_IMAGE%:*}" "$NODE_CACHE/images/${NODE_SANDBOX_IMAGE%%:*}.tar" >/dev/null
}

save_sysctls() {
  # A saved file left by a node that was never stopped holds the originals.
  [ -f "$SAVED_SYSCTLS" ] && return
  local key
  for key in "${KUBELET_SYSCTLS[@]}"; do
    [ -f "/proc/sys/$key" ] && printf '%s %s\n' "$key" "$(cat "/proc/sys/$key")"
  done >"$SAVED_SYSCTLS.partial"
  mv "$SAVED_SYSCTLS.partial" "$SAVED_SYSCTLS"
}

restore_sysctls() {
  [ -f "$SAVED_SYSCTLS" ] || return 0
  local key value
  while read -r key value; do
    echo "$value" >"/proc/sys/$key" 2>/dev/null || true
  done <"$SAVED_SYSCTLS"
  rm -f "$SAVED_SYSCTLS"
}

start_kubelet() {
  mkdir -p "$STATE/kubelet" "$STATE/pod-logs"
  cat >"$STATE/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $PKI/ca.crt }
authorization: { mode: Webhook }
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
containerRuntimeEndpoint: unix://$STATE/containerd/containerd.sock
podLogsDir: $STATE/pod-logs
# This machine's cgroups are v1 (hybrid), handled by cgroupfs, under a root
# of our own so that stop can find and remove every one.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
failSwapOn: false
clusterDNS: [$CLUSTER_DNS]
clusterDomain: cluster.local
resolvConf: ''
# Preloaded (pause) and pulled images may share a tag.
imagePullCredentialsVerificationPolicy: NeverVerify
# A shared test machine: no eviction for its disk or memory.
evictionHard: { memory.available: '0%', nodefs.available: '0%', imagefs.available: '0%' }
imageGCHighThresholdPercent: 100
serializeImagePulls: false
EOF
  save_sysctls
  make_cgroup_root
  launch kubelet kubelet --config "$STATE/kubelet.yaml" --kubeconfig "$STATE/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP"
}

# The kubelet's cgroupRoot must exist in every (v1) hierarchy; a new cpuset
# cgroup needs its CPUs and memory nodes before anything can join it.
make_cgroup_root() {
  local hierarchy
  while read -r hierarchy; do
    mkdir -p "$hierarchy$CGROUP_ROOT"
  done < <(awk '$3 == "cgroup" { print $2 }' /proc/mounts)
  if [ -f /sys/fs/cgroup/cpuset/cpuset.cpus ]; then
    cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset$CGROUP_ROOT/cpuset.cpus"
    cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset$CGROUP_ROOT/cpuset.mems"
  fi
}

start_kube_proxy() {
  cat >"$STATE/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: $STATE/kube-proxy.kubeconfig }
mode: iptables
clusterCIDR: $CLUSTER_CIDR
hostnameOverride: $NODE_NAME
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Zeros: leave the machine-wide conntrack table size and timeouts alone.
conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
EOF
  launch kube-proxy kube-proxy --config "$STATE/kube-proxy.yaml"
}

# CoreDNS runs as a process on the node IP; the kube-dns Service (the
# kubelet's clusterDNS) points at it through a selectorless EndpointSlice.
# grant NAME RULES: a ClusterRole with RULES (YAML) bound to the user
# thinkube:NAME (a component's client certificate).
grant() {
  admin_kubectl apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: 'thinkube:$1' }
rules:
$2
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: 'thinkube:$1' }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: 'thinkube:$1' }
subjects:
- { apiGroup: rbac.authorization.k8s.io, kind: User, name: 'thinkube:$1' }
EOF
}

start_coredns() {
  grant coredns "- apiGroups: ['']
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]"
  admin_kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Service
metadata: { name: kube-dns, namespace: kube-system, labels: { k8s-app: kube-dns } }
spec:
  clusterIP: $CLUSTER_DNS
  ports:
  - { name: dns, port: 53, protocol: UDP, targetPort: 53 }
  - { name: dns-tcp, port: 53, protocol: TCP, targetPort: 53 }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-node
  namespace: kube-system
  labels: { kubernetes.io/service-name: kube-dns, endpointslice.kubernetes.io/managed-by: thinkube-node }
addressType: IPv4
endpoints:
- addresses: ['$NODE_IP']
  conditions: { ready: true }
ports:
- { name: dns, port: 53, protocol: UDP }
- { name: dns-tcp, port: 53, protocol: TCP }
EOF
  cat >"$STATE/Corefile" <<EOF
.:53 {
    bind $NODE_IP
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $STATE/coredns.kubeconfig thinkube-test
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 10
}
EOF
  launch coredns coredns -conf "$STATE/Corefile"
}

# kube-router as the NetworkPolicy enforcer only: its firewall controller
# (iptables chains and ipsets in the namespace, per pod, from the policies),
# no routing, no service proxy (kube-proxy stays), no CNI config. Ready when
# its health endpoint reports the controller's first full sync.
start_kube_router() {
  grant kube-router "- apiGroups: ['']
  resources: [pods, namespaces, nodes, services, endpoints]
  verbs: [get, list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [list, watch]"
  COMPONENTS+=(kube-router) # wait_for reports its death
  launch kube-router kube-router --kubeconfig "$STATE/kube-router.kubeconfig" \
    --hostname-override "$NODE_NAME" --run-firewall=true --run-router=false \
    --run-service-proxy=false --enable-cni=false --enable-pod-egress=false \
    --service-cluster-ip-range "$SERVICE_CIDR" --health-port "${KUBE_ROUTER_HEALTH##*:}" --metrics-port 0
  touch "$STATE/network-policy"
  wait_for 60 'kube-router (NetworkPolicy controller)' inside curl -fsS "http://$KUBE_ROUTER_HEALTH/healthz"
}

node_ready() {
  [ "$(admin_kubectl get node "$NODE_NAME" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

# --- stop ------------------------------------------------------------------------

# Every process of the cluster: those in its network namespace (the
# components, shims, relay) and those in its cgroups (the containers, which
# live in pod network namespaces).
cluster_pids() {
  ip netns pids "$NETNS" 2>/dev/null || true
  local procs
  for procs in /sys/fs/cgroup/*"$CGROUP_ROOT"/ /sys/fs/cgroup/*/*"$CGROUP_ROOT"/; do
    [ -d "$procs" ] && find "$procs" -name cgroup.procs -exec cat {} + 2>/dev/null
  done
  true
}

kill_cluster() {
  local pids name deadline=$((SECONDS + 20))
  local published
  for published in "$STATE"/publish-*.pid; do
    [ -e "$published" ] || continue
    kill -9 "$(cat "$published")" 2>/dev/null || true
  done
  for name in watchdog relay; do
    if pid_alive "$name" && [ "$(cat "$STATE/$name.pid")" != "$$" ]; then
      kill -9 "$(cat "$STATE/$name.pid")" 2>/dev/null || true
    fi
  done
  while :; do
    pids="$(cluster_pids | sort -u | grep -vx "$$" || true)"
    [ -n "$pids" ] || break
    # shellcheck disable=SC2086 # one pid per word
    kill -9 $pids 2>/dev/null || true
    [ "$SECONDS" -lt "$deadline" ] || { echo "node: processes left: $pids" >&2; break; }
    sleep 0.2
  done
}

remove_cgroups() {
  local root
  for root in /sys/fs/cgroup/*"$CGROUP_ROOT" /sys/fs/cgroup/*/*"$CGROUP_ROOT"; do
    [ -d "$root" ] || continue
    find "$root" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    [ ! -d "$root" ] || echo "node: could not remove cgroup $root" >&2
  done
}

teardown() {
  kill_cluster
  remove_cgroups
  if ip netns list | grep -qx "$NETNS\( (id: [0-9]*)\)\?"; then
    ip netns del "$NETNS"
  fi
  restore_sysctls
}

# --- commands ---------------------------------------------------------------------

start_watchdog() {
  local owner="${THINKUBE_NODE_OWNER_PID:-}"
  [ -n "$owner" ] || return 0
  process_alive "$owner" || die "owner process $owner is not running"
  (
    while process_alive "$owner" && [ -d "$STATE" ]; do sleep 2; done
    if [ -d "$STATE" ]; then THINKUBE_NODE_STATE="$STATE" bash "$here/node.sh" stop; fi
  ) </dev/null >/dev/null 2>&1 8>&- 9>&- &
  echo $! >"$STATE/watchdog.pid"
}

# Waits (up to 180 s) until no stop is undoing a node: a stop that crashed
# leaves its marker, and the start's own teardown then cleans up after it.
wait_for_stop() {
  local deadline=$((SECONDS + 180))
  while [ -e "$MACHINE_LOCK.stopping" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
  if [ -e "$MACHINE_LOCK.stopping" ]; then
    echo "node: the stop of $(cat "$MACHINE_LOCK.stopping") did not finish; cleaning up after it" >&2
    rm -f "$MACHINE_LOCK.stopping"
  fi
}

cmd_start() {
  local reason
  reason="$(unavailable_reason)"
  [ -z "$reason" ] || die "$reason"
  case "$STATE" in *"'"*) die "the state dir path must not contain a single quote" ;; esac
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  flock 9
  if running; then
    echo "node: already running ($(cat "$KUBE_STATE/server"))"
    return
  fi
  exec 8>"$MACHINE_LOCK"
  # Another test run's node: wait for it to stop (one node per machine).
  local wait="${THINKUBE_NODE_LOCK_WAIT:-240}"
  flock -w "$wait" 8 || die "another node has run on this machine for ${wait}s (lock: $MACHINE_LOCK; its state: $(cat "$MACHINE_LOCK.state" 2>/dev/null || echo unknown))"
  # A stop of the previous node that is still undoing its changes (its holder,
  # and with it the machine lock, goes first): its last step deletes the
  # network namespace by name, which must not be ours.
  wait_for_stop
  echo "$STATE" >"$MACHINE_LOCK.state"
  # Whatever a node that was killed without stop left behind.
  teardown
  find "$STATE" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
  mkdir -p "$STATE/logs"
  local started=$SECONDS port
  # A start that fails half-way leaves nothing behind.
  started_ok=0
  trap '[ "$started_ok" = 1 ] || { teardown; rm -f "$MACHINE_LOCK.state"; }' EXIT
  start_watchdog
  make_namespaces
  port="$(free_port)"
  start_control_plane "$port"
  start_relay "$port"
  make_node_credentials
  start_scheduler
  start_registry
  start_containerd
  start_kubelet
  start_kube_proxy
  start_coredns
  wait_for 90 "node $NODE_NAME Ready" node_ready
  [ "$NETWORK_POLICY" != 1 ] || start_kube_router
  wait_for 30 'the default ServiceAccount' admin_kubectl -n default get serviceaccount default
  started_ok=1
  echo "node: $NODE_NAME Ready, API at $(cat "$KUBE_STATE/server"), in $((SECONDS - started))s"
}

cmd_env() {
  running || die "not running (state: $STATE)"
  THINKUBE_KUBE_STATE="$KUBE_STATE" bash "$here/../kube/apiserver.sh" env
  printf "export %s='%s'\n" \
    THINKUBE_NODE_STATE "$STATE" \
    NODE_NAME "$NODE_NAME" \
    NODE_NETNS "$NETNS" \
    NODE_IP "$NODE_IP" \
    NODE_CONTAINERD_SOCKET "$STATE/containerd/containerd.sock" \
    NODE_REGISTRY_CONFIG_DIR "$STATE/containerd/certs.d" \
    NODE_REGISTRY "$NODE_REGISTRY" \
    NODE_NETWORK_POLICY "$([ -f "$STATE/network-policy" ] && echo 1 || echo 0)"
}

cmd_stop() {
  [ -d "$STATE" ] || return 0
  exec 9>"$STATE/.lock"
  flock 9
  # Only the node this state dir started: another may run by now.
  if [ "$(cat "$MACHINE_LOCK.state" 2>/dev/null)" = "$STATE" ]; then
    echo "$STATE" >"$MACHINE_LOCK.stopping"
    teardown
    rm -f "$MACHINE_LOCK.state" "$MACHINE_LOCK.stopping"
  fi
  rm -rf "$STATE"
}

case "${1:-}" in
  check)
    reason="$(unavailable_reason)"
    [ -z "$reason" ] || { echo "$reason" >&2; exit 1; }
    ;;
  start) cmd_start ;;
  env) cmd_env ;;
  exec)
    shift
    running || die "not running (state: $STATE)"
    inside "$@"
    ;;
  exec-net)
    shift
    running || die "not running (state: $STATE)"
    exec nsenter --net="/run/netns/$NETNS" -- "$@"
    ;;
  publish)
    running || die "not running (state: $STATE)"
    cmd_publish "${2:-}" "${3:-}"
    ;;
  stop) cmd_stop ;;
  *) die 'usage: node.sh check|start|env|exec CMD...|exec-net CMD...|publish HOST_PORT PORT|stop' ;;
esac
