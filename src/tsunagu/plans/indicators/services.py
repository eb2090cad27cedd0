"""Writes of indicators: one year's figures entered by hand or by an import."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.permissions import can_edit
from tsunagu.areas.models import Municipality, Prefecture
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import UNSET, Unset, apply_fields
from tsunagu.core.history import save_with_history
from tsunagu.plans.indicators.models import IndicatorYear

Count = int | None | Unset


@dataclass(frozen=True)
class IndicatorFields:
    """The figures of one year as entered or printed; UNSET = not given (left as it is)."""

    year_basis: str | Unset = UNSET
    period_text: str | Unset = UNSET
    population_65_plus: Count = UNSET
    support_1: Count = UNSET
    support_2: Count = UNSET
    care_1: Count = UNSET
    care_2: Count = UNSET
    care_3: Count = UNSET
    care_4: Count = UNSET
    care_5: Count = UNSET
    support_total_printed: Count = UNSET
    certified_total_printed: Count = UNSET
    new_support_1: Count = UNSET
    new_support_2: Count = UNSET
    new_care_1: Count = UNSET
    new_care_2: Count = UNSET
    new_care_3: Count = UNSET
    new_care_4: Count = UNSET
    new_care_5: Count = UNSET
    program_eligible: Count = UNSET
    gathering_participants: Count = UNSET
    certification_rate_printed: Decimal | Unset | None = UNSET
    gathering_rate_printed: Decimal | Unset | None = UNSET
    note: str | Unset = UNSET
    is_synthetic: bool | Unset = UNSET


FIELD_NAMES = tuple(f.name for f in dataclasses.fields(IndicatorFields))


def _area_check(
    actor: Any, municipality: Municipality | None, prefecture: Prefecture | None
) -> None:
    if (municipality is None) == (prefecture is None):
        raise TsunaguError(
            "市町村か都道府県のどちらか一方を指定してください。", field="municipality"
        )
    if not can_edit(actor, municipality or prefecture):
        raise PermissionDenied("この地域の指標を登録する権限がありません。")


def indicator_record(
    *,
    actor: Any,
    year: int,
    source: str,
    fields: IndicatorFields,
    municipality: Municipality | None = None,
    prefecture: Prefecture | None = None,
    note: str = "",
    via_import: bool = False,
) -> IndicatorYear:
    """Create or update the row of (area, year, source); another source is another row.

    Figures of the same year from two sources are both kept (and shown side by side), never
    merged: DOMAIN 3.2.
    """
    _area_check(actor, municipality, prefecture)
    source = (source or "").strip()
    if not source:
        raise TsunaguError("出典を入力してください。", field="source")
    with transaction.atomic():
        rows = IndicatorYear.objects.select_for_update(of=("self",)).filter(
            year=year, source=source
        )
        rows = (
            rows.filter(municipality=municipality)
            if municipality
            else rows.filter(prefecture=prefecture, municipality__isnull=True)
        )
        row = rows.first()
        creating = row is None
        if row is None:
            row = IndicatorYear(
                municipality=municipality,
                prefecture=prefecture if municipality is None else municipality.prefecture,
                year=year,
                source=source,
            )
        changed = apply_fields(row, fields, FIELD_NAMES)
        if not creating and not changed:
            return row
        try:
            row.full_clean()
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise TsunaguError(messages[0], field=field) from error
        save_with_history(
            row,
            actor=actor,
            action="plans.indicator.import"
            if via_import
            else ("plans.indicator.create" if creating else "plans.indicator.update"),
            note=note,
        )
    return row
