"""Writes of a prefecture's case-sheet records: its 概要 facts and its paragraphs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.permissions import can_edit
from tsunagu.areas.models import Prefecture
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import apply_fields
from tsunagu.core.history import save_with_history
from tsunagu.plans.casesheets.models import PrefectureProfile, PrefectureSupportFact


def _check(actor: Any, prefecture: Prefecture) -> None:
    if not can_edit(actor, prefecture):
        raise PermissionDenied("この都道府県の事例表を変更する権限がありません。")


def _clean(row: Any) -> None:
    try:
        row.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise TsunaguError(messages[0], field=field) from error


def prefecture_profile_record(
    *,
    actor: Any,
    prefecture: Prefecture,
    cities: int,
    towns: int,
    villages: int,
    municipalities_printed: int | None = None,
    sheet_number: int | None = None,
    source: str = "",
) -> PrefectureProfile:
    _check(actor, prefecture)
    with transaction.atomic():
        row = (
            PrefectureProfile.objects.select_for_update(of=("self",))
            .filter(prefecture=prefecture)
            .first()
        )
        creating = row is None
        row = row or PrefectureProfile(prefecture=prefecture)
        changed = apply_fields(
            row,
            {
                "cities": cities,
                "towns": towns,
                "villages": villages,
                "municipalities_printed": municipalities_printed,
                "sheet_number": sheet_number,
                "source": source,
            },
        )
        if creating or changed:
            _clean(row)
            save_with_history(row, actor=actor, action="plans.prefecture_profile.record")
    return row


def prefecture_fact_record(
    *, actor: Any, prefecture: Prefecture, topic: str, order: int, text: str, source: str
) -> PrefectureSupportFact:
    """Set the paragraph at (topic, order) of the prefecture's sheet, with its source."""
    _check(actor, prefecture)
    if not (source or "").strip():
        raise TsunaguError("出典を入力してください。", field="source")
    with transaction.atomic():
        row = (
            PrefectureSupportFact.objects.select_for_update(of=("self",))
            .filter(prefecture=prefecture, topic=topic, order=order)
            .first()
        )
        creating = row is None
        row = row or PrefectureSupportFact(prefecture=prefecture, topic=topic, order=order)
        changed = apply_fields(row, {"text": text.strip(), "source": source.strip()})
        if creating or changed:
            _clean(row)
            save_with_history(row, actor=actor, action="plans.prefecture_fact.record")
    return row
