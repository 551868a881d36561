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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

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
        env={**os.environ, "THINKUBE_KUBE_STATE": state_dir},
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


@dataclass
class Kube:
    """A running control plane; see harness.ts KubeHarness for the same fields."""

    kubeconfig: str  # cluster-admin (system:masters) client-certificate identity
    server: str  # https://127.0.0.1:<port>
    ca_file: str
    bin_dir: str  # kubectl, kube-apiserver, kube-controller-manager, etcd
    kubectl_path: str  # same version as the server
    version: str  # e.g. v1.36.3
    state_dir: str
    env: dict = field(repr=False)  # os.environ + KUBECONFIG + PATH starting with bin_dir
    _sequence: int = field(default=0, repr=False)

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
    bin_dir = exports["KUBE_BIN"]
    return Kube(
        kubeconfig=exports["KUBECONFIG"],
        server=exports["KUBE_SERVER"],
        ca_file=exports["KUBE_CA_FILE"],
        bin_dir=bin_dir,
        kubectl_path=exports["KUBECTL"],
        version=exports["KUBE_VERSION"],
        state_dir=state,
        env={
            **os.environ,
            "KUBECONFIG": exports["KUBECONFIG"],
            "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        },
    )
