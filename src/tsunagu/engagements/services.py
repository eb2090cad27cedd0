"""Writes of accompanying support (伴走的支援): programs, selections, engagements and their status,
advisors, visits with participants, insights, contacts, roadmaps and follow-ups. Follow-up
reminders (when due, sending) are in ``reminders``.

Every write checks its permission predicate, validates (``full_clean``) and records history.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import UNSET, Unset, apply_fields, field_names, given
from tsunagu.core.history import (
    delete_with_history,
    record_children_change,
    save_with_history,
    set_history_context,
)
from tsunagu.core.text import search_terms
from tsunagu.engagements import errors, permissions
from tsunagu.engagements.commands import (
    ENGAGEMENT_M2M,
    EngagementFields,
    MilestoneFields,
    ParticipantFields,
    ProgramFields,
    RoadmapFields,
    VisitFields,
)
from tsunagu.engagements.models import (
    STATUS_TRANSITIONS,
    STATUSES_NEEDING_REASON,
    Contact,
    Engagement,
    EngagementAdvisor,
    EngagementStatus,
    EngagementStatusChange,
    FollowUp,
    FollowUpSettings,
    Insight,
    InsightTag,
    Milestone,
    ProgramSelection,
    Roadmap,
    SupportProgram,
    Visit,
    VisitParticipant,
)

if TYPE_CHECKING:
    from tsunagu.directory.models import Organisation, Person

PROGRAM_FIELDS = tuple(n for n in field_names(ProgramFields) if n != "partner_organisations")
ENGAGEMENT_FIELDS = tuple(n for n in field_names(EngagementFields) if n not in ENGAGEMENT_M2M)
VISIT_FIELDS = field_names(VisitFields)
PARTICIPANT_FIELDS = field_names(ParticipantFields)
ROADMAP_FIELDS = field_names(RoadmapFields)
MILESTONE_FIELDS = field_names(MilestoneFields)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) and actor.is_active else None


def _history_context(instance: Any, actor: Any, action: str) -> None:
    """So that m2m changes written after save carry the same actor and reason."""
    set_history_context(instance, actor=actor, action=action)


# --- programs and selections ---------------------------------------------------------------


def _set_partners(program: SupportProgram, fields: ProgramFields, actor: Any, action: str) -> None:
    if not isinstance(fields.partner_organisations, Unset):
        _history_context(program, actor, action)
        program.partner_organisations.set(fields.partner_organisations)


@transaction.atomic
def program_create(*, fields: ProgramFields, actor: Any) -> SupportProgram:
    program = SupportProgram()
    apply_fields(program, fields, PROGRAM_FIELDS)
    if not permissions.can_edit_program(actor, program):
        raise PermissionDenied()
    save_with_history(program, actor=actor, action="engagements.program.create")
    _set_partners(program, fields, actor, "engagements.program.partners_set")
    return program


@transaction.atomic
def program_update(*, program: SupportProgram, fields: ProgramFields, actor: Any) -> SupportProgram:
    if not permissions.can_edit_program(actor, program):
        raise PermissionDenied()
    apply_fields(program, fields, PROGRAM_FIELDS)
    if not permissions.can_edit_program(actor, program):  # e.g. moved to another prefecture
        raise PermissionDenied()
    save_with_history(program, actor=actor, action="engagements.program.update")
    _set_partners(program, fields, actor, "engagements.program.partners_update")
    return program


@transaction.atomic
def selection_record(
    *,
    program: SupportProgram,
    municipality: Any,
    fiscal_year: int,
    status: str,
    actor: Any,
    note: str = "",
    source: str = "",
) -> ProgramSelection:
    """Record (or update) a municipality's application and its result for one fiscal year."""
    if not permissions.can_record_selection(actor, program, municipality):
        raise PermissionDenied()
    selection = ProgramSelection.objects.filter(
        program=program, municipality=municipality, fiscal_year=fiscal_year
    ).first() or ProgramSelection(
        program=program, municipality=municipality, fiscal_year=fiscal_year
    )
    _check_fiscal_year_in_program(program, fiscal_year)
    selection.status = status
    selection.note = note
    if source:
        selection.source = source
    save_with_history(selection, actor=actor, action="engagements.selection.record")
    return selection


