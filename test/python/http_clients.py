"""Runs a test on each of tornado's HTTP clients: curl, which the chart's
jupyterhub_config.py configures (AsyncHTTPClient.configure), and the simple
client, tornado's default wherever pycurl is missing. Use the `http_client`
fixture: the hub's reader then makes its requests with that client."""

import contextlib
import os

import pytest
from tornado.httpclient import AsyncHTTPClient

CLIENTS = {
    "curl": "tornado.curl_httpclient.CurlAsyncHTTPClient",
    "simple": "tornado.simple_httpclient.SimpleAsyncHTTPClient",
}


def pycurl_problem():
    try:
        import pycurl  # noqa: F401
    except ImportError as error:
        return str(error)
    return None


@pytest.fixture(params=list(CLIENTS))
def http_client(request, hub):
    """The client class the hub's requests use in this test (after the hub's
    config ran, which may configure one itself), restored afterwards."""
    if request.param == "curl" and pycurl_problem():
        message = (f"the curl client (the chart's production client) is untested: "
                   f"pycurl is not importable ({pycurl_problem()}); run bash test/python/provision.sh")
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (CI=true: a missing toolchain is a failure)")
        pytest.skip(f"*** SKIPPING {message} ***")
    with configured_client(CLIENTS[request.param]):
        yield request.param


@contextlib.contextmanager
def configured_client(impl):
    """AsyncHTTPClient.configure(impl) for the duration."""
    saved = AsyncHTTPClient._save_configuration()
    AsyncHTTPClient.configure(impl)
    try:
        yield
    finally:
        AsyncHTTPClient._restore_configuration(saved)
