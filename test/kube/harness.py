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
_EXPORT_LINE = re.compile(r"^export ([A-Z_]+)='([^']*)'$")


def unavailable_reason() -> Optional[str]:
    """Why the kube tier cannot run here (binaries not built, tools missing), or None."""
    result = subprocess.run(
        ["bash", str(APISERVER_SCRIPT), "check"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode == 0:
        return None
    return result.stderr.strip() or f"{APISERVER_SCRIPT} check failed"


def _apiserver(state_dir: str, *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        ["bash", str(APISERVER_SCRIPT), *args],
        # The owner pid lets the plane stop itself if this process dies without stop().
        env={
            **os.environ,
            "THINKUBE_KUBE_STATE": state_dir,
            "THINKUBE_KUBE_OWNER_PID": str(os.getpid()),
        },
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"apiserver.sh {args[0]} failed ({result.returncode}): {result.stderr.strip()}"
        )
    return result.stdout


class Kube:
    """A running control plane; the fields match harness.ts KubeHarness.

    A plain class, not a dataclass: dataclasses break when a module is loaded
    by path with importlib without being registered in sys.modules."""

    def __init__(self, state_dir: str, exports: Dict[str, str]) -> None:
        self.state_dir = state_dir
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

    def stop(self) -> None:
        """Stops the control plane and deletes state_dir."""
        _apiserver(self.state_dir, "stop", timeout=60)

    def __enter__(self) -> "Kube":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start(state_dir: Optional[str] = None) -> Optional[Kube]:
    """Starts a control plane in state_dir (default: a fresh temp dir; start is
    a no-op if one already runs there). Returns None when the tier is unavailable."""
    if unavailable_reason() is not None:
        return None
    state = state_dir or tempfile.mkdtemp(prefix="thinkube-kube-")
    try:
        _apiserver(state, "start")
    except Exception:
        try:
            _apiserver(state, "stop", timeout=60)
        except RuntimeError:
            pass
        raise
    exports = {}
    for line in _apiserver(state, "env").splitlines():
        match = _EXPORT_LINE.match(line)
        if match:
            exports[match.group(1)] = match.group(2)
    return Kube(state, exports)
