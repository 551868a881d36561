"""The synthesized values carry the hub code and the parameters it reads."""

from pathlib import Path

from chart_hub import load_hub_config

LIB_HUB = Path(__file__).resolve().parents[2] / "lib" / "hub"


def test_extra_config_is_every_hub_file_verbatim(default_values):
    extra = default_values["hub"]["extraConfig"]
    files = sorted(LIB_HUB.glob("*.py"))
    assert list(sorted(extra)) == [f.name for f in files]
    for file in files:
        assert extra[file.name] == file.read_text()


def test_parameters_come_from_custom_values(default_values):
    hub = load_hub_config(default_values)
    control = hub.namespace["thinkube_control"]
    assert control.base_url == "http://backend.thinkube-control.svc.cluster.local:8000/api/v1"
    assert (control.timeout, control.ttl) == (2, 60)
    paths = default_values["custom"]["thinkubeControl"]["paths"]
    assert (control.images.path, control.nodes.path, control.defaults.path) == (
        paths["images"], paths["nodes"], paths["defaults"])
    assert callable(hub.config.KubeSpawner.profile_list)


def test_test_config_reaches_the_hub(hub, fake_control):
    control = hub.namespace["thinkube_control"]
    assert control.base_url == fake_control.base_url
    assert control.timeout == 0.5
