"""Writes of consultative bodies, members, meetings, action items and certification."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tsunagu.accounts.permissions import can_edit
from tsunagu.bodies import errors
from tsunagu.bodies.certification import evaluate_requirements
from tsunagu.bodies.models import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    BodyMember,
    CertificationApplication,
    CertificationDocument,
    CertificationRules,
    CertificationStatus,
    ConsultativeBody,
    Decision,
    Meeting,
    MeetingAttachment,
    MeetingStatus,
)
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import UNSET, Unset, apply_fields, field_names, given
from tsunagu.core.history import record_children_change, save_with_history

if TYPE_CHECKING:
    from tsunagu.areas.models import DailyLifeArea, District
    from tsunagu.directory.models import Organisation, Person

# Field sets of the commands below: UNSET = not given (left as it is on an update).


@dataclass(frozen=True, kw_only=True)
class BodyFields:
    name: str | Unset = UNSET
    kind: str | Unset = UNSET
    layer: int | Unset | None = UNSET
    daily_life_area: DailyLifeArea | Unset | None = UNSET
    district: District | Unset | None = UNSET
    parent: ConsultativeBody | Unset | None = UNSET
    host_organisation: Organisation | Unset | None = UNSET
    secretariat: Organisation | Unset | None = UNSET
    coordinator: Person | Unset | None = UNSET
    purpose: str | Unset = UNSET
    meeting_frequency: str | Unset = UNSET
    is_resident_led: bool | Unset = UNSET
    status: str | Unset = UNSET
    established_on: datetime.date | Unset | None = UNSET
    source: str | Unset = UNSET


@dataclass(frozen=True, kw_only=True)
class MeetingFields:
    title: str | Unset = UNSET
    starts_at: datetime.datetime | Unset = UNSET
    ends_at: datetime.datetime | Unset | None = UNSET
    place: str | Unset = UNSET
    agenda: str | Unset = UNSET
    facilitator: Person | Unset | None = UNSET
    minutes: str | Unset = UNSET
    next_meeting_note: str | Unset = UNSET
    status: str | Unset = UNSET


@dataclass(frozen=True, kw_only=True)
class ActionItemFields:
    title: str | Unset = UNSET
    owner_person: Person | Unset | None = UNSET
    owner_organisation: Organisation | Unset | None = UNSET
    due_on: datetime.date | Unset | None = UNSET
    status: str | Unset = UNSET
    # A regional_issues.RegionalIssue: that app sits above bodies, so not named here.
    regional_issue: Any = UNSET
    meeting: Meeting | Unset | None = UNSET
    completed_on: datetime.date | Unset | None = UNSET


@dataclass(frozen=True, kw_only=True)
class RulesFields:
    name: str | Unset = UNSET
    effective_from: datetime.date | Unset = UNSET
    min_member_organisations: int | Unset = UNSET
    require_resident_organisation: bool | Unset = UNSET
    require_mutual_support_purpose: bool | Unset = UNSET
    purpose_keywords: str | Unset = UNSET
    require_supporting_coordinator: bool | Unset = UNSET
    validity_years: int | Unset = UNSET
    number_prefix: str | Unset = UNSET
    note: str | Unset = UNSET


BODY_FIELDS = field_names(BodyFields)
MEETING_FIELDS = field_names(MeetingFields)
# completed_on follows the status (set by action_item_update), it is not chosen on create.
ACTION_FIELDS = tuple(name for name in field_names(ActionItemFields) if name != "completed_on")
RULES_FIELDS = field_names(RulesFields)


def _check_local(records: dict[str, Any], municipality_id: int) -> None:
    """Directory records linked to a body must be of its municipality (or prefecture/national)."""
    for field, record in records.items():
        if record is not None and record.municipality_id not in (None, municipality_id):
            raise TsunaguError(f"「{record}」は別の市町村の記録です。", field=field)


def _require_edit(actor: Any, obj: Any) -> None:
    if not can_edit(actor, obj):
        raise PermissionDenied()


# --- bodies ----------------------------------------------------------------------------


@transaction.atomic
def body_create(*, municipality: Any, fields: BodyFields, actor: Any) -> ConsultativeBody:
    _require_edit(actor, municipality)
    data = given(fields)
    _check_local(
        {k: data.get(k) for k in ("host_organisation", "secretariat", "coordinator")},
        municipality.pk,
    )
    body = ConsultativeBody(municipality=municipality)
    apply_fields(body, data, BODY_FIELDS)
    return save_with_history(body, actor=actor, action="bodies.body.create")


@transaction.atomic
def body_update(*, body: ConsultativeBody, fields: BodyFields, actor: Any) -> ConsultativeBody:
    _require_edit(actor, body)
    data = given(fields)
    ancestor = data.get("parent")
    while ancestor is not None:
        if ancestor.pk == body.pk:
            raise TsunaguError("上位の会議体に自分自身や下位の会議体は選べません。", field="parent")
        ancestor = ancestor.parent
    _check_local(
        {k: data.get(k) for k in ("host_organisation", "secretariat", "coordinator")},
        body.municipality_id,
    )
    if apply_fields(body, data, BODY_FIELDS):
        save_with_history(body, actor=actor, action="bodies.body.update")
    return body


@transaction.atomic
def member_add(
    *,
    body: ConsultativeBody,
    actor: Any,
    organisation: Any = None,
    person: Any = None,
    role: str = "member",
    district: Any = None,
    age_band: str = "",
    gender: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> BodyMember:
    _require_edit(actor, body)
    if organisation is None and person is None:
        raise TsunaguError("構成員には団体か人のどちらかを指定してください。", field="organisation")
    if district is not None and district.municipality_id != body.municipality_id:
        raise TsunaguError("別の市町村の地区は選べません。", field="district")
    _check_local({"organisation": organisation, "person": person}, body.municipality_id)
    if starts_on and ends_on and ends_on < starts_on:
        raise TsunaguError("任期の終了は開始以降の日付にしてください。", field="ends_on")
    member = BodyMember(
        body=body,
        organisation=organisation,
        person=person,
        role=role,
        district=district,
        age_band=age_band,
        gender=gender,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return save_with_history(member, actor=actor, action="bodies.member.add")


@transaction.atomic
def member_end(*, member: BodyMember, ends_on: datetime.date, actor: Any) -> BodyMember:
    """End a seat's term (rather than delete it: who sat when stays on record)."""
    _require_edit(actor, member.body)
    if member.starts_on and ends_on < member.starts_on:
        raise TsunaguError("任期の終了は開始以降の日付にしてください。", field="ends_on")
    member.ends_on = ends_on
    return save_with_history(member, actor=actor, action="bodies.member.end")


