"""How plans, shared goals, indicators and PDCA plug into the project."""

from tsunagu.core.plugins import AppPlugin, register_app

PLUGIN = AppPlugin(label="plans")


def register() -> None:
    register_app(PLUGIN)
