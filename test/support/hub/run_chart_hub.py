"""Runs the hub and proxy pods as the chart describes them, inside the private
mount and network namespaces of test/support/hub-pod.sh (THINKUBE_HUB_POD_NET=1):

- helm renders the chart with the values; the hub's ConfigMap, Secret and
  extraFiles are laid out where the Deployment mounts them;
- the proxy pod: configurable-http-proxy with the proxy Deployment's command
  and env (the binary from node_modules instead of the image's);
- the hub pod: the Deployment's exact args and env (Service variables, the
  namespace, the proxy token, hub.extraEnv with its Secrets read from the
  cluster by kubectl, as the kubelet would), so the chart's
  jupyterhub_config.py binds :8081, reaches the proxy API at proxy-api:8001
  and starts the idle culler against localhost:8081, all unmodified, in a
  network namespace of its own. The working directory is the state dir (the
  image's /srv/jupyterhub, where the sqlite-pvc database lives).

The namespace's loopback is joined to the host's through unix sockets in the
state dir (socat): --expose makes the proxy's :8000 reachable from the host
(the host side listens on 127.0.0.1 and connects to <state>/public.sock);
each --reach PORT makes the host's 127.0.0.1:PORT (Keycloak, the API server,
thinkube-control) reachable here at the same address.

With --serve-login, prints the seconds until GET /hub/login answers 200
through the proxy, then stops (the bench).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chart_hub import TEST_OIDC_SECRET, ChartPod, render  # noqa: E402


def cluster_secret(kubectl, namespace):
    def read(name, key):
        result = subprocess.run(
            [kubectl, "-n", namespace, "get", "secret", name, "-o", f"go-template={{{{index .data \"{key}\" | base64decode}}}}"],
            capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"Secret {namespace}/{name} key {key}: {result.stderr.strip()}")
        return result.stdout

    return read


def wait_for(url, deadline, processes):
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer 200")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--values", required=True, help="the HelmChart's values, JSON")
    parser.add_argument("--chart-version", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--proxy-command", required=True)
    parser.add_argument("--kubectl", help="reads the Secrets hub.extraEnv refers to from the cluster")
    parser.add_argument("--expose", action="store_true")
    parser.add_argument("--reach", type=int, action="append", default=[])
    parser.add_argument("--serve-login", action="store_true")
    args = parser.parse_args()
    if os.environ.get("THINKUBE_HUB_POD_NET") != "1":
        sys.exit("run_chart_hub.py runs inside test/support/hub-pod.sh with THINKUBE_HUB_POD_NET=1")

    state = Path(args.state)
    values = json.loads(Path(args.values).read_text())
    objects = render(values, chart_version=args.chart_version, namespace=args.namespace)
    hub = ChartPod(objects, args.namespace)
    hub.lay_out("/")
    read_secret = cluster_secret(args.kubectl, args.namespace) if args.kubectl else (lambda name, key: TEST_OIDC_SECRET)
    base = {k: v for k, v in os.environ.items() if not k.startswith("THINKUBE_")}
    # The image's Python comes first on its PATH: `jupyterhub` and the culler
    # service's `python3` are the venv's, as they are the image's in the pod.
    base["PATH"] = f"{Path(sys.executable).parent}:{base.get('PATH', '')}"

    # The pods' output is their log (stderr); stdout carries only this script's result.
    log = sys.stderr
    children = []
    for port in args.reach:
        children.append(subprocess.Popen(["socat", f"TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr", f"UNIX-CONNECT:{state}/reach-{port}.sock"], stdout=log))
    if args.expose:
        children.append(subprocess.Popen(["socat", f"UNIX-LISTEN:{state}/public.sock,fork,unlink-early", "TCP:127.0.0.1:8000"], stdout=log))

    proxy = ChartPod(objects, args.namespace, "proxy", "chp")
    proxy_env = proxy.env(read_secret)
    command = proxy.command(proxy_env)
    children.append(subprocess.Popen([args.proxy_command, *command[1:]], env={**base, **proxy_env}, stdout=log))

    hub_env = hub.env(read_secret)
    command = hub.command(hub_env)
    hub_process = subprocess.Popen(command, env={**base, **hub_env}, cwd=state, stdout=log)
    children.append(hub_process)

    def stop(*_):
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        if args.serve_login:
            started = time.monotonic()
            wait_for("http://127.0.0.1:8000/hub/login", started + 120, [hub_process])
            print(json.dumps({"hub_serves_login_seconds": round(time.monotonic() - started, 2)}))
            return
        hub_process.wait()
        sys.exit(hub_process.returncode)
    finally:
        stop()


if __name__ == "__main__":
    main()
