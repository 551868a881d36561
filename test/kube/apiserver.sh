#!/usr/bin/env bash
# Runs a real Kubernetes control plane for the tests, on 127.0.0.1 only:
# etcd, kube-apiserver (RBAC + Node authorization, service-account token
# signing) and kube-controller-manager (namespace lifecycle, service
# accounts, kube-root-ca.crt, garbage collection), with the HelmChart CRD.
#
#   apiserver.sh check                    exit 1 with the reason if the tier cannot run
#   apiserver.sh start                    start (a no-op when already running)
#   apiserver.sh env                      print `export NAME='value'` lines for the running plane
#   apiserver.sh sa-kubeconfig NS SA OUT  write a kubeconfig authenticating as NS/SA with a fresh token
#   apiserver.sh stop                     stop everything and delete the state dir
#
# State (keys generated at run time, data, logs, kubeconfig) lives in
# THINKUBE_KUBE_STATE, default: a "state" dir in the kube cache. With
# THINKUBE_KUBE_OWNER_PID, start also stops it all when that process ends.
# THINKUBE_KUBE_PORT fixes the API server's port (default: a free one).
# THINKUBE_KUBE_NODE_IP is set by ../node/node.sh, which runs this script
# inside the node's network namespace: the API server then listens on every
# address of that namespace, advertises the node IP (the `kubernetes`
# Service's endpoint) and has a kubelet client certificate for logs and exec.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

STATE="${THINKUBE_KUBE_STATE:-$KUBE_CACHE/state}"
PKI="$STATE/pki"
KUBECONFIG_ADMIN="$STATE/admin.kubeconfig"
KUBECTL="$KUBE_BIN/kubectl"
SERVICE_ACCOUNT_ISSUER=https://kubernetes.default.svc.cluster.local
COMPONENTS=(kube-controller-manager kube-apiserver etcd)
NODE_IP="${THINKUBE_KUBE_NODE_IP:-}"

die() { echo "kube: $*" >&2; exit 1; }

unavailable_reason() {
  local name
  for name in "${KUBE_BINARIES[@]}"; do
    [ -x "$KUBE_BIN/$name" ] || {
      echo "$name ${KUBE_VERSION} is not built in $KUBE_BIN (run test/kube/provision.sh)"
      return
    }
  done
  local tool
  for tool in openssl curl flock ps; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed"; return; }
  done
  [ -f "$(helmchart_crd)" ] || echo "the HelmChart CRD is not at $(helmchart_crd)"
}

helmchart_crd() {
  echo "$here/../../vendor/crds/helm.cattle.io_helmcharts.yaml"
}

# shellcheck source=processes.sh
source "$here/processes.sh"

