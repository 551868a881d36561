"""Prints, as JSON, the pod a real KubeSpawner builds for an untouched spawn
form from the synthesized values (THINKUBE_JH_CONFIG names the config), so the
cluster tests can create it in the real API server. The user is alice, or the
name given as the first argument."""

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support" / "hub"))

from chart_hub import load_hub_config, synthesize  # noqa: E402
from hub_spawner import browser_submission, new_spawner, render_form, spawn_manifest  # noqa: E402


async def main():
    hub = load_hub_config(synthesize())
    spawner = new_spawner(hub, name=sys.argv[1] if len(sys.argv) > 1 else "alice")
    form = await render_form(spawner)
    print(json.dumps(await spawn_manifest(spawner, browser_submission(form))))


asyncio.run(main())
