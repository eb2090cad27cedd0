"""Writes of areas and statistics. Views, CLI and the demo loader all come through here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.permissions import can_create_municipality, can_edit_area
from tsunagu.areas.models import (
    AreaBase,
    DailyLifeArea,
    District,
    Municipality,
    Prefecture,
    StatisticsSnapshot,
)
from tsunagu.core.codes import normalize_code
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.fields import UNSET, Unset, apply_fields, field_names, given
from tsunagu.core.geo import boundary_centre, parse_boundary
from tsunagu.core.history import save_with_history

AREA_FIELDS = ("name", "name_kana", "boundary", "centre_lat", "centre_lon")
EXTRA_FIELDS: dict[type[AreaBase], tuple[str, ...]] = {
    Prefecture: ("name_en",),
    Municipality: ("name_en",),
    DailyLifeArea: ("note",),
    District: ("district_kind", "daily_life_area", "note"),
}


@dataclass(frozen=True, kw_only=True)
class AreaFields:
    """What creating or changing an area sets; UNSET = not given (left as it is).

    A field the area's kind does not have (``note`` on a prefecture) is ignored.
    ``boundary`` is GeoJSON text or an already parsed geometry; without a centre, the
    boundary's centre is taken.
    """

    name: str | Unset = UNSET
    name_kana: str | Unset = UNSET
    name_en: str | Unset = UNSET
    boundary: Any = UNSET
    centre_lat: Decimal | float | Unset | None = UNSET
    centre_lon: Decimal | float | Unset | None = UNSET
    note: str | Unset = UNSET
    district_kind: str | Unset = UNSET
    daily_life_area: DailyLifeArea | Unset | None = UNSET


@dataclass(frozen=True, kw_only=True)
class SnapshotFields:
    """The figures of one statistics snapshot, as a source prints them; UNSET = not given."""

    as_of: datetime.date | Unset = UNSET
    as_of_precision: str | Unset = UNSET
    as_of_text: str | Unset = UNSET
    total_population: int | Unset | None = UNSET
    population_65_plus: int | Unset | None = UNSET
    population_75_plus: int | Unset | None = UNSET
    support_required: int | Unset | None = UNSET
    care_required: int | Unset | None = UNSET
    certified_total: int | Unset | None = UNSET
    program_eligible: int | Unset | None = UNSET
    reported_aging_rate: Decimal | Unset | None = UNSET
    source: str | Unset = UNSET
    note: str | Unset = UNSET


SNAPSHOT_FIELDS = field_names(SnapshotFields)


def _normalise_area_data(fields: AreaFields) -> dict[str, Any]:
    data = given(fields)
    if "boundary" in data:
        data["boundary"] = parse_boundary(data["boundary"])
        if data["boundary"] and data.get("centre_lat") is None and data.get("centre_lon") is None:
            data["centre_lat"], data["centre_lon"] = boundary_centre(data["boundary"])
    return data


@transaction.atomic
def area_update(*, area: AreaBase, fields: AreaFields, actor: Any) -> AreaBase:
    """Change an area's name, reading, boundary or centre (and kind-specific fields)."""
    if not can_edit_area(actor, area):
        raise PermissionDenied()
    data = _normalise_area_data(fields)
    chosen = data.get("daily_life_area")
    if (
        isinstance(area, District)
        and chosen is not None
        and chosen.municipality_id != area.municipality_id
    ):
        raise ValidationError({"daily_life_area": "別の市町村の日常生活圏域は選べません。"})
    changed = apply_fields(area, data, AREA_FIELDS + EXTRA_FIELDS[type(area)])
    if not changed:
        return area
    return save_with_history(area, actor=actor, action="areas.area.update")


@transaction.atomic
def municipality_create(
    *, prefecture: Prefecture, code: str, fields: AreaFields, actor: Any
) -> Municipality:
    """Register a municipality of ``prefecture`` (``fields.name`` is required)."""
    if not can_create_municipality(actor, prefecture):
        raise PermissionDenied()
    municipality = Municipality(prefecture=prefecture, code=normalize_code(code))
    apply_fields(
        municipality, _normalise_area_data(fields), AREA_FIELDS + EXTRA_FIELDS[Municipality]
    )
    if municipality.code[:2] != prefecture.code[:2]:
        raise ValidationError(
            {
                "code": f"市町村コードの先頭2桁が{prefecture.name}（{prefecture.code[:2]}）と一致しません。"
            }
        )
    return save_with_history(municipality, actor=actor, action="areas.municipality.create")


