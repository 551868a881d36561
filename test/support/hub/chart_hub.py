"""The hub as the Z2JH chart runs it, for every tier that runs the hub.

helm renders the chart (the archive test/helm/provision.sh fetched) with the
synthesized values; from its output come the hub Deployment, ConfigMap and
Secret. ChartPod lays their files out where the Deployment mounts them
(/usr/local/etc/jupyterhub/..., the extraFiles at their mountPaths) and gives
the container's args and env as the kubelet would (fieldRefs, secretKeyRefs,
the Service variables Kubernetes injects). The chart's own jupyterhub_config.py
and z2jh.py then run unmodified: the paths exist only inside the private mount
namespace of test/support/hub-pod.sh, which run.sh (and the end-to-end hub)
starts; nothing on the host changes.

load_hub_config() runs the chart's jupyterhub_config.py in-process, the way
traitlets' PyFileConfigLoader does when `jupyterhub --config` loads it, and
keeps the namespace it ran in (the extraConfig's objects live there).
"""

import base64
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from traitlets.config import Config

REPO = Path(__file__).resolve().parents[3]
CONFIG_FILE = "/usr/local/etc/jupyterhub/jupyterhub_config.py"


def _helm_layout():
    """helm and the chart cache, where test/helm/versions.sh puts them."""
    versions = (REPO / "test" / "helm" / "versions.sh").read_text()
    version = re.search(r"^HELM_VERSION=(\S+)$", versions, re.M).group(1)
    cache = Path(os.environ.get("THINKUBE_JH_CACHE", Path.home() / ".cache" / "cdk8s-thinkube-jupyterhub")) / "helm"
    return cache / version / "bin" / "helm", cache / "charts"


HELM, CHARTS = _helm_layout()


def chart_archive(version):
    return CHARTS / f"jupyterhub-{version}.tgz"


def unavailable_reason():
    """Why the hub cannot run as the chart runs it here, or None."""
    if not HELM.is_file():
        return f"helm is not built at {HELM} (run bash test/helm/provision.sh)"
    if os.environ.get("THINKUBE_HUB_POD") != "1":
        return "not inside test/support/hub-pod.sh (run the tests with test/python/run.sh)"
    return None


class SynthesizedValues(dict):
    """The HelmChart's values, with the chart version and namespace it installs."""

    chart_version = None
    namespace = None


# The app reads config overrides from variables with these prefixes; the caller
# decides the config, not the developer's shell.
CONFIG_VARIABLE_PREFIXES = ("THINKUBE_", "JUPYTERHUB_", "KEYCLOAK_", "HARBOR_", "ADMIN_")


def _inherited_env():
    return {k: v for k, v in os.environ.items() if not k.startswith(CONFIG_VARIABLE_PREFIXES)}


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
    values = SynthesizedValues(yaml.safe_load(charts[0]["spec"]["valuesContent"]))
    values.chart_version = charts[0]["spec"]["version"]
    values.namespace = charts[0]["spec"]["targetNamespace"]
    return values


_rendered = {}


def render(values, *, chart_version, namespace, release="jupyterhub"):
    """The chart's objects for these values (`helm template`, schema enforced);
    rendered once per distinct input."""
    key = json.dumps([values, chart_version, namespace, release], sort_keys=True)
    if key not in _rendered:
        with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
            json.dump(values, file)  # JSON: no YAML 1.1 surprises (`yes` read as true)
            file.flush()
            result = subprocess.run(
                [str(HELM), "template", release, str(chart_archive(chart_version)),
                 "--namespace", namespace, "-f", file.name],
                capture_output=True, text=True, check=False,
            )
        if result.returncode != 0:
            raise RuntimeError(f"helm template failed:\n{result.stderr}")
        _rendered[key] = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    return _rendered[key]


def _decode(secret):
    data = {k: base64.b64decode(v) for k, v in (secret.get("data") or {}).items()}
    data.update({k: v.encode() for k, v in (secret.get("stringData") or {}).items()})
    return data


