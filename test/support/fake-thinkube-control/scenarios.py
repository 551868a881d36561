"""How each scenario turns the dataset's answer for an endpoint into an HTTP
response: (status, body bytes) or None for a dropped connection."""

import json

ENDPOINTS = ("/images/jupyter", "/cluster/resources", "/jupyterhub/config")

# Values of the wrong JSON type for every field the hub reads.
_WRONG_TYPES = {
    "/images/jupyter": [
        {"name": 42, "display_name": ["x"], "default": "yes", "metadata": "none"},
        "not-an-object",
    ],
    "/cluster/resources": [
        {"name": None, "capacity": "lots", "available": {"cpu": "many"}},
        {"name": "cpu-node-1", "capacity": {"cpu": "16", "memory": 5},
         "available": [], "gpu_details": "none"},
    ],
    "/jupyterhub/config": {
        "default_node": 7, "default_cpu_cores": "four",
        "default_memory_gb": None, "default_gpu_count": [1],
    },
}


def _json(status, payload):
    return status, json.dumps(payload).encode()


def respond(scenario, path, dataset):
    """Apply a scenario to one endpoint."""
    if scenario == "down":
        return None
    if scenario == "error500":
        return _json(500, {"detail": f"Internal error while serving {path}"})
    if scenario == "empty":
        return _json(200, [] if path != "/jupyterhub/config" else {})
    if scenario == "malformed":
        return 200, b'[{"name": "tk-jupyter-scipy", "display_'
    if scenario == "wrongTypes":
        return _json(200, _WRONG_TYPES[path])
    if scenario == "missingDefaultNode" and path == "/jupyterhub/config":
        return _json(200, dict(dataset[path], default_node="node-that-was-removed"))
    return _json(200, dataset[path])


SCENARIOS = ("ok", "slow", "down", "error500", "empty", "malformed",
             "wrongTypes", "missingDefaultNode")

# "slow" without an explicit latency: longer than any sane hub timeout.
SLOW_DEFAULT_LATENCY_MS = 5000