def _check_fiscal_year_in_program(program: SupportProgram, fiscal_year: int) -> None:
    if fiscal_year < program.first_fiscal_year or (
        program.last_fiscal_year and fiscal_year > program.last_fiscal_year
    ):
        raise TsunaguError(
            f"{fiscal_year}年度は「{program.name}」の実施期間外です。",
            field="fiscal_year",
            code=errors.OUTSIDE_PROGRAM_YEARS,
        )


@transaction.atomic
def followup_settings_update(
    *,
    prefecture: Any,
    first_reminder_days: int,
    repeat_reminder_days: int,
    actor: Any,
    send_email: bool = True,
) -> FollowUpSettings:
    if not permissions.can_edit_followup_settings(actor, prefecture):
        raise PermissionDenied()
    if first_reminder_days < 1 or repeat_reminder_days < 1:
        raise TsunaguError("日数は1以上で入力してください。", field="first_reminder_days")
    config = FollowUpSettings.objects.filter(prefecture=prefecture).first() or FollowUpSettings(
        prefecture=prefecture
    )
    config.first_reminder_days = first_reminder_days
    config.repeat_reminder_days = repeat_reminder_days
    config.send_email = send_email
    save_with_history(config, actor=actor, action="engagements.follow_up_settings.update")
    return config


# --- engagements and their status ----------------------------------------------------------


def _check_links(engagement: Engagement, data: Mapping[str, Any]) -> None:
    """Linked bodies, issues and the earlier engagement must belong to the same municipality."""
    for name, label in (("bodies", "会議体"), ("issues", "地域課題")):
        for item in data.get(name) or []:
            if item.municipality_id != engagement.municipality_id:
                raise TsunaguError(
                    f"「{item}」は{engagement.municipality}の{label}ではありません。", field=name
                )
    for organisation in data.get("organisations") or []:
        if organisation.municipality_id not in (None, engagement.municipality_id):
            raise TsunaguError(
                f"「{organisation}」は{engagement.municipality}の団体ではありません。",
                field="organisations",
            )
    earlier = data.get("follow_up_of")
    if earlier is not None:
        if earlier.municipality_id != engagement.municipality_id:
            raise TsunaguError(
                "引き続きの支援の元には同じ市町村の支援を選んでください。", field="follow_up_of"
            )
        if engagement.pk and earlier.pk == engagement.pk:
            raise TsunaguError("自分自身は選べません。", field="follow_up_of")


def _assign_engagement(
    engagement: Engagement, fields: EngagementFields, actor: Any, action: str
) -> Engagement:
    data = given(fields)
    _check_links(engagement, data)
    apply_fields(engagement, data, ENGAGEMENT_FIELDS)
    save_with_history(engagement, actor=actor, action=action)
    _history_context(engagement, actor, action)
    for name in ENGAGEMENT_M2M:
        if name in data:
            getattr(engagement, name).set(list(data[name] or []))
    return engagement


def _moment(at: datetime.datetime | datetime.date | None) -> datetime.datetime:
    """A status change happens now, or at a past date recorded later (demo data, minutes)."""
    now = timezone.now()
    if at is None:
        return now
    if isinstance(at, datetime.date) and not isinstance(at, datetime.datetime):
        at = timezone.make_aware(datetime.datetime.combine(at, datetime.time(12)))
    if at > now:
        raise TsunaguError("未来の日時は指定できません。", field="changed_at")
    return at


