"""Every write of service C courses, their participants and follow-ups.

Each service checks that ``actor`` holds the care right for the course's municipality (404
otherwise, as if the course did not exist; the loaders' system account may write too),
validates, writes inside one transaction with a history row and, when a resident is
concerned, a ``PersonalDataReadLog`` row. Graduation never creates a referral: it links an
existing one (made on the referral pages) or records why there is none.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.care.access import can_open_residents, log_resident_read
from tsunagu.care.checklist.rules import CRITERIA
from tsunagu.care.models import CareLevel, ChecklistRecord, Resident
from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.care.residents.services import is_system_actor
from tsunagu.core import actions
from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.core.history import save_with_history
from tsunagu.programs.courses.models import (
    FOLLOW_UP_MONTHS,
    SERVICE_C_TYPES,
    Attendance,
    CandidateReceiver,
    Course,
    CourseSession,
    CourseSettings,
    FollowUp,
    Goal,
    Outcome,
    Participant,
)

for _code, _label in (
    ("care.course.create", gettext_lazy("サービスCのコースを登録")),
    ("care.course_settings.update", gettext_lazy("サービスCの期間の設定を変更")),
    ("care.course_session.create", gettext_lazy("コースの回を登録")),
    ("care.attendance.record", gettext_lazy("出欠を記録")),
    ("care.participant.enrol", gettext_lazy("サービスCの参加者を登録")),
    ("care.participant.assess", gettext_lazy("開始時・終了時の評価を記録")),
    ("care.participant.graduate", gettext_lazy("サービスCの卒業を記録")),
    ("care.goal.add", gettext_lazy("目標を追加")),
    ("care.goal.update", gettext_lazy("目標の達成を記録")),
    ("care.candidate_receiver.add", gettext_lazy("受皿の候補を追加")),
    ("care.follow_up.record", gettext_lazy("卒業後のフォローアップを記録")),
):
    actions.register(_code, _label)

CRITERIA_NUMBERS = frozenset(c.number for c in CRITERIA)
LEVEL_CODES = frozenset(CareLevel.values)
START = "start"
END = "end"


def _require_right(actor: Any, municipality_id: int) -> None:
    if not (is_system_actor(actor) or can_open_residents(actor, municipality_id)):
        raise NotFound()


def settings_for(municipality: Any) -> CourseSettings:
    """The municipality's period limits (the defaults, unsaved, until someone changes them)."""
    found = CourseSettings.objects.filter(municipality=municipality).first()
    return found or CourseSettings(municipality=municipality)


@transaction.atomic
def course_settings_update(
    *, municipality: Any, min_months: int, max_months: int, actor: Any
) -> CourseSettings:
    """Change the period limits of ``municipality``'s courses (staff with the care right)."""
    _require_right(actor, municipality.pk)
    if min_months < 1 or max_months < min_months:
        raise TsunaguError(
            _("期間の上限は下限以上、下限は1か月以上にしてください。"), field="max_months"
        )
    row = settings_for(municipality)
    row.min_months, row.max_months = min_months, max_months
    save_with_history(row, actor=actor, action="care.course_settings.update")
    return row


def _check_period(municipality: Any, starts_on: datetime.date, ends_on: datetime.date) -> None:
    limits = settings_for(municipality)
    shortest = starts_on + relativedelta(months=limits.min_months)
    longest = starts_on + relativedelta(months=limits.max_months)
    if not shortest <= ends_on <= longest:
        raise TsunaguError(
            _(
                "%(municipality)sのサービスCの期間は%(min)sか月以上%(max)sか月以下です"
                "（終了日は%(first)sから%(last)sまで）。"
            )
            % {
                "municipality": municipality.name,
                "min": limits.min_months,
                "max": limits.max_months,
                "first": f"{shortest:%Y-%m-%d}",
                "last": f"{longest:%Y-%m-%d}",
            },
            field="ends_on",
        )


@transaction.atomic
def course_create(
    *,
    program: Any,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    capacity: int,
    provider: Any = None,
    target_criteria: Iterable[int] = (),
    target_levels: Iterable[str] = (),
    target_note: str = "",
    is_synthetic: bool = False,
    actor: Any,
) -> Course:
    """A course of a 訪問型C / 通所型C program instance, within the municipality's limits."""
    _require_right(actor, program.municipality_id)
    if program.service_type not in SERVICE_C_TYPES:
        raise TsunaguError(
            _("サービスCのコースは訪問型C・通所型Cの実施事業にだけ作れます。"), field="program"
        )
    _check_period(program.municipality, starts_on, ends_on)
    if capacity < 1:
        raise TsunaguError(_("定員は1人以上にしてください。"), field="capacity")
    criteria = sorted({int(n) for n in target_criteria})
    if not set(criteria) <= CRITERIA_NUMBERS:
        raise TsunaguError(_("チェックリストの基準は1〜7です。"), field="target_criteria")
    levels = sorted(set(target_levels))
    if not set(levels) <= LEVEL_CODES:
        raise TsunaguError(_("要介護度などの値が正しくありません。"), field="target_levels")
    course = Course(
        municipality_id=program.municipality_id,
        program=program,
        name=name,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        target_criteria=criteria,
        target_levels=levels,
        target_note=target_note,
        is_synthetic=is_synthetic,
    )
    save_with_history(course, actor=actor, action="care.course.create")
    return course


