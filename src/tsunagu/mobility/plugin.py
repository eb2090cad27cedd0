"""How mobility support (移動支援) plugs into the project: pages (rides, surveys, the
legal check), API, the ``tsunagu mobility`` commands, panels."""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app
from tsunagu.mobility import panels
from tsunagu.mobility.rides import gap_riders

PLUGIN = AppPlugin(
    label="mobility",
    urls=(UrlMount("mobility/", "tsunagu.mobility.urls"),),
    api=(
        ApiMount("/mobility/legal-check", "tsunagu.mobility.legal.api:router"),
        ApiMount("/mobility", "tsunagu.mobility.rides.api:router"),
    ),
    cli="tsunagu.mobility.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
    panels.register()
    gap_riders.register()  # riders' homes as points of transit's gap analysis
