# The spawn form's one profile, "Custom Resource Allocation" (hub.extraConfig).
#
# Each choice carries its own kubespawner_override, so the user's selections
# become the pod inside KubeSpawner.start() (which applies profile overrides
# after pre_spawn_hook), and KubeSpawner itself rejects a choice that was never
# offered. profile_list runs twice per spawn (form, then start): the profiles
# built for a spawner's form are pinned to it and used once by the start of
# its pending spawn, so a TTL expiry in between cannot change what was offered.
# A pin lasts one cache TTL: an older form (or a REST API spawn long after a
# form was shown) is checked against current data, so an image withdrawn or a
# node removed since cannot be spawned from it.
# Uses from 10-thinkube-cluster-data.py: thinkube_parse_images,
# thinkube_setting, thinkube_at_least; from
# 20-thinkube-control-client.py: thinkube_control, thinkube_log; from
# 25-thinkube-node-fit.py: thinkube_gpu_limits; from
# 27-thinkube-notebook-start.py: thinkube_start_override.

import html

THINKUBE_PROFILE_SLUG = "custom"
THINKUBE_CPU_STEPS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128)
THINKUBE_MEMORY_STEPS = (2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)


def thinkube_resource_settings():
    """custom.resources: the config's defaults, used when thinkube-control has none."""
    settings = {
        "cpu_limit": int(thinkube_setting("resources.cpuLimit", thinkube_at_least(1))),
        "cpu_guarantee": int(thinkube_setting("resources.cpuGuarantee", thinkube_at_least(0))),
        "memory_limit_gi": int(thinkube_setting("resources.memoryLimitGi", thinkube_at_least(1))),
        "memory_guarantee_gi": int(thinkube_setting("resources.memoryGuaranteeGi", thinkube_at_least(0))),
        "min_memory_gi": int(thinkube_setting("resources.minMemoryGi", thinkube_at_least(1))),
        "gpu_limit": int(thinkube_setting("resources.gpuLimit", thinkube_at_least(0))),
    }
    settings["memory_limit_gi"] = max(settings["memory_limit_gi"], settings["min_memory_gi"])
    return settings


def thinkube_fallback_images():
    """custom.images.fallback as image entries pulled from the configured registry."""
    names = thinkube_setting("images.fallback", (
        lambda v: isinstance(v, list) and len(v) > 0 and all(isinstance(n, str) for n in v),
        "a non-empty list of image names"))
    try:
        return thinkube_parse_images([{"name": n, "display_name": n} for n in names])
    except ValueError as error:
        raise ValueError(f"hub values: custom.images.fallback {names!r} holds no usable image: {error}") from error


# Read once when the hub starts, so a wrong value stops it there rather than at
# a render; each render builds its own copies.
thinkube_resource_settings()
thinkube_fallback_images()


def thinkube_escape(text):
    # KubeSpawner's form template does not autoescape.
    return html.escape(str(text), quote=True)


def thinkube_clamp(value, low, high):
    return max(low, min(high, value))


def thinkube_steps(steps, low, high, default):
    """The preset sizes within [low, high], plus both ends and the default."""
    return sorted({s for s in steps if low <= s <= high} | {low, high, default})


def thinkube_option(display_name, choices, default_key):
    for key, choice in choices.items():
        choice["default"] = key == default_key
    return {"display_name": display_name, "choices": choices}


def thinkube_image_option(images):
    default = next((i["name"] for i in images if i["default"]), images[0]["name"])
    choices = {
        image["name"]: {
            "display_name": thinkube_escape(image["display_name"]),
            "kubespawner_override": {"image": image["ref"], **thinkube_start_override(image["name"])},
        }
        for image in images
    }
    return thinkube_option("Image", choices, default)


def thinkube_node_label(node):
    cpu = f"{node['cpu_available']:g}"
    if node["cpu_capacity"] is not None:
        cpu += f"/{node['cpu_capacity']:g}"
    memory = f"{node['memory_available_gi']:.0f}"
    if node["memory_capacity_gi"] is not None:
        memory += f"/{node['memory_capacity_gi']:.0f}"
    label = f"{node['name']}: {cpu} CPU free, {memory} GiB free"
    if node["gpu_capacity"]:
        label += f", {node['gpu_available']}/{node['gpu_capacity']} GPU free"
        if node["gpu_models"]:
            label += f" ({', '.join(node['gpu_models'])})"
    return thinkube_escape(label)


def thinkube_default_node(nodes, name):
    """The node the form selects: thinkube-control's default when offered, else the first."""
    return next((node for node in nodes if node["name"] == name), nodes[0] if nodes else None)


def thinkube_node_option(nodes, default_node):
    if not nodes:
        choices = {"any": {
            "display_name": "Any node (the scheduler decides)",
            "kubespawner_override": {},
        }}
        return thinkube_option("Node", choices, "any")
    choices = {
        node["name"]: {
            "display_name": thinkube_node_label(node),
            "kubespawner_override": {"node_selector": {"kubernetes.io/hostname": node["name"]}},
        }
        for node in nodes
    }
    return thinkube_option("Node", choices, default_node["name"])


def thinkube_cpu_option(maximum, default, settings):
    choices = {
        str(n): {
            "display_name": f"{n} {'core' if n == 1 else 'cores'}",
            "kubespawner_override": {
                "cpu_limit": float(n),
                "cpu_guarantee": float(min(n, settings["cpu_guarantee"])),
            },
        }
        for n in thinkube_steps(THINKUBE_CPU_STEPS, 1, maximum, default)
    }
    return thinkube_option("CPU cores", choices, str(default))


