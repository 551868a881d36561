"""How the hub talks to thinkube-control: no redirect is followed, no request
can hold back later refreshes, and a slow DNS holds only the hub's own lookup
threads. On tornado's clients, through a real KubeSpawner."""

import asyncio
import socket
import threading

import pytest
from http_clients import CLIENTS, configured_client, http_client  # noqa: F401 - a fixture
from hub_log import hub_log, warnings_of  # noqa: F401 - a fixture
from hub_spawner import new_spawner, render_form
from tornado.httpclient import AsyncHTTPClient

NOTICE = "Live cluster data is unavailable"


async def render(hub):
    return await render_form(new_spawner(hub))


def retry_after(hub):
    return hub.namespace["thinkube_control"].retry_after


def test_a_redirect_is_not_followed_and_later_refreshes_happen(
        hub, fake_control, clock, http_client, run, hub_log):
    async def scenario():
        fake_control.scenario("redirectDead")
        during = await render(hub)
        fake_control.scenario("ok")
        clock.advance(retry_after(hub) + 1)
        return during, await render(hub)

    during, after = run(scenario())
    assert f"{NOTICE}: showing defaults from the configuration for: images, nodes, defaults." in during
    assert NOTICE not in after
    redirects = [w for w in warnings_of(hub_log) if "HTTP 302, a redirect to http://127.0.0.1:" in w]
    assert len(redirects) == 3 and all("(not followed)" in w for w in redirects)


class SilentClient(AsyncHTTPClient):
    """A tornado client whose requests never complete, as the simple client's
    after a redirect to a dead target did: the fetch future is never resolved."""

    def fetch_impl(self, request, callback):
        pass


def test_a_request_that_never_completes_does_not_block_later_refreshes(hub, fake_control, clock, run):
    async def scenario():
        with configured_client(SilentClient):
            during = await render(hub)
        clock.advance(retry_after(hub) + 1)
        with configured_client(CLIENTS["simple"]):
            return during, await render(hub)

    during, after = run(scenario())
    assert NOTICE in during
    assert NOTICE not in after


def test_slow_dns_leaves_the_default_thread_pool_to_the_hub(hub, fake_control, clock, run, monkeypatch):
    # getaddrinfo as a DNS server that does not answer makes it behave: each
    # lookup of thinkube-control's name holds its thread (here until the test ends).
    released = threading.Event()
    getaddrinfo = socket.getaddrinfo

    def slow_getaddrinfo(host, *args, **kwargs):
        if host == "thinkube-control.slow-dns.test":
            released.wait(10)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_getaddrinfo)
    control = hub.namespace["thinkube_control"]
    port = fake_control.base_url.split(":")[2].split("/")[0]
    control.base_url = f"http://thinkube-control.slow-dns.test:{port}/api/v1"

    async def scenario():
        # Four rounds of three lookups: more than the default pool's threads.
        for _ in range(4):
            form = await render(hub)
            assert NOTICE in form
            clock.advance(control.retry_after + 1)
        # Any lookup elsewhere in the hub (aiohttp's, the kubernetes client's)
        # goes through the event loop's default pool.
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.wait_for(loop.getaddrinfo("127.0.0.1", 80), 5)
        return loop.time() - started

    try:
        with configured_client(CLIENTS["simple"]):
            waited = run(scenario())
    except asyncio.TimeoutError:
        pytest.fail("an unrelated lookup waited more than 5 s for the default thread pool")
    finally:
        released.set()
    assert waited < 0.5
