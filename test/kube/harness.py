"""The Python face of the kube test tier: a real kube-apiserver (with etcd and
kube-controller-manager) run by apiserver.sh, the single implementation shared
with harness.ts. Import it by path; in pytest, for example:

    reason = harness.unavailable_reason()
    if reason: (skip loudly, or fail under CI=true)
    kube = harness.start()
    try:
        kube.kubectl(["get", "ns"], check=True)
    finally:
        kube.stop()

`with harness.start() as kube:` also works (stops on exit).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, Optional, Sequence

APISERVER_SCRIPT = Path(__file__).resolve().parent / "apiserver.sh"
# The real node (test/node/node.sh): the whole cluster in a network namespace.
NODE_SCRIPT = Path(__file__).resolve().parent.parent / "node" / "node.sh"
_EXPORT_LINE = re.compile(r"^export ([A-Z_]+)='([^']*)'$")


def unavailable_reason(node: bool = False) -> Optional[str]:
    """Why the kube tier (with node=True: the node tier) cannot run here, or None."""
    script = NODE_SCRIPT if node else APISERVER_SCRIPT
    result = subprocess.run(
        ["bash", str(script), "check"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode == 0:
        return None
    return result.stderr.strip() or f"{script} check failed"


def _apiserver(state_dir: str, *args: str, timeout: float = 300, node: bool = False) -> str:
    script, prefix = (NODE_SCRIPT, "THINKUBE_NODE") if node else (APISERVER_SCRIPT, "THINKUBE_KUBE")
    result = subprocess.run(
        ["bash", str(script), *args],
        # The owner pid lets the plane stop itself if this process dies without stop().
        env={
            **os.environ,
            f"{prefix}_STATE": state_dir,
            f"{prefix}_OWNER_PID": str(os.getpid()),
        },
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{script.name} {args[0]} failed ({result.returncode}): {result.stderr.strip()}"
        )
    return result.stdout


class Kube:
    """A running control plane; the fields match harness.ts KubeHarness.

    A plain class, not a dataclass: dataclasses break when a module is loaded
    by path with importlib without being registered in sys.modules."""

    def __init__(self, state_dir: str, exports: Dict[str, str], node_state: Optional[str] = None) -> None:
        self.state_dir = state_dir
        # With a node (start(node=True)): its state dir, name, IP and network namespace.
        self.node_state = node_state
        self.node_name = exports.get("NODE_NAME")
        self.node_ip = exports.get("NODE_IP")
        self.node_netns = exports.get("NODE_NETNS")
        # cluster-admin (system:masters) client-certificate identity
        self.kubeconfig = exports["KUBECONFIG"]
        self.server = exports["KUBE_SERVER"]  # https://127.0.0.1:<port>
        self.ca_file = exports["KUBE_CA_FILE"]
        self.bin_dir = exports["KUBE_BIN"]  # kubectl, kube-apiserver, kube-controller-manager, etcd
        self.kubectl_path = exports["KUBECTL"]  # same version as the server
        self.version = exports["KUBE_VERSION"]  # e.g. v1.36.3
        # os.environ + KUBECONFIG (admin) + PATH starting with bin_dir, for spawning scripts
        self.env = {
            **os.environ,
            "KUBECONFIG": self.kubeconfig,
            "PATH": f"{self.bin_dir}:{os.environ.get('PATH', '')}",
        }
        self._sequence = 0

    def __repr__(self) -> str:
        return f"Kube(server={self.server!r}, version={self.version!r}, state_dir={self.state_dir!r})"

    def kubectl(
        self,
        args: Sequence[str],
        *,
        input: Optional[str] = None,
        kubeconfig: Optional[str] = None,
        check: bool = False,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess:
        """Runs kubectl (admin kubeconfig unless another is given); text output.
        With check=True a non-zero exit raises CalledProcessError."""
        return subprocess.run(
            [self.kubectl_path, "--kubeconfig", kubeconfig or self.kubeconfig, *args],
            env=self.env,
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )

    def service_account_kubeconfig(self, namespace: str, service_account: str) -> str:
        """Writes a kubeconfig authenticating as the ServiceAccount with a fresh
        `kubectl create token`; returns its path."""
        self._sequence += 1
        path = os.path.join(
            self.state_dir, f"sa-py{self._sequence}-{namespace}-{service_account}.kubeconfig"
        )
        _apiserver(self.state_dir, "sa-kubeconfig", namespace, service_account, path, timeout=60)
        return path

    def node_exec(self, args: Sequence[str], timeout: float = 60) -> subprocess.CompletedProcess:
        """Runs a command inside the cluster's network namespace (node only)."""
        if self.node_state is None:
            raise RuntimeError("no node: start(node=True)")
        return subprocess.run(
            ["bash", str(NODE_SCRIPT), "exec", *args],
            env={**os.environ, "THINKUBE_NODE_STATE": self.node_state},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def stop(self) -> None:
        """Stops the control plane (and node) and deletes state_dir."""
        if self.node_state is not None:
            _apiserver(self.node_state, "stop", timeout=120, node=True)
        else:
            _apiserver(self.state_dir, "stop", timeout=60)

    def __enter__(self) -> "Kube":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start(state_dir: Optional[str] = None, node: bool = False) -> Optional[Kube]:
    """Starts a control plane in state_dir (default: a fresh temp dir; start is
    a no-op if one already runs there); with node=True, the whole cluster with
    a real node (test/node/node.sh). Returns None when the tier is unavailable."""
    if unavailable_reason() is not None or (node and unavailable_reason(node=True) is not None):
        return None
    state = state_dir or tempfile.mkdtemp(prefix="thinkube-kube-")
    try:
        _apiserver(state, "start", node=node)
    except Exception:
        try:
            _apiserver(state, "stop", timeout=120, node=node)
        except RuntimeError:
            pass
        raise
    exports = {}
    for line in _apiserver(state, "env", node=node).splitlines():
        match = _EXPORT_LINE.match(line)
        if match:
            exports[match.group(1)] = match.group(2)
    if node:
        return Kube(os.path.join(state, "kube"), exports, node_state=state)
    return Kube(state, exports)
