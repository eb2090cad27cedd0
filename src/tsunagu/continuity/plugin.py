"""How stewardship (担当), the contact log and handover (引継ぎ) plug into the project."""

from tsunagu.core.plugins import AppPlugin, register_app

PLUGIN = AppPlugin(label="continuity")


def register() -> None:
    register_app(PLUGIN)
