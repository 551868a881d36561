"""The synthesized values carry the hub code and the parameters it reads."""

import json
import re
from pathlib import Path

import pytest
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


def _without(values, *path):
    """A deep copy of values with the key at path removed (or replaced, when a
    value is given as the last element of a (key, value) tuple)."""
    copy = json.loads(json.dumps(values))
    node = copy
    for key in path[:-1]:
        node = node[key]
    last = path[-1]
    if isinstance(last, tuple):
        node[last[0]] = last[1]
    else:
        del node[last]
    return copy


@pytest.mark.parametrize("path, message", [
    (("custom", "resources", "cpuLimit"), "custom.resources.cpuLimit is missing"),
    (("custom", "thinkubeControl", "paths"), "custom.thinkubeControl.paths.images is missing"),
    (("custom", "images", ("tag", "")), "custom.images.tag is '', not an image tag"),
    (("custom", "notebookStart"), "custom.notebookStart is missing"),
])
def test_a_missing_or_wrong_setting_stops_the_hub_naming_it(default_values, path, message):
    """No literal fallback: the hub refuses values its synth did not make."""
    with pytest.raises(ValueError, match=re.escape(message)):
        load_hub_config(_without(default_values, *path), chart_version=default_values.chart_version)
