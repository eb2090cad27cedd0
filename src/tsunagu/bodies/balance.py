"""Composition balance of a body: by sector, area, age band and gender, with plain warnings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tsunagu.directory.models import OrganisationType

SECTORS: dict[str, str] = {
    "administration": "行政",
    "care_medical": "介護・医療",
    "community": "地域・住民",
    "business": "企業・事業者",
    "education": "教育",
    "other": "その他",
}
SECTOR_OF_TYPE: dict[str, str] = {
    OrganisationType.DEPARTMENT: "administration",
    OrganisationType.COMMUNITY_CARE_CENTER: "care_medical",
    OrganisationType.SOCIAL_WELFARE_COUNCIL: "care_medical",
    OrganisationType.SOCIAL_WELFARE_CORPORATION: "care_medical",
    OrganisationType.CARE_PROVIDER: "care_medical",
    OrganisationType.MEDICAL_INSTITUTION: "care_medical",
    OrganisationType.NPO: "community",
    OrganisationType.COMMUNITY_COUNCIL: "community",
    OrganisationType.NEIGHBOURHOOD_ASSOCIATION: "community",
    OrganisationType.COMMUNITY_CENTRE: "community",
    OrganisationType.SENIOR_CLUB: "community",
    OrganisationType.WELFARE_COMMISSIONER: "community",
    OrganisationType.VOLUNTEER_GROUP: "community",
    OrganisationType.COMPANY: "business",
    OrganisationType.COOPERATIVE: "business",
    OrganisationType.SILVER_HR_CENTER: "business",
    OrganisationType.POST_OFFICE: "business",
    OrganisationType.CHAMBER_OF_COMMERCE: "business",
    OrganisationType.DRIVING_SCHOOL: "business",
    OrganisationType.SCHOOL: "education",
    OrganisationType.OTHER: "other",
}


@dataclass
class Balance:
    seats: int
    by_sector: Counter = field(default_factory=Counter)
    by_district: Counter = field(default_factory=Counter)
    by_age: Counter = field(default_factory=Counter)
    by_gender: Counter = field(default_factory=Counter)
    by_organisation: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


def composition_balance(body: Any) -> Balance:
    """Count the current seats and say plainly where the composition is one-sided."""
    members = [
        m for m in body.members.select_related("organisation", "person", "district") if m.is_current
    ]
    balance = Balance(seats=len(members))
    if not members:
        balance.warnings.append("構成員が登録されていません。")
        return balance
    for member in members:
        sector = (
            SECTOR_OF_TYPE.get(member.organisation.org_type, "other")
            if member.organisation
            else "other"
        )
        balance.by_sector[SECTORS[sector]] += 1
        balance.by_district[member.district.name if member.district else "（地区の記録なし）"] += 1
        balance.by_age[member.get_age_band_display() if member.age_band else "（記録なし）"] += 1
        balance.by_gender[member.get_gender_display() if member.gender else "（記録なし）"] += 1
        if member.organisation:
            balance.by_organisation[member.organisation.name] += 1
    if len(balance.by_sector) == 1:
        only = next(iter(balance.by_sector))
        balance.warnings.append(f"全員が「{only}」の分野です。")
    for sector in ("行政", "地域・住民"):
        if sector not in balance.by_sector and balance.seats >= 3:
            balance.warnings.append(f"「{sector}」の分野の構成員がいません。")
    for name, seats in balance.by_organisation.items():
        if seats >= 2 and seats * 2 > balance.seats:
            balance.warnings.append(f"{name}が{balance.seats}席中{seats}席を占めています。")
    areas = _areas_of(body)
    covered = {m.district_id for m in members if m.district_id}
    for district in areas:
        if district.pk not in covered:
            balance.warnings.append(f"{district.name}の構成員がいません。")
    recorded_gender = {k: v for k, v in balance.by_gender.items() if not k.startswith("（")}
    if sum(recorded_gender.values()) >= 3 and len(recorded_gender) == 1:
        balance.warnings.append(f"記録のある構成員が全員{next(iter(recorded_gender))}です。")
    recorded_age = {k: v for k, v in balance.by_age.items() if not k.startswith("（")}
    if sum(recorded_age.values()) >= 3 and len(recorded_age) == 1:
        balance.warnings.append(f"記録のある構成員が全員{next(iter(recorded_age))}です。")
    return balance


def _areas_of(body: Any) -> list[Any]:
    """Districts the body should cover: its district, its daily-life area's districts, or none."""
    from tsunagu.areas.models import District

    if body.district_id:
        return []
    if body.daily_life_area_id:
        return list(District.objects.filter(daily_life_area_id=body.daily_life_area_id))
    if body.kind in ("layer1", "regular"):
        return list(District.objects.filter(municipality_id=body.municipality_id))
    return []