admin_kubectl() { "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

running() {
  local c
  for c in "${COMPONENTS[@]}"; do pid_alive "$c" || return 1; done
  admin_kubectl get --raw /readyz >/dev/null 2>&1
}

# --- keys and certificates ---------------------------------------------------

# shellcheck source=pki.sh
source "$here/pki.sh"

make_pki() {
  mkdir -p "$PKI" && chmod 700 "$PKI"
  new_key "$PKI/ca.key"
  openssl req -x509 -new -key "$PKI/ca.key" -subj '/CN=thinkube-jupyterhub-test-ca' \
    -days 7 -out "$PKI/ca.crt" 2>/dev/null
  sign_cert apiserver '/CN=kube-apiserver' \
    "$(printf '%s\n' 'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' \
      "subjectAltName=IP:127.0.0.1,IP:10.96.0.1${NODE_IP:+,IP:$NODE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local")"
  sign_cert admin '/O=system:masters/CN=thinkube-test-admin' "$CLIENT_CERT_EXTENSIONS"
  sign_cert controller-manager '/CN=system:kube-controller-manager' "$CLIENT_CERT_EXTENSIONS"
  if [ -n "$NODE_IP" ]; then
    sign_cert kubelet-client '/O=system:masters/CN=kube-apiserver-kubelet-client' "$CLIENT_CERT_EXTENSIONS"
  fi
  new_key "$PKI/sa.key"
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
}

# write_kubeconfig FILE USER_YAML: a kubeconfig for the test API server.
write_kubeconfig() {
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: thinkube-test
  cluster:
    server: $(cat "$STATE/server")
    certificate-authority: $PKI/ca.crt
users:
- name: user
  user:
$2
contexts:
- name: thinkube-test
  context:
    cluster: thinkube-test
    user: user
current-context: thinkube-test
EOF
  chmod 600 "$1"
}

# --- processes ---------------------------------------------------------------

launch() {
  local name="$1"
  shift
  # fd 9 is the state lock: the long-lived child must not inherit it.
  "$KUBE_BIN/$name" "$@" >"$STATE/logs/$name.log" 2>&1 9>&- &
  echo $! >"$STATE/$name.pid"
}

start_etcd() {
  local client peer
  client="$(free_port)"
  peer="$(free_port_except "$client")"
  echo "http://127.0.0.1:$client" >"$STATE/etcd-url"
  launch etcd --name harness --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "harness=http://127.0.0.1:$peer" \
    --unsafe-no-fsync --log-level warn
  wait_for 30 'etcd health' curl -fsS "http://127.0.0.1:$client/health"
}

start_apiserver() {
  local port="${THINKUBE_KUBE_PORT:-}" node_flags=()
  [ -n "$port" ] || port="$(free_port)"
  echo "https://127.0.0.1:$port" >"$STATE/server"
  if [ -n "$NODE_IP" ]; then
    node_flags=(--bind-address 0.0.0.0 --advertise-address "$NODE_IP"
      --kubelet-client-certificate "$PKI/kubelet-client.crt" --kubelet-client-key "$PKI/kubelet-client.key"
      --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP)
  else
    node_flags=(--bind-address 127.0.0.1 --advertise-address 127.0.0.1)
  fi
  launch kube-apiserver "${node_flags[@]}" --secure-port "$port" \
    --etcd-servers "$(cat "$STATE/etcd-url")" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --service-account-issuer "$SERVICE_ACCOUNT_ISSUER" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --allow-privileged \
    --profiling=false
  write_kubeconfig "$KUBECONFIG_ADMIN" "    client-certificate: $PKI/admin.crt
    client-key: $PKI/admin.key"
  wait_for 90 'kube-apiserver /readyz' admin_kubectl get --raw /readyz
}

start_controller_manager() {
  local kubeconfig="$STATE/controller-manager.kubeconfig"
  write_kubeconfig "$kubeconfig" "    client-certificate: $PKI/controller-manager.crt
    client-key: $PKI/controller-manager.key"
  launch kube-controller-manager --kubeconfig "$kubeconfig" \
    --secure-port 0 --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --profiling=false
  # The service-account controller is the last to come up; once `default`
  # has its ServiceAccount the namespace controllers are working.
  wait_for 60 'the default ServiceAccount' admin_kubectl -n default get serviceaccount default
  wait_for 30 'the kube-root-ca.crt ConfigMap' admin_kubectl -n default get configmap kube-root-ca.crt
}

install_crds() {
  local crd
  crd="$(helmchart_crd)"
  [ -f "$crd" ] || die "the HelmChart CRD is not at $crd"
  admin_kubectl apply --server-side -f "$crd" >/dev/null
  admin_kubectl wait --for condition=Established --timeout 60s crd/helmcharts.helm.cattle.io >/dev/null
}

# The state is thrown away, so no graceful shutdown: kube-apiserver takes a
# minute to drain on SIGTERM.
stop_all() {
  local c pid deadline=$((SECONDS + 10))
  for c in watchdog "${COMPONENTS[@]}"; do
    pid_alive "$c" || continue
    pid="$(cat "$STATE/$c.pid")"
    kill -9 "$pid" 2>/dev/null || true
    while process_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
  done
}

# With THINKUBE_KUBE_OWNER_PID set, the plane stops itself once that process
# is gone: a crashed test run leaves no control plane behind.
start_watchdog() {
  local owner="${THINKUBE_KUBE_OWNER_PID:-}"
  [ -n "$owner" ] || return 0
  process_alive "$owner" || die "owner process $owner is not running"
  (
    while process_alive "$owner" && [ -d "$STATE" ]; do sleep 2; done
    if [ -d "$STATE" ]; then THINKUBE_KUBE_STATE="$STATE" bash "$here/apiserver.sh" stop; fi
  ) </dev/null >/dev/null 2>&1 9>&- &
  echo $! >"$STATE/watchdog.pid"
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
    echo "kube: already running ($(cat "$STATE/server"))"
    return
  fi
  stop_all
  find "$STATE" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
  mkdir -p "$STATE/logs"
  local started=$SECONDS
  start_watchdog
  make_pki
  start_etcd
  start_apiserver
  install_crds
  start_controller_manager
  echo "kube: Kubernetes ${KUBE_VERSION} ready at $(cat "$STATE/server") in $((SECONDS - started))s"
}

cmd_env() {
  running || die "not running (state: $STATE)"
  printf "export %s='%s'\n" \
    KUBECONFIG "$KUBECONFIG_ADMIN" \
    THINKUBE_KUBE_STATE "$STATE" \
    KUBE_SERVER "$(cat "$STATE/server")" \
    KUBE_CA_FILE "$PKI/ca.crt" \
    KUBE_BIN "$KUBE_BIN" \
    KUBECTL "$KUBECTL" \
    KUBE_VERSION "$KUBE_VERSION"
}

cmd_sa_kubeconfig() {
  [ "$#" = 3 ] || die 'usage: apiserver.sh sa-kubeconfig NAMESPACE SERVICEACCOUNT OUTFILE'
  running || die "not running (state: $STATE)"
  local token
  token="$(admin_kubectl -n "$1" create token "$2")"
  # The token is written into the file only, never printed.
  write_kubeconfig "$3" "    token: $token"
}

cmd_stop() {
  [ -d "$STATE" ] || return 0
  exec 9>"$STATE/.lock"
  flock 9
  stop_all
  rm -rf "$STATE"
}

case "${1:-}" in
  check)
    reason="$(unavailable_reason)"
    [ -z "$reason" ] || { echo "$reason" >&2; exit 1; }
    ;;
  start) cmd_start ;;
  env) cmd_env ;;
  sa-kubeconfig) shift && cmd_sa_kubeconfig "$@" ;;
  stop) cmd_stop ;;
  *) die 'usage: apiserver.sh check|start|env|sa-kubeconfig NS SA OUT|stop' ;;
esac
