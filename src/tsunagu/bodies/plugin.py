"""How bodies (協議体・会議) plug into the project: pages, public list, API, panels."""

from tsunagu.bodies import panels
from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app

PLUGIN = AppPlugin(
    label="bodies",
    urls=(
        UrlMount("bodies/", "tsunagu.bodies.urls"),
        UrlMount("public/bodies/", "tsunagu.bodies.urls_public"),
    ),
    api=(ApiMount("/bodies", "tsunagu.bodies.api:router"),),
)


def register() -> None:
    register_app(PLUGIN)
    panels.register()
