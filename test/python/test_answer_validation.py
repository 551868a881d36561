"""What thinkube-control says is checked entry by entry: names must match in
full and fit Kubernetes' and registries' length limits, one absurd number
costs only its entry, display text loses control characters, and text that
reaches the hub's log cannot forge log lines."""

from dataset import IMAGES, RESOURCES
from hub_log import hub_log, warnings_of  # noqa: F401 - a fixture
from hub_spawner import browser_submission, new_spawner, read_form, render_form, spawn_manifest

NOTICE = "Live cluster data is unavailable"
PREFIX = "profile-option-custom--"


def choices(form, option):
    return [value for value, _, _ in read_form(form).selects[PREFIX + option]]


def labels(form, option):
    return {value: label for value, label, _ in read_form(form).selects[PREFIX + option]}


def selected(form, option):
    return next(value for value, _, chosen in read_form(form).selects[PREFIX + option] if chosen)


async def form_and_spawner(hub):
    spawner = new_spawner(hub)
    return spawner, await render_form(spawner)


def form_of(hub, run):
    return run(form_and_spawner(hub))[1]


def test_names_with_a_trailing_newline_are_refused(hub, fake_control, run):
    fake_control.data({
        "/images/jupyter": [dict(IMAGES[0], name="tk-jupyter-scipy\n"), IMAGES[1]],
        "/cluster/resources": [dict(RESOURCES[0], name="gpu-node-1\n"), RESOURCES[1]],
        "/jupyterhub/config": {"default_node": "cpu-node-1\n", "default_cpu_cores": 2},
    })
    form = form_of(hub, run)
    assert choices(form, "image") == ["tk-jupyter-ml-cpu"]
    assert choices(form, "node") == ["cpu-node-1"]
    assert NOTICE not in form


def test_registry_metadata_with_a_trailing_newline_is_not_used(hub, fake_control, run):
    metadata = dict(IMAGES[0]["metadata"], registry="evil.example.com\n", repository="library/x\n")
    fake_control.data({"/images/jupyter": [dict(IMAGES[0], metadata=metadata)]})

    async def spawn():
        spawner, form = await form_and_spawner(hub)
        return await spawn_manifest(spawner, browser_submission(form))

    pod = run(spawn())
    registry, project, tag = (hub.values["custom"]["images"][k] for k in ("registry", "project", "tag"))
    assert pod["spec"]["containers"][0]["image"] == f"{registry}/{project}/tk-jupyter-scipy:{tag}"


def test_node_names_longer_than_a_label_value_are_refused(hub, fake_control, run):
    longest = "n" * 63
    fake_control.data({"/cluster/resources": [dict(RESOURCES[1], name="n" * 64), dict(RESOURCES[1], name=longest)]})

    async def spawn():
        spawner, form = await form_and_spawner(hub)
        return form, await spawn_manifest(spawner, browser_submission(form))

    form, pod = run(spawn())
    assert choices(form, "node") == [longest]
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": longest}


def test_image_references_longer_than_a_registry_accepts_are_refused(hub, fake_control, run):
    custom = hub.values["custom"]["images"]
    prefix = len(f"{custom['registry']}/{custom['project']}/")
    fits, too_long = "a" * (255 - prefix), "b" * (256 - prefix)
    long_metadata = dict(IMAGES[1]["metadata"], repository="library/" + "c" * 250)
    fake_control.data({"/images/jupyter": [
        {"name": fits}, {"name": too_long}, dict(IMAGES[1], metadata=long_metadata),
    ]})

    async def spawn():
        spawner, form = await form_and_spawner(hub)
        return form, await spawn_manifest(spawner, browser_submission(form, image="tk-jupyter-ml-cpu"))

    form, pod = run(spawn())
    assert choices(form, "image") == [fits, "tk-jupyter-ml-cpu"]
    # The over-long metadata is ignored: the reference comes from the config.
    image = pod["spec"]["containers"][0]["image"]
    assert image == f"{custom['registry']}/{custom['project']}/tk-jupyter-ml-cpu:{custom['tag']}"


def test_one_absurd_number_costs_only_its_entry(hub, fake_control, run):
    # Each answer holds a 401-digit and a 5000-digit integer in one entry or field.
    fake_control.scenario("hugeNumbers")
    form = form_of(hub, run)
    assert NOTICE not in form
    assert choices(form, "node") == ["gpu-node-1", "cpu-node-1"]
    assert choices(form, "image") == ["tk-jupyter-big", "tk-jupyter-huge", "tk-jupyter-scipy",
                                      "tk-jupyter-ml-cpu", "tk-jupyter-ml-gpu"]
    resources = hub.values["custom"]["resources"]
    # The absurd defaults fall back to the config; the sane ones stay.
    assert selected(form, "cpu") == str(resources["cpuLimit"])
    assert selected(form, "gpu") == str(resources["gpuLimit"])
    assert selected(form, "memory") == "8"
    assert selected(form, "node") == "gpu-node-1"


def test_display_text_loses_control_and_format_characters(hub, fake_control, run):
    fake_control.data({
        "/images/jupyter": [dict(IMAGES[0], display_name="Scientific\u202eyhtnoP\n\x1b[31m")],
        "/cluster/resources": [dict(RESOURCES[0], gpu_details=[{"model": "RTX\u2028A6000\x00"}])],
    })
    form = form_of(hub, run)
    assert labels(form, "image") == {"tk-jupyter-scipy": "ScientificyhtnoP[31m"}
    assert labels(form, "node")["gpu-node-1"].endswith("(RTXA6000)")


def test_control_characters_from_thinkube_control_are_escaped_in_the_log(hub, fake_control, run, hub_log):
    fake_control.scenario("error500Control")
    form_of(hub, run)
    warnings = warnings_of(hub_log)
    assert len(warnings) == 3
    for warning in warnings:
        assert "HTTP 500: boom\\n[E 2026-01-01 00:00:00.000 JupyterHub app:1] forged" in warning
        assert "\\r\\x1b[2K\\x1b[31mred" in warning and "\\u2028\\u202eevil\\x00" in warning
        assert not any(ch in warning for ch in "\n\r\x1b\u2028\u202e\x00")
