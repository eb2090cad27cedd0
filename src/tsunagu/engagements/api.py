"""Accompanying-support API router (/api/v1/engagements): engagements with their visits,
insights (search across engagements) and roadmaps with milestones; status changes, visits and
insights can be recorded.

Scoped exactly like the pages: reads through :mod:`tsunagu.engagements.selectors` (an
engagement of another municipality answers 404 whether or not it exists; an advisor sees only
the engagements that name them), writes through :mod:`tsunagu.engagements.services`, which
check permissions (403) and the status rules (400 with the code of
:mod:`tsunagu.engagements.errors`).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status

from tsunagu.areas.references import municipality_filter
from tsunagu.core.api.errors import READ_ERRORS, WRITE_ERRORS, ApiValidationError, FieldError
from tsunagu.core.api.paging import (
    PageNumber,
    PerPage,
    page_out,
    paginate,
)
from tsunagu.core.api.refs import local, municipality_ref
from tsunagu.core.api.schemas import MAX_ID, CleanIn, MunicipalityRef, Ref, WarekiDate
from tsunagu.core.api.services import call_service
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.fields import fields_from
from tsunagu.directory.models import OrganisationType
from tsunagu.engagements import permissions, reminders, selectors, services
from tsunagu.engagements.commands import ParticipantFields, VisitFields
from tsunagu.engagements.models import (
    Engagement,
    EngagementStatus,
    Insight,
    Milestone,
    ParticipantKind,
    Roadmap,
    Visit,
)

router = Router()

RecordId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="ID")]
TAG = "伴走的支援"


# --- schemas -------------------------------------------------------------------------------


class VisitParticipantOut(Schema):
    kind: str
    label: str
    organisation_type: str
    organisation_type_label: str
    organisation: Ref | None
    person_name: str
    headcount: int


class VisitOut(Schema):
    id: int
    engagement_id: int
    number: int
    visited_on: datetime.date
    focus: str
    lecture: str
    advice: str
    summary: str
    participants: list[VisitParticipantOut]


class InsightOut(Schema):
    id: int
    engagement_id: int
    municipality: MunicipalityRef
    fiscal_year: int
    theme: str
    visit_number: int | None
    text: str
    realised_by: str
    tags: list[str]
    organisations: list[Ref]
    created_at: datetime.datetime


class AdvisorOut(Schema):
    name: str
    role: str
    affiliation: str


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    to_label: str
    reason: str
    changed_at: datetime.datetime


class EngagementSummaryOut(Schema):
    id: int
    municipality: MunicipalityRef
    program: Ref
    fiscal_year: int
    theme: str
    status: str
    status_label: str
    status_reason: str
    started_on: datetime.date | None
    ended_on: datetime.date | None


class BreadthRowOut(Schema):
    kind: str
    label: str
    per_visit: list[int]
    visits_present: int


class EngagementOut(EngagementSummaryOut):
    reasons: str
    background: str
    post_support_actions: str
    points_of_attention: str
    requests_to_government: str
    advisors: list[AdvisorOut]
    status_changes: list[StatusChangeOut]
    visits: list[VisitOut]
    insights: list[InsightOut]
    breadth: list[BreadthRowOut]
    last_contact_on: datetime.date | None
    next_follow_up_due_on: datetime.date | None


class EngagementPage(Schema):
    items: list[EngagementSummaryOut]
    count: int
    page: int
    per_page: int
    has_next: bool


class InsightPage(Schema):
    items: list[InsightOut]
    count: int
    page: int
    per_page: int
    has_next: bool


class MilestoneOut(Schema):
    id: int
    fiscal_year: int
    title: str
    description: str
    owner_department: str
    owner_organisation: Ref | None
    status: str
    status_label: str
    due_on: datetime.date
    done_on: datetime.date | None
    evidence: str
    evidence_url: str
    overdue: bool


class RoadmapOut(Schema):
    id: int
    municipality: MunicipalityRef
    engagement_id: int | None
    title: str
    first_fiscal_year: int
    last_fiscal_year: int
    milestones: list[MilestoneOut]


class TransitionIn(CleanIn):
    to: EngagementStatus
    reason: str = ""


class ParticipantIn(CleanIn):
    kind: ParticipantKind
    department: str = ""
    organisation_name: str = ""
    organisation_type: OrganisationType | None = None
    person_name: str = ""
    headcount: int = 1


class VisitIn(CleanIn):
    visited_on: WarekiDate  # strict: a number is not a date
    number: int | None = None
    focus: str = ""
    lecture: str = ""
    advice: str = ""
    summary: str = ""
    participants: list[ParticipantIn] = []


class InsightIn(CleanIn):
    text: str
    realised_by: str = ""
    visit_number: int | None = None
    tags: list[str] = []


# --- serialisers ---------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


def _summary(engagement: Engagement) -> dict[str, Any]:
    return {
        "id": engagement.pk,
        "municipality": municipality_ref(engagement.municipality),
        "program": _ref(engagement.program),
        "fiscal_year": engagement.fiscal_year,
        "theme": engagement.theme,
        "status": engagement.status,
        "status_label": str(engagement.get_status_display()),
        "status_reason": engagement.status_reason,
        "started_on": engagement.started_on,
        "ended_on": engagement.ended_on,
    }


def _visit(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "engagement_id": visit.engagement_id,
        "number": visit.number,
        "visited_on": visit.visited_on,
        "focus": visit.focus,
        "lecture": visit.lecture,
        "advice": visit.advice,
        "summary": visit.summary,
        "participants": [
            {
                "kind": p.kind,
                "label": p.label,
                "organisation_type": p.organisation_type,
                "organisation_type_label": p.type_label
                if p.kind == ParticipantKind.OUTSIDE
                else "",
                "organisation": _ref(p.organisation),
                "person_name": p.person_name,
                "headcount": p.headcount,
            }
            for p in visit.participants.all()
        ],
    }


def _insight(insight: Insight) -> dict[str, Any]:
    engagement = insight.engagement
    return {
        "id": insight.pk,
        "engagement_id": engagement.pk,
        "municipality": municipality_ref(engagement.municipality),
        "fiscal_year": engagement.fiscal_year,
        "theme": engagement.theme,
        "visit_number": insight.visit.number if insight.visit_id else None,
        "text": insight.text,
        "realised_by": insight.realised_by,
        "tags": [t.name for t in insight.tags.all()],
        "organisations": [_ref(o) for o in insight.organisations.all()],
        "created_at": local(insight.created_at),
    }


def _detail(pk: int, user: Any) -> dict[str, Any]:
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    today = timezone.localdate()
    matrix = selectors.breadth_matrix(engagement)
    return {
        **_summary(engagement),
        "reasons": engagement.reasons,
        "background": engagement.background,
        "post_support_actions": engagement.post_support_actions,
        "points_of_attention": engagement.points_of_attention,
        "requests_to_government": engagement.requests_to_government,
        "advisors": [
            {"name": a.display_name, "role": a.role, "affiliation": a.affiliation}
            for a in engagement.advisors.all()
        ],
        "status_changes": [
            {
                "from_status": c.from_status,
                "to_status": c.to_status,
                "to_label": str(c.get_to_status_display()),
                "reason": c.reason,
                "changed_at": local(c.changed_at),
            }
            for c in engagement.status_changes.all()
        ],
        "visits": [_visit(v) for v in sorted(engagement.visits.all(), key=lambda v: v.number)],
        "insights": [_insight(i) for i in engagement.insights.all()],
        "breadth": [
            {
                "kind": row.kind,
                "label": row.label,
                "per_visit": row.cells,
                "visits_present": row.visits_present,
            }
            for row in matrix.departments + matrix.outside
        ],
        "last_contact_on": selectors.last_contact_on(engagement),
        "next_follow_up_due_on": reminders.follow_up_due_on(engagement, today),
    }


def _milestone(milestone: Milestone, today: datetime.date) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "fiscal_year": milestone.fiscal_year,
        "title": milestone.title,
        "description": milestone.description,
        "owner_department": milestone.owner_department,
        "owner_organisation": _ref(milestone.owner_organisation),
        "status": milestone.status,
        "status_label": str(milestone.get_status_display()),
        "due_on": milestone.effective_due_on,
        "done_on": milestone.done_on,
        "evidence": milestone.evidence,
        "evidence_url": milestone.evidence_url,
        "overdue": milestone.is_overdue(today),
    }


def _roadmap(roadmap: Roadmap) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": roadmap.pk,
        "municipality": municipality_ref(roadmap.municipality),
        "engagement_id": roadmap.engagement_id,
        "title": roadmap.title,
        "first_fiscal_year": roadmap.first_fiscal_year,
        "last_fiscal_year": roadmap.last_fiscal_year,
        "milestones": [_milestone(m, today) for m in roadmap.milestones.all()],
    }


# --- engagements ---------------------------------------------------------------------------


@router.get(
    "",
    response={200: EngagementPage, **READ_ERRORS},
    tags=[TAG],
    summary="伴走的支援の一覧",
    description="見える範囲の伴走的支援です。アドバイザーには自分が担当する支援だけが返ります。",
)
def engagement_list(
    request: HttpRequest,
    fiscal_year: Annotated[int | None, Query(ge=1873, le=2200, description="年度（西暦）")] = None,
    status: Annotated[EngagementStatus | None, Query(description="状態")] = None,
    theme: Annotated[str, Query(max_length=100, description="テーマの一部")] = "",
    municipality: Annotated[
        str | None, Query(max_length=6, description="市町村コード（6桁）")
    ] = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    rows = selectors.engagement_list_filtered(
        user=user,
        fiscal_year=fiscal_year,
        status=status or "",
        theme=theme,
        municipality=municipality_filter(municipality),
    )
    items, count, has_next = paginate(rows, page, per_page)
    return page_out([_summary(e) for e in items], count, page, per_page, has_next)


@router.get(
    "/insights",
    response={200: InsightPage, **READ_ERRORS},
    tags=[TAG],
    summary="気づきの検索（支援をまたいで）",
    description="キーワードは表記のゆれ（買物・買い物 など）も探します。",
)
def insight_list(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=100, description="キーワード")] = "",
    tag: Annotated[str, Query(max_length=50, description="タグ")] = "",
    fiscal_year: Annotated[int | None, Query(ge=1873, le=2200, description="年度（西暦）")] = None,
    municipality: Annotated[
        str | None, Query(max_length=6, description="市町村コード（6桁）")
    ] = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    rows = selectors.insight_search(
        user=user,
        q=q,
        tag=tag,
        fiscal_year=fiscal_year,
        municipality=municipality_filter(municipality),
    )
    items, count, has_next = paginate(rows, page, per_page)
    return page_out([_insight(i) for i in items], count, page, per_page, has_next)


@router.get(
    "/roadmaps",
    response={200: list[RoadmapOut], **READ_ERRORS},
    tags=[TAG],
    summary="ロードマップの一覧（項目と期限超過の印つき）",
)
def roadmap_list(
    request: HttpRequest,
    municipality: Annotated[
        str | None, Query(max_length=6, description="市町村コード（6桁）")
    ] = None,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    rows = selectors.roadmap_list_visible_to(user=user).prefetch_related(
        "milestones__owner_organisation"
    )
    chosen = municipality_filter(municipality)
    if chosen is not None:
        rows = rows.filter(municipality=chosen)
    return [_roadmap(r) for r in rows.order_by("municipality__code", "first_fiscal_year", "pk")]


@router.get(
    "/roadmaps/{roadmap_id}",
    response={200: RoadmapOut, **READ_ERRORS},
    tags=[TAG],
    summary="ロードマップの詳細",
)
def roadmap_detail(request: HttpRequest, roadmap_id: RecordId) -> Any:
    return _roadmap(selectors.roadmap_get_for_user(user=request.auth, pk=roadmap_id))  # type: ignore[attr-defined]


@router.get(
    "/{engagement_id}",
    response={200: EngagementOut, **READ_ERRORS},
    tags=[TAG],
    summary="伴走的支援の詳細（訪問・参加者・気づき・関わりの広がり・状態の履歴）",
    description="見えない支援は、存在していても 404 になります。",
)
def engagement_detail(request: HttpRequest, engagement_id: RecordId) -> Any:
    return _detail(engagement_id, request.auth)  # type: ignore[attr-defined]


@router.get(
    "/{engagement_id}/visits",
    response={200: list[VisitOut], **READ_ERRORS},
    tags=[TAG],
    summary="訪問の一覧（参加者つき）",
)
def visit_list(request: HttpRequest, engagement_id: RecordId) -> Any:
    engagement = selectors.engagement_get_for_user(user=request.auth, pk=engagement_id)  # type: ignore[attr-defined]
    return [_visit(v) for v in sorted(engagement.visits.all(), key=lambda v: v.number)]


@router.post(
    "/{engagement_id}/transitions",
    response={200: EngagementOut, **WRITE_ERRORS},
    tags=[TAG],
    summary="状態の変更",
    description="「停滞」には理由（reason）が必要です。許されない変更は 400（code: bad_transition）。",
)
def engagement_transition(request: HttpRequest, engagement_id: RecordId, body: TransitionIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    engagement = selectors.engagement_get_for_user(user=user, pk=engagement_id)
    call_service(
        services.engagement_transition,
        Engagement,
        {},
        engagement=engagement,
        to=body.to.value,
        reason=body.reason,
        actor=user,
    )
    return _detail(engagement_id, user)


@router.post(
    "/{engagement_id}/visits",
    response={201: VisitOut, **WRITE_ERRORS},
    tags=[TAG],
    summary="訪問の記録（参加者つき）",
    description="回（number）を省略すると次の回になります。アドバイザーも記録できます。",
)
def visit_create(request: HttpRequest, engagement_id: RecordId, body: VisitIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    engagement = selectors.engagement_get_for_user(user=user, pk=engagement_id)
    if not permissions.can_record_visit(user, engagement):
        raise PermissionDenied()
    participants = [
        ParticipantFields(
            kind=p.kind.value,
            department=p.department,
            organisation_name=p.organisation_name,
            organisation_type=p.organisation_type.value if p.organisation_type else "",
            person_name=p.person_name,
            headcount=p.headcount,
        )
        for p in body.participants
    ]
    visit = call_service(
        services.visit_record,
        Visit,
        {},
        engagement=engagement,
        fields=fields_from(VisitFields, body.dict(exclude={"participants"})),
        participants=participants,
        actor=user,
    )
    return Status(201, _visit(selectors.visit_get_for_user(user=user, pk=visit.pk)))


@router.post(
    "/{engagement_id}/insights",
    response={201: InsightOut, **WRITE_ERRORS},
    tags=[TAG],
    summary="気づきの記録",
)
def insight_create(request: HttpRequest, engagement_id: RecordId, body: InsightIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    engagement = selectors.engagement_get_for_user(user=user, pk=engagement_id)
    if not permissions.can_record_visit(user, engagement):
        raise PermissionDenied()
    visit = None
    if body.visit_number is not None:
        visit = engagement.visits.filter(number=body.visit_number).first()
        if visit is None:
            raise ApiValidationError(
                [
                    FieldError(
                        "visit_number",
                        "訪問の回",
                        f"第{body.visit_number}回の訪問は記録されていません。",
                    )
                ]
            )
    insight = call_service(
        services.insight_add,
        Insight,
        {},
        engagement=engagement,
        text=body.text,
        realised_by=body.realised_by,
        visit=visit,
        tags=body.tags,
        actor=user,
    )
    insight = (
        Insight.objects.select_related("engagement__municipality", "visit")
        .prefetch_related("tags", "organisations")
        .get(pk=insight.pk)
    )
    return Status(201, _insight(insight))