@transaction.atomic
def session_add(
    *, course: Course, date: datetime.date, topic: str = "", actor: Any
) -> CourseSession:
    _require_right(actor, course.municipality_id)
    if not course.starts_on <= date <= course.ends_on:
        raise TsunaguError(_("回の日付はコースの期間内にしてください。"), field="date")
    session = CourseSession(course=course, date=date, topic=topic)
    save_with_history(session, actor=actor, action="care.course_session.create")
    return session


@transaction.atomic
def attendance_record(
    *, session: CourseSession, present_ids: Iterable[int], actor: Any
) -> list[Attendance]:
    """Record who came to ``session`` (every participant of the course: present or not)."""
    _require_right(actor, session.course.municipality_id)
    present = set(present_ids)
    rows = []
    existing = {a.participant_id: a for a in session.attendances.all()}
    for participant in session.course.participants.all():
        row = existing.get(participant.pk) or Attendance(session=session, participant=participant)
        wanted = participant.pk in present
        if row.pk is None or row.present != wanted:
            row.present = wanted
            save_with_history(row, actor=actor, action="care.attendance.record")
        rows.append(row)
    return rows


def _checklist_of(resident: Resident, checklist: ChecklistRecord | None, field: str) -> None:
    if checklist is not None and checklist.resident_id != resident.pk:
        raise TsunaguError(_("この住民のチェックリストを選んでください。"), field=field)


@transaction.atomic
def participant_enrol(
    *,
    course: Course,
    resident: Resident,
    enrolled_on: datetime.date,
    justification_checklist: ChecklistRecord | None = None,
    justification_note: str = "",
    goal_own_words: str = "",
    actor: Any,
) -> Participant:
    """Enrol ``resident`` with what justified it; refused when full or from elsewhere."""
    _require_right(actor, course.municipality_id)
    Course.objects.select_for_update().filter(pk=course.pk).first()  # one enrolment at a time
    if resident.municipality_id != course.municipality_id:
        raise TsunaguError(
            _("%(municipality)sの住民ではないため、このコースには登録できません。")
            % {"municipality": course.municipality.name},
            field="resident",
        )
    if course.participants.filter(resident=resident).exists():
        raise TsunaguError(_("この住民はすでにこのコースに登録されています。"), field="resident")
    if course.participants.count() >= course.capacity:
        raise TsunaguError(
            _("定員（%(capacity)s人）に達しているため登録できません。")
            % {"capacity": course.capacity},
            field="resident",
        )
    _checklist_of(resident, justification_checklist, "justification_checklist")
    if justification_checklist is None and not justification_note.strip():
        raise TsunaguError(
            _("参加の根拠（基本チェックリストまたはアセスメントのメモ）を記録してください。"),
            field="justification_note",
        )
    participant = Participant(
        course=course,
        resident=resident,
        enrolled_on=enrolled_on,
        justification_checklist=justification_checklist,
        justification_note=justification_note,
        goal_own_words=goal_own_words,
        start_checklist=justification_checklist,
    )
    save_with_history(participant, actor=actor, action="care.participant.enrol")
    log_resident_read(user=actor, resident=resident, purpose="サービスCの参加者を登録")
    return participant


@transaction.atomic
def goal_add(*, participant: Participant, text: str, actor: Any) -> Goal:
    _require_right(actor, participant.course.municipality_id)
    if not text.strip():
        raise TsunaguError(_("目標を入力してください。"), field="text")
    goal = Goal(participant=participant, text=text.strip())
    save_with_history(goal, actor=actor, action="care.goal.add")
    return goal


@transaction.atomic
def goal_set_achieved(*, goal: Goal, achieved: bool | None, actor: Any) -> Goal:
    _require_right(actor, goal.participant.course.municipality_id)
    goal.achieved = achieved
    save_with_history(goal, actor=actor, action="care.goal.update")
    return goal


