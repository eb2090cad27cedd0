"""Regional-issue API router (/api/v1/issues/): issues (地域課題), stage changes with their
gates, executing actors, ideas and comments.

Scoped exactly like the pages: reads through :mod:`tsunagu.regional_issues.selectors`
(another municipality's issue answers 404 whether or not it exists), writes through
:mod:`tsunagu.regional_issues.services`, which check permissions (403), enforce the stage
gates and write the history. A refused stage change answers 400 with the error code of
:mod:`tsunagu.regional_issues.errors` (``no_executing_actor``, ``no_target``,
``no_start_date``, ``reason_required``, ``same_stage``) and the Japanese message; a gate
refusal lists every missing condition in ``errors``, each with its own code and field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from tsunagu.accounts.permissions import can_edit
from tsunagu.areas.models import DailyLifeArea, District, Municipality
from tsunagu.areas.references import AreaReferences, municipality_filter
from tsunagu.bodies import selectors as body_selectors
from tsunagu.bodies.embed import action_item_out
from tsunagu.core.api.errors import READ_ERRORS, WRITE_ERRORS, ApiValidationError, FieldError
from tsunagu.core.api.paging import PageNumber, PerPage, page_out, paginate
from tsunagu.core.api.refs import label, local, municipality_ref, normalise, ref
from tsunagu.core.api.schemas import MAX_ID
from tsunagu.core.api.services import call_service
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.fields import fields_from
from tsunagu.directory.selectors import resource_list_visible_to
from tsunagu.regional_issues import errors, flags, selectors, services
from tsunagu.regional_issues.forms import directory_organisations, directory_people
from tsunagu.regional_issues.models import (
    Comment,
    ExecutingActor,
    Idea,
    IssueStage,
    RegionalIssue,
    StageChange,
    Theme,
)
from tsunagu.regional_issues.permissions import can_comment
from tsunagu.regional_issues.schemas import (
    FLAGS_HELP,
    CommentIn,
    CommentOut,
    ExecutingActorEndIn,
    ExecutingActorIn,
    ExecutingActorOut,
    IdeaIn,
    IdeaOut,
    IssueCreateIn,
    IssueOut,
    IssuePage,
    IssueUpdateIn,
    StageChangeIn,
    StageChangeOut,
    ThemeOut,
)
from tsunagu.regional_issues.services import IssueFields

router = Router()

RecordId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="ID")]

TAG_ISSUES = "地域課題"
TAG_STAGES = "地域課題の段階"
TAG_WORK = "実行主体・アイディア・コメント"

MAX_PER_PAGE = 100
PAGE_HELP = "ページ番号（1から）"
PER_PAGE_HELP = f"1ページの件数（最大{MAX_PER_PAGE}）"

ISSUE_FIELDS = {
    "body": "body_id",
    "source_meeting": "source_meeting_id",
    "raised_by_organisation": "raised_by_organisation_id",
    "raised_by_person": "raised_by_person_id",
    "themes": "theme_codes",
    "daily_life_areas": "daily_life_area_ids",
    "districts": "district_ids",
    "resources": "resource_ids",
    "organisations": "organisation_ids",
    "municipality": "municipality_code",
}
IDEA_FIELDS = {
    "proposer_person": "proposer_person_id",
    "proposer_organisation": "proposer_organisation_id",
    "meeting": "meeting_id",
}
ACTOR_FIELDS = {"organisation": "organisation_id"}
# Where a client fixes what a stage gate found missing.
GATE_FIELDS = {
    errors.NO_EXECUTING_ACTOR: ("executing_actors", "実行主体"),
    errors.NO_TARGET: ("target", "対象（誰に・どの地域で）"),
    errors.NO_START_DATE: ("started_on", "実行開始日"),
}
STAGE_LABELS = dict(IssueStage.choices)


# --- serialisation ---------------------------------------------------------------------


def _flag_codes(issues: QuerySet[RegionalIssue]) -> dict[int, list[str]]:
    """Flag codes per issue (unassigned, stale), a few queries for a whole page."""
    result: dict[int, list[str]] = {}
    for code in (flags.FLAG_UNASSIGNED, flags.FLAG_STALE):
        for pk in flags.flagged_ids(issues, code):
            result.setdefault(pk, []).append(code)
    return result


def _stage_label(value: str) -> str:
    return str(STAGE_LABELS.get(value, value)) if value else ""


def _meeting_ref(meeting: Any) -> dict[str, Any] | None:
    if meeting is None:
        return None
    return {"id": meeting.pk, "name": str(meeting), "starts_at": local(meeting.starts_at)}


def _summary(issue: RegionalIssue, user: Any, codes: list[str]) -> dict[str, Any]:
    return {
        "id": issue.pk,
        "title": issue.title,
        "municipality": municipality_ref(issue.municipality),
        "stage": issue.stage,
        "stage_label": _stage_label(issue.stage),
        "held_from_stage": issue.held_from_stage,
        "held_from_stage_label": _stage_label(issue.held_from_stage),
        "stage_entered_at": local(issue.stage_entered_at),
        "themes": [
            {"code": t.code, "name": t.name, "name_en": t.name_en} for t in issue.themes.all()
        ],
        "daily_life_areas": [ref(a) for a in issue.daily_life_areas.all()],
        "districts": [ref(d) for d in issue.districts.all()],
        "body": ref(issue.body),
        "raised_on": issue.raised_on,
        "raised_by_organisation": ref(issue.raised_by_organisation),
        "flags": codes,
        "flag_labels": [flags.FLAG_LABELS[c] for c in codes],
        "updated_at": local(issue.updated_at),
        "can_edit": can_edit(user, issue),
    }


def _stage_change_out(change: StageChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "from_stage": change.from_stage,
        "from_stage_label": _stage_label(change.from_stage),
        "to_stage": change.to_stage,
        "to_stage_label": _stage_label(change.to_stage),
        "changed_at": local(change.changed_at),
        "changed_by": change.changed_by.display_name if change.changed_by else None,
        "reason": change.reason,
    }


def _idea_out(idea: Idea) -> dict[str, Any]:
    return {
        "id": idea.pk,
        "text": idea.text,
        "proposer_person": ref(idea.proposer_person),
        "proposer_organisation": ref(idea.proposer_organisation),
        "meeting": _meeting_ref(idea.meeting),
        "adopted_at": local(idea.adopted_at),
        "created_at": local(idea.created_at),
    }


def _actor_out(executing: ExecutingActor) -> dict[str, Any]:
    return {
        "id": executing.pk,
        "organisation": ref(executing.organisation),
        "role": executing.role,
        "agreed_on": executing.agreed_on,
        "ended_on": executing.ended_on,
        "is_active": executing.ended_on is None,
    }


def _comment_out(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author": comment.author.display_name,
        "text": comment.text,
        "created_at": local(comment.created_at),
    }


def _issue_detail(pk: int, user: Any) -> dict[str, Any]:
    issue = selectors.issue_get_for_user(user=user, pk=pk)
    codes = _flag_codes(RegionalIssue.objects.filter(pk=issue.pk)).get(issue.pk, [])
    ideas = issue.ideas.select_related(
        "proposer_person", "proposer_organisation", "meeting__body"
    ).order_by("created_at", "pk")
    items = (
        body_selectors.action_item_list_visible_to(user=user)
        .filter(regional_issue=issue)
        .select_related("body__municipality", "meeting__body")
        .order_by("status", "due_on", "pk")
    )
    return {
        **_summary(issue, user, codes),
        "description": issue.description,
        "source_kind": issue.source_kind,
        "source_kind_label": label(issue, "source_kind"),
        "source_meeting": _meeting_ref(issue.source_meeting),
        "source_note": issue.source_note,
        "raised_by_person": ref(issue.raised_by_person),
        "target": issue.target,
        "plan": issue.plan,
        "started_on": issue.started_on,
        "resources": [ref(r) for r in issue.resources.all()],
        "organisations": [ref(o) for o in issue.organisations.all()],
        "source": issue.source,
        "executing_actors": [_actor_out(a) for a in issue.executing_actors.all()],
        "stage_changes": [_stage_change_out(c) for c in issue.stage_changes.all()],
        "ideas": [_idea_out(i) for i in ideas],
        "comments": [_comment_out(c) for c in issue.comments.all()],
        "action_items": [action_item_out(item, user) for item in items],
        "created_at": local(issue.created_at),
        "can_comment": can_comment(user, issue),
    }


# --- turning requests into service data ------------------------------------------------


def _areas(
    refs: AreaReferences,
    field: str,
    model: type[DailyLifeArea] | type[District],
    ids: list[int] | None,
    municipality: Municipality,
) -> list[Any]:
    """Areas of the issue's municipality; another municipality's area is named in the error."""
    ids = list(dict.fromkeys(ids or []))
    found = {a.pk: a for a in model.objects.filter(pk__in=ids).select_related("municipality")}
    chosen = []
    for pk in ids:
        area = found.get(pk)
        if area is None:
            refs.error(field, _("ID %(id)s の区域が見つかりません。") % {"id": pk})
        elif area.municipality_id != municipality.pk:
            refs.error(
                field,
                _("「%(area)s」は%(municipality)sの区域ではありません。")
                % {"area": area.name, "municipality": municipality.name},
            )
        else:
            chosen.append(area)
    return chosen


def _themes(refs: AreaReferences, codes: list[str] | None) -> list[Theme]:
    codes = list(dict.fromkeys(normalise(c) for c in codes or []))
    found = {t.code: t for t in Theme.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        refs.error(
            "theme_codes",
            _("テーマのコード「%(codes)s」は登録されていません（GET /api/v1/issues/themes）。")
            % {"codes": "」「".join(unknown)},
        )
    return [found[c] for c in codes if c in found]


def _issue_data(
    user: Any,
    payload: IssueCreateIn | IssueUpdateIn,
    municipality: Municipality,
    refs: AreaReferences,
) -> dict[str, Any]:
    # The API's names turned into the service's (ids → records); an IssueFields is built from it.
    values: dict[str, Any] = {}
    organisations = directory_organisations(user, municipality)
    for name, value in payload.model_dump(exclude_unset=True).items():
        if name == "municipality_code":
            continue
        if name == "theme_codes":
            values["themes"] = _themes(refs, value)
        elif name == "daily_life_area_ids":
            values["daily_life_areas"] = _areas(refs, name, DailyLifeArea, value, municipality)
        elif name == "district_ids":
            values["districts"] = _areas(refs, name, District, value, municipality)
        elif name == "body_id":
            values["body"] = refs.pick(
                name,
                body_selectors.body_list_visible_to(user=user).filter(municipality=municipality),
                value,
                _("会議体"),
            )
        elif name == "source_meeting_id":
            values["source_meeting"] = refs.pick(
                name,
                body_selectors.meeting_list_visible_to(user=user).filter(
                    body__municipality=municipality
                ),
                value,
                _("会議"),
            )
        elif name == "raised_by_organisation_id":
            values["raised_by_organisation"] = refs.pick(name, organisations, value, _("団体"))
        elif name == "raised_by_person_id":
            values["raised_by_person"] = refs.pick(
                name, directory_people(user, municipality), value, _("人")
            )
        elif name == "resource_ids":
            values["resources"] = refs.pick_many(
                name,
                resource_list_visible_to(user=user).filter(municipality=municipality),
                value,
                _("地域資源"),
            )
        elif name == "organisation_ids":
            values["organisations"] = refs.pick_many(name, organisations, value, _("団体"))
        elif name in ("raised_on",) and value is None:
            refs.error(name, _("空（null）にはできません。"))
        else:
            refs.plain(RegionalIssue, name, value, values)
    refs.finish()
    return values


def _municipality_for_new_issue(user: Any, payload: IssueCreateIn, refs: AreaReferences) -> Any:
    """The code sent; else the municipality of the body or meeting; else the user's only one."""
    if payload.municipality_code:
        return refs.municipality("municipality_code", payload.municipality_code, user=user)
    if payload.source_meeting_id is not None:
        meeting = (
            body_selectors.meeting_list_visible_to(user=user)
            .filter(pk=payload.source_meeting_id)
            .select_related("body__municipality")
            .first()
        )
        if meeting is not None:
            return meeting.body.municipality
    if payload.body_id is not None:
        body = body_selectors.body_list_visible_to(user=user).filter(pk=payload.body_id).first()
        if body is not None:
            return body.municipality
    return refs.municipality("municipality_code", None, user=user)


