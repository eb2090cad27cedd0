"""How accompanying support (伴走的支援) plugs into the project: pages (case sheets
included), API, ``tsunagu case-sheet`` and ``tsunagu engagements``, panels."""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app
from tsunagu.engagements import jobs, panels
from tsunagu.engagements.casesheets import jobs as casesheet_jobs

PLUGIN = AppPlugin(
    label="engagements",
    urls=(UrlMount("engagements/", "tsunagu.engagements.urls"),),
    api=(ApiMount("/engagements", "tsunagu.engagements.api:router"),),
    cli="tsunagu.engagements.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
    panels.register()
    jobs.register()  # the daily reminder mails, run by the worker
    casesheet_jobs.register()  # case-sheet PDF / .xlsx files
    _register_stewarded_kind()


def _register_stewarded_kind() -> None:
    """Engagements have stewards (continuity's ``stewarded_kinds``)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from tsunagu.continuity.registry import StewardedKind, register_kind
    from tsunagu.continuity.timeline.entries import register_timeline
    from tsunagu.engagements.permissions import can_edit_engagement, can_view_engagement
    from tsunagu.engagements.timeline import (
        CLOSED_STATUSES,
        engagement_last_activity,
        engagement_timeline,
    )

    register_kind(
        StewardedKind(
            model="engagements.Engagement",
            label=_("伴走的支援"),
            url=lambda engagement: reverse("engagements:detail", args=[engagement.pk]),
            can_view=can_view_engagement,
            can_edit=can_edit_engagement,
            last_activity=engagement_last_activity,
            is_open=lambda engagement: engagement.status not in CLOSED_STATUSES,
            order=40,
        )
    )
    register_timeline("engagements", engagement_timeline)
