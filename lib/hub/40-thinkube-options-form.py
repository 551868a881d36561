# The spawn form's HTML (hub.extraConfig). KubeSpawner's default options_form
# builds a new Jinja environment and compiles its template on every render
# (about 7 ms of the hub's single event loop each time); the HTML depends only
# on the profile list, so it is rendered once per distinct profile list and
# then served as is. The rendering itself is still KubeSpawner's own.
# Uses from 30-thinkube-profiles.py: thinkube_profile_list.

thinkube_form_memo = {"profiles": None, "html": None}


async def thinkube_options_form(spawner):
    """Spawner.options_form: KubeSpawner's form for the current profiles."""
    profiles = await thinkube_profile_list(spawner)
    if thinkube_form_memo["profiles"] is not profiles:
        html = spawner._render_options_form(profiles)
        thinkube_form_memo.update(profiles=profiles, html=html)
    return thinkube_form_memo["html"]


c.KubeSpawner.options_form = thinkube_options_form  # noqa: F821 - the chart's config object