# --- meetings --------------------------------------------------------------------------


def _check_meeting(data: Mapping[str, Any]) -> None:
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends < starts:
        raise TsunaguError("終了日時は開始日時より後にしてください。", field="ends_at")


@transaction.atomic
def meeting_schedule(*, body: ConsultativeBody, fields: MeetingFields, actor: Any) -> Meeting:
    """Plan (or record) one meeting of a body."""
    _require_edit(actor, body)
    data = given(fields)
    _check_meeting(data)
    meeting = Meeting(body=body)
    apply_fields(meeting, data, MEETING_FIELDS)
    return save_with_history(meeting, actor=actor, action="bodies.meeting.create")


@transaction.atomic
def meeting_schedule_series(
    *,
    body: ConsultativeBody,
    first_starts_at: datetime.datetime,
    count: int,
    actor: Any,
    duration: datetime.timedelta = datetime.timedelta(hours=1, minutes=30),
    place: str = "",
    monthly_by_weekday: bool = True,
) -> list[Meeting]:
    """A recurring series (e.g. the monthly 定例会): ``count`` meetings one month apart.

    With ``monthly_by_weekday`` the series keeps the same weekday and week of the month
    (e.g. every 3rd Thursday), as Japanese 定例会 usually do.
    """
    _require_edit(actor, body)
    if not 1 <= count <= 36:
        raise TsunaguError("繰り返しの回数は1〜36回にしてください。", field="count")
    from dateutil.rrule import MONTHLY, rrule, weekday

    local = timezone.localtime(first_starts_at)
    if monthly_by_weekday:
        nth = (local.day - 1) // 7 + 1
        # A 5th weekday does not exist every month: it becomes "the last" weekday.
        rule = list(
            rrule(
                MONTHLY,
                dtstart=local,
                count=count,
                byweekday=weekday(local.weekday(), -1 if nth == 5 else nth),
            )
        )
    else:
        # relativedelta keeps the day of the month and clamps it to shorter months (31 → 30, 28).
        rule = [local + relativedelta(months=i) for i in range(count)]
    series_key = uuid.uuid4().hex[:12]
    meetings = []
    for index, start in enumerate(rule, start=1):
        meeting = Meeting(
            body=body,
            starts_at=start,
            ends_at=start + duration,
            place=place,
            status=MeetingStatus.PLANNED,
            series_key=series_key,
            title=f"{body.name} {start.year}年{start.month}月",
        )
        meetings.append(
            save_with_history(
                meeting,
                actor=actor,
                action="bodies.meeting.create_recurring",
                note=f"{index}/{count}",
            )
        )
    return meetings


