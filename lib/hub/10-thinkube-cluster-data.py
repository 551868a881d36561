# Validation of thinkube-control's answers (hub.extraConfig). Every field may be
# missing, of the wrong type or absurd: entries that can't be used are dropped
# one by one, and an answer with nothing usable, or with more entries than the
# form can sensibly offer, raises ValueError so the caller keeps its last good
# answer or falls back to the config.

import json
import math
import re
import unicodedata

from z2jh import get_config

# Only names that are safe both in HTML and in a Kubernetes object get through.
# Always fullmatch: re.match with `$` also accepts a trailing newline.
THINKUBE_NODE_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
THINKUBE_IMAGE_NAME = re.compile(r"[a-z0-9]+([._-][a-z0-9]+)*")
THINKUBE_REPOSITORY = re.compile(r"[a-z0-9]+([._/-][a-z0-9]+)*")
THINKUBE_REGISTRY = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]+)?")
THINKUBE_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")

# Kubernetes and registry length limits. A node is selected by its
# kubernetes.io/hostname label, and label values have at most 63 characters.
THINKUBE_MAX_NODE_NAME = 63
# distribution/reference: a repository name (registry host included) has at
# most 255 characters; a tag at most 128 (THINKUBE_TAG).
THINKUBE_MAX_IMAGE_NAME = 255

# More images or nodes than this is not a cluster the form can present: the
# whole answer is refused (each entry also costs a place in every form).
THINKUBE_MAX_ENTRIES = 256

# Beyond these a number is garbage, not a node: it would make absurd choices.
# GPU details beyond THINKUBE_MAX_GPU entries are ignored.
THINKUBE_MAX_CPU = 4096
THINKUBE_MAX_MEMORY_GI = 65536
THINKUBE_MAX_GPU = 64

THINKUBE_MEMORY_UNITS = {
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
    "k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "": 1,
}


def thinkube_setting(key, check):
    """custom.<key> from the values, checked by `check` (valid, what it must be).
    lib/values/custom.ts always writes these settings, with the defaults of
    lib/config/defaults.ts, so there is no fallback here to drift from them: a
    missing or malformed one means values not made by this project's synth (or
    edited by hand), and the hub stops at start with a message naming the key.
    Every key is a literal at the call, so a test can check each against the
    synthesized values."""
    valid, expected = check
    value = get_config(f"custom.{key}")
    if value is None or not valid(value):
        found = "missing" if value is None else f"{value!r}, not {expected}"
        raise ValueError(
            f"hub values: custom.{key} is {found}; render the values with this project "
            f"(npm run synth) and apply them, or fix custom.{key} in hub.extraValues")
    return value


def thinkube_at_least(minimum):
    """A check for thinkube_setting: a number (not a bool) of at least `minimum`."""
    return (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= minimum,
            f"a number of at least {minimum}")


def thinkube_matching(pattern, what):
    """A check for thinkube_setting: a string that `pattern` matches in full."""
    return (lambda v: isinstance(v, str) and pattern.fullmatch(v) is not None, what)


# Where images are pulled from when thinkube-control's metadata doesn't say;
# read once, when the hub starts.
THINKUBE_IMAGE_SETTINGS = {
    "registry": thinkube_setting("images.registry", thinkube_matching(THINKUBE_REGISTRY, "a registry host[:port]")),
    "project": thinkube_setting("images.project", thinkube_matching(THINKUBE_REPOSITORY, "a repository path")),
    "tag": thinkube_setting("images.tag", thinkube_matching(THINKUBE_TAG, "an image tag")),
}


def thinkube_loads(body):
    """The answer's JSON. An integer too long for a float is read as infinity, so
    that it costs only the entry holding it (each field's check refuses it)
    instead of the whole answer: int() refuses more than 4300 digits, and
    float(int) of more than 308 digits raises OverflowError."""
    return json.loads(body, parse_int=lambda digits: int(digits) if len(digits) <= 18 else float(digits))


def thinkube_unprintable(ch):
    """Control and format characters, and the line and paragraph separators."""
    return unicodedata.category(ch) in ("Zl", "Zp") or unicodedata.category(ch)[0] == "C"


def thinkube_text(value, limit=120):
    """A display string from the answer, or None. Control and format characters
    (newlines, terminal escapes, bidi overrides that reorder a label) are dropped."""
    if not isinstance(value, str):
        return None
    text = "".join(ch for ch in value[:limit] if not thinkube_unprintable(ch)).strip()
    return text or None