@transaction.atomic
def engagement_create(
    *,
    program: SupportProgram,
    municipality: Any,
    fields: EngagementFields,
    actor: Any,
    status: str = EngagementStatus.APPLIED,
    status_reason: str = "",
    at: datetime.datetime | datetime.date | None = None,
) -> Engagement:
    """Register an engagement (usually at 応募; demo/import may start at a later status, with
    ``status_reason`` when that status needs one). ``fields.fiscal_year`` and ``fields.theme``
    are required.
    """
    if not permissions.can_create_engagement(actor, municipality):
        raise PermissionDenied()
    if status not in EngagementStatus.values:
        raise TsunaguError("状態の指定が正しくありません。", field="status")
    if status in STATUSES_NEEDING_REASON and not status_reason.strip():
        raise TsunaguError(
            "停滞の理由を入力してください。", field="status_reason", code=errors.REASON_REQUIRED
        )
    if fields.fiscal_year:
        _check_fiscal_year_in_program(program, int(fields.fiscal_year))
    moment = _moment(at)
    engagement = Engagement(
        program=program,
        municipality=municipality,
        status=status,
        status_reason=status_reason,
        status_changed_at=moment,
    )
    engagement = _assign_engagement(engagement, fields, actor, "engagements.engagement.create")
    EngagementStatusChange.objects.create(
        engagement=engagement,
        from_status="",
        to_status=status,
        reason=engagement.status_reason or "登録",
        changed_at=moment,
        changed_by=_user(actor),
    )
    return engagement


@transaction.atomic
def engagement_update(
    *, engagement: Engagement, fields: EngagementFields, actor: Any
) -> Engagement:
    """Change the given fields and links (not the status: see :func:`engagement_transition`)."""
    if not permissions.can_edit_engagement(actor, engagement):
        raise PermissionDenied()
    year = fields.fiscal_year
    if not isinstance(year, Unset) and year != engagement.fiscal_year:
        _check_fiscal_year_in_program(engagement.program, int(year))
    return _assign_engagement(engagement, fields, actor, "engagements.engagement.update")


def allowed_transitions(engagement: Engagement) -> list[str]:
    return [s for s in EngagementStatus.values if s in STATUS_TRANSITIONS[engagement.status]]


@transaction.atomic
def engagement_transition(
    *,
    engagement: Engagement,
    to: str,
    actor: Any,
    reason: str = "",
    at: datetime.datetime | datetime.date | None = None,
) -> Engagement:
    """Move an engagement along 応募 → 採択 → 支援中 → 支援終了 → フォローアップ中 → 一定のめど;
    停滞 (from any running status, back out of it too) needs a reason such as 担当者の異動.

    Entering 支援中 fills ``started_on`` and entering 支援終了 fills ``ended_on`` when empty.
    """
    if not permissions.can_change_status(actor, engagement):
        raise PermissionDenied()
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if to not in EngagementStatus.values:
        raise TsunaguError("状態の指定が正しくありません。", field="to", code=errors.BAD_STATUS)
    if to == engagement.status:
        raise TsunaguError("すでにその状態です。", field="to", code=errors.SAME_STATUS)
    if to not in STATUS_TRANSITIONS[engagement.status]:
        allowed = "・".join(str(EngagementStatus(s).label) for s in allowed_transitions(engagement))
        raise TsunaguError(
            f"「{engagement.get_status_display()}」から"
            f"「{EngagementStatus(to).label}」には変更できません。"
            + (f"変更できるのは {allowed} です。" if allowed else ""),
            field="to",
            code=errors.BAD_TRANSITION,
        )
    if to in STATUSES_NEEDING_REASON and not reason.strip():
        raise TsunaguError(
            "停滞にするときは理由（例: 担当者の異動）を入力してください。",
            field="reason",
            code=errors.REASON_REQUIRED,
        )
    moment = _moment(at)
    if moment < engagement.status_changed_at and at is not None:
        raise TsunaguError(
            "直前の状態の変更より前の日時は指定できません。", field="at", code=errors.BAD_DATE
        )
    from_status = engagement.status
    engagement.status = to
    engagement.status_reason = reason.strip()
    engagement.status_changed_at = moment
    day = timezone.localtime(moment).date()
    if to == EngagementStatus.IN_SUPPORT and engagement.started_on is None:
        engagement.started_on = day
    if to == EngagementStatus.SUPPORT_ENDED and engagement.ended_on is None:
        engagement.ended_on = day
    label_from = EngagementStatus(from_status).label
    label_to = EngagementStatus(to).label
    save_with_history(
        engagement,
        actor=actor,
        action="engagements.engagement.status_change",
        note=f"{label_from}→{label_to}",
    )
    EngagementStatusChange.objects.create(
        engagement=engagement,
        from_status=from_status,
        to_status=to,
        reason=reason.strip(),
        changed_at=moment,
        changed_by=_user(actor),
    )
    return engagement


