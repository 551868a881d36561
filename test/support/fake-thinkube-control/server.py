#!/usr/bin/env python3
"""A stand-in for thinkube-control's backend: the three read endpoints the hub
uses (contract: shared/contracts/thinkube-control-api.md), on 127.0.0.1 only,
with switchable latency and faults and a request counter per endpoint.

Standalone:  python3 server.py [--port 0] [--scenario ok] [--latency-ms 0]
                               [--port-file FILE]
It prints `listening on http://127.0.0.1:PORT/api/v1` once it accepts requests.
The control API is described in README.md beside this file. Stdlib only.
"""

import argparse
import json
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import default_dataset  # noqa: E402
from hostile import WRITERS  # noqa: E402
from scenarios import ENDPOINTS, SCENARIOS, SLOW_DEFAULT_LATENCY_MS, respond  # noqa: E402

API_PREFIX = "/api/v1"


class FakeState:
    """Scenario, latency, data and counters, shared by the handler threads."""

    def __init__(self, scenario="ok", latency_ms=0):
        self.lock = threading.Lock()
        self.reset(scenario, latency_ms)

    def reset(self, scenario="ok", latency_ms=0):
        with self.lock:
            self.dataset = default_dataset()
            self.endpoints = {}
            self.requests = {path: 0 for path in ENDPOINTS}
        self.configure(scenario, latency_ms, ENDPOINTS)

    def configure(self, scenario, latency_ms, endpoints):
        if scenario not in SCENARIOS and scenario not in WRITERS:
            known = ", ".join((*SCENARIOS, *WRITERS))
            raise ValueError(f"unknown scenario {scenario!r}: use one of {known}")
        unknown = [path for path in endpoints if path not in ENDPOINTS]
        if unknown:
            raise ValueError(f"unknown endpoints {unknown}: use some of {list(ENDPOINTS)}")
        if latency_ms is None:
            latency_ms = SLOW_DEFAULT_LATENCY_MS if scenario == "slow" else 0
        with self.lock:
            for path in endpoints:
                self.endpoints[path] = {"scenario": scenario, "latencyMs": int(latency_ms)}

    def snapshot(self):
        with self.lock:
            return {"requests": dict(self.requests), "endpoints": json.loads(json.dumps(self.endpoints))}


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-thinkube-control/1"
    protocol_version = "HTTP/1.1"

    @property
    def state(self) -> FakeState:
        return self.server.state

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status, payload):
        self._send(status, json.dumps(payload).encode())

    def _read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        if path == "/__stats":
            return self._send_json(200, self.state.snapshot())
        if not path.startswith(API_PREFIX) or path[len(API_PREFIX):] not in ENDPOINTS:
            return self._send_json(404, {"detail": "Not Found"})
        endpoint = path[len(API_PREFIX):]
        with self.state.lock:
            self.state.requests[endpoint] += 1
            behaviour = dict(self.state.endpoints[endpoint])
            writer = WRITERS.get(behaviour["scenario"])
            answer = None if writer else respond(behaviour["scenario"], endpoint, self.state.dataset)
        time.sleep(behaviour["latencyMs"] / 1000)
        if writer:
            return writer(self, endpoint)
        if answer is None:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        return self._send(*answer)

    def do_POST(self):  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        try:
            body = self._read_json()
            if path == "/__control":
                self.state.configure(
                    body.get("scenario", "ok"),
                    body.get("latencyMs"),
                    body.get("endpoints") or ENDPOINTS,
                )
            elif path == "/__data":
                with self.state.lock:
                    for endpoint, answer in body.items():
                        if endpoint not in ENDPOINTS:
                            raise ValueError(f"unknown endpoint {endpoint!r}")
                        self.state.dataset[endpoint] = answer
            elif path == "/__reset":
                self.state.reset()
            else:
                return self._send_json(404, {"detail": "Not Found"})
        except (ValueError, AttributeError, TypeError) as error:
            return self._send_json(400, {"detail": str(error)})
        return self._send_json(200, self.state.snapshot())


class FakeThinkubeControl(ThreadingHTTPServer):
    daemon_threads = True
    # 100 concurrent clients must not overflow the listen backlog.
    request_queue_size = 512

    def __init__(self, port=0, scenario="ok", latency_ms=0, verbose=False):
        super().__init__(("127.0.0.1", port), Handler)
        self.state = FakeState(scenario, latency_ms)
        self.verbose = verbose

    def handle_error(self, request, client_address):
        # A client that gave up (the hub's timeout) is expected, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server_address[1]}{API_PREFIX}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--scenario", default="ok", choices=(*SCENARIOS, *WRITERS))
    parser.add_argument("--latency-ms", type=int, default=None)
    parser.add_argument("--port-file", help="write the chosen port here once listening")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    server = FakeThinkubeControl(args.port, args.scenario, args.latency_ms, args.verbose)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    if args.port_file:
        Path(args.port_file).write_text(str(server.server_address[1]))
    print(f"listening on {server.base_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
