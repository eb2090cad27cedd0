"""How public transport data (GTFS) plugs into the project.

Its pages live under /mobility/ and its commands in the ``tsunagu mobility`` group, where
users look for them, but transit mounts them itself: mobility builds on transit, never the
other way round.
"""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app
from tsunagu.transit import jobs
from tsunagu.transit.gap import jobs as gap_jobs

PLUGIN = AppPlugin(
    label="transit",
    urls=(
        UrlMount("mobility/transit/", "tsunagu.transit.urls"),
        UrlMount("mobility/gap/", "tsunagu.transit.gap.urls"),
    ),
    api=(ApiMount("/transit", "tsunagu.transit.api:router"),),
    cli="tsunagu.transit.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
    jobs.register()  # GTFS imports from the web page, run by the worker
    gap_jobs.register()  # the gap analysis's .xlsx