# --- advisors ------------------------------------------------------------------------------


@transaction.atomic
def advisor_add(
    *,
    engagement: Engagement,
    actor: Any,
    person: Person | Unset | None = UNSET,
    organisation: Organisation | Unset | None = UNSET,
    name: str | Unset = UNSET,
    affiliation: str | Unset = UNSET,
    user: Any = UNSET,
    role: str | Unset = UNSET,
) -> EngagementAdvisor:
    """Name an advisor (a person, an organisation, or a name); ``user`` gets scoped access.
    What is not given keeps the model's default (``role`` アドバイザー)."""
    if not permissions.can_edit_engagement(actor, engagement):
        raise PermissionDenied()
    advisor = EngagementAdvisor(engagement=engagement)
    apply_fields(
        advisor,
        {
            "person": person,
            "organisation": organisation,
            "name": name,
            "affiliation": affiliation,
            "user": user,
            "role": role,
        },
    )
    if not (advisor.person_id or advisor.organisation_id or advisor.name.strip()):
        raise TsunaguError(
            "アドバイザーの氏名・団体名を入力するか、名簿から選んでください。", field="name"
        )
    if (
        advisor.user_id
        and EngagementAdvisor.objects.filter(
            engagement=engagement, user_id=advisor.user_id
        ).exists()
    ):
        raise TsunaguError("このアカウントはすでにアドバイザーです。", field="user")
    save_with_history(advisor, actor=actor, action="engagements.advisor.add")
    if advisor.user is not None:
        permissions.forget_advisor_cache(advisor.user)
    return advisor


@transaction.atomic
def advisor_remove(*, advisor: EngagementAdvisor, actor: Any) -> None:
    if not permissions.can_edit_engagement(actor, advisor.engagement):
        raise PermissionDenied()
    user = advisor.user
    delete_with_history(advisor, actor=actor, action="engagements.advisor.remove")
    if user is not None:
        permissions.forget_advisor_cache(user)


# --- visits, participants, insights, contacts --------------------------------------------


def _participant_line(participant: VisitParticipant) -> str:
    line = f"{participant.get_kind_display()}: {participant.label}"
    if participant.person_name:
        line += f"（{participant.person_name}）"
    if participant.headcount != 1:
        line += f" {participant.headcount}名"
    return line


def _write_participants(visit: Visit, participants: list[ParticipantFields], actor: Any) -> None:
    """Replace the visit's participants; each row is validated with its position for errors.

    The participants have no history of their own: the engagement's history (the page users
    read) records the list before and after."""
    before = [_participant_line(p) for p in visit.participants.all()]
    visit.participants.all().delete()
    for index, row in enumerate(participants, start=1):
        participant = VisitParticipant(visit=visit)
        apply_fields(participant, row, PARTICIPANT_FIELDS)
        if participant.organisation_id and participant.organisation.municipality_id not in (
            None,
            visit.engagement.municipality_id,
        ):
            raise TsunaguError(
                f"参加者{index}行目: 「{participant.organisation}」は"
                f"{visit.engagement.municipality}の団体ではありません。",
                field="participants",
            )
        try:
            participant.full_clean(exclude=["visit"])
        except Exception as exc:
            messages = getattr(exc, "messages", [str(exc)])
            raise TsunaguError(
                f"参加者{index}行目: " + " ".join(messages), field="participants"
            ) from exc
        participant.save()
    record_children_change(
        visit.engagement,
        actor=actor,
        action="engagements.engagement.visit_participants_replace",
        note=f"第{visit.number}回",
        changes=[
            (
                gettext_lazy("訪問の参加者"),
                before,
                [_participant_line(p) for p in visit.participants.all()],
            )
        ],
    )


def _check_visit(engagement: Engagement, fields: VisitFields, visit: Visit | None) -> None:
    meeting = fields.meeting
    if meeting and meeting.scope_municipality_id != engagement.municipality_id:
        raise TsunaguError("別の市町村の会議は選べません。", field="meeting")
    number = fields.number
    if number:
        clash = Visit.objects.filter(engagement=engagement, number=number)
        if visit is not None:
            clash = clash.exclude(pk=visit.pk)
        if clash.exists():
            raise TsunaguError(
                f"第{number}回の訪問はすでに記録されています。",
                field="number",
                code=errors.DUPLICATE_VISIT,
            )