@transaction.atomic
def municipality_code_correct(*, municipality: Municipality, code: str, actor: Any) -> Municipality:
    """Correct a municipality's code (e.g. one registered under a neighbour's code)."""
    if not can_create_municipality(actor, municipality.prefecture):
        raise PermissionDenied()
    code = normalize_code(code)
    if code[:2] != municipality.prefecture.code[:2]:
        raise ValidationError(
            {"code": f"市町村コードの先頭2桁が{municipality.prefecture.name}と一致しません。"}
        )
    if code == municipality.code:
        return municipality
    municipality.code = code
    return save_with_history(municipality, actor=actor, action="areas.municipality.correct_code")


@transaction.atomic
def sub_area_create(
    *, municipality: Municipality, kind: str, fields: AreaFields, actor: Any
) -> DailyLifeArea | District:
    """Add a 日常生活圏域 (kind="daily_life_area") or 地区 (kind="district") to a municipality."""
    if not can_edit_area(actor, municipality):
        raise PermissionDenied()
    model: type[DailyLifeArea] | type[District] = (
        DailyLifeArea if kind == "daily_life_area" else District
    )
    area = model(municipality=municipality)
    apply_fields(area, _normalise_area_data(fields), AREA_FIELDS + EXTRA_FIELDS[model])
    if isinstance(area, District) and area.daily_life_area_id:
        if area.daily_life_area.municipality_id != municipality.pk:
            raise ValidationError({"daily_life_area": "別の市町村の日常生活圏域は選べません。"})
    action = "areas.district.create" if model is District else "areas.daily_life_area.create"
    return save_with_history(area, actor=actor, action=action)


def _scope_of(area: AreaBase) -> dict[str, Any]:
    if isinstance(area, Prefecture):
        return {"prefecture": area}
    if isinstance(area, Municipality):
        return {"municipality": area}
    if isinstance(area, DailyLifeArea):
        return {"municipality": area.municipality, "daily_life_area": area}
    assert isinstance(area, District)
    return {
        "municipality": area.municipality,
        "daily_life_area": area.daily_life_area,
        "district": area,
    }


def _validate_counts(snapshot: StatisticsSnapshot, *, accept_inconsistency: bool) -> None:
    """Refuse figures that contradict each other unless the user records them as printed."""
    if accept_inconsistency:
        return
    errors = {}
    total, elderly, old_old = (
        snapshot.total_population,
        snapshot.population_65_plus,
        snapshot.population_75_plus,
    )
    if total is not None and elderly is not None and elderly > total:
        errors["population_65_plus"] = (
            f"65歳以上人口（{elderly:,}人）が総人口（{total:,}人）を上回っています。"
            "出典にそう書かれている場合は「出典の記載どおり登録する」を選んでください。"
        )
    if old_old is not None and elderly is not None and old_old > elderly:
        errors["population_75_plus"] = (
            f"75歳以上人口（{old_old:,}人）が65歳以上人口（{elderly:,}人）を上回っています。"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def statistics_snapshot_record(
    *, area: AreaBase, fields: SnapshotFields, actor: Any, accept_inconsistency: bool = False
) -> StatisticsSnapshot:
    """Record figures for ``area`` as given by a source. Never overwrites another snapshot."""
    if not can_edit_area(actor, area):
        raise PermissionDenied()
    snapshot = StatisticsSnapshot(**_scope_of(area))
    apply_fields(snapshot, fields, SNAPSHOT_FIELDS)
    _validate_counts(snapshot, accept_inconsistency=accept_inconsistency)
    return save_with_history(snapshot, actor=actor, action="areas.statistics.create")


@transaction.atomic
def statistics_snapshot_update(
    *,
    snapshot: StatisticsSnapshot,
    fields: SnapshotFields,
    actor: Any,
    accept_inconsistency: bool = False,
) -> StatisticsSnapshot:
    if not can_edit_area(actor, snapshot):
        raise PermissionDenied()
    if not apply_fields(snapshot, fields, SNAPSHOT_FIELDS):
        return snapshot
    _validate_counts(snapshot, accept_inconsistency=accept_inconsistency)
    return save_with_history(snapshot, actor=actor, action="areas.statistics.update")


@transaction.atomic
def prefecture_create(*, code: str, fields: AreaFields, actor: Any) -> Prefecture:
    """Register a prefecture: system administrators only (national reference data)."""
    from tsunagu.accounts.permissions import scope_for

    if not scope_for(actor).is_system_admin:
        raise PermissionDenied()
    prefecture = Prefecture(code=normalize_code(code))
    apply_fields(prefecture, _normalise_area_data(fields), AREA_FIELDS + EXTRA_FIELDS[Prefecture])
    return save_with_history(prefecture, actor=actor, action="areas.prefecture.create")
