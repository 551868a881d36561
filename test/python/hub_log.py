"""The `hub_log` fixture: records of the hub code's logger (JupyterHub's logger
does not propagate in a hub; here it may, so the logger is kept from
propagating for the test and every record is caught once)."""

import logging

import pytest


@pytest.fixture
def hub_log(caplog):
    logger = logging.getLogger("JupyterHub.thinkube")
    propagate = logger.propagate
    logger.propagate = False
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger=logger.name)
    yield caplog
    logger.removeHandler(caplog.handler)
    logger.propagate = propagate


def warnings_of(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