@transaction.atomic
def visit_record(
    *,
    engagement: Engagement,
    fields: VisitFields,
    actor: Any,
    participants: list[ParticipantFields] | None = None,
) -> Visit:
    """Record a visit (number defaults to the next one) with its participants
    (kind department/outside …)."""
    if not permissions.can_record_visit(actor, engagement):
        raise PermissionDenied()
    if not fields.number:
        last = engagement.visits.aggregate(n=Max("number"))["n"] or 0
        fields = dataclasses.replace(fields, number=last + 1)
    _check_visit(engagement, fields, None)
    visit = Visit(engagement=engagement)
    apply_fields(visit, fields, VISIT_FIELDS)
    save_with_history(visit, actor=actor, action="engagements.visit.record")
    _write_participants(visit, participants or [], actor)
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    fields: VisitFields,
    actor: Any,
    participants: list[ParticipantFields] | None = None,
) -> Visit:
    """Change the given fields; ``participants``, when given, replace the visit's list."""
    if not permissions.can_record_visit(actor, visit.engagement):
        raise PermissionDenied()
    _check_visit(visit.engagement, fields, visit)
    apply_fields(visit, fields, VISIT_FIELDS)
    save_with_history(visit, actor=actor, action="engagements.visit.update")
    if participants is not None:
        _write_participants(visit, participants, actor)
    return visit


def tags_from_names(names: list[str] | str) -> list[InsightTag]:
    """Tags by name (created when new); accepts a list or text separated by 、 , or spaces."""
    if isinstance(names, str):
        import re

        names = [n for n in re.split(r"[、,，\s]+", names) if n]
    tags = []
    for name in dict.fromkeys(n.strip()[:50] for n in names if n.strip()):
        tag, _created = InsightTag.objects.get_or_create(name=name)
        tags.append(tag)
    return tags


def insight_reindex(insight: Insight) -> None:
    """Search terms of the text, who realised it, tags and organisations (space-delimited)."""
    parts = [insight.text, insight.realised_by]
    parts += [t.name for t in insight.tags.all()]
    parts += [o.name for o in insight.organisations.all()]
    terms = search_terms(" ".join(p for p in parts if p))
    Insight.objects.filter(pk=insight.pk).update(search_text=f" {' '.join(terms)} ")


@transaction.atomic
def insight_add(
    *,
    engagement: Engagement,
    text: str,
    actor: Any,
    realised_by: str = "",
    visit: Visit | None = None,
    tags: list[str] | str = (),  # type: ignore[assignment]
    organisations: list[Any] | None = None,
    source: str = "",
) -> Insight:
    """Record a 気づき of an engagement (optionally from a visit), indexed for search."""
    if not permissions.can_record_visit(actor, engagement):
        raise PermissionDenied()
    if not text.strip():
        raise TsunaguError("気づきの内容を入力してください。", field="text")
    if visit is not None and visit.engagement_id != engagement.pk:
        raise TsunaguError("この支援の訪問を選んでください。", field="visit")
    for organisation in organisations or []:
        if organisation.municipality_id not in (None, engagement.municipality_id):
            raise TsunaguError(
                f"「{organisation}」は{engagement.municipality}の団体ではありません。",
                field="organisations",
            )
    insight = Insight(
        engagement=engagement,
        visit=visit,
        text=text.strip(),
        realised_by=realised_by.strip(),
        source=source,
        created_by=_user(actor),
    )
    save_with_history(insight, actor=actor, action="engagements.insight.record")
    _history_context(insight, actor, "engagements.insight.record")
    insight.tags.set(tags_from_names(list(tags) if not isinstance(tags, str) else tags))
    insight.organisations.set(list(organisations or []))
    insight_reindex(insight)
    return insight


