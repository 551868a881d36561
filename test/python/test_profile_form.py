"""The spawn form: one profile, five options built from thinkube-control's
answers, defaults clamped to what exists, and the same profiles at start."""

import pytest
from dataset import RESOURCES
from hub_spawner import (
    browser_submission,
    new_spawner,
    read_form,
    render_form,
    spawn_manifest,
    spawn_manifest_from_options,
)

PREFIX = "profile-option-custom--"


def options(form_html):
    """{option: ([choice values], selected value)} of the rendered form."""
    form = read_form(form_html)
    return {
        name[len(PREFIX):]: ([value for value, _, _ in choices],
                             next(value for value, _, selected in choices if selected))
        for name, choices in form.selects.items()
    }


def labels(form_html, option):
    return {value: label for value, label, _ in read_form(form_html).selects[PREFIX + option]}


async def form_for(hub):
    spawner = new_spawner(hub)
    return spawner, await render_form(spawner)


def test_one_profile_with_five_options(hub, run):
    _, form = run(form_for(hub))
    assert read_form(form).radios == [("profile", "custom", True)]
    assert "Custom Resource Allocation" in form
    found = options(form)
    assert list(found) == ["image", "node", "cpu", "memory", "gpu"]
    assert found["image"] == (["tk-jupyter-scipy", "tk-jupyter-ml-cpu", "tk-jupyter-ml-gpu"], "tk-jupyter-scipy")
    assert found["node"] == (["gpu-node-1", "cpu-node-1"], "gpu-node-1")
    # Ranges run from the minimum to the largest node's available resources.
    assert found["cpu"][0][0] == "1" and found["cpu"][0][-1] == "25" and found["cpu"][1] == "4"
    assert found["memory"][0][0] == "2" and found["memory"][0][-1] == "101" and found["memory"][1] == "8"
    assert found["gpu"] == (["0", "1"], "0")
    assert "Live cluster data is unavailable" not in form


def test_node_labels_show_availability_and_gpu_model(hub, run):
    _, form = run(form_for(hub))
    node_labels = labels(form, "node")
    assert node_labels["gpu-node-1"] == (
        "gpu-node-1: 25.5/32 CPU free, 101/125 GiB free, 1/2 GPU free (NVIDIA RTX A6000)")
    assert node_labels["cpu-node-1"] == "cpu-node-1: 14/16 CPU free, 58/62 GiB free"


def test_defaults_are_clamped_to_what_exists(hub, fake_control, run):
    fake_control.data({"/jupyterhub/config": {
        "default_node": "gpu-node-1", "default_cpu_cores": 128,
        "default_memory_gb": 1, "default_gpu_count": 8,
    }})
    _, form = run(form_for(hub))
    found = options(form)
    assert (found["cpu"][1], found["memory"][1], found["gpu"][1]) == ("25", "2", "1")


def test_missing_defaults_come_from_the_config(hub, fake_control, run):
    fake_control.data({"/jupyterhub/config": {"default_node": None}})
    _, form = run(form_for(hub))
    found = options(form)
    resources = hub.values["custom"]["resources"]
    assert found["cpu"][1] == str(resources["cpuLimit"])
    assert found["memory"][1] == str(resources["memoryLimitGi"])
    assert found["gpu"][1] == str(resources["gpuLimit"])
    assert found["node"][1] == "gpu-node-1"


def test_image_reference_falls_back_to_the_configured_registry(hub, fake_control, run):
    fake_control.data({"/images/jupyter": [{"name": "tk-jupyter-fine-tuning", "display_name": "Fine tuning"}]})

    async def spawn():
        spawner, form = await form_for(hub)
        return await spawn_manifest(spawner, browser_submission(form))

    pod = run(spawn())
    registry, project, tag = (hub.values["custom"]["images"][k] for k in ("registry", "project", "tag"))
    assert pod["spec"]["containers"][0]["image"] == f"{registry}/{project}/tk-jupyter-fine-tuning:{tag}"


def test_answers_are_escaped_in_the_form(hub, fake_control, run):
    fake_control.data({"/images/jupyter": [
        {"name": "tk-jupyter-scipy", "display_name": "<script>alert(1)</script>"},
        {"name": "bad name<script>", "display_name": "dropped"},
    ]})
    _, form = run(form_for(hub))
    assert "<script>alert" not in form
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in form
    assert options(form)["image"][0] == ["tk-jupyter-scipy"]


def test_a_choice_never_offered_is_rejected_by_kubespawner(hub, run):
    async def spawn():
        spawner, form = await form_for(hub)
        return await spawn_manifest(spawner, browser_submission(form, cpu="999"))

    with pytest.raises(KeyError, match="999"):
        run(spawn())


def test_start_sees_the_profiles_the_form_showed(hub, fake_control, clock, run):
    ttl = hub.values["custom"]["thinkubeControl"]["cacheTtlSeconds"]

    async def scenario():
        await form_for(hub)
        clock.advance(ttl - 1)
        spawner, form = await form_for(hub)
        offered, _ = spawner._thinkube_profiles
        # Between form and start the node is replaced and the cache expires;
        # the form is 2 s old.
        fake_control.data({"/cluster/resources": [dict(RESOURCES[0], name="new-node")]})
        clock.advance(2)
        seen_at_start = []
        profile_list = spawner.profile_list

        async def recording(s):
            seen_at_start.append(await profile_list(s))
            return seen_at_start[-1]

        spawner.profile_list = recording
        pod = await spawn_manifest(spawner, browser_submission(form, node="gpu-node-1", gpu="1"))
        # The next form (no spawn pending) shows the new data.
        spawner._spawn_pending = False
        later = options(await render_form(spawner))
        return offered, seen_at_start, pod, later

    offered, seen_at_start, pod, later = run(scenario())
    assert seen_at_start == [offered] and seen_at_start[0] is offered
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "gpu-node-1"}
    assert pod["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert later["node"][0] == ["new-node"]


def test_a_spawn_without_a_form_gets_fresh_profiles(hub, fake_control, clock, run):
    async def scenario():
        spawner, form = await form_for(hub)
        await spawn_manifest(spawner, browser_submission(form))
        spawner._spawn_pending = False
        fake_control.data({"/cluster/resources": [dict(RESOURCES[0], name="new-node")]})
        clock.advance(3600)
        # A REST API spawn: user_options straight from the request, no form.
        return await spawn_manifest_from_options(spawner, {"profile": "custom", "node": "new-node"})

    pod = run(scenario())
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "new-node"}


def test_unusable_nodes_are_left_out_and_the_rest_offered(hub, fake_control, run):
    fake_control.data({"/cluster/resources": [
        dict(RESOURCES[0], available={"cpu": 1e12, "memory": "8Gi", "gpu": 1}),
        dict(RESOURCES[0], name="Not_A_Node"),
        dict(RESOURCES[1], available={"cpu": "6", "memory": "12Gi", "gpu": 10**9}),
    ]})
    _, form = run(form_for(hub))
    found = options(form)
    assert found["node"][0] == ["cpu-node-1"]
    assert found["cpu"][0][-1] == "6" and found["memory"][0][-1] == "12"
    assert found["gpu"][0] == ["0"]
    assert "Live cluster data is unavailable" not in form
