"""Service B API router (/api/v1/programs/service-b/): groups, usage periods, applications.

Scoped like the pages (reads through :mod:`.selectors`: another municipality's record is 404),
writes through :mod:`.services` (403, history). Counting a period's users from residents'
care levels needs personal records on and the care right for the municipality (404 without
it, as for a resident) and writes one read-log row per resident; the counts themselves are
aggregates and shown to everyone who may see the group.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from tsunagu.core.api.errors import READ_ERRORS, WRITE_ERRORS
from tsunagu.core.api.paging import PageNumber, PerPage, page_out, paginate
from tsunagu.core.api.refs import municipality_ref
from tsunagu.core.api.schemas import MAX_ID, MunicipalityRef, Page
from tsunagu.core.api.services import call_service
from tsunagu.programs.service_b import selectors, services
from tsunagu.programs.service_b.models import SubsidyApplication, UsagePeriod

router = Router()
RecordId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="ID")]
TAG = "サービスB（住民主体の支えあい活動）と補助"


class ActivityOut(Schema):
    kind: str
    kind_label: str
    detail: str
    share_percent: int | None = Field(None, description="活動に占める割合（%）、不明なら null")
    share_group: str


class GroupOut(Schema):
    id: int
    name: str
    municipality: MunicipalityRef
    organisation_id: int | None
    service_kind: str
    status: str
    status_label: str
    member_count: int | None
    is_placeholder: bool = Field(..., description="報告書に名称のない仮の団体")
    activities: list[ActivityOut]
    source: str


class GroupPage(Page):
    items: list[GroupOut]


class PeriodOut(Schema):
    id: int
    group_id: int
    label: str
    starts_on: str
    ends_on: str
    users_total: int | None
    users_eligible: int | None = Field(None, description="うち要支援者・事業対象者の数")
    counted_from_residents: bool


class ApplicationOut(Schema):
    id: int
    period_id: int
    group_id: int
    kind: str
    status: str
    return_reason: str
    operating_cost: int = Field(..., description="サービスBの運営費（円）")
    eligible_amount: int | None = Field(None, description="補助対象額（円、円未満切り捨て）")
    computation: str = Field(..., description="計算（文章）")
    is_synthetic: bool


def _group(group: Any) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": group.name,
        "municipality": municipality_ref(group.municipality),
        "organisation_id": group.organisation_id,
        "service_kind": group.service_kind,
        "status": group.status,
        "status_label": group.get_status_display(),
        "member_count": group.member_count,
        "is_placeholder": group.is_placeholder,
        "activities": [
            {
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "detail": a.detail,
                "share_percent": a.share_percent,
                "share_group": a.share_group,
            }
            for a in group.activities.all()
        ],
        "source": group.source,
    }


def _period(period: UsagePeriod) -> dict[str, Any]:
    return {
        "id": period.pk,
        "group_id": period.group_id,
        "label": period.label,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "users_total": period.users_total,
        "users_eligible": period.users_eligible,
        "counted_from_residents": period.counted_from_residents,
    }


def _application(application: SubsidyApplication) -> dict[str, Any]:
    computation = selectors.computation_of(application)
    return {
        "id": application.pk,
        "period_id": application.period_id,
        "group_id": application.period.group_id,
        "kind": application.kind,
        "status": application.status,
        "return_reason": application.return_reason,
        "operating_cost": computation.operating_cost,
        "eligible_amount": computation.eligible_amount,
        "computation": computation.text,
        "is_synthetic": application.is_synthetic,
    }


@router.get(
    "/groups",
    response={200: GroupPage, **READ_ERRORS},
    tags=[TAG],
    summary="サービスBの団体の一覧",
)
def group_list(request: HttpRequest, page: PageNumber = 1, per_page: PerPage = 50) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    items, count, has_next = paginate(selectors.groups_visible_to(user=user), page, per_page)
    return page_out([_group(g) for g in items], count, page, per_page, has_next)


@router.get(
    "/groups/{group_id}",
    response={200: GroupOut, **READ_ERRORS},
    tags=[TAG],
    summary="サービスBの団体",
)
def group_detail(request: HttpRequest, group_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return _group(selectors.group_get_for_user(user=user, pk=group_id))


@router.get(
    "/groups/{group_id}/periods",
    response={200: list[PeriodOut], **READ_ERRORS},
    tags=[TAG],
    summary="団体の利用実績の期間",
)
def period_list(request: HttpRequest, group_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    group = selectors.group_get_for_user(user=user, pk=group_id)
    return [_period(p) for p in group.periods.all()]


@router.post(
    "/periods/{period_id}/count-from-residents",
    response={200: PeriodOut, **WRITE_ERRORS},
    tags=[TAG],
    summary="利用者数を住民の記録から集計",
    description=(
        "期間に結び付けた住民の要介護度など（期間内に有効な要支援1・2、事業対象者）から人数を"
        "集計します。個人の記録の機能が有効で、その市町村の住民の記録を見る権限がある場合だけ"
        "（ない場合は 404）。読んだ住民ごとに閲覧記録が残ります。"
    ),
)
def period_count(request: HttpRequest, period_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    period = selectors.period_get_for_user(user=user, pk=period_id)
    result = call_service(
        services.period_count_from_residents,
        UsagePeriod,
        {},
        period=period,
        actor=user,
        path=request.path,
    )
    return _period(result)


@router.get(
    "/periods/{period_id}/applications",
    response={200: list[ApplicationOut], **READ_ERRORS},
    tags=[TAG],
    summary="期間の交付申請・実績報告",
)
def application_list(request: HttpRequest, period_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    period = selectors.period_get_for_user(user=user, pk=period_id)
    applications = selectors.applications_visible_to(user=user).filter(period=period)
    return [_application(a) for a in applications.prefetch_related("account_lines")]


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **READ_ERRORS},
    tags=[TAG],
    summary="交付申請・実績報告",
)
def application_detail(request: HttpRequest, application_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return _application(selectors.application_get_for_user(user=user, pk=application_id))