def _area_filter(model: type[DailyLifeArea] | type[District], field: str, pk: int | None) -> Any:
    """A list filter by area id (422 for an unknown id; another town's area finds nothing)."""
    if pk is None:
        return None
    area = model.objects.filter(pk=pk).first()
    if area is None:
        raise ApiValidationError(
            [
                FieldError(
                    field,
                    str(model._meta.verbose_name),
                    _("ID %(id)s の区域が見つかりません。") % {"id": pk},
                )
            ]
        )
    return area


# --- reference lists (before /{issue_id} so that the literal paths match first) --------


@router.get(
    "/themes",
    response={200: list[ThemeOut], **READ_ERRORS},
    tags=[TAG_ISSUES],
    summary="地域課題のテーマ",
    description="絞り込み（theme）と登録（theme_codes）で使うテーマのコードの一覧です。",
)
def theme_list(request: HttpRequest) -> Any:
    return [{"code": t.code, "name": t.name, "name_en": t.name_en} for t in Theme.objects.all()]


@router.post(
    "/ideas/{idea_id}/adopt",
    response={200: IdeaOut, **WRITE_ERRORS},
    tags=[TAG_WORK],
    summary="アイディアの採用",
    description="アイディアを採用し、その内容を課題の計画（plan）に追記します。変更履歴が記録されます。",
)
def idea_adopt(request: HttpRequest, idea_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    idea = selectors.idea_get_for_user(user=user, pk=idea_id)
    call_service(services.idea_adopt, Idea, IDEA_FIELDS, idea=idea, actor=user)
    return _idea_out(
        Idea.objects.select_related(
            "proposer_person", "proposer_organisation", "meeting__body"
        ).get(pk=idea.pk)
    )


@router.post(
    "/executing-actors/{actor_id}/end",
    response={200: ExecutingActorOut, **WRITE_ERRORS},
    tags=[TAG_WORK],
    summary="実行主体の役割の終了",
    description="実行主体の役割を終えた日を記録します（省略時は今日）。記録は残ります。",
)
def executing_actor_end(request: HttpRequest, actor_id: RecordId, term: ExecutingActorEndIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    executing = selectors.executing_actor_get_for_user(user=user, pk=actor_id)
    call_service(
        services.executing_actor_end,
        ExecutingActor,
        ACTOR_FIELDS,
        executing=executing,
        ended_on=term.ended_on or timezone.localdate(),
        actor=user,
    )
    return _actor_out(ExecutingActor.objects.select_related("organisation").get(pk=executing.pk))


# --- issues ----------------------------------------------------------------------------


@router.get(
    "",
    response={200: IssuePage, **READ_ERRORS},
    tags=[TAG_ISSUES],
    summary="地域課題の一覧",
    description=(
        "利用者の市町村の地域課題を、提起日の新しい順に返します。"
        f"flagged でフラグのある課題だけにします（{FLAGS_HELP}）。"
    ),
)
def issue_list(
    request: HttpRequest,
    theme: Annotated[
        str | None, Query(max_length=40, description="テーマのコード（例: mobility）")
    ] = None,
    stage: Annotated[IssueStage | None, Query(description="段階")] = None,
    flagged: Annotated[
        Literal["unassigned", "stale"] | None, Query(description=f"フラグ（{FLAGS_HELP}）")
    ] = None,
    body_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="扱う会議体の ID")] = None,
    municipality: Annotated[
        str | None, Query(max_length=6, description="市町村コード（6桁、例: 406015）")
    ] = None,
    district_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="地区の ID")] = None,
    daily_life_area_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="日常生活圏域の ID（圏域内の地区の課題も）")
    ] = None,
    q: Annotated[str, Query(max_length=100, description="件名・内容の一部")] = "",
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    chosen = municipality_filter(municipality)
    theme_obj = None
    if theme:
        theme_obj = Theme.objects.filter(code=normalise(theme)).first()
        if theme_obj is None:
            raise ApiValidationError(
                [
                    FieldError(
                        "theme",
                        _("テーマ"),
                        _("テーマのコード「%(code)s」は登録されていません。") % {"code": theme},
                    )
                ]
            )
    area = _area_filter(District, "district_id", district_id) or _area_filter(
        DailyLifeArea, "daily_life_area_id", daily_life_area_id
    )
    issues = selectors.issue_list_filtered(
        user=user,
        municipality=chosen,
        theme=theme_obj,
        area=area,
        stage=stage.value if stage else "",
        body=body_id,
        flag=flagged or "",
        q=normalise(q),
    ).order_by("municipality__code", "-raised_on", "-pk")
    rows, count, has_next = paginate(issues, page, per_page)
    codes = _flag_codes(RegionalIssue.objects.filter(pk__in=[i.pk for i in rows]))
    return page_out(
        [_summary(issue, user, codes.get(issue.pk, [])) for issue in rows],
        count,
        page,
        per_page,
        has_next,
    )


