"""What the end-to-end hub needs beyond test/python/hub_loader.py, which builds
the config exactly as the chart's jupyterhub_config.py does from singleuser.*,
hub.config and hub.extraConfig. Added here, from the same chart file:
the hub.* → c.JupyterHub table, hub.extraFiles (mounted by the chart's
Deployment) and hub.extraEnv (the container's env). Then only what cannot run
outside Kubernetes is swapped: addresses, database, the proxy (started by the
hub, not a separate pod) and the share directory (a temp copy, because the
extraFiles mount paths are under /usr/local/share/jupyterhub). Left out: the
chart's idle-culler service (not in the venv) and its curl HTTP client (pycurl
is not in the venv).
"""

import base64
import json
import shutil
import subprocess
from pathlib import Path

from traitlets.config import Config

CHART_SHARE = "/usr/local/share/jupyterhub"

# hub.<camelCase key> → c.JupyterHub.<trait>, the chart's table for the hub pod.
HUB_TRAITS = (
    ("concurrent_spawn_limit", "concurrentSpawnLimit"),
    ("active_server_limit", "activeServerLimit"),
    ("base_url", "baseUrl"),
    ("allow_named_servers", "allowNamedServers"),
    ("named_server_limit_per_user", "namedServerLimitPerUser"),
    ("authenticate_prometheus", "authenticatePrometheus"),
    ("redirect_to_server", "redirectToServer"),
    ("shutdown_on_logout", "shutdownOnLogout"),
    ("template_paths", "templatePaths"),
    ("template_vars", "templateVars"),
)


def hub_traits(get):
    """c.JupyterHub settings the chart takes from hub.*, with the chart's fixed ones."""
    c = Config()
    for trait, key in HUB_TRAITS:
        value = get(f"hub.{key}")
        if value is not None:
            c.JupyterHub[trait] = value
    c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}
    return c


def local_path(path, share):
    """A path under the chart's share directory, moved into `share`."""
    if isinstance(path, str) and (path == CHART_SHARE or path.startswith(CHART_SHARE + "/")):
        return str(Path(share) / path[len(CHART_SHARE):].lstrip("/"))
    return path


def install_share(venv_share, share, extra_files):
    """The venv's share/jupyterhub copied to `share`, with hub.extraFiles written
    at their (remapped) mount paths; refuses mounts outside the share."""
    shutil.copytree(venv_share, share, dirs_exist_ok=True)
    for name, spec in (extra_files or {}).items():
        target = local_path(spec["mountPath"], share)
        if target == spec["mountPath"]:
            raise ValueError(f"hub.extraFiles.{name} mounts {target}, outside {CHART_SHARE}: not mapped")
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        if "stringData" in spec:
            Path(target).write_text(spec["stringData"])
        elif "binaryData" in spec:
            Path(target).write_bytes(base64.b64decode(spec["binaryData"]))
        else:
            raise ValueError(f"hub.extraFiles.{name}: only stringData and binaryData are mapped")


def secret_value(kubectl, namespace, name, key):
    """One key of a Secret read from the cluster, the way the kubelet resolves a secretKeyRef."""
    result = subprocess.run(
        [kubectl, "-n", namespace, "get", "secret", name, "-o", "json"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"Secret {namespace}/{name} (hub.extraEnv secretKeyRef): {result.stderr.strip()}")
    data = json.loads(result.stdout).get("data") or {}
    if key not in data:
        raise RuntimeError(f"Secret {namespace}/{name} has no key {key!r} (hub.extraEnv secretKeyRef)")
    return base64.b64decode(data[key]).decode()


def resolve_extra_env(extra_env, read_secret):
    """hub.extraEnv (a map of name → value or EnvVar spec) as the container would see it."""
    env = {}
    for name, spec in (extra_env or {}).items():
        if not isinstance(spec, dict):
            env[name] = str(spec)
        elif "value" in spec:
            env[name] = str(spec["value"])
        elif "secretKeyRef" in spec.get("valueFrom", {}):
            ref = spec["valueFrom"]["secretKeyRef"]
            env[name] = read_secret(ref["name"], ref["key"])
        else:
            raise ValueError(f"hub.extraEnv.{name}: only value and valueFrom.secretKeyRef are mapped")
    return env


def local_overrides(*, hub_url, hub_port, proxy_api_port, state_dir, share, proxy_command, logo_file, template_paths):
    """The settings that differ from the hub pod because there is no cluster
    network here: every address on 127.0.0.1, sqlite in state_dir, the proxy
    started by the hub, the share directory moved."""
    c = Config()
    c.JupyterHub.bind_url = hub_url
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub_port}"
    c.JupyterHub.db_url = f"sqlite:///{Path(state_dir) / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(Path(state_dir) / "cookie_secret")
    c.JupyterHub.pid_file = str(Path(state_dir) / "jupyterhub.pid")
    c.JupyterHub.data_files_path = share
    c.ConfigurableHTTPProxy.should_start = True
    c.ConfigurableHTTPProxy.command = [proxy_command]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(Path(state_dir) / "proxy.pid")
    if logo_file:
        c.JupyterHub.logo_file = local_path(logo_file, share)
    if template_paths:
        c.JupyterHub.template_paths = [local_path(p, share) for p in template_paths]
    return c
