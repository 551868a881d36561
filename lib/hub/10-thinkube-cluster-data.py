# Validation of thinkube-control's answers (hub.extraConfig). Every field may be
# missing or of the wrong type: entries that can't be used are dropped, and an
# answer with nothing usable raises ValueError so the caller keeps its last
# good answer or falls back to the config.

import math
import re

from z2jh import get_config

# Only names that are safe both in HTML and in a Kubernetes object get through.
THINKUBE_NODE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
THINKUBE_IMAGE_NAME = re.compile(r"^[a-z0-9]+([._-][a-z0-9]+)*$")
THINKUBE_REPOSITORY = re.compile(r"^[a-z0-9]+([._/-][a-z0-9]+)*$")
THINKUBE_REGISTRY = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]+)?$")
THINKUBE_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")

# Beyond these a number is garbage, not a node: it would make absurd choices.
THINKUBE_MAX_CPU = 4096
THINKUBE_MAX_MEMORY_GI = 65536
THINKUBE_MAX_GPU = 64

THINKUBE_MEMORY_UNITS = {
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
    "k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "": 1,
}


def thinkube_image_settings():
    """Where images are pulled from when thinkube-control's metadata doesn't say."""
    def text(key, default, pattern):
        value = get_config(f"custom.images.{key}", default)
        return value if isinstance(value, str) and pattern.match(value) else default

    return {
        "registry": text("registry", "harbor.example.com", THINKUBE_REGISTRY),
        "project": text("project", "library", THINKUBE_REPOSITORY),
        "tag": text("tag", "latest", THINKUBE_TAG),
    }


def thinkube_text(value, limit=120):
    """A string from the answer, or None."""
    return value[:limit] if isinstance(value, str) and value.strip() else None


def thinkube_count(value, maximum=float("inf")):
    """A number in [0, maximum] (int, float or numeric string), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, (int, float)) and math.isfinite(value) and 0 <= value <= maximum:
        return value
    return None


def thinkube_gibibytes(value):
    """A Kubernetes memory quantity (NGi, NMi, NKi, plain bytes…) in GiB, or None."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT]i?|k)?\s*", value)
        if not match:
            return None
        number = thinkube_count(match.group(1))
        if number is None:
            return None
        return number * THINKUBE_MEMORY_UNITS[match.group(2) or ""] / 2**30
    number = thinkube_count(value)
    return None if number is None else number / 2**30


def thinkube_image_ref(entry, settings):
    """The pull reference: thinkube-control's metadata when complete and valid,
    else {registry}/{project}/{name}:{tag} from the config."""
    metadata = entry.get("metadata") if isinstance(entry.get("metadata"), dict) else {}
    registry, repository, tag = (metadata.get(k) for k in ("registry", "repository", "tag"))
    if (isinstance(registry, str) and THINKUBE_REGISTRY.match(registry)
            and isinstance(repository, str) and THINKUBE_REPOSITORY.match(repository)
            and isinstance(tag, str) and THINKUBE_TAG.match(tag)):
        return f"{registry}/{repository}:{tag}"
    return f"{settings['registry']}/{settings['project']}/{entry['name']}:{settings['tag']}"


def thinkube_parse_images(payload):
    """GET /images/jupyter → [{name, display_name, description, ref, default}]."""
    if not isinstance(payload, list):
        raise ValueError(f"expected a list of images, got {type(payload).__name__}")
    settings = thinkube_image_settings()
    images = {}
    for entry in payload:
        if not isinstance(entry, dict):
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not THINKUBE_IMAGE_NAME.match(name) or name in images:
            continue
        images[name] = {
            "name": name,
            "display_name": thinkube_text(entry.get("display_name")) or name,
            "description": thinkube_text(entry.get("description"), 300) or "",
            "ref": thinkube_image_ref(entry, settings),
            "default": entry.get("default") is True,
        }
    if not images:
        raise ValueError("no usable image in the answer")
    return list(images.values())


def thinkube_parse_node(entry):
    """One /cluster/resources entry, or None when it can't be offered."""
    if not isinstance(entry, dict):
        return None
    name = entry.get("name")
    if not isinstance(name, str) or len(name) > 253 or not THINKUBE_NODE_NAME.match(name):
        return None
    sections = {}
    for section in ("capacity", "available"):
        sections[section] = entry.get(section) if isinstance(entry.get(section), dict) else {}
    cpu_available = thinkube_count(sections["available"].get("cpu"), THINKUBE_MAX_CPU)
    memory_available = thinkube_gibibytes(sections["available"].get("memory"))
    if cpu_available is None or memory_available is None or memory_available > THINKUBE_MAX_MEMORY_GI:
        return None
    details = entry.get("gpu_details") if isinstance(entry.get("gpu_details"), list) else []
    models = []
    for gpu in details:
        model = thinkube_text(gpu.get("model")) if isinstance(gpu, dict) else None
        if model and model != "Unknown GPU" and model not in models:
            models.append(model)
    return {
        "name": name,
        "cpu_available": cpu_available,
        "cpu_capacity": thinkube_count(sections["capacity"].get("cpu")),
        "memory_available_gi": memory_available,
        "memory_capacity_gi": thinkube_gibibytes(sections["capacity"].get("memory")),
        "gpu_available": int(thinkube_count(sections["available"].get("gpu"), THINKUBE_MAX_GPU) or 0),
        "gpu_capacity": int(thinkube_count(sections["capacity"].get("gpu"), THINKUBE_MAX_GPU) or 0),
        "gpu_models": models,
    }


def thinkube_parse_nodes(payload):
    """GET /cluster/resources → the nodes that can be offered."""
    if not isinstance(payload, list):
        raise ValueError(f"expected a list of nodes, got {type(payload).__name__}")
    nodes = {}
    for entry in payload:
        node = thinkube_parse_node(entry)
        if node is not None and node["name"] not in nodes:
            nodes[node["name"]] = node
    if not nodes:
        raise ValueError("no usable node in the answer")
    return list(nodes.values())


def thinkube_parse_defaults(payload):
    """GET /jupyterhub/config → {node, cpu, memory_gi, gpu}, None where unset or wrong."""
    if not isinstance(payload, dict):
        raise ValueError(f"expected an object, got {type(payload).__name__}")
    node = payload.get("default_node")

    def whole(key):
        value = payload.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        return int(value)

    return {
        "node": node if isinstance(node, str) and THINKUBE_NODE_NAME.match(node) else None,
        "cpu": whole("default_cpu_cores"),
        "memory_gi": whole("default_memory_gb"),
        "gpu": whole("default_gpu_count"),
    }
