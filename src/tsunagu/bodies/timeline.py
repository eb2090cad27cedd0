"""A body's and an action item's timeline entries (continuity's ``timeline_entries`` hook):
meetings with their decisions. The reader has already been allowed to see the record."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tsunagu.bodies.models import ActionItem, ConsultativeBody
from tsunagu.continuity.timeline.entries import TimelineEntry


def body_timeline(*, obj: Any, user: Any) -> list[TimelineEntry]:
    if isinstance(obj, ActionItem):
        meeting = obj.meeting if getattr(obj, "meeting_id", None) else None
        if meeting is None:
            return []
        return [
            TimelineEntry(
                when=meeting.starts_at,
                type="meeting",
                title=str(meeting),
                url=reverse("bodies:meeting_detail", args=[meeting.pk]),
            )
        ]
    if not isinstance(obj, ConsultativeBody):
        return []
    return [
        TimelineEntry(
            when=m.starts_at,
            type="meeting",
            title=f"{m} ({m.get_status_display()})",
            text=m.agenda,
            url=reverse("bodies:meeting_detail", args=[m.pk]),
        )
        for m in obj.meetings.all()
    ]
