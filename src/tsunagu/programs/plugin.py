"""How the 総合事業 catalog, program instances, service B groups and service C courses plug into
the project, with courses as a stewarded kind (担当) (the courses' pages stay under ``care/courses/`` and their outcome API under
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
    _register_stewarded_kind()


def _register_stewarded_kind() -> None:
    """Service C courses have stewards (continuity's ``stewarded_kinds``): the course page
    shows participants, so only holders of the care right see it, assign or succeed to it."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext_lazy as _

    from tsunagu.accounts.scope import can_edit
    from tsunagu.care.access import can_open_residents
    from tsunagu.continuity.registry import StewardedKind, register_kind
    from tsunagu.programs.courses.selectors import courses_visible_to

    def may_view(user: object, course: object) -> bool:
        return can_open_residents(user, course.municipality_id)  # type: ignore[attr-defined]

    register_kind(
        StewardedKind(
            model="programs.Course",
            label=_("サービスCのコース"),
            url=lambda course: reverse("care_courses:detail", args=[course.pk]),
            title=lambda course: course.name,
            can_view=may_view,
            can_edit=lambda user, course: may_view(user, course) and can_edit(user, course),
            visible_to=courses_visible_to,
            is_open=lambda course: course.ends_on >= timezone.localdate(),
            order=60,
        )
    )
