"""Reads of residents for users: always through :mod:`tsunagu.care.access` (the one gate).

A list shows the minimum (name, よみがな, district, status) and never a care level, a consent
or a contact; the caller logs each resident it shows (``access.log_resident_reads``).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import Q, QuerySet

from tsunagu.areas.models import District, Municipality
from tsunagu.care.access import care_municipality_ids, residents_visible_to
from tsunagu.care.models import Resident

# The only columns a list reads: nothing of health, consent or contact is even fetched.
LIST_FIELDS = (
    "pk",
    "name",
    "name_kana",
    "status",
    "is_synthetic",
    "anonymised_on",
    "municipality__name",
    "district__name",
)


def resident_list_for_user(
    *,
    user: Any,
    query: str = "",
    district_id: int | None = None,
    status: str = "",
    municipality_id: int | None = None,
) -> QuerySet[Resident]:
    """Residents ``user`` may open, filtered; name and よみがな searched (NFKC, no spaces)."""
    residents = residents_visible_to(user).select_related("municipality", "district")
    if municipality_id:
        residents = residents.filter(municipality_id=municipality_id)
    if district_id:
        residents = residents.filter(district_id=district_id)
    if status:
        residents = residents.filter(status=status)
    text = unicodedata.normalize("NFKC", query or "").replace(" ", "").strip()
    if text:
        residents = residents.filter(Q(name__icontains=text) | Q(name_kana__icontains=text))
    return residents.only(*LIST_FIELDS).order_by("name_kana", "pk")


def care_municipalities_for_user(user: Any) -> QuerySet[Municipality]:
    """The municipalities whose residents ``user`` may open (for filters and new records)."""
    return Municipality.objects.filter(pk__in=care_municipality_ids(user)).order_by("code")


def care_districts_for_user(user: Any) -> QuerySet[District]:
    return (
        District.objects.filter(municipality_id__in=care_municipality_ids(user))
        .select_related("municipality")
        .order_by("municipality__code", "name")
    )
