"""Personal workspaces: a real KubeSpawner, configured from the synthesized
values, mounts each user's own folder of the shared notebooks claim
(subPath users/{escaped_username}), and the init container that creates it
gets the same folder; datasets and models stay shared whole."""

import pytest
from hub_spawner import browser_submission, new_spawner, render_form, spawn_manifest
from kubespawner.slugs import escape_slug

ANA = "Ana.Maria@example.org"


async def pod_for(hub, username):
    spawner = new_spawner(hub, name=username)
    form = await render_form(spawner)
    return await spawn_manifest(spawner, browser_submission(form))


def mounts(pod):
    (container,) = pod["spec"]["containers"]
    return {m["name"]: m for m in container["volumeMounts"]}


def init_env(pod, name):
    (init,) = [c for c in pod["spec"]["initContainers"] if c["name"] == name]
    return {e["name"]: e.get("value") for e in init.get("env", [])}


def test_each_user_mounts_their_own_escaped_folder(hub, run):
    alice, ana = run(pod_for(hub, "alice")), run(pod_for(hub, ANA))
    assert mounts(alice)["notebooks"]["subPath"] == "users/alice"
    # escapism as KubeSpawner's escape_slug does it: one-to-one, [a-z0-9-] only.
    assert mounts(ana)["notebooks"]["subPath"] == "users/-41na-2e-4daria-40example-2eorg"
    assert escape_slug(ANA) == "-41na-2e-4daria-40example-2eorg"
    for pod in (alice, ana):
        assert mounts(pod)["notebooks"]["mountPath"] == "/home/jovyan/thinkube/notebooks"
        assert mounts(pod)["notebooks"]["subPath"] == "users/" + escape_slug(pod["metadata"]["annotations"]["hub.jupyter.org/username"])


def test_lowercased_names_get_other_folders_than_their_capitalized_form(hub, run):
    # JupyterHub lowercases names by default; were it configured not to, "Ana"
    # and "ana" would still never share a folder.
    assert mounts(run(pod_for(hub, "Ana")))["notebooks"]["subPath"] != mounts(run(pod_for(hub, "ana")))["notebooks"]["subPath"]


def test_the_init_container_creates_the_folder_the_notebook_mounts(hub, run):
    for user in ("alice", ANA):
        pod = run(pod_for(hub, user))
        env = init_env(pod, "fix-permissions")
        assert env["NOTEBOOK_WORKSPACE"] == mounts(pod)["notebooks"]["subPath"]
        assert env["NOTEBOOK_OWNER"] == "1000:100"
        (init,) = [c for c in pod["spec"]["initContainers"] if c["name"] == "fix-permissions"]
        assert {m["mountPath"]: m["name"] for m in init["volumeMounts"]}["/mnt/notebooks"] == "notebooks"
        assert "subPath" not in {m["name"]: m for m in init["volumeMounts"]}["notebooks"]


def test_datasets_and_models_stay_shared(hub, run):
    pod = run(pod_for(hub, ANA))
    for name in ("datasets", "models"):
        assert "subPath" not in mounts(pod)[name]


@pytest.fixture
def shared_hub(hub_of):
    return hub_of("shared-notebooks-config.yaml")


def test_shared_notebooks_keeps_the_playbook_layout(shared_hub, run):
    pod = run(pod_for(shared_hub, ANA))
    assert "subPath" not in mounts(pod)["notebooks"]
    assert "NOTEBOOK_WORKSPACE" not in init_env(pod, "fix-permissions")