def thinkube_memory_option(maximum, default, settings):
    low = settings["min_memory_gi"]
    choices = {
        str(n): {
            "display_name": f"{n} GiB",
            "kubespawner_override": {
                "mem_limit": f"{n}G",
                "mem_guarantee": f"{min(n, settings['memory_guarantee_gi'])}G",
            },
        }
        for n in thinkube_steps(THINKUBE_MEMORY_STEPS, low, maximum, default)
    }
    return thinkube_option("Memory", choices, str(default))


def thinkube_gpu_option(maximum, default, nodes):
    choices = {
        str(n): {
            "display_name": "No GPU" if n == 0 else f"{n} GPU{'s' if n > 1 else ''}",
            "kubespawner_override": {"extra_resource_limits": thinkube_gpu_limits(n, nodes)},
        }
        for n in range(0, maximum + 1)
    }
    return thinkube_option("GPUs", choices, str(default))


def thinkube_notice(answers):
    """The visible notice for answers that are not live, or ''."""
    missing = [name for name, (value, _) in answers.items() if value is None]
    stale = [name for name, (value, age) in answers.items()
             if value is not None and age is not None and age >= thinkube_control.ttl]
    if not missing and not stale:
        return ""
    parts = []
    if missing:
        parts.append(f"showing defaults from the configuration for: {', '.join(missing)}")
    if stale:
        oldest = max(answers[name][1] for name in stale)
        parts.append(f"showing the last known {', '.join(stale)} ({oldest:.0f} s old)")
    return "Live cluster data is unavailable: " + "; ".join(parts) + "."


def thinkube_build_profiles(answers):
    """The profile list for answers {images, nodes, defaults: (value or None, age)}."""
    settings = thinkube_resource_settings()
    images = answers["images"][0] or thinkube_fallback_images()
    nodes = answers["nodes"][0] or []
    defaults = answers["defaults"][0] or {}

    def default(key, fallback):
        value = defaults.get(key)
        return fallback if value is None else value

    default_node = thinkube_default_node(nodes, defaults.get("node"))
    if nodes:
        cpu_max = max(1, max(int(n["cpu_available"]) for n in nodes))
        memory_max = max(settings["min_memory_gi"], max(int(n["memory_available_gi"]) for n in nodes))
        gpu_max = max(n["gpu_available"] for n in nodes)
        # The untouched form must fit the node it selects.
        cpu_fit = max(1, int(default_node["cpu_available"]))
        memory_fit = max(settings["min_memory_gi"], int(default_node["memory_available_gi"]))
        gpu_fit = default_node["gpu_available"]
    else:
        cpu_max = cpu_fit = settings["cpu_limit"]
        memory_max = memory_fit = settings["memory_limit_gi"]
        gpu_max = gpu_fit = settings["gpu_limit"]
    cpu = thinkube_clamp(default("cpu", settings["cpu_limit"]), 1, cpu_fit)
    memory = thinkube_clamp(default("memory_gi", settings["memory_limit_gi"]),
                            settings["min_memory_gi"], memory_fit)
    gpu = thinkube_clamp(default("gpu", settings["gpu_limit"]), 0, gpu_fit)

    description = "Choose an image, a node and the resources for your server."
    notice = thinkube_notice(answers)
    if notice:
        description += f" <strong class=\"thinkube-notice\">{thinkube_escape(notice)}</strong>"
    return [{
        "display_name": "Custom Resource Allocation",
        "slug": THINKUBE_PROFILE_SLUG,
        "description": description,
        "default": True,
        "profile_options": {
            "image": thinkube_image_option(images),
            "node": thinkube_node_option(nodes, default_node),
            "cpu": thinkube_cpu_option(cpu_max, cpu, settings),
            "memory": thinkube_memory_option(memory_max, memory, settings),
            "gpu": thinkube_gpu_option(gpu_max, gpu, nodes),
        },
    }]


async def thinkube_profile_list(spawner):
    """KubeSpawner.profile_list: the same profiles for a spawner's form and its start."""
    pinned = getattr(spawner, "_thinkube_profiles", None)
    spawner._thinkube_profiles = None
    if pinned is not None and spawner.pending == "spawn":
        # Used once: a later spawn without a form (REST API) gets fresh data.
        profiles, shown_at = pinned
        age = thinkube_control.clock() - shown_at
        if age < thinkube_control.ttl:
            return profiles
        thinkube_log.info("spawn form of %s shown %.0f s ago: its choices are checked against current data",
                          spawner.user.name, age)
    try:
        answers = await thinkube_control.read()
    except Exception:  # noqa: BLE001 - a form must render whatever happens
        thinkube_log.exception("thinkube-control read failed; using the fallback profile")
        answers = {name: (None, None) for name in ("images", "nodes", "defaults")}
    profiles = thinkube_profiles_for(answers)
    spawner._thinkube_profiles = (profiles, thinkube_control.clock())
    return profiles


# The last profiles built and what they were built from: while the cached
# answers stay the same objects, every form gets the same profile list object,
# which lets 40-thinkube-options-form.py render it once.
thinkube_profiles_memo = {"answers": None, "notice": None, "profiles": None}


def thinkube_profiles_for(answers):
    values = tuple(value for value, _ in answers.values())
    notice = thinkube_notice(answers)
    memo = thinkube_profiles_memo
    same = memo["answers"] is not None and all(a is b for a, b in zip(memo["answers"], values, strict=True))
    if not same or memo["notice"] != notice:
        memo.update(answers=values, notice=notice, profiles=thinkube_build_profiles(answers))
    return memo["profiles"]


c.KubeSpawner.profile_list = thinkube_profile_list  # noqa: F821 - the chart's config object
