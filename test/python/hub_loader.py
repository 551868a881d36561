"""Builds the hub's real traitlets configuration from the synthesized values, the
way the Z2JH 4.4.0 hub image's jupyterhub_config.py does, so the tests run the
hub-side Python exactly as it ships.

What the chart's jupyterhub_config.py does, and what is emulated here:
- Helm merges our values over the chart's default values; the hub reads the
  merged result through z2jh.get_config. Emulated: merge over the chart's
  values.yaml vendored in vendor/z2jh (maps merge, lists and scalars
  replace, null deletes), and a `z2jh` module whose get_config resolves dotted
  paths in it. Without that file the values are used unmerged (a loud warning).
- c.JupyterHub.spawner_class = KubeSpawner: emulated.
- singleuser.* → KubeSpawner traits (the chart's trait table), the image from
  singleuser.image.name:tag, allow_privilege_escalation, tolerations, the
  node-purpose affinity, storage (dynamic/static home volume + extraVolumes and
  extraVolumeMounts), cmd and default_url: emulated, because our pod shape is
  expressed through them.
- hub.config: each section applied with c[section].update(cfg): emulated.
- hub.extraConfig: exec'd in sorted key order in one shared namespace holding
  `c` and get_config (the chart execs them in its own module namespace):
  emulated.
- Not emulated (no effect on the spawn form or the pod manifest we assert on,
  or needs a cluster): proxy and hub URLs, the database, secrets, services and
  roles, culling, scheduler/priority class names, common labels, the
  cloud-metadata iptables init container, singleuser.extraFiles (the loader
  refuses values that use it), c.JupyterHub.* settings, jupyterhub_config.d.
"""

import copy
import os
import subprocess
import sys
import tempfile
import types
import warnings
from pathlib import Path

import yaml
from traitlets.config import Config

REPO = Path(__file__).resolve().parents[2]
CHART_DEFAULTS = REPO / "vendor" / "z2jh" / "values-4.4.0.yaml"

# (KubeSpawner trait, key under singleuser.) as the chart maps them.
SINGLEUSER_TRAITS = (
    ("pod_name_template", "podNameTemplate"),
    ("start_timeout", "startTimeout"),
    ("image_pull_policy", "image.pullPolicy"),
    ("events_enabled", "events"),
    ("extra_labels", "extraLabels"),
    ("extra_annotations", "extraAnnotations"),
    ("uid", "uid"),
    ("fs_gid", "fsGid"),
    ("service_account", "serviceAccountName"),
    ("storage_extra_labels", "storage.extraLabels"),
    ("node_selector", "nodeSelector"),
    ("node_affinity_required", "extraNodeAffinity.required"),
    ("node_affinity_preferred", "extraNodeAffinity.preferred"),
    ("pod_affinity_required", "extraPodAffinity.required"),
    ("pod_affinity_preferred", "extraPodAffinity.preferred"),
    ("pod_anti_affinity_required", "extraPodAntiAffinity.required"),
    ("pod_anti_affinity_preferred", "extraPodAntiAffinity.preferred"),
    ("lifecycle_hooks", "lifecycleHooks"),
    ("init_containers", "initContainers"),
    ("extra_containers", "extraContainers"),
    ("mem_limit", "memory.limit"),
    ("mem_guarantee", "memory.guarantee"),
    ("cpu_limit", "cpu.limit"),
    ("cpu_guarantee", "cpu.guarantee"),
    ("extra_resource_limits", "extraResource.limits"),
    ("extra_resource_guarantees", "extraResource.guarantees"),
    ("environment", "extraEnv"),
    ("profile_list", "profileList"),
    ("extra_pod_config", "extraPodConfig"),
)


def synthesize(env=None):
    """Run the app's synth (main.ts) and return the HelmChart's values."""
    with tempfile.TemporaryDirectory() as outdir:
        result = subprocess.run(
            ["npx", "tsx", "main.ts"], cwd=REPO, capture_output=True, text=True,
            env={**_inherited_env(), **(env or {}), "CDK8S_OUTDIR": outdir}, check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"synth failed ({result.returncode}):\n{result.stderr}")
        charts = [
            doc
            for manifest in sorted(Path(outdir).glob("*.k8s.yaml"))
            for doc in yaml.safe_load_all(manifest.read_text())
            if doc and doc.get("kind") == "HelmChart"
        ]
    if len(charts) != 1:
        raise RuntimeError(f"expected one HelmChart in the synth output, found {len(charts)}")
    return yaml.safe_load(charts[0]["spec"]["valuesContent"])


# The app reads config overrides from variables with these prefixes; the caller
# decides the config, not the developer's shell.
CONFIG_VARIABLE_PREFIXES = ("THINKUBE_", "JUPYTERHUB_", "KEYCLOAK_", "HARBOR_", "ADMIN_")


def _inherited_env():
    return {k: v for k, v in os.environ.items() if not k.startswith(CONFIG_VARIABLE_PREFIXES)}


def helm_merge(defaults, values):
    """Helm's coalescing of user values over chart defaults."""
    merged = copy.deepcopy(defaults)
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def chart_values(values):
    """The values the hub sees: ours merged over the chart's defaults."""
    if not CHART_DEFAULTS.is_file():
        warnings.warn(f"{CHART_DEFAULTS} missing: chart defaults are NOT merged", stacklevel=2)
        return copy.deepcopy(values)
    return helm_merge(yaml.safe_load(CHART_DEFAULTS.read_text()), values)


