#!/usr/bin/env python3
"""Benchmark of the spawn form's thinkube-control reads (issue 3, "Speed").

Run: bash bench/hub-profiles.sh [--report-only]  (the hub-runtime venv's python;
exit 1 when a target is missed unless --report-only).

The hub configuration is the real one: the app is synthesized against a fake
thinkube-control (test/support/fake-thinkube-control) with the default config
(timeout 2 s, TTL 60 s), the values are loaded as the chart loads them, and
every render is KubeSpawner's get_options_form() on a real KubeSpawner.

Measured in one run, 100 concurrent form renders per round:
- ours, cold cache, thinkube-control answering after 200 ms;
- ours, warm cache (same TTL window);
- baseline: a re-implementation of the original hub code's behaviour (three
  sequential requests per render, no cache, KubeSpawner's default form
  rendering), same 200 ms; it is given the same async HTTP client, so it is
  not charged for the original's blocking calls;
- ours with thinkube-control down (connection closed) and hanging (answers
  after 10 s, past the timeout).
Latency of a render = from the moment all renders start to its completion.

Then the hub under attack (issue 14): for each hostile answer of the fake
thinkube-control (test/support/fake-thinkube-control/hostile.py) and each of tornado's
clients (curl, as the chart configures it, and the simple client), rounds of
100 concurrent renders with an empty cache, at the default timeout. Reported:
the hub process's peak resident memory above its level before the attack
(VmHWM, so libcurl's and zlib's buffers count), the longest event-loop stall,
and the slowest render. Target: growth < 50 MiB.
The objects made during set-up are moved out of the garbage collector's way
(gc.freeze) so that a full collection of the set-up heap doesn't land in a
round at random.
The tornado HTTP client is the one the chart's config configures (curl), with
max_clients=128 for every phase.
"""

import asyncio
import gc
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "test" / "python"), str(REPO / "test" / "support" / "hub")]

from chart_hub import load_hub_config, synthesize  # noqa: E402
from event_loop_stall import stalls_during  # noqa: E402
from fake_control import FakeControl  # noqa: E402
from http_clients import CLIENTS, configured_client, pycurl_problem  # noqa: E402
from hub_spawner import new_spawner  # noqa: E402
from peak_memory import PeakGrowth  # noqa: E402
from tornado.httpclient import AsyncHTTPClient  # noqa: E402

RENDERS = 100
ROUNDS = 5
LATENCY_MS = 200
TARGET_COLD_MS = 300
TARGET_WARM_MS = 20
ATTACKS = ("endless", "endlessChunked", "endlessHeaders", "gzipBomb", "huge", "drip",
           "redirectDead", "hugeNumbers", "error500Control")
ATTACK_ROUNDS = 3
TARGET_ATTACK_GROWTH_MIB = 50


def p99(samples):
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


async def concurrent_renders(spawners):
    started = time.monotonic()

    async def one(spawner):
        await spawner.get_options_form()
        return (time.monotonic() - started) * 1000

    return await asyncio.gather(*(one(s) for s in spawners))


def baseline_profile_list(hub):
    """The original behaviour: on every call, three requests one after the
    other (10 s timeouts), no cache; the profile is built by the same builder."""
    ns = hub.namespace
    control = ns["thinkube_control"]

    async def fetch(path):
        response = await AsyncHTTPClient().fetch(control.base_url + path, request_timeout=10)
        return json.loads(response.body)

    async def profile_list(spawner):
        images = ns["thinkube_parse_images"](await fetch("/images/jupyter"))
        nodes = ns["thinkube_parse_nodes"](await fetch("/cluster/resources"))
        defaults = ns["thinkube_parse_defaults"](await fetch("/jupyterhub/config"))
        return ns["thinkube_build_profiles"](
            {"images": (images, 0), "nodes": (nodes, 0), "defaults": (defaults, 0)})

    return profile_list


def fresh_cache(hub):
    """A new reader (empty cache), as after a hub restart."""
    old = hub.namespace["thinkube_control"]
    hub.namespace["thinkube_control"] = type(old)(old.base_url, old.timeout, old.ttl)


def upstream(fake, before):
    now = fake.requests()
    return sum(now.values()) - sum(before.values()), now


async def measure(hub, fake):
    spawners = [new_spawner(hub, name=f"user{i}") for i in range(RENDERS)]
    # The set-up (100 users, each with its own in-memory hub database) leaves a
    # large heap whose full collections would land at random in the rounds.
    gc.collect()
    gc.freeze()
    results = {}

    def record(name, latencies, requests):
        results.setdefault(name, []).append((p99(latencies), max(latencies), requests))

    fake.scenario("ok", latency_ms=LATENCY_MS)
    for _ in range(ROUNDS):
        fresh_cache(hub)
        before = fake.requests()
        record("ours cold", await concurrent_renders(spawners), upstream(fake, before)[0])
        before = fake.requests()
        record("ours warm", await concurrent_renders(spawners), upstream(fake, before)[0])

    baseline = baseline_profile_list(hub)
    originals = [(s.profile_list, s.options_form) for s in spawners]
    for spawner in spawners:
        spawner.profile_list = baseline
        spawner.options_form = spawner._render_options_form_dynamically
    for _ in range(ROUNDS):
        before = fake.requests()
        record("baseline", await concurrent_renders(spawners), upstream(fake, before)[0])
    for spawner, (profile_list, options_form) in zip(spawners, originals, strict=True):
        spawner.profile_list, spawner.options_form = profile_list, options_form

    for scenario, latency, name in (("down", 0, "ours down"), ("slow", 10_000, "ours hanging")):
        fake.scenario(scenario, latency_ms=latency)
        for _ in range(ROUNDS):
            fresh_cache(hub)
            before = fake.requests()
            record(name, await concurrent_renders(spawners), upstream(fake, before)[0])
    return results


