"""thinkube-control is asked at most once per endpoint per TTL window, however
many forms render at once, and the three endpoints are read in parallel."""

import asyncio
import time

from hub_spawner import new_spawner, render_form

ONE_EACH = {"/images/jupyter": 1, "/cluster/resources": 1, "/jupyterhub/config": 1}


async def render_many(hub, count):
    spawners = [new_spawner(hub, name=f"user{i}") for i in range(count)]
    return await asyncio.gather(*(render_form(s) for s in spawners))


def test_concurrent_renders_share_one_request_per_endpoint(hub, fake_control, run):
    fake_control.scenario("ok", latency_ms=200)
    forms = run(render_many(hub, 20))
    assert fake_control.requests() == ONE_EACH
    assert len(set(forms)) == 1


def test_the_three_endpoints_are_read_in_parallel(hub, fake_control, run):
    fake_control.scenario("ok", latency_ms=300)

    async def timed():
        spawner = new_spawner(hub)
        started = time.monotonic()
        await render_form(spawner)
        return time.monotonic() - started

    # In series this would take 900 ms.
    assert run(timed()) < 0.6


def test_answers_are_reused_within_the_ttl_and_refreshed_after(hub, fake_control, clock, run):
    ttl = hub.values["custom"]["thinkubeControl"]["cacheTtlSeconds"]
    run(render_many(hub, 1))
    # Real time passes too: leave a margin a loaded machine cannot use up.
    clock.advance(ttl - 15)
    run(render_many(hub, 3))
    assert fake_control.requests() == ONE_EACH
    clock.advance(16)
    run(render_many(hub, 3))
    assert fake_control.requests() == {path: 2 for path in ONE_EACH}


def test_a_failing_endpoint_is_not_asked_again_at_once(hub, fake_control, clock, run):
    fake_control.scenario("error500")
    run(render_many(hub, 1))
    run(render_many(hub, 5))
    assert fake_control.requests() == ONE_EACH
    clock.advance(hub.namespace["thinkube_control"].retry_after + 1)
    fake_control.scenario("ok")
    forms = run(render_many(hub, 1))
    assert fake_control.requests() == {path: 2 for path in ONE_EACH}
    assert "Live cluster data is unavailable" not in forms[0]


def test_the_form_is_rendered_once_per_profile_list(hub, fake_control, clock, run):
    first, second = run(render_many(hub, 2))
    assert first is second
    fake_control.data({"/jupyterhub/config": {"default_cpu_cores": 2}})
    clock.advance(hub.values["custom"]["thinkubeControl"]["cacheTtlSeconds"] + 1)
    (third,) = run(render_many(hub, 1))
    assert third is not first
    assert 'value="2" selected' in third and 'value="4" selected' in first