def z2jh_module(values):
    """A `z2jh` module whose get_config reads `values` by dotted path."""
    module = types.ModuleType("z2jh")

    def get_config(key, default=None):
        node = values
        for level in key.split("."):
            if not isinstance(node, dict) or level not in node:
                return default
            node = node[level]
        return node

    module.get_config = get_config
    return module


class HubConfig:
    """The hub's traitlets config and the namespace the extraConfig ran in."""

    def __init__(self, config, namespace, values):
        self.config = config
        self.namespace = namespace
        self.values = values


def _apply_singleuser(c, get):
    for trait, key in SINGLEUSER_TRAITS:
        value = get(f"singleuser.{key}")
        if value is not None:
            c.KubeSpawner[trait] = copy.deepcopy(value)
    image = get("singleuser.image.name")
    if image:
        tag = get("singleuser.image.tag")
        c.KubeSpawner.image = f"{image}:{tag}" if tag else image
    c.KubeSpawner.allow_privilege_escalation = get("singleuser.allowPrivilegeEscalation")
    tolerations = (get("scheduling.userPods.tolerations") or []) + (get("singleuser.extraTolerations") or [])
    if tolerations:
        c.KubeSpawner.tolerations = tolerations
    purpose = get("scheduling.userPods.nodeAffinity.matchNodePurpose")
    term = {"matchExpressions": [{"key": "hub.jupyter.org/node-purpose", "operator": "In", "values": ["user"]}]}
    if purpose == "prefer":
        c.KubeSpawner.node_affinity_preferred = list(get("singleuser.extraNodeAffinity.preferred") or []) + [
            {"weight": 100, "preference": term}]
    elif purpose == "require":
        c.KubeSpawner.node_affinity_required = list(get("singleuser.extraNodeAffinity.required") or []) + [term]
    _apply_storage(c, get)
    if get("singleuser.extraFiles"):
        raise NotImplementedError("singleuser.extraFiles is not emulated by the test loader")
    if "cmd" in (get("singleuser") or {}):
        c.Spawner.cmd = get("singleuser.cmd")
    if get("singleuser.defaultUrl") is not None:
        c.Spawner.default_url = get("singleuser.defaultUrl")


def _apply_storage(c, get):
    volumes, mounts = {}, {}
    kind = get("singleuser.storage.type")
    home = get("singleuser.storage.homeMountPath")
    if kind == "dynamic":
        name = get("singleuser.storage.dynamic.volumeNameTemplate")
        if get("singleuser.storage.dynamic.pvcNameTemplate"):
            c.KubeSpawner.pvc_name_template = get("singleuser.storage.dynamic.pvcNameTemplate")
        c.KubeSpawner.storage_pvc_ensure = True
        for trait, key in (("storage_class", "dynamic.storageClass"),
                           ("storage_access_modes", "dynamic.storageAccessModes"),
                           ("storage_capacity", "capacity")):
            if get(f"singleuser.storage.{key}") is not None:
                c.KubeSpawner[trait] = get(f"singleuser.storage.{key}")
        volumes[name] = {"name": name, "persistentVolumeClaim": {"claimName": "{pvc_name}"}}
        mounts[name] = {"mountPath": home, "name": name, "subPath": get("singleuser.storage.dynamic.subPath")}
    elif kind == "static":
        claim = get("singleuser.storage.static.pvcName")
        volumes["home"] = {"name": "home", "persistentVolumeClaim": {"claimName": claim}}
        mounts["home"] = {"mountPath": home, "name": "home", "subPath": get("singleuser.storage.static.subPath")}
    extra_volumes = get("singleuser.storage.extraVolumes") or {}
    if isinstance(extra_volumes, dict):
        volumes.update(extra_volumes)
    else:
        volumes.update({v["name"]: v for v in extra_volumes})
    extra_mounts = get("singleuser.storage.extraVolumeMounts") or {}
    if isinstance(extra_mounts, dict):
        mounts.update(extra_mounts)
    else:
        mounts.update({f"{i}-{m['name']}": m for i, m in enumerate(extra_mounts)})
    c.KubeSpawner.volumes = copy.deepcopy(volumes)
    c.KubeSpawner.volume_mounts = copy.deepcopy(mounts)


def load_hub_config(values, namespace="jupyterhub"):
    """Run what the chart runs at hub start-up; return the resulting config."""
    merged = chart_values(values)
    z2jh = z2jh_module(merged)
    get = z2jh.get_config
    c = Config()
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    c.KubeSpawner.namespace = namespace
    _apply_singleuser(c, get)
    for section, cfg in (get("hub.config") or {}).items():
        c[section].update(copy.deepcopy(cfg))

    previous = sys.modules.get("z2jh")
    sys.modules["z2jh"] = z2jh
    scope = {"c": c, "get_config": get, "__file__": "jupyterhub_config.py"}
    try:
        for key, source in sorted((get("hub.extraConfig") or {}).items()):
            exec(compile(source, key, "exec"), scope)  # noqa: S102 - the chart does the same
    finally:
        if previous is None:
            sys.modules.pop("z2jh", None)
        else:
            sys.modules["z2jh"] = previous
    return HubConfig(c, scope, merged)
