"""What the chart's own jupyterhub_config.py makes of our values: the settings
an emulation of it would miss (the culler service and its role, labels the
chart's NetworkPolicies select on, the init container the chart appends, the
HTTP client, the JupyterHub.* settings), and the spawn on both HTTP clients."""

import pytest
from hub_spawner import browser_submission, new_spawner, render_form, spawn_manifest
from tornado.httpclient import AsyncHTTPClient


def test_the_hub_runs_the_charts_files_from_the_mounts(hub):
    assert hub.namespace["__file__"] == "/usr/local/etc/jupyterhub/jupyterhub_config.py"
    assert hub.pod.command({})[:3] == ["jupyterhub", "--config", "/usr/local/etc/jupyterhub/jupyterhub_config.py"]
    assert hub.values["Release"]["Name"] == "jupyterhub"
    assert hub.values["Chart"]["Version"] == "4.4.0"


def test_jupyterhub_settings_come_from_the_chart(hub):
    jh = hub.config.JupyterHub
    assert jh.spawner_class == "kubespawner.KubeSpawner"
    assert jh.db_url == "sqlite:///jupyterhub.sqlite"
    assert jh.hub_bind_url == "http://:8081"
    assert jh.hub_connect_url == "http://hub:8081"
    assert hub.config.ConfigurableHTTPProxy.api_url == "http://proxy-api:8001"
    assert jh.shutdown_on_logout is True
    assert jh.template_paths == ["/usr/local/share/jupyterhub/custom-templates"]
    assert len(jh.cookie_secret) > 0


def test_the_idle_culler_runs_as_a_service_with_its_role(hub):
    (culler,) = [s for s in hub.config.JupyterHub.services if s["name"] == "jupyterhub-idle-culler"]
    cull = hub.values["cull"]
    assert culler["command"][:3] == ["python3", "-m", "jupyterhub_idle_culler"]
    assert "--url=http://localhost:8081/hub/api" in culler["command"]
    assert f"--timeout={cull['timeout']}" in culler["command"]
    assert f"--cull-every={cull['every']}" in culler["command"]
    (role,) = [r for r in hub.config.JupyterHub.load_roles if r["name"] == "jupyterhub-idle-culler"]
    assert "delete:servers" in role["scopes"]


def test_the_culler_module_the_chart_runs_is_installed():
    import jupyterhub_idle_culler  # noqa: F401 - the service runs `python3 -m jupyterhub_idle_culler`


def test_spawner_settings_the_chart_adds(hub):
    spawner = hub.config.KubeSpawner
    assert spawner.namespace == "jupyterhub"
    assert spawner.common_labels["release"] == "jupyterhub"
    assert hub.config.Spawner.consecutive_failure_limit == 5
    # The user scheduler is off (README: chart defaults), so no schedulerName.
    assert "scheduler_name" not in spawner
    names = [c["name"] if isinstance(c, dict) else c.name for c in spawner.init_containers]
    assert names[-1] == "block-cloud-metadata"
    assert "service-discovery" in names[:-1]


def test_the_chart_switches_tornado_to_curl(hub):
    assert AsyncHTTPClient.configured_class().__name__ == "CurlAsyncHTTPClient"


@pytest.mark.parametrize("client", ["curl", "simple"])
def test_spawn_on_each_http_client(hub, run, fake_control, client):
    if client == "simple":
        # A hub.extraConfig entry can choose tornado's own client again.
        AsyncHTTPClient.configure(None)
    expected = {"curl": "CurlAsyncHTTPClient", "simple": "SimpleAsyncHTTPClient"}[client]
    assert AsyncHTTPClient.configured_class().__name__ == expected

    async def spawn():
        spawner = new_spawner(hub)
        form = await render_form(spawner)
        return await spawn_manifest(spawner, browser_submission(form, image="tk-jupyter-ml-gpu"))

    pod = run(spawn())
    assert pod["spec"]["containers"][0]["image"] == "harbor.example.com/library/tk-jupyter-ml-gpu:latest"
    assert pod["metadata"]["labels"]["release"] == "jupyterhub"
    assert [c["name"] for c in pod["spec"]["initContainers"]][-1] == "block-cloud-metadata"
    assert sum(fake_control.requests().values()) >= 1
