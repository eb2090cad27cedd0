"""How care prevention plugs into the project: the resident pages under ``care/``, the
checklist pages under ``care/checklists/``, the residents' API under ``/api/v1/care``, the
``tsunagu checklist`` and ``tsunagu care`` commands, the 「住民」 menu entry (only for holders of
the care right) and the checklists' dashboard panel."""

from tsunagu.care.checklist import panels
from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app, register_hook

PLUGIN = AppPlugin(
    label="care",
    urls=(
        UrlMount("care/checklists/", "tsunagu.care.checklist.urls"),
        UrlMount("care/", "tsunagu.care.residents.urls"),
    ),
    api=(ApiMount("/care", "tsunagu.care.residents.api:router"),),
    cli="tsunagu.care.cli:add_commands",
)


def register() -> None:
    from tsunagu.care.residents.nav import main_nav_items

    register_app(PLUGIN)
    register_hook("main_nav_items", "care.residents", main_nav_items)
    panels.register()