@transaction.atomic
def meeting_update(*, meeting: Meeting, fields: MeetingFields, actor: Any) -> Meeting:
    _require_edit(actor, meeting)
    data = given(fields)
    merged = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, **data}
    _check_meeting(merged)
    if apply_fields(meeting, data, MEETING_FIELDS):
        save_with_history(meeting, actor=actor, action="bodies.meeting.update")
    return meeting


@transaction.atomic
def meeting_record_attendance(
    *, meeting: Meeting, entries: list[dict[str, Any]], actor: Any
) -> list[Attendance]:
    """Replace the attendance list. Each entry: person and/or organisation, or guest_name."""
    _require_edit(actor, meeting)
    rows = []
    for index, entry in enumerate(entries, start=1):
        person, organisation = entry.get("person"), entry.get("organisation")
        guest = (entry.get("guest_name") or "").strip()
        if person is None and organisation is None and not guest:
            raise TsunaguError(
                f"出席者{index}行目: 人・団体・ゲスト名のいずれかを入力してください。",
                field="attendance",
            )
        rows.append(
            Attendance(
                meeting=meeting,
                person=person,
                organisation=organisation,
                guest_name=guest,
                present=entry.get("present", True),
                note=entry.get("note", ""),
            )
        )
    before = [_attendance_line(row) for row in meeting.attendance.all()]
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(rows)
    after = [_attendance_line(row) for row in meeting.attendance.all()]
    note = f"{len(rows)}名・団体"
    if not record_children_change(
        meeting,
        actor=actor,
        action="bodies.meeting.attendance_replace",
        note=note,
        changes=[(gettext_lazy("出席者"), before, after)],
    ):
        save_with_history(
            meeting, actor=actor, action="bodies.meeting.attendance_replace", note=note
        )
    return list(meeting.attendance.all())


def _attendance_line(row: Attendance) -> str:
    """One attendee as the 履歴 page lists them (who, absent, note)."""
    who = row.guest_name or " ".join(
        str(x) for x in (row.person, row.organisation) if x is not None
    )
    if not row.present:
        who += "（欠席）"
    return f"{who}（{row.note}）" if row.note else who


@transaction.atomic
def decision_add(*, meeting: Meeting, text: str, actor: Any) -> Decision:
    _require_edit(actor, meeting)
    if not text.strip():
        raise TsunaguError("決定事項を入力してください。", field="text")
    order = meeting.decisions.count() + 1
    return save_with_history(
        Decision(meeting=meeting, text=text.strip(), order=order),
        actor=actor,
        action="bodies.decision.add",
    )


@transaction.atomic
def action_item_create(
    *, body: ConsultativeBody, fields: ActionItemFields, actor: Any
) -> ActionItem:
    _require_edit(actor, body)
    data = given(fields)
    if data.get("owner_person") is None and data.get("owner_organisation") is None:
        raise TsunaguError(
            "宿題の担当者（人または団体・部署）を指定してください。",
            field="owner_person",
            code=errors.NO_OWNER,
        )
    meeting, issue = data.get("meeting"), data.get("regional_issue")
    if meeting is not None and meeting.body_id != body.pk:
        raise TsunaguError("別の会議体の会議は選べません。", field="meeting")
    if issue is not None and issue.municipality_id != body.municipality_id:
        raise TsunaguError("別の市町村の地域課題は選べません。", field="regional_issue")
    _check_local(
        {
            "owner_person": data.get("owner_person"),
            "owner_organisation": data.get("owner_organisation"),
        },
        body.municipality_id,
    )
    item = ActionItem(body=body)
    apply_fields(item, data, ACTION_FIELDS)
    if item.status == ActionItemStatus.DONE and item.completed_on is None:
        item.completed_on = timezone.localdate()
    return save_with_history(item, actor=actor, action="bodies.action_item.create")


