"""iCalendar (.ics) feeds of meetings, per body and per user."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event

from tsunagu.bodies.models import Meeting, MeetingStatus


def meetings_to_ics(meetings: Iterable[Meeting], *, name: str, host: str = "tsunagu") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Tsunagu//tsunagu//JA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", str(meeting))
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=1))
        event.add("dtstamp", meeting.updated_at)
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        event.add(
            "status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        )
        calendar.add_component(event)
    return calendar.to_ical()
