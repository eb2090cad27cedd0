"""Reads of basic checklists and survey aggregates for users.

Resident checklists are 要配慮個人情報: every read goes through the care gate
(:func:`tsunagu.care.access.resident_get_for_user`), which answers "not found" without the
care right and writes ``PersonalDataReadLog`` with the purpose. Survey aggregates are
anonymous counts: staff of the municipality see them without the care right.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.http import Http404

from tsunagu.areas.models import District, Municipality
from tsunagu.care.access import (
    care_municipality_ids,
    log_resident_reads,
    resident_get_for_user,
    residents_visible_to,
)
from tsunagu.care.checklist.bulk import score_bulk
from tsunagu.care.checklist.models import ChecklistRecord, ChecklistSurvey
from tsunagu.care.checklist.rules import ANSWERED_ITEMS, CRITERIA, ITEM_COUNT
from tsunagu.care.checklist.services import survey_municipalities_for
from tsunagu.care.models import Resident

PURPOSE_VIEW = "基本チェックリストを表示"
PURPOSE_ENTER = "基本チェックリストを入力"
PURPOSE_EDIT = "基本チェックリストを修正"
PURPOSE_HISTORY = "基本チェックリストの履歴を表示"
PURPOSE_LIST = "基本チェックリストの一覧を表示"
PURPOSE_IMPORT = "基本チェックリストを取り込み"
PURPOSE_REPORT = "地区別の事業対象者・リスク集計（最新の基本チェックリスト）"


def resident_for_checklists(*, user: Any, resident_id: int, purpose: str, path: str) -> Resident:
    """The resident whose checklists ``user`` opens (404 without the right; logged)."""
    return resident_get_for_user(user=user, resident_id=resident_id, purpose=purpose, path=path)


def checklist_get_for_user(
    *, user: Any, record_id: int, purpose: str, path: str
) -> ChecklistRecord:
    """One checklist, through its resident's gate (404 without the right; logged)."""
    resident_id = (
        ChecklistRecord.objects.filter(pk=record_id).values_list("resident_id", flat=True).first()
    )
    if resident_id is None:
        raise Http404
    resident = resident_get_for_user(user=user, resident_id=resident_id, purpose=purpose, path=path)
    record = ChecklistRecord.objects.select_related("recorded_by").get(pk=record_id)
    record.resident = resident
    return record


def checklists_of(resident: Resident) -> list[ChecklistRecord]:
    """A resident's checklists, newest first (call after the gate opened ``resident``)."""
    records = list(resident.checklists.select_related("recorded_by"))
    for record in records:
        record.resident = resident
    return records


def residents_for_checklists(user: Any) -> QuerySet[Resident]:
    """Residents listed on the checklist home: the minimum (name, district, status)."""
    return residents_visible_to(user).select_related("district", "municipality")


def import_municipalities(user: Any) -> QuerySet[Municipality]:
    return Municipality.objects.filter(pk__in=care_municipality_ids(user)).order_by("code")


# --- surveys ------------------------------------------------------------------------------


def surveys_visible_to(user: Any) -> QuerySet[ChecklistSurvey]:
    return ChecklistSurvey.objects.filter(
        municipality_id__in=survey_municipalities_for(user)
    ).select_related("municipality", "uploaded_by")


def survey_get_for_user(*, user: Any, survey_id: int) -> ChecklistSurvey:
    survey = surveys_visible_to(user).filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    return survey


def survey_municipalities(user: Any) -> QuerySet[Municipality]:
    return Municipality.objects.filter(pk__in=survey_municipalities_for(user)).order_by("code")


# --- district figures (survey aggregates and residents' latest checklists) -----------------


@dataclass
class DistrictFigures:
    """Counts of one district; prevalences are shares of ``respondents``."""

    district: District | None
    respondents: int = 0
    criteria_met: list[int] = field(default_factory=lambda: [0] * len(CRITERIA))
    criteria_unknown: list[int] = field(default_factory=lambda: [0] * len(CRITERIA))
    eligible: int = 0
    not_eligible: int = 0
    undeterminable: int = 0

    def add(self, counts: dict[str, Any]) -> None:
        self.respondents += counts["respondents"]
        for k in range(len(CRITERIA)):
            self.criteria_met[k] += counts["criteria_met"][k]
            self.criteria_unknown[k] += counts["criteria_unknown"][k]
        self.eligible += counts["eligible"]
        self.not_eligible += counts["not_eligible"]
        self.undeterminable += counts["undeterminable"]

    def share(self, count: int) -> float | None:
        return None if not self.respondents else count / self.respondents * 100

    @property
    def name(self) -> str:
        return self.district.name if self.district else "地区未設定"

    def criteria_rows(self) -> list[tuple[str, int, float | None, int]]:
        return [
            (
                c.name,
                self.criteria_met[k],
                self.share(self.criteria_met[k]),
                self.criteria_unknown[k],
            )
            for k, c in enumerate(CRITERIA)
        ]

    @property
    def eligible_share(self) -> float | None:
        return self.share(self.eligible)


