"""Bodies in the single-person-dependency report (continuity's ``dependency_findings`` hook):
a body whose meetings in the period were attended from our side (行政部署・地域包括支援センター
の出席者) by one person only."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.bodies.models import Attendance
from tsunagu.bodies.selectors import body_list_visible_to
from tsunagu.continuity.dependency.report import Finding

# Who counts as "our side" at a meeting: the municipality's departments and its community care
# centres (the report's 長寿あんしん課 and 地域包括).
OUR_SIDE_TYPES = ("department", "community_care_center")


def single_attendee_bodies(
    *, user: Any, today: datetime.date, since: datetime.date
) -> list[Finding]:
    bodies = body_list_visible_to(user=user)
    rows = (
        Attendance.objects.filter(
            meeting__body__in=bodies,
            meeting__starts_at__date__gte=since,
            meeting__starts_at__date__lte=today,
            present=True,
            person__isnull=False,
            organisation__org_type__in=OUR_SIDE_TYPES,
        )
        .select_related("meeting__body", "person")
        .order_by("meeting__body_id")
    )
    people: dict[int, dict[int, Any]] = {}
    meetings: dict[int, set[int]] = {}
    body_of: dict[int, Any] = {}
    for row in rows:
        body = row.meeting.body
        body_of[body.pk] = body
        people.setdefault(body.pk, {})[row.person_id] = row.person
        meetings.setdefault(body.pk, set()).add(row.meeting_id)
    findings = []
    for pk, attendees in people.items():
        if len(attendees) != 1:
            continue
        (person,) = attendees.values()
        body = body_of[pk]
        findings.append(
            Finding(
                _("会議体"),
                body.name,
                reverse("bodies:detail", args=[pk]),
                _("この期間の会議（%(n)d回）にこちら側から出席したのは%(name)sさんだけです。")
                % {"n": len(meetings[pk]), "name": person.name},
                person.name,
                2 + (1 if len(meetings[pk]) > 1 else 0),
                body.municipality_id,
            )
        )
    return findings
