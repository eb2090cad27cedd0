"""How the dashboard plugs into the project (the panels on it come from the other apps)."""

from tsunagu.core.plugins import AppPlugin, UrlMount, register_app

PLUGIN = AppPlugin(
    label="dashboard",
    urls=(UrlMount("dashboard/", "tsunagu.dashboard.urls"),),
)


def register() -> None:
    register_app(PLUGIN)
