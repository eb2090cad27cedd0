"""Writes of basic checklists (one resident's records, imports) and survey aggregates.

Resident checklists: the actor must hold the care right for the resident's municipality
(:func:`tsunagu.care.access.can_open_residents`); otherwise the resident is "not found",
as on the pages. Every write is validated (``full_clean`` and the engine's measurement
ranges), atomic, and leaves a history row with its action kind.

Surveys: anonymous, so no care right — staff of the municipality (a staff role of the
municipality itself, which may edit it). Only per-district counts are stored.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from tsunagu.accounts.scope import scope_for
from tsunagu.areas.models import District, Municipality
from tsunagu.care.access import can_open_residents
from tsunagu.care.checklist.bulk import YES, score_bulk
from tsunagu.care.checklist.io import ChecklistFileError, read_checklist_upload
from tsunagu.care.checklist.models import (
    ChecklistRecord,
    ChecklistSurvey,
    ChecklistSurveyDistrict,
    EntryMethod,
)
from tsunagu.care.checklist.rules import ANSWERED_ITEMS, CRITERIA
from tsunagu.care.checklist.scoring import check_measurements
from tsunagu.care.models import Resident
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.history import delete_with_history, save_with_history, set_history_context
from tsunagu.core.wareki import WarekiError, parse_date

IMPORT_COLUMNS: tuple[str, ...] = ("resident_id", "answered_on")
SURVEY_COLUMNS: tuple[str, ...] = ("district",)


def _require_care_right(actor: Any, resident: Resident) -> None:
    if not can_open_residents(actor, resident.municipality_id):
        raise NotFound()


def _decimal(value: float | Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise TsunaguError("数値を入力してください。", field=field) from None


def _fill(
    record: ChecklistRecord,
    *,
    answered_on: datetime.date,
    answers: Mapping[int, bool | None],
    height_cm: float | Decimal | None,
    weight_kg: float | Decimal | None,
    note: str,
) -> None:
    unknown = [n for n in answers if n not in ANSWERED_ITEMS]
    if unknown:
        raise TsunaguError(f"質問番号 {unknown[0]} はありません。", field=f"q{unknown[0]}")
    check_measurements(
        None if height_cm is None else float(height_cm),
        None if weight_kg is None else float(weight_kg),
    )
    record.answered_on = answered_on
    record.set_answers(dict(answers))
    record.height_cm = _decimal(height_cm, "height_cm")
    record.weight_kg = _decimal(weight_kg, "weight_kg")
    record.note = note
    record.full_clean()


def checklist_record_create(
    *,
    resident: Resident,
    actor: Any,
    answered_on: datetime.date,
    answers: Mapping[int, bool | None],
    height_cm: float | Decimal | None,
    weight_kg: float | Decimal | None,
    note: str = "",
    entry_method: str = EntryMethod.FORM,
) -> ChecklistRecord:
    """Record one checklist of ``resident`` (answers: item → True はい / False いいえ / None)."""
    _require_care_right(actor, resident)
    record = ChecklistRecord(resident=resident, recorded_by=actor, entry_method=entry_method)
    _fill(
        record,
        answered_on=answered_on,
        answers=answers,
        height_cm=height_cm,
        weight_kg=weight_kg,
        note=note,
    )
    with transaction.atomic():
        save_with_history(record, actor=actor, action="care.checklist.create")
    return record


def checklist_record_update(
    *,
    record: ChecklistRecord,
    actor: Any,
    answered_on: datetime.date,
    answers: Mapping[int, bool | None],
    height_cm: float | Decimal | None,
    weight_kg: float | Decimal | None,
    note: str = "",
) -> ChecklistRecord:
    """Correct a recorded checklist (the previous answers stay in its history)."""
    _require_care_right(actor, record.resident)
    _fill(
        record,
        answered_on=answered_on,
        answers=answers,
        height_cm=height_cm,
        weight_kg=weight_kg,
        note=note,
    )
    record._result = None
    with transaction.atomic():
        save_with_history(record, actor=actor, action="care.checklist.update")
    return record


def checklist_record_seed(
    *,
    resident: Resident,
    actor: Any,
    answered_on: datetime.date,
    answers: Mapping[int, bool | None],
    height_cm: float | Decimal | None,
    weight_kg: float | Decimal | None,
    note: str = "",
) -> ChecklistRecord:
    """Record a checklist of a synthetic resident for the demo loader only.

    The system actor never holds the care right (by design), so the loader cannot use
    :func:`checklist_record_create`; this refuses anyone but synthetic residents.
    """
    if not resident.is_synthetic:
        raise PermissionDenied("デモの記録は架空の住民にだけ作成できます。")
    record = ChecklistRecord(resident=resident, recorded_by=actor, entry_method=EntryMethod.FORM)
    _fill(
        record,
        answered_on=answered_on,
        answers=answers,
        height_cm=height_cm,
        weight_kg=weight_kg,
        note=note,
    )
    with transaction.atomic():
        save_with_history(record, actor=actor, action="care.checklist.create", note="デモ")
    return record


# --- import -------------------------------------------------------------------------------


def _answers_of(codes: np.ndarray) -> dict[int, bool | None]:
    return {n: (None if codes[n - 1] < 0 else bool(codes[n - 1])) for n in ANSWERED_ITEMS}


def _measure(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def checklists_import(
    *, actor: Any, municipality: Municipality, data: bytes, file_name: str
) -> list[ChecklistRecord]:
    """Import checklists of existing residents of ``municipality`` from .xlsx or CSV.

    Columns: ``resident_id`` (the 住民番号 shown on the resident's page), ``answered_on``
    (記入日; 西暦 or 和暦), the CLI's ``q1``…``q25`` (not 12), ``height_cm``, ``weight_kg``;
    optional ``name`` (checked against the resident, to catch a wrong number) and ``note``.
    All or nothing: any problem refuses the whole file, naming file, row and column.
    """
    if not can_open_residents(actor, municipality.pk):
        raise PermissionDenied("この市町村の住民の記録を取り込む権限がありません。")
    table = read_checklist_upload(data, file_name, required=IMPORT_COLUMNS)
    names = [h.strip().lower() for h in table.header]
    ids = table.column("resident_id")
    dates = table.column("answered_on")
    written_names = table.column("name") if "name" in names else [""] * len(ids)
    notes = table.column("note") if "note" in names else [""] * len(ids)
    wanted = {int(v) for v in ids if unicodedata.normalize("NFKC", v).strip().isdigit()}
    residents = Resident.objects.filter(municipality=municipality, pk__in=wanted).in_bulk()
    problems: list[str] = []
    records: list[ChecklistRecord] = []
    if not table.lines:
        raise ChecklistFileError([f"{file_name}: 取り込むデータの行がありません。"])
    for k, line in enumerate(table.lines):
        where = f"{file_name}: {line}行目"
        raw_id = unicodedata.normalize("NFKC", ids[k]).strip()
        resident = residents.get(int(raw_id)) if raw_id.isdigit() else None
        if resident is None:
            problems.append(
                f"{where}の列「resident_id」: 「{ids[k]}」はこの市町村の住民番号にありません。"
            )
        elif written_names[k].strip() and _plain(written_names[k]) != _plain(resident.name):
            problems.append(
                f"{where}の列「name」: 住民番号 {raw_id} の氏名と一致しません（番号の誤りでは？）。"
            )
        try:
            answered_on = parse_date(dates[k].strip())
        except (WarekiError, ValueError):
            problems.append(
                f"{where}の列「answered_on」: 「{dates[k]}」は日付として読めません"
                "（例: 2024-10-02、令和6年10月2日）。"
            )
            continue
        if resident is None:
            continue
        record = ChecklistRecord(
            resident=resident, recorded_by=actor, entry_method=EntryMethod.IMPORT
        )
        try:
            _fill(
                record,
                answered_on=answered_on,
                answers=_answers_of(table.answers[k]),
                height_cm=_measure(table.height_cm[k]),
                weight_kg=_measure(table.weight_kg[k]),
                note=notes[k].strip(),
            )
        except TsunaguError as exc:
            problems.append(f"{where}の列「{exc.field or '?'}」: {exc.message}")
            continue
        except ValidationError as exc:
            problems.append(f"{where}: {'／'.join(exc.messages)}")
            continue
        set_history_context(record, actor=actor, action="care.checklist.import", note=file_name)
        records.append(record)
    if problems:
        raise ChecklistFileError(problems)
    with transaction.atomic():
        created = bulk_create_with_history(
            records,
            ChecklistRecord,
            default_user=actor,
            default_change_reason=records[0]._change_reason,  # type: ignore[attr-defined]
        )
    return list(created)


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


# --- anonymous surveys --------------------------------------------------------------------


def survey_municipalities_for(user: Any) -> frozenset[int]:
    """Municipalities whose anonymous surveys ``user`` may see: staff of the municipality."""
    scope = scope_for(user)
    return scope.internal_municipality_ids


def can_upload_survey(user: Any, municipality_id: int) -> bool:
    scope = scope_for(user)
    return (
        municipality_id in scope.internal_municipality_ids
        and municipality_id in scope.editable_municipality_ids
    )


def _district_lookup(municipality: Municipality) -> dict[str, District]:
    lookup: dict[str, District] = {}
    for district in District.objects.filter(municipality=municipality):
        lookup[_plain(district.name)] = district
        lookup[str(district.pk)] = district
    return lookup


def survey_aggregate(
    *, municipality: Municipality, data: bytes, file_name: str
) -> list[dict[str, Any]]:
    """Score an anonymous survey file in bulk and count per district (nothing stored).

    The file has the CLI's columns plus ``district`` (the district's name in this
    municipality, or its number in Tsunagu). Refuses the whole file on any problem.
    """
    table = read_checklist_upload(data, file_name, required=("id", *SURVEY_COLUMNS))
    if not table.lines:
        raise ChecklistFileError([f"{file_name}: 集計するデータの行がありません。"])
    lookup = _district_lookup(municipality)
    district_cells = table.column("district")
    problems: list[str] = []
    district_of: list[District] = []
    for line, cell in zip(table.lines, district_cells, strict=True):
        district = lookup.get(_plain(cell))
        if district is None:
            problems.append(
                f"{file_name}: {line}行目の列「district」: 「{cell}」は{municipality.name}の"
                "地区にありません（地区名または地区番号）。"
            )
        else:
            district_of.append(district)
    if problems:
        raise ChecklistFileError(problems)
    result = score_bulk(table.answers, table.height_cm, table.weight_kg)
    codes = np.array([d.pk for d in district_of])
    rows: list[dict[str, Any]] = []
    for district in sorted({d.pk: d for d in district_of}.values(), key=lambda d: d.pk):
        mask = codes == district.pk
        criteria = result.criteria[mask]
        eligible = result.eligible[mask]
        rows.append(
            {
                "district": district,
                "respondents": int(mask.sum()),
                "criteria_met": [int((criteria[:, k] == YES).sum()) for k in range(len(CRITERIA))],
                "criteria_unknown": [int((criteria[:, k] < 0).sum()) for k in range(len(CRITERIA))],
                "eligible": int((eligible == YES).sum()),
                "not_eligible": int((eligible == 0).sum()),
                "undeterminable": int((eligible < 0).sum()),
            }
        )
    return rows


def checklist_survey_create(
    *,
    actor: Any,
    municipality: Municipality,
    title: str,
    conducted_on: datetime.date | None,
    data: bytes,
    file_name: str,
    note: str = "",
    is_synthetic: bool = False,
) -> ChecklistSurvey:
    """Aggregate an anonymous survey file per district and store only the counts."""
    if not can_upload_survey(actor, municipality.pk):
        raise PermissionDenied("この市町村の調査を登録する権限がありません。")
    return checklist_survey_store(
        actor=actor,
        municipality=municipality,
        title=title,
        conducted_on=conducted_on,
        data=data,
        file_name=file_name,
        note=note,
        is_synthetic=is_synthetic,
    )


def checklist_survey_store(
    *,
    actor: Any,
    municipality: Municipality,
    title: str,
    conducted_on: datetime.date | None,
    data: bytes,
    file_name: str,
    note: str = "",
    is_synthetic: bool = False,
) -> ChecklistSurvey:
    """Aggregate and store without the staff check: for :func:`checklist_survey_create`
    (after its check) and the demo loader (the system actor holds no municipal role)."""
    rows = survey_aggregate(municipality=municipality, data=data, file_name=file_name)
    survey = ChecklistSurvey(
        municipality=municipality,
        title=title,
        conducted_on=conducted_on,
        file_name=file_name[:255],
        respondents=sum(r["respondents"] for r in rows),
        note=note,
        is_synthetic=is_synthetic,
        uploaded_by=actor,
    )
    survey.full_clean()
    with transaction.atomic():
        save_with_history(survey, actor=actor, action="care.checklist_survey.create", note=title)
        ChecklistSurveyDistrict.objects.bulk_create(
            ChecklistSurveyDistrict(survey=survey, **row) for row in rows
        )
    return survey


def checklist_survey_delete(*, survey: ChecklistSurvey, actor: Any) -> None:
    if not can_upload_survey(actor, survey.municipality_id):
        raise PermissionDenied("この調査を削除する権限がありません。")
    with transaction.atomic():
        survey.districts.all().delete()
        delete_with_history(survey, actor=actor, action="care.checklist_survey.delete")