@transaction.atomic
def contact_add(
    *,
    engagement: Engagement,
    contacted_on: datetime.date,
    channel: str,
    summary: str,
    actor: Any,
    with_whom: str = "",
) -> Contact:
    """Log a contact between visits (電話・メール・オンライン …)."""
    if not permissions.can_record_visit(actor, engagement):
        raise PermissionDenied()
    contact = Contact(
        engagement=engagement,
        recorded_by=_user(actor),
        contacted_on=contacted_on,
        channel=channel,
        with_whom=with_whom,
        summary=summary,
    )
    save_with_history(contact, actor=actor, action="engagements.contact.record")
    return contact


# --- roadmaps ------------------------------------------------------------------------------


@transaction.atomic
def roadmap_create(*, municipality: Any, fields: RoadmapFields, actor: Any) -> Roadmap:
    if not permissions.can_edit_roadmap(actor, municipality):
        raise PermissionDenied()
    roadmap = Roadmap(municipality=municipality)
    apply_fields(roadmap, fields, ROADMAP_FIELDS)
    save_with_history(roadmap, actor=actor, action="engagements.roadmap.create")
    return roadmap


@transaction.atomic
def roadmap_update(*, roadmap: Roadmap, fields: RoadmapFields, actor: Any) -> Roadmap:
    if not permissions.can_edit_roadmap(actor, roadmap):
        raise PermissionDenied()
    apply_fields(roadmap, fields, ROADMAP_FIELDS)
    if roadmap.milestones.exclude(
        fiscal_year__gte=roadmap.first_fiscal_year, fiscal_year__lte=roadmap.last_fiscal_year
    ).exists():
        raise TsunaguError(
            "期間の外になる項目があります。先に項目の年度を変えてください。",
            field="first_fiscal_year",
        )
    save_with_history(roadmap, actor=actor, action="engagements.roadmap.update")
    return roadmap


def _check_milestone_owner(roadmap: Roadmap, fields: MilestoneFields) -> None:
    organisation = fields.owner_organisation
    if organisation and organisation.municipality_id not in (
        None,
        roadmap.municipality_id,
    ):
        raise TsunaguError(
            f"「{organisation}」は{roadmap.municipality}の団体ではありません。",
            field="owner_organisation",
        )


@transaction.atomic
def milestone_add(*, roadmap: Roadmap, fields: MilestoneFields, actor: Any) -> Milestone:
    if not permissions.can_edit_roadmap(actor, roadmap):
        raise PermissionDenied()
    _check_milestone_owner(roadmap, fields)
    milestone = Milestone(roadmap=roadmap)
    apply_fields(milestone, fields, MILESTONE_FIELDS)
    save_with_history(milestone, actor=actor, action="engagements.milestone.add")
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, fields: MilestoneFields, actor: Any) -> Milestone:
    if not permissions.can_edit_roadmap(actor, milestone.roadmap):
        raise PermissionDenied()
    _check_milestone_owner(milestone.roadmap, fields)
    apply_fields(milestone, fields, MILESTONE_FIELDS)
    save_with_history(milestone, actor=actor, action="engagements.milestone.update")
    return milestone


# --- follow-up -----------------------------------------------------------------------------


@transaction.atomic
def follow_up_record(
    *,
    engagement: Engagement,
    followed_on: datetime.date,
    by_whom: str,
    what: str,
    actor: Any,
    next_step: str = "",
    next_due_on: datetime.date | None = None,
) -> FollowUp:
    """Record a follow-up (who, what, next step, next due date).

    An engagement that had ended (支援終了) moves to フォローアップ中 with it, since following
    up is exactly what that status says.
    """
    if not permissions.can_record_follow_up(actor, engagement):
        raise PermissionDenied()
    follow_up = FollowUp(
        engagement=engagement,
        recorded_by=_user(actor),
        followed_on=followed_on,
        by_whom=by_whom,
        what=what,
        next_step=next_step,
        next_due_on=next_due_on,
    )
    save_with_history(follow_up, actor=actor, action="engagements.follow_up.record")
    if engagement.status == EngagementStatus.SUPPORT_ENDED:
        engagement_transition(
            engagement=engagement,
            to=EngagementStatus.FOLLOWING_UP,
            actor=actor,
            reason="フォローアップを記録",
        )
    return follow_up
