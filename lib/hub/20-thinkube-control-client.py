# thinkube-control reader for the spawn form (hub.extraConfig; the chart runs
# the snippets in one namespace, in file-name order).
#
# thinkube-control used to be called on every form render and again at spawn
# time, in series, with 10 s timeouts, and a failure exited the hub. Here each
# endpoint's answer is cached for a TTL, concurrent renders share one upstream
# request per endpoint, the three endpoints are read in parallel, every request
# has a short timeout and limits (15-thinkube-http.py), and no failure ever
# escapes: callers get the last good answer or None, plus a note saying how old
# it is. What thinkube-control says reaches the log only with control
# characters escaped, so an answer cannot forge log lines.
# Uses from 10-thinkube-cluster-data.py: thinkube_loads, thinkube_unprintable,
# thinkube_parse_images, thinkube_parse_nodes, thinkube_parse_defaults,
# thinkube_setting, thinkube_at_least; from
# 15-thinkube-http.py: ThinkubeHttp.

import asyncio
import json
import logging
import time

thinkube_log = logging.getLogger("JupyterHub").getChild("thinkube")


def thinkube_printable(text, limit=200):
    """Text for one log line: control and format characters escaped (\\n, \\x1b,
    \\u202e), so that text from thinkube-control cannot start a forged line."""
    return "".join(ascii(ch)[1:-1] if thinkube_unprintable(ch) else ch for ch in str(text)[:limit])


class ThinkubeEndpoint:
    """One endpoint's cached answer, refreshed at most once per TTL."""

    def __init__(self, control, path, parse, describe):
        self.control = control
        self.path = path
        self.parse = parse
        self.describe = describe
        self.value = None
        self.fetched_at = None
        self.failed_at = None
        self.inflight = None

    def age(self, now):
        return None if self.fetched_at is None else now - self.fetched_at

    def due(self, now):
        """Whether the answer is older than the TTL and no failure is too recent."""
        age = self.age(now)
        fresh = age is not None and age < self.control.ttl
        backing_off = self.failed_at is not None and now - self.failed_at < self.control.retry_after
        return not fresh and not backing_off

    async def refresh(self):
        """Wait for the one shared request for this endpoint, starting it if needed.
        The shared request ends by its own deadline (ThinkubeHttp.get), so a
        request that never completes cannot hold back later refreshes."""
        if self.inflight is None or self.inflight.done():
            self.inflight = asyncio.ensure_future(self._refresh())
        try:
            # shield: a waiter that gives up must not cancel the shared request.
            await asyncio.wait_for(asyncio.shield(self.inflight), self.control.timeout + 0.5)
        except asyncio.TimeoutError:
            pass

    async def _refresh(self):
        started = self.control.clock()
        try:
            response, body = await self.control.http.get(self.control.base_url + self.path, self.control.timeout)
            if response.code != 200:
                raise ValueError(f"HTTP {response.code}{thinkube_error_detail(response, body)}")
            value = self.parse(thinkube_loads(body))
        except Exception as error:  # noqa: BLE001 - nothing may escape into the hub
            self.failed_at = self.control.clock()
            kept = "no earlier answer, using the fallback from config"
            if self.fetched_at is not None:
                kept = f"keeping the answer from {self.failed_at - self.fetched_at:.0f} s ago"
            thinkube_log.warning(
                "thinkube-control %s unavailable (%s: %s): %s",
                self.path, type(error).__name__, thinkube_printable(error), kept,
            )
            return
        self.value = value
        self.fetched_at = self.control.clock()
        self.failed_at = None
        thinkube_log.info(
            "thinkube-control %s refreshed in %.0f ms: %s",
            self.path, (self.fetched_at - started) * 1000, self.describe(value),
        )


def thinkube_error_detail(response, body):
    """What an error answer says: where a redirect points (never followed), or
    the FastAPI {"detail": ...}, if there is one."""
    if 300 <= response.code < 400:
        return f", a redirect to {response.headers.get('Location', '?')[:120]} (not followed)"
    try:
        detail = json.loads(body).get("detail")
    except Exception:  # noqa: BLE001 - any body shape is possible
        return ""
    return f": {detail[:120]}" if isinstance(detail, str) else ""


def thinkube_control_paths():
    """The endpoint paths below the base URL, from custom.thinkubeControl.paths
    (lib/model/thinkube-control.ts, which preflight requests too)."""
    path = (lambda v: isinstance(v, str) and v.startswith("/"), "a path starting with /")
    return {
        "images": thinkube_setting("thinkubeControl.paths.images", path),
        "nodes": thinkube_setting("thinkubeControl.paths.nodes", path),
        "defaults": thinkube_setting("thinkubeControl.paths.defaults", path),
    }


class ThinkubeControl:
    """The three reads the spawn form needs, parameters from custom.thinkubeControl."""

    def __init__(self, base_url, timeout, ttl, clock=time.monotonic, paths=None):
        paths = paths or thinkube_control_paths()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.ttl = ttl
        # After a failure, don't ask again for a while: renders stay fast while
        # thinkube-control is down, and recovery is still noticed quickly.
        self.retry_after = min(10, ttl)
        self.clock = clock
        self.http = ThinkubeHttp()
        self.images = ThinkubeEndpoint(self, paths["images"], thinkube_parse_images,
                                       lambda v: f"{len(v)} images")
        self.nodes = ThinkubeEndpoint(self, paths["nodes"], thinkube_parse_nodes,
                                      lambda v: f"{len(v)} nodes")
        self.defaults = ThinkubeEndpoint(self, paths["defaults"], thinkube_parse_defaults,
                                         lambda v: f"defaults {v}")

    async def read(self):
        """All three answers, refreshed in parallel where due: {name: (value or
        None, age in seconds or None)}; None when no answer was ever usable."""
        endpoints = {"images": self.images, "nodes": self.nodes, "defaults": self.defaults}
        now = self.clock()
        due = [endpoint for endpoint in endpoints.values() if endpoint.due(now)]
        if due:
            await asyncio.gather(*(endpoint.refresh() for endpoint in due))
            now = self.clock()
        return {name: (e.value, e.age(now)) for name, e in endpoints.items()}


thinkube_control = ThinkubeControl(
    base_url=thinkube_setting("thinkubeControl.url", (
        lambda v: isinstance(v, str) and v.startswith(("http://", "https://")), "an http(s) URL")),
    timeout=thinkube_setting("thinkubeControl.timeoutSeconds", thinkube_at_least(0.1)),
    ttl=thinkube_setting("thinkubeControl.cacheTtlSeconds", thinkube_at_least(0)),
)
