"""The timeline of one record (issue 16 item 3): the ``timeline_entries`` hook.

Continuity is below the apps whose records it shows, so each app contributes the entries it
knows about from its own ``plugin.py``::

    from tsunagu.continuity.timeline.entries import TimelineEntry, register_timeline

    def body_meetings(*, obj, user):
        if not isinstance(obj, ConsultativeBody):
            return []
        return [TimelineEntry(when=m.starts_at, type="meeting", title=str(m), url=...) for m in ...]

    register_timeline("bodies_meetings", body_meetings)

A provider is called for every record, with the reader (``user``), and returns the entries
of that record the reader may see (usually nothing for records of other apps). The page
calls a provider only after the reader was allowed to see the record itself
(:func:`timeline_for`). Continuity provides the record's history (``core.history.history_entries``
with the reader, which withholds what they could not have seen), its stewards' periods and
the contact log (``Interaction``) about it, with it (organisations) or with them (people).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.plugins import hooks, register_hook

TIMELINE_ENTRIES = "timeline_entries"

# The types of entry a reader can filter by, in the order of the filter.
ENTRY_TYPES: dict[str, Any] = {
    "contact": _("連絡・訪問"),
    "meeting": _("会議"),
    "stage": _("段階・状態の変更"),
    "insight": _("気づき"),
    "note": _("メモ・コメント"),
    "steward": _("担当の交代"),
    "history": _("変更履歴"),
}


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.date | datetime.datetime
    type: str  # a key of ENTRY_TYPES
    title: str
    text: str = ""
    who: str = ""
    url: str = ""

    @property
    def type_label(self) -> str:
        return str(ENTRY_TYPES.get(self.type, self.type))

    @property
    def day(self) -> datetime.date:
        if isinstance(self.when, datetime.datetime):
            return (
                timezone.localtime(self.when).date()
                if timezone.is_aware(self.when)
                else self.when.date()
            )
        return self.when

    def sort_key(self) -> tuple[datetime.date, datetime.time]:
        if isinstance(self.when, datetime.datetime):
            local = timezone.localtime(self.when) if timezone.is_aware(self.when) else self.when
            return (local.date(), local.time())
        return (self.when, datetime.time.max)  # a day's dated entry after its timed ones


Provider = Callable[..., Iterable[TimelineEntry]]


def register_timeline(key: str, provider: Provider) -> None:
    register_hook(TIMELINE_ENTRIES, key, provider)


def timeline_for(*, obj: models.Model, user: Any, types: Iterable[str] = ()) -> list[TimelineEntry]:
    """Every provider's entries of ``obj`` for ``user``, newest first, filtered by ``types``.

    The caller has checked that ``user`` may see ``obj`` (``timeline/views.py``).
    """
    wanted = set(types)
    entries: list[TimelineEntry] = []
    for provider in hooks(TIMELINE_ENTRIES):
        for entry in provider(obj=obj, user=user):
            if not wanted or entry.type in wanted:
                entries.append(entry)
    return sorted(entries, key=lambda e: e.sort_key(), reverse=True)
