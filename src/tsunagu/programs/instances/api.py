"""Program-instance API (/api/v1/programs/instances): instances (scoped like the pages),
participant counts, the participation report, and resident participants — the last only
with the care right, each resident returned written to the personal-data read log.

Reads go through :mod:`.selectors`, writes through :mod:`.services` (403 when not allowed,
history written); another municipality's instance answers 404.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from tsunagu.core import wareki
from tsunagu.core.api.errors import READ_ERRORS, WRITE_ERRORS
from tsunagu.core.api.paging import PageNumber, PerPage, page_out, paginate
from tsunagu.core.api.refs import municipality_ref, ref
from tsunagu.core.api.schemas import (
    MAX_ID,
    ApiIn,
    MunicipalityRef,
    Page,
    Ref,
    WarekiDate,
    choices_help,
)
from tsunagu.core.api.services import call_service
from tsunagu.core.errors import NotFound
from tsunagu.directory.models import SogoServiceType
from tsunagu.programs.instances import participants, selectors, services
from tsunagu.programs.instances.models import InstanceStatus, ParticipationCount

router = Router()
TAG = "総合事業の実施事業"
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


class CountOut(Schema):
    id: int
    period_start: datetime.date
    period_end: datetime.date
    support_1: int
    support_2: int
    program_eligible: int
    care_needed: int
    other: int
    total: int
    visits: int | None
    is_synthetic: bool = Field(..., description="架空の数値（デモ）か")
    note: str


class InstanceOut(Schema):
    id: int
    municipality: MunicipalityRef
    service_type: str = Field(..., description=choices_help(SogoServiceType))
    service_type_label: str
    name: str
    provider: Ref
    resource: Ref | None
    status: str = Field(..., description=choices_help(InstanceStatus))
    areas: list[str] = Field(..., description="日常生活圏域・地区（空なら市町村全域）")
    schedule_note: str
    weekdays: list[int] = Field(..., description="曜日（0=月曜 … 6=日曜）")
    capacity: int | None
    unit_price_yen: int | None
    price_unit: str
    cap_yen: int | None
    funding: str
    funding_note: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    source: str
    enrolled_now: int = Field(..., description="現在の登録利用者数（人数のみ）")


class InstancePage(Page):
    items: list[InstanceOut]


class CountIn(ApiIn):
    period_start: WarekiDate
    period_end: WarekiDate
    support_1: int = Field(0, ge=0, le=1_000_000)
    support_2: int = Field(0, ge=0, le=1_000_000)
    program_eligible: int = Field(0, ge=0, le=1_000_000)
    care_needed: int = Field(0, ge=0, le=1_000_000)
    other: int = Field(0, ge=0, le=1_000_000)
    visits: int | None = Field(None, ge=0, le=100_000_000)
    note: str = Field("", max_length=300)


class ParticipantOut(Schema):
    enrolment_id: int
    resident_id: int
    name: str
    district: str | None
    starts_on: datetime.date
    ends_on: datetime.date | None
    is_synthetic: bool


class ParticipationRowOut(Schema):
    service_type: str
    type_label: str
    municipality: str
    area: str
    instances: int
    counted: int = Field(..., description="記録された利用者数の合計（期間の開始がこの年度のもの）")
    support_1: int
    support_2: int
    program_eligible: int
    care_needed: int
    other: int
    enrolled: int = Field(..., description="この年度に登録されていた利用者の実人数")
    synthetic: bool = Field(..., description="架空の数値（デモ）を含むか")


def _out(instance: Any) -> dict[str, Any]:
    return {
        "id": instance.pk,
        "municipality": municipality_ref(instance.municipality),
        "service_type": instance.service_type,
        "service_type_label": instance.get_service_type_display(),
        "name": instance.name,
        "provider": ref(instance.provider),
        "resource": ref(instance.resource),
        "status": instance.status,
        "areas": [a.name for a in instance.daily_life_areas.all()]
        + [d.name for d in instance.districts.all()],
        "schedule_note": instance.schedule_note,
        "weekdays": sorted(instance.weekdays or []),
        "capacity": instance.capacity,
        "unit_price_yen": instance.unit_price_yen,
        "price_unit": instance.price_unit,
        "cap_yen": instance.cap_yen,
        "funding": instance.funding,
        "funding_note": instance.funding_note,
        "starts_on": instance.starts_on,
        "ends_on": instance.ends_on,
        "source": instance.source,
        "enrolled_now": participants.enrolment_figures(instance, day=timezone.localdate())[
            "current"
        ],
    }


@router.get(
    "",
    response={200: InstancePage, **READ_ERRORS},
    tags=[TAG],
    summary="実施事業の一覧",
    description="利用者が見られる市町村の実施事業です。類型・日常生活圏域・実施主体で絞り込めます。",
)
def instance_list(
    request: HttpRequest,
    service_type: Annotated[str | None, Query(max_length=24, description="類型のコード")] = None,
    daily_life_area_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    provider_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    page: PageNumber = 1,
    per_page: PerPage = 50,
) -> Any:
    rows = selectors.instance_list_visible_to(
        user=request.auth,  # type: ignore[attr-defined]
        service_type=service_type or "",
        daily_life_area_id=daily_life_area_id,
        provider_id=provider_id,
    )
    items, count, has_next = paginate(rows, page, per_page)
    return page_out([_out(i) for i in items], count, page, per_page, has_next)


@router.get(
    "/participation",
    response={200: list[ParticipationRowOut], **READ_ERRORS},
    tags=[TAG],
    summary="類型別・地域別の利用者（年度）",
    description="画面の「類型別・地域別の利用者」と同じ集計です。個人は含みません。",
)
def participation(
    request: HttpRequest,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100, description="年度（西暦）")] = None,
) -> Any:
    year = fiscal_year or wareki.fiscal_year(timezone.localdate())
    rows = selectors.participation_by_type_and_area(
        user=request.auth,  # type: ignore[attr-defined]
        fiscal_year=year,
    )
    return [
        {
            **{k: getattr(r, k) for k in ParticipationRowOut.model_fields if k != "counted"},
            "counted": r.counted,
        }
        for r in rows
    ]


@router.get(
    "/{instance_id}",
    response={200: InstanceOut, **READ_ERRORS},
    tags=[TAG],
    summary="実施事業の詳細",
)
def instance_detail(request: HttpRequest, instance_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return _out(selectors.instance_get_for_user(user=user, pk=instance_id))


@router.get(
    "/{instance_id}/counts",
    response={200: list[CountOut], **READ_ERRORS},
    tags=[TAG],
    summary="利用者数（集計）",
)
def count_list(request: HttpRequest, instance_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.instance_get_for_user(user=user, pk=instance_id)
    return [_count_out(c) for c in selectors.counts_of(instance)]


def _count_out(count: ParticipationCount) -> dict[str, Any]:
    fields = ("period_start", "period_end", *ParticipationCount.MIX_FIELDS, "visits")
    return {
        "id": count.pk,
        **{f: getattr(count, f) for f in fields},
        "total": count.total,
        "is_synthetic": count.is_synthetic,
        "note": count.note,
    }


@router.post(
    "/{instance_id}/counts",
    response={200: CountOut, **WRITE_ERRORS},
    tags=[TAG],
    summary="利用者数の記録",
    description="期間ごとの利用者数を記録します（同じ期間なら訂正）。変更履歴が記録されます。",
)
def count_record(request: HttpRequest, instance_id: RecordId, body: CountIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.instance_get_for_user(user=user, pk=instance_id)
    count = call_service(
        services.participation_count_record,
        ParticipationCount,
        {},
        instance=instance,
        actor=user,
        **body.model_dump(),
    )
    return _count_out(count)


@router.get(
    "/{instance_id}/participants",
    response={200: list[ParticipantOut], **READ_ERRORS},
    tags=[TAG],
    summary="登録された利用者（要配慮個人情報）",
    description=(
        "この市町村の介護予防の記録を扱う権限（care right）がある場合だけ返します。"
        "権限がなければ 404 です。返した住民ごとに個人情報の閲覧記録が残ります。"
    ),
)
def participant_list(request: HttpRequest, instance_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.instance_get_for_user(user=user, pk=instance_id)
    if not participants.may_see_participants(user, instance):
        raise NotFound()
    enrolments = participants.enrolments_for_user(user=user, instance=instance, path=request.path)
    return [
        {
            "enrolment_id": e.pk,
            "resident_id": e.resident_id,
            "name": e.resident.name,
            "district": e.resident.district.name if e.resident.district_id else None,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "is_synthetic": e.resident.is_synthetic,
        }
        for e in enrolments
    ]