@transaction.atomic
def assessment_record(
    *,
    participant: Participant,
    stage: str,
    checklist: ChecklistRecord | None,
    goal_status: str,
    actor: Any,
) -> Participant:
    """The start or end assessment: a checklist record of the person and the goals' state."""
    _require_right(actor, participant.course.municipality_id)
    if stage not in (START, END):
        raise TsunaguError(_("開始時か終了時かを選んでください。"), field="stage")
    _checklist_of(participant.resident, checklist, "checklist")
    setattr(participant, f"{stage}_checklist", checklist)
    setattr(participant, f"{stage}_goal_status", goal_status)
    save_with_history(participant, actor=actor, action="care.participant.assess", note=stage)
    return participant


@transaction.atomic
def candidate_add(
    *,
    participant: Participant,
    resource: Any = None,
    program: Any = None,
    note: str = "",
    actor: Any,
) -> CandidateReceiver:
    """Name a candidate 受皿 in the start-of-course plan."""
    _require_right(actor, participant.course.municipality_id)
    if (resource is None) == (program is None):
        raise TsunaguError(
            _("地域資源か総合事業のどちらか一つを選んでください。"), field="resource"
        )
    candidate = CandidateReceiver(
        participant=participant, resource=resource, program=program, note=note
    )
    save_with_history(candidate, actor=actor, action="care.candidate_receiver.add")
    return candidate


@transaction.atomic
def participant_graduate(
    *,
    participant: Participant,
    graduated_on: datetime.date,
    outcome: str,
    discontinue_reason: str = "",
    referral: Referral | None = None,
    no_receiver_reason: str = "",
    actor: Any,
) -> Participant:
    """Graduate (or end) a participant with an outcome and the 受皿 plan.

    Refused without a 受皿 plan: a referral of this resident that was sent (any status but
    作成), or a recorded reason why there is none. 中断 needs its reason. Follow-ups at 3 and
    6 months are scheduled.
    """
    _require_right(actor, participant.course.municipality_id)
    if participant.graduated_on is not None:
        raise TsunaguError(_("この参加者はすでに卒業（終了）しています。"))
    if outcome not in Outcome.values:
        raise TsunaguError(_("結果（改善・維持・悪化・中断）を選んでください。"), field="outcome")
    if outcome == Outcome.DISCONTINUED and not discontinue_reason.strip():
        raise TsunaguError(_("中断の理由を記録してください。"), field="discontinue_reason")
    if graduated_on < participant.enrolled_on:
        raise TsunaguError(_("卒業日は参加開始日より後にしてください。"), field="graduated_on")
    if referral is not None:
        if referral.resident_id != participant.resident_id:
            raise TsunaguError(_("この住民のつなぎを選んでください。"), field="referral")
        if referral.status == ReferralStatus.DRAFT:
            raise TsunaguError(
                _("作成中のつなぎは受皿の計画になりません。送付してから卒業を記録してください。"),
                field="referral",
            )
    elif not no_receiver_reason.strip():
        raise TsunaguError(
            _(
                "受皿の計画がないため卒業にできません。地域の活動へのつなぎを選ぶか、"
                "つながない理由を記録してください。"
            ),
            field="referral",
        )
    participant.graduated_on = graduated_on
    participant.outcome = outcome
    participant.discontinue_reason = discontinue_reason.strip()
    participant.receiver_referral = referral
    participant.no_receiver_reason = "" if referral is not None else no_receiver_reason.strip()
    save_with_history(participant, actor=actor, action="care.participant.graduate")
    for months in FOLLOW_UP_MONTHS:
        follow_up = FollowUp(
            participant=participant,
            months=months,
            due_on=graduated_on + relativedelta(months=months),
        )
        save_with_history(follow_up, actor=actor, action="care.follow_up.record", note="予定")
    log_resident_read(user=actor, resident=participant.resident, purpose="サービスCの卒業を記録")
    return participant


@transaction.atomic
def follow_up_record(
    *,
    follow_up: FollowUp,
    done_on: datetime.date,
    still_taking_part: bool | None,
    came_back: bool | None,
    note: str = "",
    actor: Any,
) -> FollowUp:
    """Record a follow-up: still in the 受皿? came back as a service user (staff confirm)?"""
    participant = follow_up.participant
    _require_right(actor, participant.course.municipality_id)
    if participant.graduated_on and done_on < participant.graduated_on:
        raise TsunaguError(_("実施日は卒業日より後にしてください。"), field="done_on")
    follow_up.done_on = done_on
    follow_up.still_taking_part = still_taking_part
    follow_up.came_back = came_back
    follow_up.note = note
    follow_up.recorded_by = actor if getattr(actor, "pk", None) else None
    save_with_history(follow_up, actor=actor, action="care.follow_up.record")
    log_resident_read(
        user=actor, resident=participant.resident, purpose="卒業後のフォローアップを記録"
    )
    return follow_up
