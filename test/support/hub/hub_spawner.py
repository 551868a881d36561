"""Drives a real KubeSpawner through a spawn the way JupyterHub 5.5 does, up to
(not including) the Kubernetes API calls: render the options form, parse the
submitted form, run the pre-spawn hook, load the profile, build the pod."""

import os
from html.parser import HTMLParser
from pathlib import Path

# KubeSpawner loads a kubeconfig when constructed; this one names a server that
# is never contacted (no test reaches the Kubernetes API). kubernetes_asyncio
# reads the variable when imported.
os.environ["KUBECONFIG"] = str(Path(__file__).with_name("kubeconfig-unreachable.yaml"))

from jupyterhub import orm  # noqa: E402 - after KUBECONFIG
from jupyterhub.objects import Hub
from jupyterhub.user import User
from jupyterhub.utils import maybe_future
from kubernetes_asyncio.client import ApiClient
from traitlets import import_item


def new_spawner(hub_config, name="alice"):
    """The user's default-server spawner, created by jupyterhub.user.User from
    the config as the hub does. Call inside a running event loop."""
    db = orm.new_session_factory("sqlite:///:memory:")()
    orm_user = orm.User(name=name)
    db.add(orm_user)
    db.commit()
    config = hub_config.config
    settings = {
        "config": config,
        "spawner_class": import_item(config.JupyterHub.spawner_class),
        "hub": Hub(),
        "domain": "",
        "statsd": None,
    }
    return User(orm_user, settings=settings, db=db).spawner


class FormReader(HTMLParser):
    """The <select> elements of a rendered form: {name: [(value, label, selected)]}."""

    def __init__(self):
        super().__init__()
        self.selects = {}
        self.radios = []
        self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = attrs["name"]
            self.selects[self._select] = []
        elif tag == "option" and self._select:
            self._option = [attrs["value"], "", "selected" in attrs]
        elif tag == "input" and attrs.get("type") == "radio":
            self.radios.append((attrs["name"], attrs["value"], "checked" in attrs))

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.selects[self._select].append(tuple(self._option))
            self._option = None
        elif tag == "select":
            self._select = None


def read_form(form_html):
    reader = FormReader()
    reader.feed(form_html)
    return reader


def browser_submission(form_html, **choices):
    """What a browser posts: every select's selected option unless overridden
    by choices (keyed by option name, e.g. cpu="8"), and the checked profile."""
    form = read_form(form_html)
    data = {name: [value] for name, value, checked in form.radios if checked}
    for select, options in form.selects.items():
        option = select.rsplit("--", 1)[-1]
        selected = [value for value, _, is_selected in options if is_selected]
        data[select] = [choices.pop(option) if option in choices else selected[0]]
    if choices:
        raise KeyError(f"no such options in the form: {sorted(choices)}")
    return data


async def render_form(spawner):
    """The options form as the spawn page gets it."""
    return await spawner.get_options_form()


async def spawn_manifest(spawner, form_data):
    """Submit the form and build the pod, in JupyterHub's and KubeSpawner's order."""
    options = await maybe_future(spawner.run_options_from_form(form_data))
    return await spawn_manifest_from_options(spawner, options)


async def spawn_manifest_from_options(spawner, user_options):
    """Start a spawn with these user_options (as the form or the REST API gives them)."""
    spawner.user_options = user_options
    # BaseHandler.spawn_single_user marks the spawn pending before User.spawn.
    spawner._spawn_pending = True
    await maybe_future(spawner.run_pre_spawn_hook())
    # KubeSpawner._start begins with load_user_options(), which applies the profile.
    await spawner.load_user_options()
    return await pod_json(spawner)


async def pod_json(spawner):
    """The pod as KubeSpawner would send it to the API server (camelCase JSON)."""
    manifest = await spawner.get_pod_manifest()
    async with ApiClient() as client:
        return client.sanitize_for_serialization(manifest)
