"""How accompanying support (伴走的支援) plugs into the project: pages (case sheets
included), API, ``tsunagu case-sheet`` and ``tsunagu engagements``, panels."""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app
from tsunagu.engagements import panels

PLUGIN = AppPlugin(
    label="engagements",
    urls=(UrlMount("engagements/", "tsunagu.engagements.urls"),),
    api=(ApiMount("/engagements", "tsunagu.engagements.api:router"),),
    cli="tsunagu.engagements.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
    panels.register()