def thinkube_count(value, maximum=float("inf")):
    """A number in [0, maximum] (int, float or numeric string) as a float, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and 0 <= number <= maximum else None


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
    else {registry}/{project}/{name}:{tag} from the config; None when even that
    is longer than a registry accepts."""
    metadata = entry.get("metadata") if isinstance(entry.get("metadata"), dict) else {}
    registry, repository, tag = (metadata.get(k) for k in ("registry", "repository", "tag"))
    if (isinstance(registry, str) and THINKUBE_REGISTRY.fullmatch(registry)
            and isinstance(repository, str) and THINKUBE_REPOSITORY.fullmatch(repository)
            and isinstance(tag, str) and THINKUBE_TAG.fullmatch(tag)
            and len(registry) + 1 + len(repository) <= THINKUBE_MAX_IMAGE_NAME):
        return f"{registry}/{repository}:{tag}"
    named = f"{settings['registry']}/{settings['project']}/{entry['name']}"
    return f"{named}:{settings['tag']}" if len(named) <= THINKUBE_MAX_IMAGE_NAME else None


def thinkube_entries(payload, what):
    """The answer's list of entries, refused whole when it is not a list or too long."""
    if not isinstance(payload, list):
        raise ValueError(f"expected a list of {what}, got {type(payload).__name__}")
    if len(payload) > THINKUBE_MAX_ENTRIES:
        raise ValueError(f"{len(payload)} {what}, more than the {THINKUBE_MAX_ENTRIES} the hub accepts")
    return payload


def thinkube_parse_images(payload):
    """GET /images/jupyter → [{name, display_name, description, ref, default}]."""
    settings = THINKUBE_IMAGE_SETTINGS
    images = {}
    for entry in thinkube_entries(payload, "images"):
        if not isinstance(entry, dict):
            continue
        name = entry.get("name")
        if (not isinstance(name, str) or len(name) > THINKUBE_MAX_IMAGE_NAME
                or not THINKUBE_IMAGE_NAME.fullmatch(name) or name in images):
            continue
        ref = thinkube_image_ref(entry, settings)
        if ref is None:
            continue
        images[name] = {
            "name": name,
            "display_name": thinkube_text(entry.get("display_name")) or name,
            "description": thinkube_text(entry.get("description"), 300) or "",
            "ref": ref,
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
    if not isinstance(name, str) or len(name) > THINKUBE_MAX_NODE_NAME or not THINKUBE_NODE_NAME.fullmatch(name):
        return None
    sections = {}
    for section in ("capacity", "available"):
        sections[section] = entry.get(section) if isinstance(entry.get(section), dict) else {}
    cpu_available = thinkube_count(sections["available"].get("cpu"), THINKUBE_MAX_CPU)
    memory_available = thinkube_gibibytes(sections["available"].get("memory"))
    if cpu_available is None or memory_available is None or memory_available > THINKUBE_MAX_MEMORY_GI:
        return None
    cpu_capacity = thinkube_count(sections["capacity"].get("cpu"), THINKUBE_MAX_CPU)
    memory_capacity = thinkube_gibibytes(sections["capacity"].get("memory"))
    if memory_capacity is not None and memory_capacity > THINKUBE_MAX_MEMORY_GI:
        memory_capacity = None
    # A node never has more free than it has; without a GPU capacity it has no
    # GPU a pod could request (the spawn-time check compares with capacity).
    gpu_capacity = int(thinkube_count(sections["capacity"].get("gpu"), THINKUBE_MAX_GPU) or 0)
    gpu_available = int(thinkube_count(sections["available"].get("gpu"), THINKUBE_MAX_GPU) or 0)
    details = entry.get("gpu_details") if isinstance(entry.get("gpu_details"), list) else []
    models = []
    for gpu in details[:THINKUBE_MAX_GPU]:
        model = thinkube_text(gpu.get("model")) if isinstance(gpu, dict) else None
        if model and model != "Unknown GPU" and model not in models:
            models.append(model)
    return {
        "name": name,
        "cpu_available": cpu_available if cpu_capacity is None else min(cpu_available, cpu_capacity),
        "cpu_capacity": cpu_capacity,
        "memory_available_gi": (memory_available if memory_capacity is None
                                else min(memory_available, memory_capacity)),
        "memory_capacity_gi": memory_capacity,
        "gpu_available": min(gpu_available, gpu_capacity),
        "gpu_capacity": gpu_capacity,
        "gpu_models": models,
    }


def thinkube_parse_nodes(payload):
    """GET /cluster/resources → the nodes that can be offered."""
    nodes = {}
    for entry in thinkube_entries(payload, "nodes"):
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
        number = thinkube_count(value) if isinstance(value, (int, float)) else None
        return None if number is None else int(number)

    valid_node = (isinstance(node, str) and len(node) <= THINKUBE_MAX_NODE_NAME
                  and THINKUBE_NODE_NAME.fullmatch(node))
    return {
        "node": node if valid_node else None,
        "cpu": whole("default_cpu_cores"),
        "memory_gi": whole("default_memory_gb"),
        "gpu": whole("default_gpu_count"),
    }
