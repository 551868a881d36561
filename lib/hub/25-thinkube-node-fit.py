# Rejects, at spawn time, a combination of choices that can never run on the
# chosen node (hub.extraConfig). The form's options are independent dropdowns,
# so 32 cores or a GPU can be chosen together with a node that has fewer; such
# a pod would sit unschedulable until start_timeout. KubeSpawner applies the
# choices' overrides in option order, so when the GPU option's override runs,
# the node, CPU and memory choices are already on the spawner.

THINKUBE_HOSTNAME_LABEL = "kubernetes.io/hostname"


def thinkube_misfit(spawner, node, gpus):
    """Why the spawner's resources can't fit the node's capacity, or None."""
    problems = []
    if node["cpu_capacity"] is not None and (spawner.cpu_limit or 0) > node["cpu_capacity"]:
        problems.append(f"{spawner.cpu_limit:g} CPU cores (it has {node['cpu_capacity']:g})")
    memory_gi = (spawner.mem_limit or 0) / 2**30
    if node["memory_capacity_gi"] is not None and memory_gi > node["memory_capacity_gi"]:
        problems.append(f"{memory_gi:g} GiB of memory (it has {node['memory_capacity_gi']:.0f})")
    if gpus > node["gpu_capacity"]:
        problems.append(f"{gpus} GPU{'' if gpus == 1 else 's'} (it has {node['gpu_capacity']})")
    if not problems:
        return None
    return f"node {node['name']} cannot run {' and '.join(problems)}: choose less or another node"


def thinkube_gpu_limits(gpus, nodes):
    """The GPU choice's extra_resource_limits override, checking the whole pod first."""
    by_name = {node["name"]: node for node in nodes}

    def limits(spawner):
        node = by_name.get((spawner.node_selector or {}).get(THINKUBE_HOSTNAME_LABEL))
        problem = thinkube_misfit(spawner, node, gpus) if node else None
        if problem:
            raise ValueError(problem)
        # None removes the key when KubeSpawner merges this dict override.
        return {"nvidia.com/gpu": str(gpus) if gpus else None}

    return limits