def survey_figures(survey: ChecklistSurvey) -> list[DistrictFigures]:
    rows = []
    for aggregate in survey.districts.select_related("district"):
        figures = DistrictFigures(aggregate.district)
        figures.add(aggregate.as_counts())
        rows.append(figures)
    return rows


def total_of(rows: list[DistrictFigures]) -> DistrictFigures:
    total = DistrictFigures(None)
    for row in rows:
        total.add(
            {
                "respondents": row.respondents,
                "criteria_met": row.criteria_met,
                "criteria_unknown": row.criteria_unknown,
                "eligible": row.eligible,
                "not_eligible": row.not_eligible,
                "undeterminable": row.undeterminable,
            }
        )
    return total


def latest_survey_figures(
    *, user: Any, municipality: Municipality
) -> tuple[ChecklistSurvey | None, list[DistrictFigures]]:
    survey = surveys_visible_to(user).filter(municipality=municipality).first()
    return survey, ([] if survey is None else survey_figures(survey))


def resident_figures(
    *, user: Any, municipality: Municipality, path: str
) -> list[DistrictFigures] | None:
    """Per district, the residents' latest checklists scored in bulk; None without the care
    right. Each resident whose checklist is counted is logged (the report discloses them)."""
    if municipality.pk not in care_municipality_ids(user):
        return None
    latest: dict[int, ChecklistRecord] = {}
    records = ChecklistRecord.objects.filter(resident__municipality=municipality).select_related(
        "resident__district"
    )
    for record in records.order_by("resident_id", "-answered_on", "-pk"):
        latest.setdefault(record.resident_id, record)
    chosen = list(latest.values())
    if not chosen:
        return []
    answers = np.full((len(chosen), ITEM_COUNT), -1, dtype=np.int8)
    heights = np.full(len(chosen), np.nan)
    weights = np.full(len(chosen), np.nan)
    for i, record in enumerate(chosen):
        for n in ANSWERED_ITEMS:
            value = getattr(record, f"q{n}")
            if value is not None:
                answers[i, n - 1] = int(value)
        if record.height_cm is not None:
            heights[i] = float(record.height_cm)
        if record.weight_kg is not None:
            weights[i] = float(record.weight_kg)
    result = score_bulk(answers, heights, weights)
    groups: dict[int | None, DistrictFigures] = {}
    by_district: dict[int | None, list[int]] = defaultdict(list)
    for i, record in enumerate(chosen):
        district = record.resident.district
        key = district.pk if district else None
        groups.setdefault(key, DistrictFigures(district))
        by_district[key].append(i)
    for key, indices in by_district.items():
        criteria = result.criteria[indices]
        eligible = result.eligible[indices]
        groups[key].add(
            {
                "respondents": len(indices),
                "criteria_met": [int((criteria[:, k] == 1).sum()) for k in range(len(CRITERIA))],
                "criteria_unknown": [int((criteria[:, k] < 0).sum()) for k in range(len(CRITERIA))],
                "eligible": int((eligible == 1).sum()),
                "not_eligible": int((eligible == 0).sum()),
                "undeterminable": int((eligible < 0).sum()),
            }
        )
    log_resident_reads(
        user=user, residents=[r.resident for r in chosen], purpose=PURPOSE_REPORT, path=path
    )
    return sorted(
        groups.values(), key=lambda f: (f.district is None, f.district.pk if f.district else 0)
    )


def report_municipalities(user: Any) -> QuerySet[Municipality]:
    """Municipalities of the district report: staff ones (surveys) and care-right ones."""
    ids = set(survey_municipalities_for(user)) | set(care_municipality_ids(user))
    return Municipality.objects.filter(pk__in=ids).order_by("code")
