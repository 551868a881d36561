"""Runs test/support/fake-thinkube-control/server.py as a subprocess and drives its
control API (see that folder's README.md)."""

import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SERVER = Path(__file__).resolve().parents[1] / "fake-thinkube-control" / "server.py"


class FakeControl:
    def __init__(self):
        self._dir = tempfile.TemporaryDirectory()
        port_file = Path(self._dir.name) / "port"
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), "--port", "0", "--port-file", str(port_file)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not port_file.exists() or not port_file.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("fake thinkube-control did not start")
            time.sleep(0.02)
        self.root = f"http://127.0.0.1:{port_file.read_text()}"
        self.base_url = f"{self.root}/api/v1"

    def _post(self, path, body):
        request = urllib.request.Request(
            self.root + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def scenario(self, name, latency_ms=None, endpoints=None):
        body = {"scenario": name, "latencyMs": latency_ms}
        if endpoints:
            body["endpoints"] = list(endpoints)
        return self._post("/__control", body)

    def data(self, answers):
        return self._post("/__data", answers)

    def reset(self):
        return self._post("/__reset", {})

    def read_all(self):
        """GET every endpoint once, as the current scenario answers it: makes
        the server build (and cache) its large hostile answers up front."""
        for path in ("/images/jupyter", "/cluster/resources", "/jupyterhub/config"):
            with urllib.request.urlopen(self.base_url + path, timeout=30) as response:
                response.read()

    def requests(self):
        with urllib.request.urlopen(self.root + "/__stats", timeout=5) as response:
            return json.loads(response.read())["requests"]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self._dir.cleanup()
