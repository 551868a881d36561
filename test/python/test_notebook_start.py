"""Each image family starts as its entrypoint needs: a real KubeSpawner,
configured from the synthesized values, builds the pod for an image of each
family chosen in the spawn form, and refuses an image of no known family
before any pod exists. (That the images' real entrypoints run these pods is
proven on a node: issue 10's node tests reuse lib/values/notebook-start.ts.)"""

import re

import pytest
from hub_spawner import browser_submission, new_spawner, render_form, spawn_manifest, spawn_manifest_from_options

SERVICE_ENV = "/home/jovyan/.config/thinkube/service-env.sh"


async def spawn(hub, **choices):
    spawner = new_spawner(hub)
    form = await render_form(spawner)
    return await spawn_manifest(spawner, browser_submission(form, **choices))


def notebook(pod):
    (container,) = pod["spec"]["containers"]
    return container


def singleuser_script(args):
    """The bash -c script of the args, and what bash passes it as $0 and $@."""
    at = args.index("-c")
    return args[at + 1], args[at + 2], args[at + 3:]


def assert_sources_env_then_execs_singleuser_never_as_root(container):
    args = container["args"]
    script, name, rest = singleuser_script(args)
    assert args[args.index("-c") - 1] == "bash"
    guard = script.index('if [ "$(id -u)" = 0 ]; then')
    source = script.index('. "$THINKUBE_SERVICE_ENV_FILE"')
    start = script.index('exec jupyterhub-singleuser "$@"')
    assert guard < source < start
    assert name == "jupyterhub-singleuser"
    # KubeSpawner's own arguments follow, and reach jupyterhub-singleuser as "$@".
    assert rest == [] or all(a.startswith("--") for a in rest)
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["THINKUBE_SERVICE_ENV_FILE"] == SERVICE_ENV
    assert "command" not in container, "the image's ENTRYPOINT must stay"


def test_docker_stacks_images_start_sh_as_root_for_grant_sudo(hub, run):
    pod = run(spawn(hub, image="tk-jupyter-scipy"))
    container = notebook(pod)
    assert container["image"].endswith("/tk-jupyter-scipy:latest")
    assert container["args"][:3] == ["start.sh", "bash", "-c"]
    assert container["securityContext"]["runAsUser"] == 0
    assert container["securityContext"]["allowPrivilegeEscalation"] is True
    assert {e["name"]: e.get("value") for e in container["env"]}["GRANT_SUDO"] == "yes"
    assert pod["spec"]["securityContext"]["fsGroup"] == 100
    assert_sources_env_then_execs_singleuser_never_as_root(container)


@pytest.mark.parametrize("image", ["tk-jupyter-ml-cpu", "tk-jupyter-ml-gpu"])
def test_thinkube_images_keep_startup_sh_as_uid_1000(hub, run, image):
    pod = run(spawn(hub, image=image))
    container = notebook(pod)
    assert container["image"].endswith(f"/{image}:latest")
    assert container["args"][:2] == ["bash", "-c"]
    assert "start.sh" not in container["args"]
    assert container["securityContext"]["runAsUser"] == 1000
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert pod["spec"]["securityContext"]["fsGroup"] == 100
    assert_sources_env_then_execs_singleuser_never_as_root(container)


def test_switching_images_in_one_hub_gives_each_its_own_start(hub, run):
    scipy = notebook(run(spawn(hub, image="tk-jupyter-scipy")))
    gpu = notebook(run(spawn(hub, image="tk-jupyter-ml-gpu")))
    assert (scipy["securityContext"]["runAsUser"], gpu["securityContext"]["runAsUser"]) == (0, 1000)
    assert scipy["args"][1:] == gpu["args"]


def test_the_chart_default_image_starts_as_its_family(hub):
    values = hub.values["singleuser"]
    starts = hub.values["custom"]["notebookStart"]
    family = starts["families"][values["image"]["name"].rsplit("/", 1)[-1]]
    assert family == "docker-stacks"
    assert (values["uid"], values["allowPrivilegeEscalation"], values["cmd"]) == (
        starts["starts"][family]["uid"], starts["starts"][family]["allowPrivilegeEscalation"],
        starts["starts"][family]["cmd"])


UNKNOWN = ("image tk-jupyter-mystery has no start family, so the hub cannot tell how to start it: "
           "add it to images.families in jupyterhub.config.yaml")


@pytest.fixture
def mystery_image(fake_control):
    images = [{"name": "tk-jupyter-mystery", "display_name": "Mystery", "default": True},
              {"name": "tk-jupyter-ml-gpu", "display_name": "GPU"}]
    fake_control.data({"/images/jupyter": images})


async def submit_form(hub, **choices):
    spawner = new_spawner(hub)
    form = await render_form(spawner)
    return spawner.run_options_from_form(browser_submission(form, **choices))


async def spawn_through_the_api(hub, user_options):
    spawner = new_spawner(hub)
    await render_form(spawner)
    return await spawn_manifest_from_options(spawner, user_options)


def test_the_form_refuses_an_image_of_no_known_family_naming_it_and_the_fix(hub, run, mystery_image):
    # Refused while reading the form: JupyterHub shows the form again with the
    # message, and no failed spawn counts towards consecutive_failure_limit.
    with pytest.raises(ValueError, match=re.escape(UNKNOWN)):
        run(submit_form(hub, image="tk-jupyter-mystery"))
    # The other images of the same answer still start.
    assert notebook(run(spawn(hub, image="tk-jupyter-ml-gpu")))["securityContext"]["runAsUser"] == 1000


def test_the_rest_api_spawn_of_an_image_of_no_known_family_fails_before_any_pod(hub, run, mystery_image):
    with pytest.raises(ValueError, match=re.escape(UNKNOWN)):
        run(spawn_through_the_api(hub, {"profile": "custom", "image": "tk-jupyter-mystery"}))
