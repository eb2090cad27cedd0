"""Demo records for plans: indicators (出水市), money (synthetic), councils forming (香春町)
and the prefectures' case-sheet records (大分県, 鹿児島県), from ``report_plans``.

Idempotent: every record is written through a service that matches its natural key and
writes nothing when nothing changed; key persons are added only when the area has none.
"""

from __future__ import annotations

from typing import Any

from tsunagu.areas.models import District, Municipality, Prefecture
from tsunagu.demo import report_plans as data
from tsunagu.plans.casesheets.services import prefecture_fact_record, prefecture_profile_record
from tsunagu.plans.councils.models import KeyPerson
from tsunagu.plans.councils.services import council_formation_record, key_person_add
from tsunagu.plans.indicators.services import IndicatorFields, indicator_record
from tsunagu.plans.money.services import cost_cap_record, grant_record, service_cost_record


def load_indicators(actor: Any, summary: Any = None) -> None:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    for entry in data.INDICATORS:
        municipality = municipalities.get(entry["municipality"])
        if municipality is None:
            continue
        indicator_record(
            actor=actor,
            municipality=municipality,
            year=entry["year"],
            source=entry["source"],
            fields=IndicatorFields(
                year_basis=entry.get("year_basis", "unstated"),
                period_text=entry["period_text"],
                population_65_plus=entry["population_65_plus"],
                support_total_printed=entry["support_total_printed"],
                note=entry["note"],
            ),
        )
    izumi = municipalities.get(data.MONEY_MUNICIPALITY)
    if izumi is not None:
        for service_type, amount in data.SYNTHETIC_COSTS.items():
            service_cost_record(
                actor=actor,
                municipality=izumi,
                fiscal_year=data.MONEY_YEAR,
                service_type=service_type,
                amount=amount,
                source=data.SYNTHETIC_SOURCE,
                is_synthetic=True,
            )
        cost_cap_record(
            actor=actor,
            municipality=izumi,
            fiscal_year=data.MONEY_YEAR,
            source=data.SYNTHETIC_SOURCE,
            is_synthetic=True,
            **data.SYNTHETIC_CAP,
        )
        grant_record(
            actor=actor,
            municipality=izumi,
            fiscal_year=data.MONEY_YEAR,
            source=data.SYNTHETIC_SOURCE,
            is_synthetic=True,
            **data.SYNTHETIC_GRANT,
        )
    kawara = municipalities.get(data.KAWARA)
    if kawara is not None:
        for entry in data.COUNCILS:
            entry = dict(entry)
            district_name = entry.pop("district", None)
            district = (
                District.objects.filter(municipality=kawara, name=district_name).first()
                if district_name
                else None
            )
            formation = council_formation_record(
                actor=actor, municipality=kawara, district=district, **entry
            )
            if (
                entry["area_label"] == "採銅所地域"
                and not KeyPerson.objects.filter(formation=formation).exists()
            ):
                for sub_area, age_band, gender, role in data.SYNTHETIC_KEY_PERSONS:
                    key_person_add(
                        actor=actor,
                        formation=formation,
                        sub_area=sub_area,
                        age_band=age_band,
                        gender=gender,
                        role=role,
                        is_synthetic=True,
                    )
    for entry in data.PROFILES:
        entry = dict(entry)
        prefecture = prefectures.get(entry.pop("prefecture"))
        if prefecture is not None:
            prefecture_profile_record(actor=actor, prefecture=prefecture, **entry)
    for entry in data.FACTS:
        entry = dict(entry)
        prefecture = prefectures.get(entry.pop("prefecture"))
        if prefecture is not None:
            prefecture_fact_record(actor=actor, prefecture=prefecture, **entry)
