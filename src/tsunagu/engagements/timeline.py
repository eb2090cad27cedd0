"""An engagement's timeline entries (continuity's ``timeline_entries`` hook): visits, contacts,
insights and status changes. The reader has already been allowed to see the engagement."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.continuity.timeline.entries import TimelineEntry
from tsunagu.engagements.models import Engagement

# An engagement in these statuses is finished: it is not listed as stale.
CLOSED_STATUSES = frozenset({"on_track", "not_selected"})


def engagement_last_activity(engagement: Engagement) -> datetime.date | None:
    """The latest visit, contact or status change (for the stale digest)."""
    days = [v.visited_on for v in engagement.visits.all()]
    days += [c.contacted_on for c in engagement.contacts.all()]
    days += [timezone.localtime(s.changed_at).date() for s in engagement.status_changes.all()]
    return max(days, default=None)


def engagement_timeline(*, obj: Any, user: Any) -> list[TimelineEntry]:
    if not isinstance(obj, Engagement):
        return []
    url = reverse("engagements:detail", args=[obj.pk])
    entries = [
        TimelineEntry(
            when=v.visited_on,
            type="meeting",
            title=_("第%(n)d回 訪問") % {"n": v.number},
            text=v.summary or v.advice,
            url=url,
        )
        for v in obj.visits.all()
    ]
    entries += [
        TimelineEntry(
            when=c.contacted_on,
            type="contact",
            title=f"{c.get_channel_display()}: {c.with_whom or '—'}",
            text=c.summary,
            who=c.recorded_by.display_name if c.recorded_by else "",
        )
        for c in obj.contacts.select_related("recorded_by")
    ]
    entries += [
        TimelineEntry(
            when=i.created_at,
            type="insight",
            title=_("気づき"),
            text=i.text,
            who=i.realised_by,
        )
        for i in obj.insights.all()
    ]
    entries += [
        TimelineEntry(
            when=s.changed_at,
            type="stage",
            title=f"{s.get_from_status_display() or '—'} → {s.get_to_status_display()}",
            text=s.reason,
            who=s.changed_by.display_name if s.changed_by else "",
        )
        for s in obj.status_changes.select_related("changed_by")
    ]
    return entries
