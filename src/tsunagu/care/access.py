"""The one gate to residents' records (要配慮個人情報).

Every page, export, API read and change of a resident goes through here: the checks are
(1) the deployment has personal records on (``settings.PERSONAL_RECORDS_ENABLED``), (2) the
user holds the explicit care right for the resident's municipality
(``Membership.can_view_care_records``; system administrators never do), and every
disclosure writes one ``PersonalDataReadLog`` row per resident with its purpose. A resident
the user may not open is "not found" (404), the same as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from tsunagu.accounts.scope import scope_for
from tsunagu.accounts.services import log_personal_data_read
from tsunagu.care.models import Resident


def personal_records_enabled() -> bool:
    return bool(getattr(settings, "PERSONAL_RECORDS_ENABLED", False))


def care_municipality_ids(user: Any) -> frozenset[int]:
    """Municipalities whose residents ``user`` may open (empty when records are off)."""
    if not personal_records_enabled():
        return frozenset()
    return scope_for(user).care_record_municipality_ids


def can_open_residents(user: Any, municipality_id: int | None = None) -> bool:
    """May ``user`` open residents at all (or of ``municipality_id``)?"""
    ids = care_municipality_ids(user)
    return bool(ids) if municipality_id is None else municipality_id in ids


def residents_visible_to(user: Any) -> QuerySet[Resident]:
    """Residents ``user`` may list. A list shows the minimum (name, district, status); the
    caller logs each resident it shows (:func:`log_resident_reads`)."""
    return Resident.objects.filter(municipality_id__in=care_municipality_ids(user))


def resident_log_label(resident: Resident) -> str:
    """How a resident is named in the read log: by number, never by name (the log is read by
    operators who do not hold the care right)."""
    return f"住民 #{resident.pk}"


def log_resident_read(*, user: Any, resident: Resident, purpose: str, path: str = "") -> None:
    log_personal_data_read(
        user=user, obj=resident, purpose=purpose, path=path, label=resident_log_label(resident)
    )


def log_resident_reads(
    *, user: Any, residents: Iterable[Resident], purpose: str, path: str = ""
) -> None:
    """One read-log row per resident disclosed (page, export row, API item)."""
    for resident in residents:
        log_resident_read(user=user, resident=resident, purpose=purpose, path=path)


def resident_get_for_user(*, user: Any, resident_id: int, purpose: str, path: str = "") -> Resident:
    """The resident, after the right is checked and the read logged; else :class:`Http404`."""
    resident = (
        residents_visible_to(user)
        .select_related("municipality", "district")
        .filter(pk=resident_id)
        .first()
    )
    if resident is None:
        raise Http404
    log_resident_read(user=user, resident=resident, purpose=purpose, path=path)
    return resident
