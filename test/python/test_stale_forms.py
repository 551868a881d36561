"""A spawn form is honoured for one cache TTL after it was shown. An older
form, or a REST API spawn long after a form was shown, is checked against
current data: an image withdrawn or a node removed since cannot be spawned."""

import pytest
from dataset import IMAGES, RESOURCES
from hub_spawner import (
    browser_submission,
    new_spawner,
    render_form,
    spawn_manifest,
    spawn_manifest_from_options,
)


def ttl_of(hub):
    return hub.values["custom"]["thinkubeControl"]["cacheTtlSeconds"]


async def shown_form(hub):
    spawner = new_spawner(hub)
    return spawner, await render_form(spawner)


def withdraw_gpu_image_and_node(fake_control):
    fake_control.data({
        "/images/jupyter": [image for image in IMAGES if image["name"] != "tk-jupyter-ml-gpu"],
        "/cluster/resources": [RESOURCES[1]],
    })


@pytest.mark.parametrize("withdrawn", [{"image": "tk-jupyter-ml-gpu"}, {"node": "gpu-node-1"}])
def test_an_expired_form_cannot_spawn_what_was_withdrawn(hub, fake_control, clock, run, withdrawn):
    async def scenario():
        spawner, form = await shown_form(hub)
        withdraw_gpu_image_and_node(fake_control)
        clock.advance(ttl_of(hub) + 1)
        choices = {"node": "cpu-node-1", **withdrawn}
        return await spawn_manifest(spawner, browser_submission(form, **choices))

    with pytest.raises(KeyError, match=next(iter(withdrawn.values()))):
        run(scenario())


def test_an_expired_form_still_spawns_what_exists(hub, fake_control, clock, run):
    async def scenario():
        spawner, form = await shown_form(hub)
        withdraw_gpu_image_and_node(fake_control)
        clock.advance(ttl_of(hub) + 1)
        return await spawn_manifest(spawner, browser_submission(form, image="tk-jupyter-ml-cpu", node="cpu-node-1"))

    pod = run(scenario())
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "cpu-node-1"}
    assert pod["spec"]["containers"][0]["image"].endswith("/tk-jupyter-ml-cpu:latest")


def test_a_rest_api_spawn_a_day_after_a_form_uses_current_data(hub, fake_control, clock, run):
    async def scenario():
        spawner, _ = await shown_form(hub)
        withdraw_gpu_image_and_node(fake_control)
        clock.advance(86400)
        # POST /users/alice/server with user_options, no form submitted.
        return await spawn_manifest_from_options(
            spawner, {"profile": "custom", "image": "tk-jupyter-ml-gpu", "node": "gpu-node-1"})

    with pytest.raises(KeyError, match="tk-jupyter-ml-gpu"):
        run(scenario())
