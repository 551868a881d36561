"""The end-to-end hub's config file (`jupyterhub -f hub_config.py`): the
synthesized values through test/python/hub_loader.py, then local_hub.py's
additions and swaps. Inputs (environment, set by hub-process.ts):
E2E_VALUES (the HelmChart's values, JSON), E2E_STATE (a temp dir),
E2E_HUB_URL, E2E_HUB_PORT, E2E_PROXY_API_PORT, E2E_PROXY_COMMAND,
E2E_KUBECTL, E2E_NAMESPACE, and KUBECONFIG, which KubeSpawner and kubectl use.
"""

import os
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))
sys.path.insert(0, str(HERE))

from hub_loader import load_hub_config  # noqa: E402
from local_hub import hub_traits, install_share, local_overrides, resolve_extra_env, secret_value  # noqa: E402

namespace = os.environ["E2E_NAMESPACE"]
values = yaml.safe_load(Path(os.environ["E2E_VALUES"]).read_text())
loaded = load_hub_config(values, namespace=namespace)
get = loaded.namespace["get_config"]

state = Path(os.environ["E2E_STATE"])
share = str(state / "share")
install_share(Path(sys.prefix) / "share" / "jupyterhub", share, get("hub.extraFiles"))


def read_secret(name, key):
    return secret_value(os.environ["E2E_KUBECTL"], namespace, name, key)


os.environ.update(resolve_extra_env(get("hub.extraEnv"), read_secret))

hub = hub_traits(get)
hub.merge(loaded.config)
hub.merge(local_overrides(
    hub_url=os.environ["E2E_HUB_URL"],
    hub_port=int(os.environ["E2E_HUB_PORT"]),
    proxy_api_port=int(os.environ["E2E_PROXY_API_PORT"]),
    state_dir=state,
    share=share,
    proxy_command=os.environ["E2E_PROXY_COMMAND"],
    logo_file=hub.JupyterHub.get("logo_file"),
    template_paths=hub.JupyterHub.get("template_paths"),
))
c.merge(hub)  # noqa: F821 - the config object JupyterHub passes to this file