@router.post(
    "",
    response={201: IssueOut, **WRITE_ERRORS},
    tags=[TAG_ISSUES],
    summary="地域課題の登録（提起）",
    description=(
        "課題（title）は必須です。段階は「把握」から始まります。会議で出た課題は "
        "source_meeting_id を指定すると、扱う会議体（body_id）を省略したときその会議の会議体に"
        "なります。個人が特定できる情報は書かないでください。変更履歴が記録されます。"
    ),
)
def issue_create(request: HttpRequest, issue: IssueCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    refs = AreaReferences("issue")
    municipality = _municipality_for_new_issue(user, issue, refs)
    if municipality is None:
        refs.finish()
    if not can_edit(user, municipality):
        raise PermissionDenied()
    values = _issue_data(user, issue, municipality, refs)
    if values.get("source_meeting") is not None and values.get("body") is None:
        values["body"] = values["source_meeting"].body  # raised at a meeting: it sits at that body
    created = call_service(
        services.issue_raise,
        RegionalIssue,
        ISSUE_FIELDS,
        municipality=municipality,
        fields=fields_from(IssueFields, values),
        actor=user,
    )
    return Status(201, _issue_detail(created.pk, user))


@router.get(
    "/{issue_id}",
    response={200: IssueOut, **READ_ERRORS},
    tags=[TAG_ISSUES],
    summary="地域課題の詳細（実行主体・段階の変更・アイディア・コメント）",
    description="他の市町村の地域課題は、存在していても 404 になります。",
)
def issue_detail(request: HttpRequest, issue_id: RecordId) -> Any:
    return _issue_detail(issue_id, request.auth)  # type: ignore[attr-defined]


@router.patch(
    "/{issue_id}",
    response={200: IssueOut, **WRITE_ERRORS},
    tags=[TAG_ISSUES],
    summary="地域課題の変更",
    description=(
        "送った項目だけを変更します。配列の項目（theme_codes など）は指定すると置き換えます。"
        "段階は POST /api/v1/issues/{issue_id}/stage で変更します。"
    ),
)
def issue_update(request: HttpRequest, issue_id: RecordId, issue: IssueUpdateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.issue_get_for_user(user=user, pk=issue_id)
    if not can_edit(user, instance):
        raise PermissionDenied()
    values = _issue_data(user, issue, instance.municipality, AreaReferences("issue"))
    if (
        values.get("source_meeting") is not None
        and "body" not in values
        and instance.body_id is None
    ):
        values["body"] = values["source_meeting"].body
    call_service(
        services.issue_update,
        RegionalIssue,
        ISSUE_FIELDS,
        issue=instance,
        fields=fields_from(IssueFields, values),
        actor=user,
    )
    return _issue_detail(instance.pk, user)


# --- stages ----------------------------------------------------------------------------


@router.post(
    "/{issue_id}/stage",
    response={200: IssueOut, **WRITE_ERRORS},
    tags=[TAG_STAGES],
    summary="段階の変更",
    description=(
        "把握 → 検討 → 企画 → 準備 → 実行 → 評価 → 完了、どこからでも保留にできます。"
        "「準備」以降には実行主体（POST …/executing-actors）と対象・対象の地域が、"
        "「実行」以降には実行開始日が必要です。足りないと 400 と code（no_executing_actor、"
        "no_target、no_start_date）を返し、段階は変わりません。戻すときと保留にするときは "
        "理由（reason）が必要です（reason_required）。誰が・いつ・なぜが記録されます。"
    ),
)
def issue_change_stage(request: HttpRequest, issue_id: RecordId, change: StageChangeIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    issue = selectors.issue_get_for_user(user=user, pk=issue_id)
    to_stage = change.to_stage.value
    try:
        services.issue_change_stage(
            issue=issue, to_stage=to_stage, actor=user, reason=change.reason
        )
    except (NotFound, PermissionDenied):
        raise
    except TsunaguError as error:
        if error.code not in GATE_FIELDS:
            raise
        problems = services.stage_gate_problems(issue, to_stage) or [(error.code, error.message)]
        entries = []
        for code, message in problems:
            field, field_title = GATE_FIELDS.get(code, ("to_stage", "次の段階"))
            entries.append(
                {"field": field, "label": _(field_title), "message": message, "code": code}
            )
        return Status(
            400,
            {
                "detail": _("「%(stage)s」に進めるための条件がそろっていません。")
                % {"stage": _stage_label(to_stage)}
                + " "
                + " ".join(message for _code, message in problems),
                "code": problems[0][0],
                "errors": entries,
            },
        )
    return _issue_detail(issue.pk, user)


@router.get(
    "/{issue_id}/stage-changes",
    response={200: list[StageChangeOut], **READ_ERRORS},
    tags=[TAG_STAGES],
    summary="段階の変更の記録",
    description="誰が・いつ・どの段階からどの段階へ・なぜ変更したかを古い順に返します。",
)
def stage_change_list(request: HttpRequest, issue_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    issue = selectors.issue_get_for_user(user=user, pk=issue_id)
    return [_stage_change_out(c) for c in issue.stage_changes.all()]


# --- executing actors, ideas, comments ------------------------------------------------


@router.post(
    "/{issue_id}/executing-actors",
    response={201: ExecutingActorOut, **WRITE_ERRORS},
    tags=[TAG_WORK],
    summary="実行主体の登録",
    description=(
        "実施を引き受けた団体と、その役割を登録します。「準備」以降に進めるには"
        "実行主体が1つ以上必要です。変更履歴が記録されます。"
    ),
)
def executing_actor_add(request: HttpRequest, issue_id: RecordId, actor: ExecutingActorIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    issue = selectors.issue_get_for_user(user=user, pk=issue_id)
    if not can_edit(user, issue):
        raise PermissionDenied()
    refs = AreaReferences("actor")
    organisation = refs.pick(
        "organisation_id",
        directory_organisations(user, issue.municipality),
        actor.organisation_id,
        _("団体"),
    )
    refs.finish()
    created = call_service(
        services.executing_actor_add,
        ExecutingActor,
        ACTOR_FIELDS,
        issue=issue,
        organisation=organisation,
        role=actor.role,
        agreed_on=actor.agreed_on,
        actor=user,
    )
    return Status(
        201, _actor_out(ExecutingActor.objects.select_related("organisation").get(pk=created.pk))
    )


@router.post(
    "/{issue_id}/ideas",
    response={201: IdeaOut, **WRITE_ERRORS},
    tags=[TAG_WORK],
    summary="アイディアの追加",
    description="提案者と、アイディアが出た会議を添えて登録できます。変更履歴が記録されます。",
)
def idea_add(request: HttpRequest, issue_id: RecordId, idea: IdeaIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    issue = selectors.issue_get_for_user(user=user, pk=issue_id)
    if not can_edit(user, issue):
        raise PermissionDenied()
    municipality = issue.municipality
    meetings = body_selectors.meeting_list_visible_to(user=user).filter(
        body__municipality=municipality
    )
    if issue.body_id:
        meetings = meetings.filter(body_id=issue.body_id)
    refs = AreaReferences("idea")
    person = refs.pick(
        "proposer_person_id",
        directory_people(user, municipality),
        idea.proposer_person_id,
        _("提案者"),
    )
    organisation = refs.pick(
        "proposer_organisation_id",
        directory_organisations(user, municipality),
        idea.proposer_organisation_id,
        _("提案した団体"),
    )
    meeting = refs.pick("meeting_id", meetings, idea.meeting_id, _("会議"))
    refs.finish()
    created = call_service(
        services.idea_add,
        Idea,
        IDEA_FIELDS,
        issue=issue,
        text=idea.text,
        actor=user,
        proposer_person=person,
        proposer_organisation=organisation,
        meeting=meeting,
    )
    return Status(
        201,
        _idea_out(
            Idea.objects.select_related(
                "proposer_person", "proposer_organisation", "meeting__body"
            ).get(pk=created.pk)
        ),
    )


@router.post(
    "/{issue_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    tags=[TAG_WORK],
    summary="コメントの投稿",
    description=(
        "市町村の担当者と、課題を扱う会議体の構成員（構成団体の会員を含む）が投稿できます。"
        "それ以外の利用者は 403 です。"
    ),
)
def comment_add(request: HttpRequest, issue_id: RecordId, comment: CommentIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    issue = selectors.issue_get_for_user(user=user, pk=issue_id)
    created = call_service(
        services.comment_add, Comment, {}, issue=issue, text=comment.text, actor=user
    )
    return Status(201, _comment_out(created))
