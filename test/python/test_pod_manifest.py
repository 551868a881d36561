"""The user's choices become the pod: a real KubeSpawner, configured exactly as
the synthesized values configure the hub, builds the pod it would create."""

import re

import pytest
from hub_spawner import browser_submission, new_spawner, render_form, spawn_manifest

GIB = 2**30
HOME = "/home/jovyan"


async def spawn(hub, **choices):
    spawner = new_spawner(hub)
    form = await render_form(spawner)
    pod = await spawn_manifest(spawner, browser_submission(form, **choices))
    return spawner, pod


def notebook(pod):
    (container,) = pod["spec"]["containers"]
    return container


@pytest.fixture
def chosen(hub, run):
    return run(spawn(hub, image="tk-jupyter-ml-gpu", node="gpu-node-1", cpu="8", memory="16", gpu="1"))


def test_choices_set_image_node_and_resources(chosen):
    _, pod = chosen
    container = notebook(pod)
    assert container["image"] == "harbor.example.com/library/tk-jupyter-ml-gpu:latest"
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "gpu-node-1"}
    assert container["resources"]["limits"] == {"cpu": 8.0, "memory": 16 * GIB, "nvidia.com/gpu": "1"}
    assert container["resources"]["requests"] == {"cpu": 1.0, "memory": 2 * GIB}


def test_untouched_form_spawns_the_thinkube_control_defaults(hub, run):
    _, pod = run(spawn(hub))
    container = notebook(pod)
    assert container["image"] == "harbor.example.com/library/tk-jupyter-scipy:latest"
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "gpu-node-1"}
    assert container["resources"]["limits"] == {"cpu": 4.0, "memory": 8 * GIB}


def test_no_gpu_choice_removes_the_gpu_limit(hub, run):
    _, pod = run(spawn(hub, node="cpu-node-1", gpu="0"))
    assert "nvidia.com/gpu" not in notebook(pod)["resources"]["limits"]
    assert pod["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "cpu-node-1"}


def test_volumes_and_mounts(chosen):
    _, pod = chosen
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    assert set(volumes) == {"notebooks", "datasets", "models", "scratch", "examples-repo",
                            "thinkube-config", "discovery-script", "discovery-token"}
    for name in ("notebooks", "datasets", "models"):
        assert volumes[name]["persistentVolumeClaim"] == {"claimName": f"jupyterhub-{name}-pvc"}
    assert volumes["scratch"]["emptyDir"]["sizeLimit"] == "100Gi"
    assert "emptyDir" in volumes["examples-repo"]
    assert "emptyDir" in volumes["thinkube-config"]
    assert volumes["discovery-script"]["configMap"]["name"] == "jupyter-service-discovery-script"
    sources = volumes["discovery-token"]["projected"]["sources"]
    assert [next(iter(s)) for s in sources] == ["serviceAccountToken", "configMap", "downwardAPI"]
    assert sources[1]["configMap"]["name"] == "kube-root-ca.crt"
    assert sources[2]["downwardAPI"]["items"][0]["fieldRef"]["fieldPath"] == "metadata.namespace"

    mounts = {m["mountPath"]: m["name"] for m in notebook(pod)["volumeMounts"]}
    assert mounts == {
        f"{HOME}/thinkube/notebooks": "notebooks",
        f"{HOME}/thinkube/datasets": "datasets",
        f"{HOME}/thinkube/models": "models",
        f"{HOME}/scratch": "scratch",
        f"{HOME}/thinkube/examples-repo": "examples-repo",
        f"{HOME}/.config/thinkube": "thinkube-config",
    }


def test_no_service_account_token_reaches_the_notebook(chosen):
    spawner, pod = chosen
    assert pod["spec"]["serviceAccountName"] == "jupyter-service-discovery"
    assert pod["spec"]["automountServiceAccountToken"] is False
    assert "discovery-token" not in [m["name"] for m in notebook(pod)["volumeMounts"]]
    # The chart's default dynamic home volume would create a PVC per user and
    # hide the image's ~/.local under /home/jovyan.
    assert spawner.storage_pvc_ensure is False


def _unescape_braces(text):
    return text.replace("{{", "{").replace("}}", "}")


def test_init_containers_keep_their_commands_after_expansion(chosen, hub):
    _, pod = chosen
    init = {c["name"]: c for c in pod["spec"]["initContainers"]}
    # The chart's config appends its iptables container after ours (README: chart defaults).
    assert list(init) == ["fix-permissions", "clone-examples", "service-discovery", "block-cloud-metadata"]
    del init["block-cloud-metadata"]
    assert init["fix-permissions"]["image"].startswith("busybox")
    assert init["clone-examples"]["image"].startswith("alpine/git")
    configured = {c["name"]: c for c in hub.values["singleuser"]["initContainers"]}
    for name, container in init.items():
        # KubeSpawner str.format()s these: what runs is the config with {{ }} undone.
        assert container["command"] == [_unescape_braces(p) for p in configured[name]["command"]]
        assert "{{" not in " ".join(container["command"])
    discovery = {m["mountPath"]: m["name"] for m in init["service-discovery"]["volumeMounts"]}
    assert discovery["/var/run/secrets/kubernetes.io/serviceaccount"] == "discovery-token"
    assert {"thinkube-config", "discovery-script"} <= set(discovery.values())


def test_environment(chosen):
    _, pod = chosen
    env = {e["name"]: e for e in notebook(pod)["env"]}
    assert env["NVIDIA_DRIVER_CAPABILITIES"]["value"] == "compute,utility"
    assert env["JUPYTER_ENABLE_LAB"]["value"] == "yes"
    assert env["GRANT_SUDO"]["value"] == "yes"
    assert env["JUPYTER_LAB_ENABLE_COLLABORATION"]["value"] == "true"
    secret = env["ANTHROPIC_API_KEY"]["valueFrom"]["secretKeyRef"]
    assert (secret["name"], secret["optional"]) == ("anthropic-api-key", True)
    assert env["JUPYTERHUB_DEFAULT_URL"]["value"] == "/lab/tree/thinkube/notebooks"


def test_command_and_security(chosen):
    # Per image family: test_notebook_start.py.
    spawner, pod = chosen
    container = notebook(pod)
    command = " ".join(container["args"])
    assert '. "$THINKUBE_SERVICE_ENV_FILE"' in command
    assert "exec jupyterhub-singleuser" in command
    assert container["securityContext"]["runAsUser"] == 1000
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert spawner.start_timeout == 120
    assert spawner.http_timeout == 60
    assert spawner.delete_grace_period == 1


@pytest.mark.parametrize(("choices", "message"), [
    ({"node": "cpu-node-1", "gpu": "1"}, "node cpu-node-1 cannot run 1 GPU (it has 0)"),
    ({"node": "cpu-node-1", "cpu": "24"}, "node cpu-node-1 cannot run 24 CPU cores (it has 16)"),
    ({"node": "cpu-node-1", "memory": "96"}, "node cpu-node-1 cannot run 96 GiB of memory (it has 62)"),
])
def test_choices_that_can_never_fit_the_node_fail_the_spawn_at_once(hub, run, choices, message):
    with pytest.raises(ValueError, match=re.escape(message + ": choose less or another node")):
        run(spawn(hub, **choices))
