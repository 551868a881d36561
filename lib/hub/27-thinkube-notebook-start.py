# How each notebook image starts (hub.extraConfig).
#
# Thinkube ships images of two families that start differently: docker-stacks
# images (start.sh as root, which grants sudo and drops to jovyan) and
# Thinkube's Ubuntu/CUDA images (startup.sh as uid 1000, no start.sh). The
# synthesized values carry, in custom.notebookStart, the family of each image
# name and, per family, the uid, privilege escalation and command
# (lib/values/notebook-start.ts is their only source). The image choice of the
# spawn form carries its family's settings in its kubespawner_override, so
# KubeSpawner applies them together with the image, after pre_spawn_hook. An
# image of no known family (e.g. one added to thinkube-control later) is
# refused when the form is submitted (or, through the REST API, when the spawn
# starts), before any pod exists, with a message naming the image and the fix.
# Uses from 10-thinkube-cluster-data.py: thinkube_setting.

# Read once, when the hub starts: (image name → family, family → start settings).
THINKUBE_NOTEBOOK_START = thinkube_setting("notebookStart", (
    lambda v: isinstance(v, dict) and isinstance(v.get("families"), dict) and isinstance(v.get("starts"), dict),
    "a mapping with families and starts"))


def thinkube_start_of(name):
    """The start settings of image `name`, or None when its family is unknown."""
    families, starts = THINKUBE_NOTEBOOK_START["families"], THINKUBE_NOTEBOOK_START["starts"]
    start = starts.get(families.get(name))
    return start if isinstance(start, dict) else None


def thinkube_unknown_family_message(name):
    return (
        f"image {name} has no start family, so the hub cannot tell how to start it: "
        f"add it to images.families in jupyterhub.config.yaml ('thinkube' for images "
        f"built on tk-jupyter-ml-gpu, 'docker-stacks' for images built on "
        f"jupyter/docker-stacks), synthesize and apply, or choose another image"
    )


def thinkube_start_override(name):
    """The image choice's overrides that start image `name` as its family needs;
    for an unknown family, one that fails the spawn (the REST API's path: the
    form already refused it in thinkube_options_from_form)."""
    start = thinkube_start_of(name)
    if start is None:
        def refuse(spawner):
            raise ValueError(thinkube_unknown_family_message(name))

        return {"cmd": refuse}
    return {
        "uid": start["uid"],
        "allow_privilege_escalation": start["allowPrivilegeEscalation"],
        "cmd": list(start["cmd"]),
    }


def thinkube_options_from_form(formdata, spawner):
    """KubeSpawner's own reading of the form, refusing an image of no known
    family at once: the form comes back with the message, and no failed spawn
    counts towards the hub's consecutive_failure_limit (which restarts the hub)."""
    options = spawner._options_from_form(formdata)
    image = options.get("image")
    if image is not None and thinkube_start_of(image) is None:
        raise ValueError(thinkube_unknown_family_message(image))
    return options


c.KubeSpawner.options_from_form = thinkube_options_from_form  # noqa: F821 - the chart's config object
