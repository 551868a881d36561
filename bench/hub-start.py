#!/usr/bin/env python3
"""Benchmark: the real hub starting from the chart's own config (issue 11).

Run: bash bench/hub-start.sh. The example config is synthesized once; each
round renders the chart with helm, lays the hub's files out, starts the proxy
pod and the hub pod as the chart describes them (test/support/hub/run_chart_hub.py
inside test/support/hub-pod.sh, network namespace of its own) and measures the
seconds until GET /hub/login answers 200 through the proxy. This is the
baseline for the hub's start-up from now on; the emulated start it replaces
(the end-to-end tier's local hub) took 2-4 s on this machine.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "test" / "support" / "hub"))

from chart_hub import synthesize  # noqa: E402

ROUNDS = 3


def one_start(values_file, values):
    with tempfile.TemporaryDirectory(prefix="thinkube-bench-hub-") as state:
        started = time.monotonic()
        result = subprocess.run(
            ["bash", str(REPO / "test" / "support" / "hub-pod.sh"), sys.prefix, sys.executable,
             str(REPO / "test" / "support" / "hub" / "run_chart_hub.py"),
             "--values", str(values_file), "--chart-version", values.chart_version, "--namespace", values.namespace,
             "--state", state, "--proxy-command", str(REPO / "node_modules" / ".bin" / "configurable-http-proxy"),
             "--serve-login"],
            capture_output=True, text=True, check=False,
            env={**os.environ, "THINKUBE_HUB_POD_NET": "1",
                 "KUBECONFIG": str(REPO / "test" / "support" / "hub" / "kubeconfig-unreachable.yaml")},
        )
        total = time.monotonic() - started
        if result.returncode != 0:
            sys.exit(f"the hub did not serve /hub/login:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])["hub_serves_login_seconds"], total


def main():
    values = synthesize({"THINKUBE_JH_CONFIG": str(REPO / "test" / "python" / "empty-config.yaml")})
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(values, file)
        file.flush()
        rounds = [one_start(file.name, values) for _ in range(ROUNDS)]
    serve = statistics.median(r[0] for r in rounds)
    total = statistics.median(r[1] for r in rounds)
    print(f"hub start from the chart config (chart {values.chart_version}), {ROUNDS} rounds:")
    print(f"  hub + proxy start → /hub/login 200: median {serve:.2f} s  ({', '.join(f'{r[0]:.2f}' for r in rounds)})")
    print(f"  whole round (helm template, file layout, start, serve, stop): median {total:.2f} s")
    print("baseline: this is the first measurement of the chart-config start (no target yet)")


if __name__ == "__main__":
    main()
