"""Facilitator rotation (香春町 changes the chair every time so age and position do not decide who speaks).

Seats are people or organisations (every demo body seats organisations): an organisation's
turn goes to its representative when one is recorded in the directory, else the
organisation is named so staff know whose turn it is and whom to ask.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tsunagu.bodies.models import ConsultativeBody, Meeting

# Titles that mark an organisation's representative, best first (役職名 as recorded).
REPRESENTATIVE_TITLES = ("代表", "会長", "理事長", "委員長", "センター長", "所長", "局長", "課長")


@dataclass(frozen=True)
class Suggestion:
    """One candidate: who would facilitate and for which seat."""

    person: Any | None  # the Person to set as facilitator (None: nobody recorded yet)
    organisation: Any | None  # the seat's organisation, if any
    last: datetime.datetime | None  # when this seat last facilitated (None: never)
    times: int  # how many meetings this seat has facilitated

    @property
    def name(self) -> str:
        """Who, in words: 「氏名」, 「氏名（団体）」 or 「団体」."""
        if self.person is not None and self.organisation is not None:
            return f"{self.person.name}（{self.organisation.name}）"
        if self.person is not None:
            return str(self.person.name)
        return str(self.organisation.name)


def representative_of(organisation: Any, *, today: datetime.date | None = None) -> Any | None:
    """The organisation's representative: a current role with a 代表-like title first, else
    its only current person. None when nobody (or several without such a title) is recorded."""
    today = today or timezone.localdate()
    roles = [r for r in organisation.person_roles.select_related("person") if _current(r, today)]

    def rank(role: Any) -> int:
        return next(
            (i for i, word in enumerate(REPRESENTATIVE_TITLES) if word in role.title),
            len(REPRESENTATIVE_TITLES),
        )

    titled = sorted((r for r in roles if rank(r) < len(REPRESENTATIVE_TITLES)), key=rank)
    if titled:
        return titled[0].person
    people = {r.person_id: r.person for r in roles}
    return next(iter(people.values())) if len(people) == 1 else None


def _current(role: Any, today: datetime.date) -> bool:
    return (role.starts_on is None or role.starts_on <= today) and (
        role.ends_on is None or role.ends_on >= today
    )


def suggest_facilitators(body: ConsultativeBody, *, limit: int = 3) -> list[Suggestion]:
    """Current seats ordered by which facilitated least recently (never first).

    A person's seat counts the meetings that person facilitated; an organisation's seat
    the meetings facilitated by anyone recorded in that organisation. Ties are broken by
    how many times they facilitated, then by name, so the order is stable.
    """
    from tsunagu.directory.models import PersonRole

    today = timezone.localdate()
    seats = [m for m in body.members.select_related("person", "organisation") if m.is_current]
    seated_people = {m.person_id for m in seats if m.person_id}
    # An organisation already seated through a named person is that person's seat.
    represented = {m.organisation_id for m in seats if m.person_id and m.organisation_id}
    meetings = list(
        Meeting.objects.filter(body=body, facilitator__isnull=False)
        .exclude(status="cancelled")
        .values_list("facilitator_id", "starts_at")
    )
    candidates: list[tuple[Any, Any, set[int]]] = []  # person, organisation, counted people
    seen: set[Any] = set()
    for seat in seats:
        if seat.person_id:
            key: Any = ("person", seat.person_id)
            if key not in seen:
                candidates.append((seat.person, seat.organisation, {seat.person_id}))
        else:
            key = ("organisation", seat.organisation_id)
            if seat.organisation_id in represented or key in seen:
                continue
            members = set(
                PersonRole.objects.filter(organisation_id=seat.organisation_id).values_list(
                    "person_id", flat=True
                )
            )
            person = representative_of(seat.organisation, today=today)
            if person is not None and person.pk in seated_people:
                person = None  # already has a seat of their own
            candidates.append((person, seat.organisation, members - seated_people))
        seen.add(key)
    suggestions = []
    for person, organisation, counted in candidates:
        times = [at for facilitator, at in meetings if facilitator in counted]
        suggestions.append(Suggestion(person, organisation, max(times, default=None), len(times)))
    minimum = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    suggestions.sort(
        key=lambda s: (
            s.last is not None,
            s.last or minimum,
            s.times,
            _sort_name(s),
        )
    )
    return suggestions[:limit]


def _sort_name(suggestion: Suggestion) -> str:
    if suggestion.person is not None:
        return suggestion.person.name_kana or suggestion.person.name
    return suggestion.organisation.name_kana or suggestion.organisation.name
