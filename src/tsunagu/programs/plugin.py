"""How the 総合事業 catalog, program instances and service B groups plug into the project."""

from tsunagu.core.plugins import AppPlugin, register_app

PLUGIN = AppPlugin(label="programs")


def register() -> None:
    register_app(PLUGIN)
