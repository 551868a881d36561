"""The synthesized authentication values against the real OAuthenticator: the
authenticator JupyterHub builds from them must construct (OAuthenticator 17
raises at construction on contradictory group settings, which exits the hub),
and a Keycloak login must be admitted, refused or made admin as configured.

Only the HTTP layer (OAuthenticator.httpfetch: the token and userinfo
requests to Keycloak) is replaced; everything from the callback's `code` to
the admission decision is OAuthenticator's and JupyterHub's own code."""

import logging

import pytest
from jupyterhub.app import JupyterHub
from oauthenticator.oauth2 import _serialize_state

# Every config the hub-runtime tests synthesize.
CONFIGS = ("empty-config.yaml", "hub-test-config.yaml", "groups-config.yaml", "admin-groups-config.yaml")


class Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_authenticator(hub, warnings=None):
    """The authenticator as JupyterHub creates it: the class named by
    JupyterHub.authenticator_class (an entry point name), configured by the app.
    The app's log does not propagate; `warnings` collects what it says."""
    app = JupyterHub(config=hub.config)
    if warnings is not None:
        app.log.addHandler(warnings)
    return app.authenticator_class(parent=app)


class CallbackRequest:
    """The parts of JupyterHub's OAuthCallbackHandler that authenticate() reads:
    the `code` argument and the state cookie carrying the PKCE verifier."""

    def __init__(self):
        self.state = _serialize_state({"state_id": "s1", "code_verifier": "v" * 64})

    def get_argument(self, name, default=None):
        return {"code": "the-code"}.get(name, default)

    def get_state_cookie(self):
        return self.state


def keycloak_answers(monkeypatch, authenticator, userinfo):
    """Keycloak's token and userinfo answers, at the URLs the values configure."""
    requests = []

    async def httpfetch(url, *args, **kwargs):
        requests.append(url)
        if url == authenticator.token_url:
            return {"access_token": "at", "token_type": "Bearer", "refresh_token": "rt", "scope": "openid profile email"}
        if url == authenticator.userdata_url:
            return userinfo
        raise AssertionError(f"unexpected request to {url}")

    monkeypatch.setattr(authenticator, "httpfetch", httpfetch)
    return requests


async def login(monkeypatch, authenticator, userinfo):
    """What the OAuth callback does: authenticate, then JupyterHub's checks
    (blocked, allowed, admin). None means JupyterHub answers 403."""
    requests = keycloak_answers(monkeypatch, authenticator, userinfo)
    user = await authenticator.get_authenticated_user(CallbackRequest(), None)
    assert requests == [authenticator.token_url, authenticator.userdata_url]
    return user


@pytest.mark.parametrize("config_file", CONFIGS)
def test_the_authenticator_constructs_from_every_synthesized_config(hub_of, config_file):
    warnings = Warnings()
    authenticator = build_authenticator(hub_of(config_file), warnings)
    assert type(authenticator).__name__ == "GenericOAuthenticator"
    # A misspelt or misplaced setting is only a warning to traitlets: never ignored here.
    assert warnings.messages == []
    assert authenticator.userdata_url.endswith("/protocol/openid-connect/userinfo")


def test_default_config_admits_every_realm_user(hub_of, monkeypatch, run):
    authenticator = build_authenticator(hub_of("empty-config.yaml"))
    assert authenticator.manage_groups is False
    user = run(login(monkeypatch, authenticator, {"preferred_username": "zoe"}))
    # None: JupyterHub leaves the admin flag as it is (False for a new user).
    assert (user["name"], user["admin"]) == ("zoe", None)
    admin = run(login(monkeypatch, authenticator, {"preferred_username": "admin"}))
    assert admin["admin"] is True


@pytest.fixture
def groups_authenticator(hub_of):
    return build_authenticator(hub_of("groups-config.yaml"))


def test_groups_config_sets_what_oauthenticator_checks(groups_authenticator):
    a = groups_authenticator
    assert (a.manage_groups, a.allow_all) == (True, False)
    assert a.allowed_groups == {"lab-users"}
    assert a.admin_groups == {"lab-admins"}
    assert a.auth_state_groups_key == "oauth_user.groups"
    assert a.admin_users == {"ana"}


def test_a_member_of_an_allowed_group_is_admitted(groups_authenticator, monkeypatch, run):
    user = run(login(monkeypatch, groups_authenticator, {"preferred_username": "bo", "groups": ["lab-users", "other"]}))
    assert user["name"] == "bo"
    assert user["admin"] is False
    assert user["groups"] == ["lab-users", "other"]


def test_a_non_member_is_refused(groups_authenticator, monkeypatch, run):
    assert run(login(monkeypatch, groups_authenticator, {"preferred_username": "eve", "groups": ["other"]})) is None


def test_without_the_groups_claim_everyone_but_admin_users_is_refused(groups_authenticator, monkeypatch, run):
    # What happens when Keycloak's groups mapper is missing: the README's 403 row.
    assert run(login(monkeypatch, groups_authenticator, {"preferred_username": "bo"})) is None


def test_a_member_of_an_admin_group_is_admitted_as_admin(groups_authenticator, monkeypatch, run):
    user = run(login(monkeypatch, groups_authenticator, {"preferred_username": "cy", "groups": ["lab-admins"]}))
    assert (user["name"], user["admin"]) == ("cy", True)


def test_admin_users_stay_admins_without_any_group(groups_authenticator, monkeypatch, run):
    user = run(login(monkeypatch, groups_authenticator, {"preferred_username": "ana", "groups": []}))
    assert (user["name"], user["admin"]) == ("ana", True)


def test_admin_groups_alone_grant_admin_and_keep_login_open(hub_of, monkeypatch, run):
    authenticator = build_authenticator(hub_of("admin-groups-config.yaml"))
    assert (authenticator.allow_all, authenticator.manage_groups) == (True, True)
    admin = run(login(monkeypatch, authenticator, {"preferred_username": "cy", "groups": ["lab-admins"]}))
    assert admin["admin"] is True
    user = run(login(monkeypatch, authenticator, {"preferred_username": "zoe", "groups": []}))
    # False, not None: admin_groups revoke the admin rights of former members.
    assert (user["name"], user["admin"]) == ("zoe", False)


def test_the_warning_check_sees_unknown_settings(hub_of):
    hub = hub_of("empty-config.yaml")
    hub.config.GenericOAuthenticator.allowed_groupz = ["typo"]
    warnings = Warnings()
    build_authenticator(hub, warnings)
    assert any("allowed_groupz" in message for message in warnings.messages)
