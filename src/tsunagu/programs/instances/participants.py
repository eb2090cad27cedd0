"""The one way residents taking part in a program are shown (要配慮個人情報).

Who takes part in a care-prevention program says something about their health, so an
enrolment is shown with its resident only through :mod:`tsunagu.care.access`: personal
records on, the care right for the instance's municipality, and one ``PersonalDataReadLog``
row per resident shown. Everyone else sees counts only (:func:`enrolment_figures`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q

from tsunagu.care.access import can_open_residents, log_resident_reads, residents_visible_to
from tsunagu.care.models import Resident
from tsunagu.programs.instances.models import Enrolment, ProgramInstance

PURPOSE_LIST = "総合事業の利用者の確認"
PURPOSE_ENROL = "総合事業の利用登録"


def may_see_participants(user: Any, instance: ProgramInstance) -> bool:
    return can_open_residents(user, instance.municipality_id)


def enrolments_for_user(
    *, user: Any, instance: ProgramInstance, purpose: str = PURPOSE_LIST, path: str = ""
) -> list[Enrolment]:
    """The instance's enrolments with their residents, logged; empty without the right."""
    if not may_see_participants(user, instance):
        return []
    enrolments = list(
        instance.enrolments.filter(resident__in=residents_visible_to(user)).select_related(
            "resident", "resident__district"
        )
    )
    log_resident_reads(
        user=user, residents=[e.resident for e in enrolments], purpose=purpose, path=path
    )
    return enrolments


def enrolment_get_for_user(*, user: Any, enrolment_id: int) -> Enrolment | None:
    """One enrolment the user may change (not logged: the change itself is)."""
    enrolment = (
        Enrolment.objects.select_related("program", "resident")
        .filter(pk=enrolment_id, resident__in=residents_visible_to(user))
        .first()
    )
    return enrolment


def enrollable_residents(*, user: Any, instance: ProgramInstance) -> Any:
    """Residents of the instance's municipality the user may enrol (name and district only)."""
    if not may_see_participants(user, instance):
        return Resident.objects.none()
    return residents_visible_to(user).filter(municipality_id=instance.municipality_id)


def active_q(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def enrolment_figures(instance: ProgramInstance, *, day: datetime.date) -> dict[str, int]:
    """How many residents are enrolled now and in all (numbers only, no one named)."""
    return {
        "current": instance.enrolments.filter(active_q(day)).count(),
        "total": instance.enrolments.count(),
    }
