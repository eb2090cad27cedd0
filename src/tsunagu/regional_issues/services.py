"""Writes of regional issues: raising, stage changes with their gates, actors, ideas, comments."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.permissions import can_edit
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import UNSET, Unset, apply_fields, field_names, given
from tsunagu.core.history import save_with_history, set_history_context
from tsunagu.regional_issues import errors
from tsunagu.regional_issues.models import (
    STAGE_ORDER,
    Comment,
    ExecutingActor,
    Idea,
    IssueStage,
    RegionalIssue,
    StageChange,
    Theme,
)

if TYPE_CHECKING:
    from tsunagu.areas.models import DailyLifeArea, District
    from tsunagu.bodies.models import ConsultativeBody, Meeting
    from tsunagu.directory.models import Organisation, Person, Resource

ISSUE_M2M = ("themes", "daily_life_areas", "districts", "resources", "organisations")


@dataclass(frozen=True, kw_only=True)
class IssueFields:
    """What raising or changing an issue sets; UNSET = not given (left as it is).

    A many-to-many field that is given replaces the issue's whole list.
    """

    title: str | Unset = UNSET
    description: str | Unset = UNSET
    body: ConsultativeBody | Unset | None = UNSET
    source_kind: str | Unset = UNSET
    source_meeting: Meeting | Unset | None = UNSET
    source_note: str | Unset = UNSET
    raised_on: datetime.date | Unset = UNSET
    raised_by_organisation: Organisation | Unset | None = UNSET
    raised_by_person: Person | Unset | None = UNSET
    target: str | Unset = UNSET
    plan: str | Unset = UNSET
    started_on: datetime.date | Unset | None = UNSET
    source: str | Unset = UNSET
    themes: list[Theme] | Unset = UNSET
    daily_life_areas: list[DailyLifeArea] | Unset = UNSET
    districts: list[District] | Unset = UNSET
    resources: list[Resource] | Unset = UNSET
    organisations: list[Organisation] | Unset = UNSET


ISSUE_FIELDS = tuple(name for name in field_names(IssueFields) if name not in ISSUE_M2M)


def _check_same_municipality(issue: RegionalIssue, data: Mapping[str, Any]) -> None:
    for field in ("body", "source_meeting"):
        value = data.get(field)
        if value is not None and value.scope_municipality_id != issue.municipality_id:
            raise TsunaguError("別の市町村の会議体・会議は選べません。", field=field)
    for field in ("daily_life_areas", "districts"):
        for area in data.get(field) or []:
            if area.municipality_id != issue.municipality_id:
                raise TsunaguError(
                    f"「{area.name}」は{issue.municipality}の区域ではありません。", field=field
                )


def _assign(issue: RegionalIssue, fields: IssueFields, actor: Any, action: str) -> RegionalIssue:
    data = given(fields)
    _check_same_municipality(issue, data)
    creating = issue.pk is None
    changed = apply_fields(issue, data, ISSUE_FIELDS)
    if creating or changed:
        save_with_history(issue, actor=actor, action=action)
    set_history_context(issue, actor=actor, action=action)
    for field in ISSUE_M2M:
        if field in data:
            getattr(issue, field).set(list(data[field] or []))
    return issue


def _checked_moment(
    changed_at: datetime.datetime | None, *, not_before: Any = None
) -> datetime.datetime:
    """When a change happened: now, or a past moment recorded later (e.g. from minutes)."""
    now = timezone.now()
    if changed_at is None:
        return now
    if changed_at > now:
        raise TsunaguError("未来の日時は指定できません。", field="changed_at")
    if not_before is not None and changed_at < not_before:
        raise TsunaguError("直前の段階の変更より前の日時は指定できません。", field="changed_at")
    return changed_at


@transaction.atomic
def issue_raise(
    *,
    municipality: Any,
    fields: IssueFields,
    actor: Any,
    changed_at: datetime.datetime | None = None,
) -> RegionalIssue:
    """Record a regional issue raised at a meeting, survey, consultation … (stage 把握).

    ``changed_at`` records when it was raised if that was before it is entered here.
    """
    if not can_edit(actor, municipality):
        raise PermissionDenied()
    moment = _checked_moment(changed_at)
    issue = RegionalIssue(
        municipality=municipality, stage=IssueStage.IDENTIFIED, stage_entered_at=moment
    )
    issue = _assign(issue, fields, actor, "regional_issues.issue.create")
    StageChange.objects.create(
        issue=issue,
        from_stage="",
        to_stage=IssueStage.IDENTIFIED,
        changed_at=moment,
        changed_by=_user(actor),
        reason="登録",
    )
    return issue


@transaction.atomic
def issue_update(*, issue: RegionalIssue, fields: IssueFields, actor: Any) -> RegionalIssue:
    if not can_edit(actor, issue):
        raise PermissionDenied()
    return _assign(issue, fields, actor, "regional_issues.issue.update")


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) and actor.is_active else None


def stage_gate_problems(issue: RegionalIssue, to_stage: str) -> list[tuple[str, str]]:
    """Why ``issue`` may not enter ``to_stage`` now: (code, Japanese message) pairs.

    Gates apply to the stages being *entered*: going forward, every stage after the current
    one up to the target (so skipping 準備 still needs an executing actor); going back, only
    the target. A finished pilot whose actor has ended can therefore still move to 評価.
    """
    problems: list[tuple[str, str]] = []
    if to_stage in (IssueStage.ON_HOLD, IssueStage.DONE):
        # 完了 may close an issue at any point (e.g. an existing resource already covers it).
        return problems
    current = issue.held_from_stage if issue.stage == IssueStage.ON_HOLD else issue.stage
    current_index = STAGE_ORDER.index(current) if current in STAGE_ORDER else -1
    target_index = STAGE_ORDER.index(to_stage)
    if target_index > current_index:
        entered = set(STAGE_ORDER[current_index + 1 : target_index + 1])
    else:
        entered = {STAGE_ORDER[target_index]}
    if IssueStage.PREPARING in entered:
        if not issue.executing_actors.filter(ended_on__isnull=True).exists():
            problems.append(
                (
                    errors.NO_EXECUTING_ACTOR,
                    "「準備」に進めるには、実行主体（実施を引き受けた団体とその役割）を1つ以上登録してください。",
                )
            )
        if not issue.target.strip() or not (
            issue.daily_life_areas.exists() or issue.districts.exists()
        ):
            problems.append(
                (
                    errors.NO_TARGET,
                    "「準備」に進めるには、対象（誰に）と対象の地域（日常生活圏域または地区）を入力してください。",
                )
            )
    if IssueStage.RUNNING in entered and issue.started_on is None:
        problems.append(
            (errors.NO_START_DATE, "「実行」に進めるには、実行開始日を入力してください。")
        )
    return problems


@transaction.atomic
def issue_change_stage(
    *,
    issue: RegionalIssue,
    to_stage: str,
    actor: Any,
    reason: str = "",
    changed_at: datetime.datetime | None = None,
) -> RegionalIssue:
    """Move an issue to another stage, enforcing the gates; going back or on hold needs a reason."""
    if not can_edit(actor, issue):
        raise PermissionDenied()
    issue = RegionalIssue.objects.select_for_update().get(pk=issue.pk)
    from_stage = issue.stage
    if to_stage == from_stage:
        raise TsunaguError("すでにその段階です。", field="to_stage", code=errors.SAME_STAGE)
    if to_stage not in IssueStage.values:
        raise TsunaguError("段階の指定が正しくありません。", field="to_stage")
    going_back = (
        from_stage != IssueStage.ON_HOLD
        and to_stage != IssueStage.ON_HOLD
        and STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(from_stage)
    )
    if (going_back or to_stage == IssueStage.ON_HOLD) and not reason.strip():
        raise TsunaguError(
            "段階を戻すときや保留にするときは、理由を入力してください。",
            field="reason",
            code=errors.REASON_REQUIRED,
        )
    problems = stage_gate_problems(issue, to_stage)
    if problems:
        code = problems[0][0]
        raise TsunaguError(" ".join(m for _, m in problems), field="to_stage", code=code)
    latest = (
        issue.stage_changes.order_by("-changed_at").values_list("changed_at", flat=True).first()
    )
    moment = _checked_moment(changed_at, not_before=latest)
    issue.held_from_stage = from_stage if to_stage == IssueStage.ON_HOLD else ""
    issue.stage = to_stage
    issue.stage_entered_at = moment
    label = dict(IssueStage.choices)
    save_with_history(
        issue,
        actor=actor,
        action="regional_issues.issue.stage_change",
        note=f"{label[from_stage]} → {label[to_stage]}",
    )
    StageChange.objects.create(
        issue=issue,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_at=moment,
        changed_by=_user(actor),
        reason=reason.strip(),
    )
    return issue


@transaction.atomic
def executing_actor_add(
    *,
    issue: RegionalIssue,
    organisation: Any,
    role: str,
    actor: Any,
    agreed_on: datetime.date | None = None,
) -> ExecutingActor:
    """Record that an organisation agreed to carry (part of) the work."""
    if not can_edit(actor, issue):
        raise PermissionDenied()
    if not role.strip():
        raise TsunaguError(
            "実行主体の役割を入力してください（例: 運転ボランティアの調整）。", field="role"
        )
    if organisation.municipality_id not in (None, issue.municipality_id):
        raise TsunaguError(
            "実行主体は同じ市町村の団体（または県・国の団体）にしてください。", field="organisation"
        )
    if issue.executing_actors.filter(organisation=organisation).exists():
        raise TsunaguError(
            f"{organisation}はすでに実行主体として登録されています。", field="organisation"
        )
    executing = ExecutingActor(
        issue=issue, organisation=organisation, role=role.strip(), agreed_on=agreed_on
    )
    save_with_history(executing, actor=actor, action="regional_issues.executing.add")
    save_with_history(
        issue,
        actor=actor,
        action="regional_issues.issue.executing_add",
        note=str(organisation),
    )
    return executing


@transaction.atomic
def executing_actor_end(
    *, executing: ExecutingActor, ended_on: datetime.date, actor: Any
) -> ExecutingActor:
    if not can_edit(actor, executing.issue):
        raise PermissionDenied()
    executing.ended_on = ended_on
    return save_with_history(executing, actor=actor, action="regional_issues.executing.end")


@transaction.atomic
def idea_add(
    *,
    issue: RegionalIssue,
    text: str,
    actor: Any,
    proposer_person: Any = None,
    proposer_organisation: Any = None,
    meeting: Any = None,
) -> Idea:
    if not can_edit(actor, issue):
        raise PermissionDenied()
    if not text.strip():
        raise TsunaguError("アイディアを入力してください。", field="text")
    if meeting is not None and meeting.scope_municipality_id != issue.municipality_id:
        raise TsunaguError("別の市町村の会議は選べません。", field="meeting")
    idea = Idea(
        issue=issue,
        text=text.strip(),
        proposer_person=proposer_person,
        proposer_organisation=proposer_organisation,
        meeting=meeting,
    )
    return save_with_history(idea, actor=actor, action="regional_issues.idea.add")


@transaction.atomic
def idea_adopt(*, idea: Idea, actor: Any) -> Idea:
    """Adopt an idea: it is copied into the issue's plan."""
    issue = idea.issue
    if not can_edit(actor, issue):
        raise PermissionDenied()
    if idea.adopted_at is not None:
        raise TsunaguError("このアイディアはすでに採用されています。")
    idea.adopted_at = timezone.now()
    save_with_history(idea, actor=actor, action="regional_issues.idea.adopt")
    issue.plan = (issue.plan.rstrip() + "\n" if issue.plan.strip() else "") + f"・{idea.text}"
    save_with_history(issue, actor=actor, action="regional_issues.issue.idea_planned")
    return idea


@transaction.atomic
def comment_add(*, issue: RegionalIssue, text: str, actor: Any) -> Comment:
    """Members of the body where the issue sits (and municipal staff) may comment."""
    from tsunagu.regional_issues.permissions import can_comment

    if not can_comment(actor, issue):
        raise PermissionDenied()
    if not text.strip():
        raise TsunaguError("コメントを入力してください。", field="text")
    return Comment.objects.create(issue=issue, author=actor, text=text.strip())
