"""A regional issue's timeline entries (continuity's ``timeline_entries`` hook): stage changes,
ideas and comments. The reader has already been allowed to see the issue."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.continuity.timeline.entries import TimelineEntry
from tsunagu.regional_issues.models import RegionalIssue


def issue_last_activity(issue: RegionalIssue) -> datetime.date | None:
    """The latest stage change, idea or comment (for the stale digest)."""
    moments = [s.changed_at for s in issue.stage_changes.all()]
    moments += [i.created_at for i in issue.ideas.all()]
    moments += [c.created_at for c in issue.comments.all()]
    return max((timezone.localtime(m).date() for m in moments), default=None)


def issue_timeline(*, obj: Any, user: Any) -> list[TimelineEntry]:
    if not isinstance(obj, RegionalIssue):
        return []
    entries = [
        TimelineEntry(
            when=s.changed_at,
            type="stage",
            title=f"{s.get_from_stage_display() or '—'} → {s.get_to_stage_display()}",
            text=s.reason,
            who=s.changed_by.display_name if s.changed_by else "",
        )
        for s in obj.stage_changes.select_related("changed_by")
    ]
    entries += [
        TimelineEntry(when=i.created_at, type="note", title=_("アイディア"), text=i.text)
        for i in obj.ideas.all()
    ]
    entries += [
        TimelineEntry(
            when=c.created_at,
            type="note",
            title=_("コメント"),
            text=c.text,
            who=c.author.display_name,
        )
        for c in obj.comments.select_related("author")
    ]
    return entries
