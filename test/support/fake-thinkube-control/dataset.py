"""The data the fake thinkube-control serves by default: the contract's
examples (../../../shared/contracts/thinkube-control-api.md), extended to the
spec's three images."""

import copy

REGISTRY = "harbor.example.com"


def _image(name, display_name, default=False):
    return {
        "name": name,
        "display_name": display_name,
        "description": f"Jupyter notebook: {display_name}",
        "default": default,
        "metadata": {
            "image_size": 2147483648,
            "registry": REGISTRY,
            "repository": f"library/{name}",
            "tag": "latest",
        },
    }


IMAGES = [
    _image("tk-jupyter-scipy", "Scientific Python", default=True),
    _image("tk-jupyter-ml-cpu", "Machine Learning (CPU)"),
    _image("tk-jupyter-ml-gpu", "Machine Learning (GPU)"),
]

RESOURCES = [
    {
        "name": "gpu-node-1",
        "capacity": {"cpu": 32, "memory": "125Gi", "gpu": 2, "effective_gpu": 2},
        "allocated": {"cpu": 6.5, "memory": "24Gi", "gpu": 1},
        "available": {"cpu": 25.5, "memory": "101Gi", "gpu": 1},
        "gpu_details": [
            {"index": 0, "model": "NVIDIA RTX A6000", "memory_total": "48Gi",
             "memory_used": "40Gi", "memory_free": "8Gi", "available": False},
            {"index": 1, "model": "NVIDIA RTX A6000", "memory_total": "48Gi",
             "memory_used": "0Gi", "memory_free": "48Gi", "available": True},
        ],
    },
    {
        "name": "cpu-node-1",
        "capacity": {"cpu": 16, "memory": "62Gi", "gpu": 0, "effective_gpu": 0},
        "allocated": {"cpu": 2, "memory": "4Gi", "gpu": 0},
        "available": {"cpu": 14, "memory": "58Gi", "gpu": 0},
        "gpu_details": [],
    },
]

CONFIG = {
    "id": "6f1c2d4e-0000-4000-8000-000000000000",
    "default_node": "gpu-node-1",
    "default_cpu_cores": 4,
    "default_memory_gb": 8,
    "default_gpu_count": 0,
    "created_at": "2026-01-01T00:00:00",
    "updated_at": "2026-01-01T00:00:00",
}


def default_dataset():
    """A fresh, mutable copy of the default answers, keyed by endpoint path."""
    return copy.deepcopy({
        "/images/jupyter": IMAGES,
        "/cluster/resources": RESOURCES,
        "/jupyterhub/config": CONFIG,
    })
