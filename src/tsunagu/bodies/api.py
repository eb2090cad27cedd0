"""Bodies API router (/api/v1/bodies/): consultative bodies, members, meetings, action items.

Every operation needs a signed-in user (session or API token, see
:mod:`tsunagu.core.api.auth`) and is scoped exactly like the pages: reads go through
:mod:`tsunagu.bodies.selectors`, writes through :mod:`tsunagu.bodies.services` (which check
permissions and write the history). A record of another municipality answers 404 whether or
not it exists; one the user may see but not change answers 403. Ids sent in a request
(organisations, people, areas, issues …) are looked up among what the same page would offer,
so a foreign id is reported on its field (422) rather than silently linked.

Shared plumbing (errors, paging, references, ``call_service``) is the API kit of
:mod:`tsunagu.core.api`.

One module (~860 lines) on purpose: the operations share the serialisers above them and the
route order matters (literal paths before ``/{body_id}``), which one router keeps visible.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from tsunagu.accounts.permissions import can_edit
from tsunagu.areas.models import Municipality
from tsunagu.areas.references import AreaReferences, municipality_filter
from tsunagu.bodies import selectors, services
from tsunagu.bodies.embed import action_item_out
from tsunagu.bodies.extensions import action_item_issues
from tsunagu.bodies.models import (
    ActionItem,
    ActionItemStatus,
    BodyKind,
    BodyMember,
    BodyStatus,
    ConsultativeBody,
    Meeting,
    MeetingStatus,
)
from tsunagu.bodies.schemas import (
    ActionItemCreateIn,
    ActionItemOut,
    ActionItemPage,
    ActionItemUpdateIn,
    AttendanceIn,
    BodyCreateIn,
    BodyOut,
    BodyPage,
    BodyUpdateIn,
    DecisionIn,
    DecisionOut,
    MeetingCreateIn,
    MeetingOut,
    MeetingPage,
    MeetingSeriesIn,
    MeetingSummaryOut,
    MeetingUpdateIn,
    MemberEndIn,
    MemberIn,
    MemberOut,
)
from tsunagu.bodies.services import ActionItemFields, BodyFields, MeetingFields
from tsunagu.core.api.errors import READ_ERRORS, WRITE_ERRORS
from tsunagu.core.api.paging import (
    PageNumber,
    PerPage,
    page_out,
    paginate,
)
from tsunagu.core.api.refs import label, local, municipality_ref, normalise, ref
from tsunagu.core.api.schemas import MAX_ID
from tsunagu.core.api.services import call_service
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.fields import fields_from
from tsunagu.directory import selectors as directory_selectors

router = Router()

RecordId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="ID")]

TAG_BODIES = "会議体（協議体・地域ケア会議など）"
TAG_MEETINGS = "会議（出席・議事録・決定事項）"
TAG_ACTIONS = "宿題（アクション）"

UPCOMING_MEETINGS_SHOWN = 12

# Model field -> API field, for errors raised by the models and services.
BODY_FIELDS = {
    "daily_life_area": "daily_life_area_id",
    "district": "district_id",
    "parent": "parent_id",
    "host_organisation": "host_organisation_id",
    "secretariat": "secretariat_id",
    "coordinator": "coordinator_id",
    "municipality": "municipality_code",
}
MEMBER_FIELDS = {
    "organisation": "organisation_id",
    "person": "person_id",
    "district": "district_id",
}
MEETING_FIELDS = {"facilitator": "facilitator_id", "first_starts_at": "first_starts_at"}
ACTION_FIELDS = {
    "owner_person": "owner_person_id",
    "owner_organisation": "owner_organisation_id",
    "regional_issue": "regional_issue_id",
    "meeting": "meeting_id",
}


# --- what the pages offer --------------------------------------------------------------


def _organisations(user: Any, municipality: Any) -> QuerySet[Any]:
    return directory_selectors.organisation_list_visible_to(user=user).filter(
        municipality=municipality
    )


def _people(user: Any, municipality: Any) -> QuerySet[Any]:
    return directory_selectors.person_list_visible_to(user=user).filter(municipality=municipality)


def _issues(user: Any, municipality: Any) -> QuerySet[Any]:
    return action_item_issues(user=user, municipality=municipality)


# --- serialisation ---------------------------------------------------------------------


def _member_out(member: BodyMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "organisation": ref(member.organisation),
        "person": ref(member.person),
        "role": member.role,
        "role_label": label(member, "role"),
        "district": ref(member.district),
        "age_band": member.age_band,
        "age_band_label": label(member, "age_band"),
        "gender": member.gender,
        "gender_label": label(member, "gender"),
        "starts_on": member.starts_on,
        "ends_on": member.ends_on,
        "is_current": member.is_current,
    }


def _meeting_summary(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "body": {"id": meeting.body_id, "name": meeting.body.name},
        "title": meeting.title,
        "display_title": str(meeting),
        "starts_at": local(meeting.starts_at),
        "ends_at": local(meeting.ends_at),
        "place": meeting.place,
        "status": meeting.status,
        "status_label": label(meeting, "status"),
        "facilitator": ref(meeting.facilitator),
        "series_key": meeting.series_key,
    }


def _meeting_out(meeting: Meeting, user: Any) -> dict[str, Any]:
    return {
        **_meeting_summary(meeting),
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "next_meeting_note": meeting.next_meeting_note,
        "attendance": [
            {
                "id": row.pk,
                "person": ref(row.person),
                "organisation": ref(row.organisation),
                "guest_name": row.guest_name,
                "present": row.present,
                "note": row.note,
            }
            for row in meeting.attendance.all()
        ],
        "decisions": [
            {"id": d.pk, "text": d.text, "order": d.order} for d in meeting.decisions.all()
        ],
        "action_items": [
            action_item_out(item, user)
            for item in meeting.action_items.select_related(
                "body__municipality",
                "meeting__body",
                "owner_person",
                "owner_organisation",
                "regional_issue",
            ).order_by("status", "due_on", "id")
        ],
        "attachments": [
            {"id": a.pk, "title": a.title, "uploaded_at": local(a.uploaded_at)}
            for a in meeting.attachments.all()
        ],
        "created_at": local(meeting.created_at),
        "updated_at": local(meeting.updated_at),
        "can_edit": can_edit(user, meeting),
    }


def _body_summary(body: ConsultativeBody, user: Any) -> dict[str, Any]:
    return {
        "id": body.pk,
        "name": body.name,
        "kind": body.kind,
        "kind_label": label(body, "kind"),
        "layer": body.layer,
        "status": body.status,
        "status_label": label(body, "status"),
        "municipality": municipality_ref(body.municipality),
        "daily_life_area": ref(body.daily_life_area),
        "district": ref(body.district),
        "parent": ref(body.parent),
        "is_resident_led": body.is_resident_led,
        "meeting_frequency": body.meeting_frequency,
        "meeting_count": getattr(body, "meeting_count", 0) or 0,
        "next_meeting_at": local(getattr(body, "next_meeting_at", None)),
        "open_action_count": getattr(body, "open_action_count", 0) or 0,
        "overdue_action_count": getattr(body, "overdue_action_count", 0) or 0,
        "can_edit": can_edit(user, body),
    }


def _body_detail(pk: int, user: Any) -> dict[str, Any]:
    body = selectors.body_get_for_user(user=user, pk=pk)
    summary = selectors.with_schedule_summary(
        selectors.body_list_visible_to(user=user).filter(pk=body.pk)
    ).first()
    for name in ("meeting_count", "next_meeting_at", "open_action_count", "overdue_action_count"):
        setattr(body, name, getattr(summary, name, None))
    members = selectors.members_of(body).order_by("role", "starts_on", "id")
    upcoming = (
        body.meetings.select_related("body", "facilitator")
        .filter(starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")[:UPCOMING_MEETINGS_SHOWN]
    )
    open_items = (
        selectors.action_item_list_visible_to(user=user)
        .filter(body=body, status__in=selectors.OPEN_ACTION_STATUSES)
        .select_related("body__municipality", "meeting__body")
        .order_by("due_on", "id")
    )
    children = selectors.body_list_visible_to(user=user).filter(parent=body).order_by("name")
    return {
        **_body_summary(body, user),
        "purpose": body.purpose,
        "host_organisation": ref(body.host_organisation),
        "secretariat": ref(body.secretariat),
        "coordinator": ref(body.coordinator),
        "established_on": body.established_on,
        "source": body.source,
        "members": [_member_out(m) for m in members],
        "upcoming_meetings": [_meeting_summary(m) for m in upcoming],
        "open_action_items": [action_item_out(item, user) for item in open_items],
        "children": [ref(child) for child in children],
        "created_at": local(body.created_at),
        "updated_at": local(body.updated_at),
    }


def _meeting_response(pk: int, user: Any) -> dict[str, Any]:
    return _meeting_out(selectors.meeting_get_for_user(user=user, pk=pk), user)


def _action_item_response(pk: int, user: Any) -> dict[str, Any]:
    item = (
        selectors.action_item_list_visible_to(user=user)
        .select_related("body__municipality", "meeting__body")
        .get(pk=pk)
    )
    return action_item_out(item, user)


# --- turning requests into service field sets ------------------------------------------------


def _body_data(
    user: Any,
    payload: BodyCreateIn | BodyUpdateIn,
    municipality: Municipality,
    *,
    refs: AreaReferences,
    body: ConsultativeBody | None = None,
) -> BodyFields:
    values: dict[str, Any] = {}
    organisations = _organisations(user, municipality)
    parents = selectors.parent_choices(user=user, municipality=municipality, body=body)
    for name, value in payload.model_dump(exclude_unset=True).items():
        if name == "municipality_code":
            continue
        if name == "daily_life_area_id":
            values["daily_life_area"] = refs.pick(
                name, municipality.daily_life_areas.all(), value, _("日常生活圏域")
            )
        elif name == "district_id":
            values["district"] = refs.pick(name, municipality.districts.all(), value, _("地区"))
        elif name == "parent_id":
            values["parent"] = refs.pick(name, parents, value, _("上位の会議体"))
        elif name == "host_organisation_id":
            values["host_organisation"] = refs.pick(name, organisations, value, _("団体・組織"))
        elif name == "secretariat_id":
            values["secretariat"] = refs.pick(name, organisations, value, _("団体・組織"))
        elif name == "coordinator_id":
            values["coordinator"] = refs.pick(name, _people(user, municipality), value, _("人"))
        else:
            refs.plain(ConsultativeBody, name, value, values)
    refs.finish()
    return fields_from(BodyFields, values)


def _meeting_data(
    user: Any, payload: MeetingCreateIn | MeetingUpdateIn, body: ConsultativeBody
) -> MeetingFields:
    refs = AreaReferences("meeting")
    values: dict[str, Any] = {}
    for name, value in payload.model_dump(exclude_unset=True).items():
        if name == "facilitator_id":
            values["facilitator"] = refs.pick(
                name, _people(user, body.municipality), value, _("進行役")
            )
        else:
            refs.plain(Meeting, name, value, values)
    refs.finish()
    return fields_from(MeetingFields, values)


def _action_item_data(
    user: Any, payload: ActionItemCreateIn | ActionItemUpdateIn, body: ConsultativeBody
) -> ActionItemFields:
    refs = AreaReferences("item")
    values: dict[str, Any] = {}
    municipality = body.municipality
    for name, value in payload.model_dump(exclude_unset=True).items():
        if name == "owner_person_id":
            values["owner_person"] = refs.pick(
                name, _people(user, municipality), value, _("担当者")
            )
        elif name == "owner_organisation_id":
            values["owner_organisation"] = refs.pick(
                name, _organisations(user, municipality), value, _("担当団体・部署")
            )
        elif name == "regional_issue_id":
            values["regional_issue"] = refs.pick(
                name, _issues(user, municipality), value, _("地域課題")
            )
        elif name == "meeting_id":
            values["meeting"] = refs.pick(name, body.meetings.all(), value, _("会議"))
        else:
            refs.plain(ActionItem, name, value, values)
    refs.finish()
    return fields_from(ActionItemFields, values)


# --- action items (before /{body_id} so that the literal paths match first) ------------


@router.get(
    "/action-items",
    response={200: ActionItemPage, **READ_ERRORS},
    tags=[TAG_ACTIONS],
    summary="宿題の一覧",
    description=(
        "利用者が見られる会議体の宿題を、期限切れ → 期限の近い順 → 期限なし の順に返します。"
        "overdue=true で期限を過ぎた未完了の宿題だけにします。"
    ),
)
def action_item_list(
    request: HttpRequest,
    status: Annotated[ActionItemStatus | None, Query(description="状態")] = None,
    overdue: Annotated[bool, Query(description="期限を過ぎた未完了の宿題だけ")] = False,
    body_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="会議体の ID")] = None,
    municipality: Annotated[
        str | None, Query(max_length=6, description="市町村コード（6桁）")
    ] = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    today = timezone.localdate()
    chosen = municipality_filter(municipality)
    items = (
        selectors.overdue_action_items(user=user, today=today)
        if overdue
        else selectors.action_item_list_visible_to(user=user)
    )
    if status:
        items = items.filter(status=status)
    if body_id is not None:
        items = items.filter(body_id=body_id)
    if chosen is not None:
        items = items.filter(body__municipality=chosen)
    items = (
        items.select_related("body__municipality", "meeting__body")
        .annotate(
            overdue_first=Case(
                When(status__in=selectors.OPEN_ACTION_STATUSES, due_on__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            undated=Case(
                When(due_on__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("overdue_first", "undated", "due_on", "body__name", "id")
    )
    rows, count, has_next = paginate(items, page, per_page)
    return page_out([action_item_out(i, user) for i in rows], count, page, per_page, has_next)


@router.get(
    "/action-items/{item_id}",
    response={200: ActionItemOut, **READ_ERRORS},
    tags=[TAG_ACTIONS],
    summary="宿題の詳細",
)
def action_item_detail(request: HttpRequest, item_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    item = selectors.action_item_get_for_user(user=user, pk=item_id)
    return _action_item_response(item.pk, user)


@router.patch(
    "/action-items/{item_id}",
    response={200: ActionItemOut, **WRITE_ERRORS},
    tags=[TAG_ACTIONS],
    summary="宿題の変更（状態の更新など）",
    description=(
        "送った項目だけを変更します。状態を done（完了）にすると完了日が今日になります。"
        "変更履歴が記録されます。"
    ),
)
def action_item_update(request: HttpRequest, item_id: RecordId, item: ActionItemUpdateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.action_item_get_for_user(user=user, pk=item_id)
    if not can_edit(user, instance):
        raise PermissionDenied()
    fields = _action_item_data(user, item, instance.body)
    call_service(
        services.action_item_update,
        ActionItem,
        ACTION_FIELDS,
        item=instance,
        fields=fields,
        actor=user,
    )
    return _action_item_response(instance.pk, user)


# --- meetings --------------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, **READ_ERRORS},
    tags=[TAG_MEETINGS],
    summary="会議の詳細（出席・決定事項・宿題）",
)
def meeting_detail(request: HttpRequest, meeting_id: RecordId) -> Any:
    return _meeting_response(meeting_id, request.auth)  # type: ignore[attr-defined]


@router.patch(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, **WRITE_ERRORS},
    tags=[TAG_MEETINGS],
    summary="会議の変更（日時・議題・議事録・状態など）",
    description=(
        "送った項目だけを変更します。議事録（minutes）は Markdown です。開催後は "
        "status を held（開催済み）にします。変更履歴が記録されます。"
    ),
)
def meeting_update(request: HttpRequest, meeting_id: RecordId, meeting: MeetingUpdateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.meeting_get_for_user(user=user, pk=meeting_id)
    if not can_edit(user, instance):
        raise PermissionDenied()
    fields = _meeting_data(user, meeting, instance.body)
    call_service(
        services.meeting_update,
        Meeting,
        MEETING_FIELDS,
        meeting=instance,
        fields=fields,
        actor=user,
    )
    return _meeting_response(instance.pk, user)


@router.put(
    "/meetings/{meeting_id}/attendance",
    response={200: MeetingOut, **WRITE_ERRORS},
    tags=[TAG_MEETINGS],
    summary="出席の記録",
    description=(
        "会議の出席者の一覧を、送った一覧で置き換えます。各行は人（person_id）、"
        "代表する団体・部署（organisation_id）、名簿にないゲストの氏名（guest_name）の"
        "いずれかを含みます。欠席は present=false で記録します。会議の変更履歴に残ります。"
    ),
)
def meeting_attendance(request: HttpRequest, meeting_id: RecordId, attendance: AttendanceIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.meeting_get_for_user(user=user, pk=meeting_id)
    if not can_edit(user, instance):
        raise PermissionDenied()
    body = instance.body
    refs = AreaReferences("attendance")
    # Members sit in the body even when their directory entry belongs elsewhere.
    people = directory_selectors.person_list_visible_to(user=user).filter(
        Q(municipality=body.municipality) | Q(body_seats__body=body)
    )
    organisations = directory_selectors.organisation_list_visible_to(user=user).filter(
        Q(municipality=body.municipality) | Q(body_seats__body=body)
    )
    entries = []
    for index, row in enumerate(attendance.attendance):
        entries.append(
            {
                "person": refs.pick(
                    f"attendance.{index}.person_id", people.distinct(), row.person_id, _("人")
                ),
                "organisation": refs.pick(
                    f"attendance.{index}.organisation_id",
                    organisations.distinct(),
                    row.organisation_id,
                    _("団体・部署"),
                ),
                "guest_name": row.guest_name,
                "present": row.present,
                "note": row.note,
            }
        )
    refs.finish()
    call_service(
        services.meeting_record_attendance,
        Meeting,
        {},
        meeting=instance,
        entries=entries,
        actor=user,
    )
    return _meeting_response(instance.pk, user)


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut, **WRITE_ERRORS},
    tags=[TAG_MEETINGS],
    summary="決定事項の追加",
    description="会議の決定事項を1件、末尾に追加します。変更履歴が記録されます。",
)
def decision_add(request: HttpRequest, meeting_id: RecordId, decision: DecisionIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.meeting_get_for_user(user=user, pk=meeting_id)
    created = call_service(
        services.decision_add, Meeting, {}, meeting=instance, text=decision.text, actor=user
    )
    return Status(201, {"id": created.pk, "text": created.text, "order": created.order})


# --- members ---------------------------------------------------------------------------


@router.post(
    "/members/{member_id}/end",
    response={200: MemberOut, **WRITE_ERRORS},
    tags=[TAG_BODIES],
    summary="構成員の任期の終了",
    description=(
        "人事異動や改選で任期を終えた構成員に終了日を記録します。記録は削除されず、"
        "過去の構成員（is_current=false）として残ります。"
    ),
)
def member_end(request: HttpRequest, member_id: RecordId, term: MemberEndIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    member = selectors.member_get_for_user(user=user, pk=member_id)
    call_service(
        services.member_end,
        BodyMember,
        MEMBER_FIELDS,
        member=member,
        ends_on=term.ends_on,
        actor=user,
    )
    return _member_out(
        BodyMember.objects.select_related("organisation", "person", "district").get(pk=member.pk)
    )


# --- bodies ----------------------------------------------------------------------------


@router.get(
    "",
    response={200: BodyPage, **READ_ERRORS},
    tags=[TAG_BODIES],
    summary="会議体の一覧",
    description=(
        "利用者の市町村の会議体（協議体、地域ケア会議、定例会など）を返します。"
        "他の市町村の会議体は含まれません。"
    ),
)
def body_list(
    request: HttpRequest,
    kind: Annotated[BodyKind | None, Query(description="種類")] = None,
    municipality: Annotated[
        str | None, Query(max_length=6, description="市町村コード（6桁、例: 406015）")
    ] = None,
    status: Annotated[BodyStatus | None, Query(description="状態")] = None,
    q: Annotated[str, Query(max_length=100, description="名称の一部")] = "",
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    chosen = municipality_filter(municipality)
    bodies = selectors.body_list_visible_to(user=user)
    if kind:
        bodies = bodies.filter(kind=kind)
    if chosen is not None:
        bodies = bodies.filter(municipality=chosen)
    if status:
        bodies = bodies.filter(status=status)
    if normalise(q):
        bodies = bodies.filter(name__icontains=normalise(q))
    bodies = selectors.with_schedule_summary(bodies).order_by(
        "municipality__code", "kind", "name", "pk"
    )
    rows, count, has_next = paginate(bodies, page, per_page)
    return page_out([_body_summary(b, user) for b in rows], count, page, per_page, has_next)


@router.post(
    "",
    response={201: BodyOut, **WRITE_ERRORS},
    tags=[TAG_BODIES],
    summary="会議体の登録",
    description=(
        "名称（name）と種類（kind）は必須です。市町村（municipality_code）を省略すると、"
        "利用者が編集できる市町村が1つだけならその市町村になります。変更履歴が記録されます。"
    ),
)
def body_create(request: HttpRequest, body: BodyCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    refs = AreaReferences("body")
    municipality = refs.municipality("municipality_code", body.municipality_code, user=user)
    if municipality is None:
        refs.finish()
    if not can_edit(user, municipality):
        raise PermissionDenied()
    fields = _body_data(user, body, municipality, refs=refs)  # type: ignore[arg-type]
    created = call_service(
        services.body_create,
        ConsultativeBody,
        BODY_FIELDS,
        municipality=municipality,
        fields=fields,
        actor=user,
    )
    return Status(201, _body_detail(created.pk, user))


@router.get(
    "/{body_id}",
    response={200: BodyOut, **READ_ERRORS},
    tags=[TAG_BODIES],
    summary="会議体の詳細（構成員・これからの会議・未完了の宿題）",
    description="他の市町村の会議体は、存在していても 404 になります。",
)
def body_detail(request: HttpRequest, body_id: RecordId) -> Any:
    return _body_detail(body_id, request.auth)  # type: ignore[attr-defined]


@router.patch(
    "/{body_id}",
    response={200: BodyOut, **WRITE_ERRORS},
    tags=[TAG_BODIES],
    summary="会議体の変更",
    description="送った項目だけを変更します。null を送るとその項目を空にします。",
)
def body_update(request: HttpRequest, body_id: RecordId, body: BodyUpdateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.body_get_for_user(user=user, pk=body_id)
    if not can_edit(user, instance):
        raise PermissionDenied()
    fields = _body_data(
        user, body, instance.municipality, refs=AreaReferences("body"), body=instance
    )
    call_service(
        services.body_update,
        ConsultativeBody,
        BODY_FIELDS,
        body=instance,
        fields=fields,
        actor=user,
    )
    return _body_detail(instance.pk, user)


@router.post(
    "/{body_id}/members",
    response={201: MemberOut, **WRITE_ERRORS},
    tags=[TAG_BODIES],
    summary="構成員の追加",
    description=(
        "団体（organisation_id）、人（person_id）、または団体を代表する人（両方）を、"
        "役割と任期とともに追加します。年代・性別は構成のバランス確認に使います（任意）。"
    ),
)
def member_add(request: HttpRequest, body_id: RecordId, member: MemberIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    body = selectors.body_get_for_user(user=user, pk=body_id)
    if not can_edit(user, body):
        raise PermissionDenied()
    refs = AreaReferences("member")
    organisation = refs.pick(
        "organisation_id",
        _organisations(user, body.municipality),
        member.organisation_id,
        _("団体・組織"),
    )
    person = refs.pick("person_id", _people(user, body.municipality), member.person_id, _("人"))
    district = refs.pick(
        "district_id", body.municipality.districts.all(), member.district_id, _("地区")
    )
    refs.finish()
    created = call_service(
        services.member_add,
        BodyMember,
        MEMBER_FIELDS,
        body=body,
        actor=user,
        organisation=organisation,
        person=person,
        role=member.role.value,
        district=district,
        age_band=member.age_band.value if member.age_band else "",
        gender=member.gender.value if member.gender else "",
        starts_on=member.starts_on,
        ends_on=member.ends_on,
    )
    return Status(
        201,
        _member_out(
            BodyMember.objects.select_related("organisation", "person", "district").get(
                pk=created.pk
            )
        ),
    )


@router.get(
    "/{body_id}/meetings",
    response={200: MeetingPage, **READ_ERRORS},
    tags=[TAG_MEETINGS],
    summary="会議体の会議の一覧",
    description="新しい順に返します。since / until で開催日の範囲を絞れます（日本時間の日付）。",
)
def meeting_list(
    request: HttpRequest,
    body_id: RecordId,
    since: Annotated[
        datetime.date | None, Query(description="この日以降（例: 2025-04-01）")
    ] = None,
    until: Annotated[
        datetime.date | None, Query(description="この日まで（例: 2026-03-31）")
    ] = None,
    status: Annotated[MeetingStatus | None, Query(description="状態")] = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    body = selectors.body_get_for_user(user=user, pk=body_id)
    meetings = body.meetings.select_related("body", "facilitator")
    if since is not None:
        meetings = meetings.filter(
            starts_at__gte=timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
        )
    if until is not None:
        meetings = meetings.filter(
            starts_at__lt=timezone.make_aware(
                datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time())
            )
        )
    if status:
        meetings = meetings.filter(status=status)
    rows, count, has_next = paginate(meetings.order_by("-starts_at", "-pk"), page, per_page)
    return page_out([_meeting_summary(m) for m in rows], count, page, per_page, has_next)


@router.post(
    "/{body_id}/meetings",
    response={201: MeetingOut, **WRITE_ERRORS},
    tags=[TAG_MEETINGS],
    summary="会議の登録（1回）",
    description="開始日時（starts_at）は必須です。変更履歴が記録されます。",
)
def meeting_create(request: HttpRequest, body_id: RecordId, meeting: MeetingCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    body = selectors.body_get_for_user(user=user, pk=body_id)
    if not can_edit(user, body):
        raise PermissionDenied()
    fields = _meeting_data(user, meeting, body)
    created = call_service(
        services.meeting_schedule, Meeting, MEETING_FIELDS, body=body, fields=fields, actor=user
    )
    return Status(201, _meeting_response(created.pk, user))


@router.post(
    "/{body_id}/meetings/series",
    response={201: list[MeetingSummaryOut], **WRITE_ERRORS},
    tags=[TAG_MEETINGS],
    summary="定例の会議をまとめて登録",
    description=(
        "月1回の定例会などを、第1回の開始日時から count 回分登録します。"
        "pattern=weekday なら毎月同じ週の同じ曜日（例: 第3木曜日）、day なら毎月同じ日です。"
        "各回の変更履歴が記録されます。"
    ),
)
def meeting_series(request: HttpRequest, body_id: RecordId, series: MeetingSeriesIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    body = selectors.body_get_for_user(user=user, pk=body_id)
    created = call_service(
        services.meeting_schedule_series,
        Meeting,
        MEETING_FIELDS,
        body=body,
        first_starts_at=series.first_starts_at,
        count=series.count,
        actor=user,
        duration=datetime.timedelta(minutes=series.duration_minutes),
        place=series.place,
        monthly_by_weekday=series.pattern == "weekday",
    )
    meetings = Meeting.objects.select_related("body", "facilitator").filter(
        pk__in=[m.pk for m in created]
    )
    return Status(201, [_meeting_summary(m) for m in meetings.order_by("starts_at")])


@router.post(
    "/{body_id}/action-items",
    response={201: ActionItemOut, **WRITE_ERRORS},
    tags=[TAG_ACTIONS],
    summary="宿題の登録",
    description=(
        "内容（title）と、担当者（owner_person_id）か担当団体・部署（owner_organisation_id）の"
        "少なくとも一方が必要です。会議で決めた宿題は meeting_id を指定します。"
    ),
)
def action_item_create(request: HttpRequest, body_id: RecordId, item: ActionItemCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    body = selectors.body_get_for_user(user=user, pk=body_id)
    if not can_edit(user, body):
        raise PermissionDenied()
    fields = _action_item_data(user, item, body)
    created = call_service(
        services.action_item_create, ActionItem, ACTION_FIELDS, body=body, fields=fields, actor=user
    )
    return Status(201, _action_item_response(created.pk, user))
