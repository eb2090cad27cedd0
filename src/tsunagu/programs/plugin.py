"""How the 総合事業 catalog, program instances, service B groups and service C courses plug into
the project (the courses' pages stay under ``care/courses/`` and their outcome API under
``/api/v1/care/courses``: they sit beside the care pages their users work in)."""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app

PLUGIN = AppPlugin(
    label="programs",
    urls=(
        UrlMount("care/courses/", "tsunagu.programs.courses.urls"),
        UrlMount("programs/service-b/", "tsunagu.programs.service_b.urls"),
        UrlMount("programs/", "tsunagu.programs.urls"),
    ),
    api=(
        ApiMount("/programs/catalog", "tsunagu.programs.catalog.api:router"),
        ApiMount("/programs/instances", "tsunagu.programs.instances.api:router"),
        ApiMount("/programs/service-b", "tsunagu.programs.service_b.api:router"),
        ApiMount("/care/courses", "tsunagu.programs.courses.api:router"),
    ),
)


def register() -> None:
    register_app(PLUGIN)
