"""How care prevention plugs into the project: the ``tsunagu checklist`` commands, the
checklist pages (``/care/checklists/``) and their dashboard panel."""

from tsunagu.care.checklist import panels
from tsunagu.core.plugins import AppPlugin, UrlMount, register_app

PLUGIN = AppPlugin(
    label="care",
    urls=(UrlMount("care/checklists/", "tsunagu.care.checklist.urls"),),
    cli="tsunagu.care.checklist.cli:add_commands",
)


def register() -> None:

    register_app(PLUGIN)
    panels.register()
