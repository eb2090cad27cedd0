"""Facilitator rotation (香春町 changes the chair every time so age and position do not decide who speaks)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max

from tsunagu.bodies.models import ConsultativeBody, Meeting


def suggest_facilitators(
    body: ConsultativeBody, *, limit: int = 3
) -> list[tuple[Any, datetime.datetime | None]]:
    """Current member people ordered by who facilitated least recently (never first).

    Ties are broken by how many times they facilitated, then by name, so the order is stable.
    """
    people = {
        m.person_id: m.person
        for m in body.members.select_related("person")
        if m.person_id and m.is_current
    }
    last = dict(
        Meeting.objects.filter(body=body, facilitator_id__in=people)
        .exclude(status="cancelled")
        .values_list("facilitator_id")
        .annotate(last=Max("starts_at"))
    )
    counts: dict[int, int] = {}
    for person_id in (
        Meeting.objects.filter(body=body, facilitator_id__in=people)
        .exclude(status="cancelled")
        .values_list("facilitator_id", flat=True)
    ):
        counts[person_id] = counts.get(person_id, 0) + 1
    minimum = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    ordered = sorted(
        people.values(),
        key=lambda p: (
            last.get(p.pk) is not None,
            last.get(p.pk) or minimum,
            counts.get(p.pk, 0),
            p.name_kana or p.name,
        ),
    )
    return [(person, last.get(person.pk)) for person in ordered[:limit]]
