"""Service C outcome API (/api/v1/care/courses/outcomes): aggregates only.

Per course and in total: participants, outcomes, where graduates went, still taking part at
3 and 6 months, returns — no name, no person. Scoped like the pages: only the courses of the
municipalities where the user holds the care right (an empty answer otherwise).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tsunagu.areas.models import Municipality
from tsunagu.care.access import care_municipality_ids, personal_records_enabled
from tsunagu.core.api.errors import READ_ERRORS
from tsunagu.core.errors import NotFound
from tsunagu.programs.courses import reports

router = Router(tags=["サービスC（短期集中予防サービス）の成果"])


class FiguresOut(Schema):
    participants: int = Field(..., description="参加者")
    improved: int = Field(..., description="改善")
    maintained: int = Field(..., description="維持")
    worsened: int = Field(..., description="悪化")
    discontinued: int = Field(..., description="中断")
    referred: int = Field(..., description="受皿へつないだ卒業者")
    waiting: int = Field(..., description="つなぎが回答待ち・受付")
    started: int = Field(..., description="受皿の利用開始・終了")
    declined: int = Field(..., description="お断り・中止")
    no_receiver: int = Field(..., description="受皿なしで卒業")
    still_3: int = Field(..., description="3か月後も受皿に参加")
    still_6: int = Field(..., description="6か月後も受皿に参加")
    came_back: int = Field(..., description="サービス利用に戻った（職員が確認）")
    came_back_detected: int = Field(..., description="戻った可能性（データから検出）")


class CourseOutcomeOut(FiguresOut):
    id: int
    name: str = Field(..., description="コース名")
    municipality: str = Field(..., description="市町村")
    service_type: str = Field(..., description="類型（home_c / day_c）")
    provider: str = Field(..., description="実施団体")
    starts_on: datetime.date
    ends_on: datetime.date
    capacity: int
    is_synthetic: bool = Field(..., description="架空のデータ（デモ）")


class OutcomesOut(Schema):
    courses: list[CourseOutcomeOut]
    totals: FiguresOut


@router.get(
    "/outcomes",
    response={200: OutcomesOut, **READ_ERRORS},
    summary="サービスCの成果（集計）",
    description="介護予防の個人記録を開く権限がある市町村のコースだけを、集計値で返します"
    "（個人は含みません）。",
)
def outcomes(
    request: HttpRequest,
    municipality: Annotated[str, Query(description="市町村コード（6桁）", max_length=6)] = "",
) -> Any:
    if not personal_records_enabled():
        raise NotFound()
    user = request.auth  # type: ignore[attr-defined]
    ids = care_municipality_ids(user)
    if municipality:
        ids = frozenset(
            Municipality.objects.filter(pk__in=ids, code=municipality).values_list("pk", flat=True)
        )
    report = reports.outcome_report(municipality_ids=sorted(ids))
    return {"courses": report.courses, "totals": report.totals}
