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


def _account_feeds(request, user):  # type: ignore[no-untyped-def]
    """The secret meeting feed on the account page (accounts' ``account_calendar_feeds``)."""
    from tsunagu.bodies.views.feeds import account_feeds

    return account_feeds(request, user)


def register() -> None:
    register_app(PLUGIN)
    from tsunagu.core.plugins import register_hook

    register_hook("account_calendar_feeds", "bodies", _account_feeds)
    panels.register()
    _register_stewarded_kinds()


def _register_stewarded_kinds() -> None:
    """Bodies and action items have stewards (continuity's ``stewarded_kinds``); the 「担当」
    section is on the body page (``body_detail_sections``)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from tsunagu.bodies.dependency import single_attendee_bodies
    from tsunagu.bodies.extensions import BODY_DETAIL_SECTIONS
    from tsunagu.bodies.timeline import body_timeline
    from tsunagu.continuity.dependency.report import DEPENDENCY_FINDINGS
    from tsunagu.continuity.registry import StewardedKind, register_kind
    from tsunagu.continuity.sections import body_stewardship_section
    from tsunagu.continuity.timeline.entries import register_timeline
    from tsunagu.core.plugins import register_hook

    register_kind(
        StewardedKind(
            model="bodies.ConsultativeBody",
            label=_("会議体"),
            url=lambda body: reverse("bodies:detail", args=[body.pk]),
            title=lambda body: body.name,
            order=20,
        )
    )
    register_kind(
        StewardedKind(
            model="bodies.ActionItem",
            label=_("宿題"),
            url=lambda item: reverse("bodies:detail", args=[item.body_id]) + "#actions",
            title=lambda item: f"{item.title}（{item.body.name}）",
            last_activity=lambda item: item.completed_on,
            is_open=lambda item: item.status in ("open", "in_progress"),
            order=50,
        )
    )
    register_timeline("bodies", body_timeline)
    register_hook(DEPENDENCY_FINDINGS, "bodies_single_attendee", single_attendee_bodies)
    register_hook(BODY_DETAIL_SECTIONS, "continuity", body_stewardship_section)
