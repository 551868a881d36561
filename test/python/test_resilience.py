"""Whatever thinkube-control does, the hub keeps serving a usable form within a
bounded time, with a visible notice when the data is not live."""

import logging
import socket
import time

import pytest
from dataset import RESOURCES
from hub_log import hub_log  # noqa: F401 - a fixture
from hub_spawner import browser_submission, new_spawner, read_form, render_form, spawn_manifest

NOTICE = "Live cluster data is unavailable"
GIB = 2**30
FAULTS = ["slow", "down", "error500", "empty", "malformed", "wrongTypes"]


async def timed_form(hub):
    spawner = new_spawner(hub)
    started = time.monotonic()
    form = await render_form(spawner)
    return spawner, form, time.monotonic() - started


async def form_and_pod(hub):
    spawner, form, elapsed = await timed_form(hub)
    pod = await spawn_manifest(spawner, browser_submission(form))
    return form, pod, elapsed


def selects(form):
    return {name.rsplit("--", 1)[-1]: [value for value, _, _ in choices]
            for name, choices in read_form(form).selects.items()}


def timeout_of(hub):
    return hub.values["custom"]["thinkubeControl"]["timeoutSeconds"]


def assert_fallback_form(hub, form, pod):
    custom = hub.values["custom"]
    assert NOTICE in form
    assert selects(form)["image"] == custom["images"]["fallback"]
    assert selects(form)["node"] == ["any"]
    container = pod["spec"]["containers"][0]
    registry, project, tag = (custom["images"][k] for k in ("registry", "project", "tag"))
    assert container["image"] == f"{registry}/{project}/tk-jupyter-scipy:{tag}"
    assert "nodeSelector" not in pod["spec"] or not pod["spec"]["nodeSelector"]
    resources = custom["resources"]
    assert container["resources"]["limits"] == {
        "cpu": float(resources["cpuLimit"]), "memory": resources["memoryLimitGi"] * GIB}


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_without_cache_serves_the_fallback_profile(hub, fake_control, run, fault):
    fake_control.scenario(fault, latency_ms=3000 if fault == "slow" else None)
    form, pod, elapsed = run(form_and_pod(hub))
    assert_fallback_form(hub, form, pod)
    assert elapsed < timeout_of(hub) + 0.3


def test_unreachable_host_serves_the_fallback_profile(hub, run):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    hub.namespace["thinkube_control"].base_url = f"http://127.0.0.1:{closed_port}/api/v1"
    form, pod, elapsed = run(form_and_pod(hub))
    assert_fallback_form(hub, form, pod)
    assert elapsed < timeout_of(hub) + 0.3


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_after_a_good_answer_serves_the_last_good_answer(hub, fake_control, clock, run, fault):
    run(timed_form(hub))
    fake_control.scenario(fault, latency_ms=3000 if fault == "slow" else None)
    clock.advance(hub.values["custom"]["thinkubeControl"]["cacheTtlSeconds"] + 1)
    form, pod, elapsed = run(form_and_pod(hub))
    assert elapsed < timeout_of(hub) + 0.3
    assert f"{NOTICE}: showing the last known" in form
    assert selects(form)["node"] == ["gpu-node-1", "cpu-node-1"]
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "gpu-node-1"}


def test_one_endpoint_down_keeps_the_others_live(hub, fake_control, run):
    fake_control.scenario("error500", endpoints=["/cluster/resources"])
    form, pod, _ = run(form_and_pod(hub))
    assert f"{NOTICE}: showing defaults from the configuration for: nodes." in form
    assert selects(form)["image"] == ["tk-jupyter-scipy", "tk-jupyter-ml-cpu", "tk-jupyter-ml-gpu"]
    assert selects(form)["node"] == ["any"]


def test_default_node_that_no_longer_exists(hub, fake_control, run):
    fake_control.data({"/cluster/resources": [RESOURCES[1], RESOURCES[0]]})
    fake_control.scenario("missingDefaultNode")
    form, pod, _ = run(form_and_pod(hub))
    assert NOTICE not in form
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "cpu-node-1"}


def test_logging_info_per_refresh_warning_on_fallback(hub, fake_control, clock, run, hub_log):
    caplog = hub_log
    run(timed_form(hub))
    refreshed = [r for r in caplog.records if r.levelno == logging.INFO]
    assert len(refreshed) == 3
    assert all("refreshed" in r.getMessage() for r in refreshed)
    caplog.clear()
    fake_control.scenario("error500")
    clock.advance(3600)
    run(timed_form(hub))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3
    assert all("HTTP 500" in w and "keeping the answer from" in w for w in warnings)