class ChartPod:
    """A pod one of the chart's Deployments describes, with its mounted files."""

    def __init__(self, objects, namespace, deployment="hub", container="hub"):
        self.namespace = namespace
        self.objects = objects
        found = [o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == deployment]
        if len(found) != 1:
            raise RuntimeError(f"the rendered chart has no {deployment} Deployment")
        self.spec = found[0]["spec"]["template"]["spec"]
        self.container = next(c for c in self.spec["containers"] if c["name"] == container)

    def command(self, env):
        """command + args, with $(VAR) expanded from the container's env as the kubelet does."""
        words = list(self.container.get("command", [])) + list(self.container.get("args", []))
        return [re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)), w) for w in words]

    def _object(self, kind, name):
        for o in self.objects:
            if o["kind"] == kind and o["metadata"]["name"] == name:
                return o
        raise RuntimeError(f"the hub mounts {kind} {name}, which the chart did not render")

    def _volume_files(self, volume):
        """key → bytes of a configMap or secret volume, with its items' paths."""
        if "configMap" in volume:
            source = volume["configMap"]
            data = {k: v.encode() for k, v in self._object("ConfigMap", source["name"])["data"].items()}
        elif "secret" in volume:
            source = volume["secret"]
            data = _decode(self._object("Secret", source["secretName"]))
        else:
            return None
        if "items" in source:
            return {item["path"]: data[item["key"]] for item in source["items"]}
        return data

    def lay_out(self, root="/"):
        """Writes every ConfigMap and Secret file the hub container mounts at its
        mount path under root; returns the paths written. Other volumes (the
        sqlite PVC at /srv/jupyterhub) are the caller's working directory."""
        volumes = {v["name"]: v for v in self.spec["volumes"]}
        written = []
        for mount in self.container["volumeMounts"]:
            files = self._volume_files(volumes[mount["name"]])
            if files is None:
                continue
            target = Path(root) / mount["mountPath"].lstrip("/")
            if "subPath" in mount:
                chosen = {"": files[mount["subPath"]]}
            else:
                chosen = files
            for name, content in chosen.items():
                path = target / name if name else target
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                written.append(path)
        return written

    def service_env(self, host="127.0.0.1"):
        """The variables the kubelet injects for each Service of the namespace
        (enableServiceLinks): hub-pod.sh maps the names to host."""
        env = {}
        for service in (o for o in self.objects if o["kind"] == "Service"):
            prefix = service["metadata"]["name"].upper().replace("-", "_")
            ports = service["spec"]["ports"]
            env[f"{prefix}_SERVICE_HOST"] = host
            env[f"{prefix}_SERVICE_PORT"] = str(ports[0]["port"])
            for port in ports:
                if "name" in port:
                    env[f"{prefix}_SERVICE_PORT_{port['name'].upper().replace('-', '_')}"] = str(port["port"])
        return env

    def env(self, read_secret, services=None):
        """The container's environment as the kubelet resolves it: Service
        variables first, then the container's env (fieldRef metadata.namespace,
        secretKeyRef from the chart's Secrets or read_secret(name, key) for
        the others)."""
        env = dict(services if services is not None else self.service_env())
        for var in self.container.get("env", []):
            source = var.get("valueFrom")
            if source is None:
                env[var["name"]] = str(var.get("value", ""))
            elif source.get("fieldRef", {}).get("fieldPath") == "metadata.namespace":
                env[var["name"]] = self.namespace
            elif "secretKeyRef" in source:
                ref = source["secretKeyRef"]
                chart_secret = next((o for o in self.objects if o["kind"] == "Secret" and o["metadata"]["name"] == ref["name"]), None)
                if chart_secret is not None:
                    env[var["name"]] = _decode(chart_secret)[ref["key"]].decode()
                else:
                    env[var["name"]] = read_secret(ref["name"], ref["key"])
            else:
                raise ValueError(f"hub env {var['name']}: {source} is not resolved here")
        return env


class HubConfig:
    """The hub's traitlets config, the namespace the chart's config ran in, and
    the values the hub reads (the Secret's values.yaml: ours merged over the
    chart's defaults, plus Chart and Release)."""

    def __init__(self, config, namespace, values, pod):
        self.config = config
        self.namespace = namespace
        self.values = values
        self.pod = pod


TEST_OIDC_SECRET = "test-oidc-client-secret"


def _test_secret(name, key):
    """Stands in for the Secrets outside the chart (the OIDC client secret the
    bootstrap writes), which only a cluster holds."""
    return TEST_OIDC_SECRET


def load_hub_config(values, namespace=None, chart_version=None, read_secret=_test_secret):
    """Render the chart, lay out the hub's files, set the container's env and
    run the chart's jupyterhub_config.py; return the resulting config."""
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(f"cannot run the chart's hub config: {reason}")
    chart_version = chart_version or getattr(values, "chart_version", None)
    namespace = namespace or getattr(values, "namespace", None) or "jupyterhub"
    if not chart_version:
        raise ValueError("load_hub_config: no chart version (pass chart_version=, or values from synthesize())")
    pod = ChartPod(render(dict(values), chart_version=chart_version, namespace=namespace), namespace)
    etc = Path(CONFIG_FILE).parent
    for stale in sorted(etc.rglob("*"), reverse=True):
        stale.rmdir() if stale.is_dir() else stale.unlink()
    pod.lay_out("/")
    os.environ.update(pod.env(read_secret))

    # z2jh caches what it read (lru_cache): a fresh module per load.
    sys.modules.pop("z2jh", None)
    config = Config()
    scope = {"get_config": lambda: config, "__file__": CONFIG_FILE}
    source = Path(CONFIG_FILE).read_text()
    # The chart's config prints its progress ("Loading ..."): the hub's log, not our stdout.
    with contextlib.redirect_stdout(sys.stderr):
        exec(compile(source, CONFIG_FILE, "exec"), scope)  # noqa: S102 - what PyFileConfigLoader does
    read_values = yaml.safe_load((etc / "secret" / "values.yaml").read_text())
    return HubConfig(config, scope, read_values, pod)
