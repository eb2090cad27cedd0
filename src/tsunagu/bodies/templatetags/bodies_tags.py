"""Template helpers of the bodies pages: meeting dates in the Japanese minutes style, links
to pages of other apps that may not be installed yet, and attachment kinds."""

from __future__ import annotations

import datetime
import os
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tsunagu.core import wareki

register = template.Library()

WEEKDAYS = "月火水木金土日"
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def _day(day: datetime.date, style: str) -> str:
    return f"{wareki.format_date(day, style or 'wareki')}（{WEEKDAYS[day.weekday()]}）"


def meeting_when_text(starts: datetime.datetime, ends: datetime.datetime | None, style: str) -> str:
    """令和7年4月17日（木）14:00〜15:30 (the end date is repeated only when it differs)."""
    start = timezone.localtime(starts)
    text = f"{_day(start.date(), style)}{start:%H:%M}〜"
    if ends is not None:
        end = timezone.localtime(ends)
        if end.date() != start.date():
            text += _day(end.date(), style)
        text += f"{end:%H:%M}"
    return text


@register.simple_tag(takes_context=True)
def meeting_when(context: Any, meeting: Any) -> str:
    return meeting_when_text(meeting.starts_at, meeting.ends_at, context.get("date_style", ""))


@register.filter
def jday(value: Any, style: str = "wareki") -> str:
    """A date (or the date of a datetime, in Asia/Tokyo) with its weekday: 令和7年4月17日（木）."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _day(value, style)


@register.simple_tag
def optional_url(name: str, *args: Any) -> str:
    """The URL of ``name``, or "" while the page does not exist (another app not installed)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def is_image(file_field: Any) -> bool:
    name = getattr(file_field, "name", "") or ""
    return os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def ranked(counter: Any) -> list[tuple[Any, int]]:
    """A Counter's items, most frequent first (``counter.most_common`` would look up a key)."""
    return counter.most_common() if counter else []