async def attack_rounds(hub, spawners):
    """The slowest render (ms) of ATTACK_ROUNDS rounds, each with an empty cache."""
    slowest = 0.0
    for _ in range(ATTACK_ROUNDS):
        fresh_cache(hub)
        slowest = max(slowest, max(await concurrent_renders(spawners)))
    return slowest


async def measure_attacks(hub, fake):
    """{(client, attack): (growth MiB, longest stall ms, slowest render ms)}."""
    clients = [name for name in CLIENTS if name != "curl" or not pycurl_problem()]
    spawners = [new_spawner(hub, name=f"attacked{i}") for i in range(RENDERS)]
    gc.collect()
    gc.freeze()
    results = {}
    for client in clients:
        with configured_client(CLIENTS[client]):
            AsyncHTTPClient.configure(AsyncHTTPClient.configured_class(), max_clients=128)
            for attack in ATTACKS:
                fake.scenario(attack)
                if attack in ("gzipBomb", "huge"):
                    fake.read_all()
                gc.collect()
                with PeakGrowth() as growth:
                    slowest, stall = await stalls_during(attack_rounds(hub, spawners))
                results[(client, attack)] = (growth.mib, stall * 1000, slowest)
    fake.scenario("ok")
    return results


def report_attacks(results):
    clients = sorted({client for client, _ in results})
    print(f"\nhub under attack: {RENDERS} concurrent renders x {ATTACK_ROUNDS} rounds, empty cache "
          f"each round; clients: {', '.join(clients)}"
          + ("" if "curl" in clients else f" (curl NOT measured: pycurl missing: {pycurl_problem()})"))
    print(f"{'client':<8} {'attack':<16} {'peak growth MiB':>16} {'max stall ms':>13} {'slowest render ms':>18}")
    for (client, attack), (growth, stall, slowest) in results.items():
        print(f"{client:<8} {attack:<16} {growth:>16.1f} {stall:>13.0f} {slowest:>18.0f}")
    worst = max(growth for growth, _, _ in results.values())
    ok = worst < TARGET_ATTACK_GROWTH_MIB
    print(f"{'PASS' if ok else 'FAIL'}  hub memory growth under attack < {TARGET_ATTACK_GROWTH_MIB} MiB "
          f"(worst {worst:.1f} MiB)")
    return ok


def median(rows, index):
    return statistics.median(row[index] for row in rows)


def report(results, timeout_s):
    print(f"\n{RENDERS} concurrent spawn-form renders per round, {ROUNDS} rounds; "
          f"thinkube-control latency {LATENCY_MS} ms; timeout {timeout_s} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'phase':<14} {'p99 ms (rounds)':<28} {'median p99':>10} {'max ms':>8} {'upstream requests':>18}")
    for name, rows in results.items():
        p99s = " ".join(f"{row[0]:.1f}" for row in rows)
        requests = "/".join(str(row[2]) for row in rows)
        print(f"{name:<14} {p99s:<28} {median(rows, 0):>10.1f} {median(rows, 1):>8.1f} {requests:>18}")
    cold, warm, base = (median(results[k], 0) for k in ("ours cold", "ours warm", "baseline"))
    print(f"\nratio baseline p99 / ours cold p99: {base / cold:.1f}x")
    print(f"ratio baseline p99 / ours warm p99: {base / warm:.1f}x")
    print(f"upstream requests per round: baseline {results['baseline'][0][2]}, "
          f"ours cold {results['ours cold'][0][2]}, ours warm {results['ours warm'][0][2]}")
    bound = timeout_s * 1000 + 100
    checks = [
        (f"cold p99 < {TARGET_COLD_MS} ms", cold < TARGET_COLD_MS),
        (f"warm p99 < {TARGET_WARM_MS} ms", warm < TARGET_WARM_MS),
        ("<= 1 upstream request per endpoint per TTL window",
         all(r[2] <= 3 for r in results["ours cold"]) and all(r[2] == 0 for r in results["ours warm"])),
        (f"down p99 < {bound:.0f} ms", median(results["ours down"], 0) < bound),
        (f"hanging p99 < {bound:.0f} ms", median(results["ours hanging"], 0) < bound),
    ]
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return all(ok for _, ok in checks)


def main():
    # The hub logs one WARNING per fallback by design; hundreds of them would bury the table.
    # (alembic re-configures its own loggers on every new hub database, so levels do not hold.)
    logging.disable(logging.WARNING)
    fake = FakeControl()
    try:
        values = synthesize({
            "THINKUBE_JH_CONFIG": str(REPO / "test" / "python" / "empty-config.yaml"),
            "THINKUBE_CONTROL_URL": fake.base_url,
        })
        hub = load_hub_config(values)
        # The client the chart's config chose (curl), with room for a round's renders.
        AsyncHTTPClient.configure(AsyncHTTPClient.configured_class(), max_clients=128)
        results = asyncio.run(measure(hub, fake))
        attacks = asyncio.run(measure_attacks(hub, fake))
    finally:
        fake.stop()
    ok = report(results, hub.namespace["thinkube_control"].timeout)
    ok = report_attacks(attacks) and ok
    sys.exit(0 if ok or "--report-only" in sys.argv else 1)


if __name__ == "__main__":
    main()
