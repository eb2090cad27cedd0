"""How the shared core plugs into the project: the API's sign-in (token) endpoints and
the operator's commands (``tsunagu backup`` / ``tsunagu restore``)."""

from tsunagu.core.plugins import ApiMount, AppPlugin, register_app

PLUGIN = AppPlugin(
    label="core",
    api=(ApiMount("/auth/", "tsunagu.core.api.auth:router"),),
    cli="tsunagu.core.operations.cli:register",
)


def register() -> None:
    register_app(PLUGIN)
