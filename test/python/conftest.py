"""Fixtures for the hub-runtime tier: one fake thinkube-control and one synth
per session, a freshly loaded hub configuration (and so an empty cache) per
test."""

import asyncio
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "support" / "hub"))
sys.path.insert(0, str(HERE.parent / "support" / "fake-thinkube-control"))

from fake_control import FakeControl  # noqa: E402
from chart_hub import load_hub_config, synthesize  # noqa: E402

TEST_CONFIG = Path(__file__).with_name("hub-test-config.yaml")


@pytest.fixture(scope="session")
def fake_control():
    server = FakeControl()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def synth_values(fake_control):
    """The HelmChart values, synthesized against the fake thinkube-control."""
    return synthesize({
        "THINKUBE_JH_CONFIG": str(TEST_CONFIG),
        "THINKUBE_CONTROL_URL": fake_control.base_url,
    })


@pytest.fixture(scope="session")
def default_values():
    """The HelmChart values of the default config."""
    return synthesize({"THINKUBE_JH_CONFIG": str(Path(__file__).with_name("empty-config.yaml"))})


@pytest.fixture(scope="session")
def hub_of(fake_control):
    """Builds the hub of a config file in this folder (synthesized once per
    session): hub_of("groups-config.yaml") has the `hub` fixture's API."""
    values = {}

    def build(config_file):
        if config_file not in values:
            values[config_file] = synthesize({
                "THINKUBE_JH_CONFIG": str(HERE / config_file),
                "THINKUBE_CONTROL_URL": fake_control.base_url,
            })
        return load_hub_config(values[config_file])

    return build


@pytest.fixture
def hub(fake_control, synth_values):
    fake_control.reset()
    return load_hub_config(synth_values)


@pytest.fixture
def run():
    return asyncio.run


class Clock:
    """Monotonic time that a test can move forward (cache TTL, retry backoff)."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self):
        return time.monotonic() + self.offset

    def advance(self, seconds):
        self.offset += seconds


@pytest.fixture
def clock(hub):
    """The hub's thinkube-control reader, on a clock the test moves."""
    moved = Clock()
    hub.namespace["thinkube_control"].clock = moved
    return moved
