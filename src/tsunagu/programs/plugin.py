"""How the 総合事業 catalog, program instances and service B groups plug into the project."""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app

PLUGIN = AppPlugin(
    label="programs",
    urls=(
        UrlMount("programs/service-b/", "tsunagu.programs.service_b.urls"),
        UrlMount("programs/", "tsunagu.programs.urls"),
    ),
    api=(
        ApiMount("/programs/catalog", "tsunagu.programs.catalog.api:router"),
        ApiMount("/programs/instances", "tsunagu.programs.instances.api:router"),
        ApiMount("/programs/service-b", "tsunagu.programs.service_b.api:router"),
    ),
)


def register() -> None:
    register_app(PLUGIN)
