"""How areas and statistics plug into the project: pages, ``tsunagu check-data``, panels."""

from tsunagu.areas import panels
from tsunagu.core.plugins import AppPlugin, UrlMount, register_app

PLUGIN = AppPlugin(
    label="areas",
    urls=(UrlMount("areas/", "tsunagu.areas.urls"),),
    cli="tsunagu.areas.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
    panels.register()
