"""The fake thinkube-control's control API, which other test tiers reuse."""

import json
import urllib.error
import urllib.request

import pytest


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, json.loads(response.read())


def test_serves_the_contract_examples_and_counts_requests(fake_control):
    fake_control.reset()
    status, images = get(fake_control.base_url + "/images/jupyter")
    assert status == 200 and images[0]["name"] == "tk-jupyter-scipy" and images[0]["default"] is True
    assert get(fake_control.base_url + "/jupyterhub/config")[1]["default_node"] == "gpu-node-1"
    assert fake_control.requests() == {"/images/jupyter": 1, "/cluster/resources": 0, "/jupyterhub/config": 1}


def test_error_scenario_answers_500_with_detail(fake_control):
    fake_control.reset()
    fake_control.scenario("error500", endpoints=["/cluster/resources"])
    with pytest.raises(urllib.error.HTTPError) as error:
        get(fake_control.base_url + "/cluster/resources")
    assert error.value.code == 500
    assert "detail" in json.loads(error.value.read())
    assert get(fake_control.base_url + "/images/jupyter")[0] == 200


def test_unknown_scenario_is_refused(fake_control):
    with pytest.raises(urllib.error.HTTPError) as error:
        fake_control.scenario("nonsense")
    assert error.value.code == 400
