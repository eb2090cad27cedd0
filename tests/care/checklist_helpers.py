"""Small builders for the checklist tests: a resident, a user with or without the care right."""

from __future__ import annotations

import itertools
from typing import Any

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.areas.models import District, Municipality
from tsunagu.care.checklist.rules import ANSWERED_ITEMS, ITEMS_BY_NUMBER
from tsunagu.care.models import Resident

_numbers = itertools.count(1)


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


def staff(name: str, *, care: bool) -> User:
    """A municipal staff user of ``name``, with the care right when ``care``."""
    user = User.objects.create(username=f"staff{next(_numbers)}", full_name="テスト 職員")
    Membership.objects.create(
        user=user,
        role=Role.MUNICIPALITY_STAFF,
        municipality=municipality(name),
        can_view_care_records=care,
    )
    return user


def district(name: str, district_name: str = "テスト地区") -> District:
    place = municipality(name)
    found, _ = District.objects.get_or_create(municipality=place, name=district_name)
    return found


def resident(place: str = "香春町", **fields: Any) -> Resident:
    defaults: dict[str, Any] = {
        "name": "テスト 花子",
        "name_kana": "てすと はなこ",
        "is_synthetic": True,
    }
    defaults.update(fields)
    return Resident.objects.create(municipality=municipality(place), **defaults)


def answers(**applying: bool | None) -> dict[int, bool | None]:
    """Every answer 'does not apply', except the items given as q<n>=answer (True はい / False いいえ / None)."""
    base: dict[int, bool | None] = {n: not ITEMS_BY_NUMBER[n].applies_when for n in ANSWERED_ITEMS}
    for key, value in applying.items():
        base[int(key[1:])] = value
    return base
