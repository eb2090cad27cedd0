"""Synthetic residents for the care pages (ADR 0007): a dozen per municipality whose 地域包括
has the care right in the demo (香春町, 鹿児島市, 久留米市, 出水市).

The report names no resident: every person here is invented, marked ``is_synthetic`` and
named 「デモ<町> <名>」 with a 000- phone number, so nobody can take them for real people.
Care levels and consents are spread so that every level, a withdrawn consent, a 移動支援
consent and a closed record appear. Dates are relative to the load day (inferred, not from
the report). Idempotent: a resident already present (same municipality and name) is skipped.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tsunagu.areas.models import District, Municipality
from tsunagu.care.models import CareLevel, ConsentPurpose, Household, Resident, Sex
from tsunagu.care.residents import services

# Municipality code → the family-name part that marks the demo person (「デモ香春 花子」).
TOWNS = {
    "406015": ("デモ香春", "でもかわら"),
    "462012": ("デモ鹿児島", "でもかごしま"),
    "402036": ("デモ久留米", "でもくるめ"),
    "462080": ("デモ出水", "でもいずみ"),
}
GIVEN = [
    ("花子", "はなこ", Sex.FEMALE),
    ("太郎", "たろう", Sex.MALE),
    ("春子", "はるこ", Sex.FEMALE),
    ("次郎", "じろう", Sex.MALE),
    ("秋子", "あきこ", Sex.FEMALE),
    ("三郎", "さぶろう", Sex.MALE),
    ("夏子", "なつこ", Sex.FEMALE),
    ("四郎", "しろう", Sex.MALE),
    ("冬子", "ふゆこ", Sex.FEMALE),
    ("五郎", "ごろう", Sex.MALE),
    ("雪子", "ゆきこ", Sex.FEMALE),
    ("六郎", "ろくろう", Sex.MALE),
]
LEVELS = list(CareLevel)
HOUSEHOLDS = list(Household)


def demo_resident_names() -> list[str]:
    """Every synthetic resident's name (the crawl looks for them)."""
    return [f"{family} {given}" for family, _kana in TOWNS.values() for given, _k, _s in GIVEN]


@transaction.atomic
def load_care(actor: Any, summary: Any) -> None:
    today = timezone.localdate()
    for code, (family, family_kana) in TOWNS.items():
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        districts = list(District.objects.filter(municipality=municipality).order_by("pk"))
        for index, (given, given_kana, sex) in enumerate(GIVEN):
            name = f"{family} {given}"
            if Resident.objects.filter(municipality=municipality, name=name).exists():
                summary.count("unchanged")
                continue
            resident = services.resident_create(
                actor=actor,
                municipality=municipality,
                name=name,
                name_kana=f"{family_kana} {given_kana}",
                district=districts[index % len(districts)] if districts else None,
                birth_date=datetime.date(1935 + index, 1 + index, 1 + index),
                sex=sex,
                household=HOUSEHOLDS[index % len(HOUSEHOLDS)],
                contact_name=f"{family} 家族{index + 1}",
                contact_relation="長男" if index % 2 else "長女",
                contact_phone=f"000-0000-{index + 1:04d}",
                is_synthetic=True,
            )
            summary.count("created")
            services.care_level_add(
                actor=actor,
                resident=resident,
                level=LEVELS[index % len(LEVELS)],
                valid_from=today - datetime.timedelta(days=180),
                valid_until=today + datetime.timedelta(days=185),
            )
            consent = services.consent_give(
                actor=actor,
                resident=resident,
                purpose=ConsentPurpose.CARE_RECORD,
                given_on=today - datetime.timedelta(days=200),
                detail="デモ用の架空の同意",
            )
            if index % 3 == 0:
                services.consent_give(
                    actor=actor,
                    resident=resident,
                    purpose=ConsentPurpose.MOBILITY,
                    given_on=today - datetime.timedelta(days=150),
                )
            if index == 10:
                services.consent_withdraw(
                    actor=actor, consent=consent, withdrawn_on=today - datetime.timedelta(days=30)
                )
            if index == 11:
                services.resident_close(
                    actor=actor,
                    resident=resident,
                    closed_on=today - datetime.timedelta(days=60),
                    note="転出（デモ）",
                )
