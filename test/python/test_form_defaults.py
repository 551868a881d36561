"""The untouched form always spawns: its CPU, memory and GPU defaults fit the
node it selects, and a node that reports no GPU capacity offers no GPU."""

import pytest
from dataset import RESOURCES
from hub_spawner import browser_submission, new_spawner, read_form, render_form, spawn_manifest

GIB = 2**30
PREFIX = "profile-option-custom--"


def choices(form, option):
    return [value for value, _, _ in read_form(form).selects[PREFIX + option]]


async def untouched_spawn(hub):
    spawner = new_spawner(hub)
    form = await render_form(spawner)
    return form, await spawn_manifest(spawner, browser_submission(form))


@pytest.mark.parametrize("default_node", ["cpu-node-1", "removed-node"])
def test_defaults_are_clamped_to_the_node_the_form_selects(hub, fake_control, run, default_node):
    # thinkube-control's defaults fit the GPU node, not the CPU-only node the
    # form selects (named, or the first when the named one is gone).
    fake_control.data({
        "/cluster/resources": [RESOURCES[1], RESOURCES[0]],
        "/jupyterhub/config": {"default_node": default_node, "default_cpu_cores": 24,
                               "default_memory_gb": 100, "default_gpu_count": 1},
    })
    form, pod = run(untouched_spawn(hub))
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "cpu-node-1"}
    limits = pod["spec"]["containers"][0]["resources"]["limits"]
    assert limits == {"cpu": 14.0, "memory": 58 * GIB}
    # The larger node's sizes stay on offer.
    assert choices(form, "cpu")[-1] == "25" and choices(form, "gpu") == ["0", "1"]


def test_a_gpu_node_without_capacity_offers_no_gpu(hub, fake_control, run):
    no_capacity = {key: value for key, value in RESOURCES[0].items() if key != "capacity"}
    no_gpu_capacity = dict(RESOURCES[0], name="gpu-node-2", capacity={"cpu": 32, "memory": "125Gi"})
    fake_control.data({
        "/cluster/resources": [no_capacity, no_gpu_capacity],
        "/jupyterhub/config": {"default_node": "gpu-node-1", "default_gpu_count": 1},
    })
    form, pod = run(untouched_spawn(hub))
    assert choices(form, "node") == ["gpu-node-1", "gpu-node-2"]
    assert choices(form, "gpu") == ["0"]
    assert "nvidia.com/gpu" not in pod["spec"]["containers"][0]["resources"]["limits"]
