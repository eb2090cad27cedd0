"""How the shared core plugs into the project: the API's sign-in (token) endpoints, the job
pages under /jobs/ and ``tsunagu worker``."""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app

PLUGIN = AppPlugin(
    label="core",
    urls=(UrlMount("jobs/", "tsunagu.core.jobs.urls"),),
    api=(ApiMount("/auth/", "tsunagu.core.api.auth:router"),),
    cli="tsunagu.core.jobs.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
