"""How care prevention plugs into the project: for now the ``tsunagu checklist`` commands."""

from tsunagu.core.plugins import AppPlugin, register_app

PLUGIN = AppPlugin(
    label="care",
    cli="tsunagu.care.checklist.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