@transaction.atomic
def action_item_update(*, item: ActionItem, fields: ActionItemFields, actor: Any) -> ActionItem:
    _require_edit(actor, item)
    data = given(fields)
    merged_person = data.get("owner_person", item.owner_person)
    merged_org = data.get("owner_organisation", item.owner_organisation)
    if merged_person is None and merged_org is None:
        raise TsunaguError(
            "宿題の担当者（人または団体・部署）を指定してください。",
            field="owner_person",
            code=errors.NO_OWNER,
        )
    _check_local(
        {k: data[k] for k in ("owner_person", "owner_organisation") if k in data},
        item.body.municipality_id,
    )
    if data.get("status") == ActionItemStatus.DONE and item.status != ActionItemStatus.DONE:
        data = {**data, "completed_on": data.get("completed_on") or timezone.localdate()}
    elif "status" in data and data["status"] != ActionItemStatus.DONE:
        data = {**data, "completed_on": None}  # reopened: no longer completed
    if apply_fields(item, data, field_names(ActionItemFields)):
        save_with_history(item, actor=actor, action="bodies.action_item.update")
    return item


# --- certification ---------------------------------------------------------------------


@transaction.atomic
def certification_rules_save(
    *,
    municipality: Any,
    fields: RulesFields,
    actor: Any,
    rules: CertificationRules | None = None,
) -> CertificationRules:
    _require_edit(actor, municipality)
    rules = rules or CertificationRules(municipality=municipality)
    if apply_fields(rules, fields, RULES_FIELDS):
        save_with_history(rules, actor=actor, action="bodies.rules.save")
    return rules


@transaction.atomic
def certification_apply(
    *,
    body: ConsultativeBody,
    rules: CertificationRules,
    actor: Any,
    submitted_on: datetime.date | None = None,
    renewal_of: CertificationApplication | None = None,
) -> CertificationApplication:
    """Submit an application (申請). Resident-led bodies only; the rules of the body's municipality."""
    _require_edit(actor, body)
    if not body.is_resident_led:
        raise TsunaguError(
            "認定の対象は住民主体の会議体です。会議体の「住民主体」を確認してください。",
            code=errors.NOT_RESIDENT_LED,
        )
    if rules.municipality_id != body.municipality_id:
        raise TsunaguError("この市町村の認定要領を選んでください。", field="rules")
    if renewal_of is not None and (
        renewal_of.body_id != body.pk
        or renewal_of.status not in (CertificationStatus.CERTIFIED, CertificationStatus.EXPIRED)
    ):
        raise TsunaguError(
            "更新できるのは、この会議体の認定済み（または期間満了）の認定だけです。",
            field="renewal_of",
        )
    application = CertificationApplication(
        body=body,
        rules=rules,
        status=CertificationStatus.SUBMITTED,
        submitted_on=submitted_on or timezone.localdate(),
        renewal_of=renewal_of,
        review=evaluate_requirements(body, rules),
    )
    return save_with_history(
        application,
        actor=actor,
        action="bodies.certification.renew" if renewal_of else "bodies.certification.apply",
    )


@transaction.atomic
def certification_review(
    *,
    application: CertificationApplication,
    manual: dict[str, bool],
    actor: Any,
    notes: dict[str, str] | None = None,
) -> CertificationApplication:
    """Re-check each requirement: automatic ones from the data, others by the reviewer."""
    _require_edit(actor, application)
    if application.status != CertificationStatus.SUBMITTED:
        raise TsunaguError("審査できるのは申請済みの申請だけです。", code=errors.WRONG_STATUS)
    review = evaluate_requirements(application.body, application.rules)
    for code, passed in manual.items():
        if code in review and review[code]["result"] == "manual":
            review[code]["result"] = "pass" if passed else "fail"
            review[code]["by"] = getattr(actor, "display_name", "")
            if notes and notes.get(code):
                review[code]["detail"] = notes[code]
    application.review = review
    return save_with_history(application, actor=actor, action="bodies.certification.review")


