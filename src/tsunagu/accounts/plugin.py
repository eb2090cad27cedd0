"""How accounts plug into the project: sign-in and account pages under /accounts/,
``tsunagu createadmin``."""

from tsunagu.core.plugins import AppPlugin, UrlMount, register_app

PLUGIN = AppPlugin(
    label="accounts",
    urls=(UrlMount("accounts/", "tsunagu.accounts.urls"),),
    cli="tsunagu.accounts.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