@transaction.atomic
def certification_decide(
    *,
    application: CertificationApplication,
    certify: bool,
    actor: Any,
    reason: str = "",
    decided_on: datetime.date | None = None,
) -> CertificationApplication:
    """Certify (with number and validity) or return with reasons (差し戻し)."""
    _require_edit(actor, application)
    if application.status != CertificationStatus.SUBMITTED:
        raise TsunaguError("決定できるのは申請済みの申請だけです。", code=errors.WRONG_STATUS)
    decided_on = decided_on or timezone.localdate()
    application.decided_on = decided_on
    if not certify:
        if not reason.strip():
            raise TsunaguError(
                "差し戻しの理由を入力してください。", field="reason", code=errors.REASON_REQUIRED
            )
        application.status = CertificationStatus.RETURNED
        application.decision_reason = reason.strip()
        return save_with_history(application, actor=actor, action="bodies.certification.send_back")
    unmet = [item["label"] for item in application.review.values() if item["result"] != "pass"]
    if unmet:
        raise TsunaguError(
            "満たしていない（または未確認の）要件があります: " + "、".join(unmet),
            code=errors.REQUIREMENTS_UNMET,
        )
    rules = application.rules
    year_count = (
        CertificationApplication.objects.filter(
            rules__municipality=rules.municipality, certified_on__year=decided_on.year
        ).count()
        + 1
    )
    application.status = CertificationStatus.CERTIFIED
    application.certified_on = decided_on
    application.valid_until = (
        decided_on + relativedelta(years=rules.validity_years) - datetime.timedelta(days=1)
    )
    application.certificate_number = f"{rules.number_prefix}{decided_on.year}-{year_count:03d}号"
    application.decision_reason = reason.strip()
    save_with_history(application, actor=actor, action="bodies.certification.certify")
    if application.renewal_of_id:
        previous = application.renewal_of
        previous.status = CertificationStatus.RENEWED
        save_with_history(previous, actor=actor, action="bodies.certification.supersede")
    return application


@transaction.atomic
def certification_resubmit(
    *, application: CertificationApplication, actor: Any
) -> CertificationApplication:
    """After a return, submit again with the current data."""
    _require_edit(actor, application)
    if application.status != CertificationStatus.RETURNED:
        raise TsunaguError("再申請できるのは差し戻された申請だけです。", code=errors.WRONG_STATUS)
    application.status = CertificationStatus.SUBMITTED
    application.submitted_on = timezone.localdate()
    application.review = evaluate_requirements(application.body, application.rules)
    return save_with_history(application, actor=actor, action="bodies.certification.resubmit")


# --- files (added for the web UI) ---------------------------------------------------------


@transaction.atomic
def meeting_attachment_add(
    *, meeting: Meeting, title: str, file: Any, actor: Any
) -> MeetingAttachment:
    """Attach an image or file to a meeting's minutes; the meeting's history records it."""
    _require_edit(actor, meeting)
    title = (title or "").strip() or getattr(file, "name", "")
    attachment = MeetingAttachment(meeting=meeting, title=title[:200], file=file)
    attachment.full_clean()
    attachment.save()
    save_with_history(
        meeting, actor=actor, action="bodies.meeting.attachment_add", note=attachment.title
    )
    return attachment


@transaction.atomic
def certification_document_add(
    *, application: CertificationApplication, title: str, file: Any, actor: Any
) -> CertificationDocument:
    """Add a document to an application; the application's history records it."""
    _require_edit(actor, application)
    if application.status in (CertificationStatus.RENEWED, CertificationStatus.EXPIRED):
        raise TsunaguError("終了した申請には書類を追加できません。", code=errors.WRONG_STATUS)
    title = (title or "").strip() or getattr(file, "name", "")
    document = CertificationDocument(
        application=application,
        title=title[:200],
        file=file,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.full_clean()
    document.save()
    save_with_history(
        application, actor=actor, action="bodies.certification.document_add", note=document.title
    )
    return document
