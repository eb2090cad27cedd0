"""Service C services: period limits, enrolment, graduation's 受皿 plan, follow-ups, returns."""

from __future__ import annotations

import datetime

import pytest

from tests.care.factories import ResidentFactory, staff
from tests.programs.courses import helpers
from tsunagu.accounts.services import system_actor
from tsunagu.care.models import CareLevel, CareLevelRecord
from tsunagu.care.referrals.models import ReferralStatus
from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.programs.courses import selectors, services
from tsunagu.programs.courses.models import Course, CourseSettings, Participant

pytestmark = pytest.mark.django_db


def test_course_within_the_default_limits_is_created_with_its_history() -> None:
    user = staff("care-a", "香春町")
    course = helpers.course(actor=user)
    assert course.municipality.name == "香春町"
    row = course.history.get()
    assert row.history_user == user and row.history_change_reason == "care.course.create"


def test_course_shorter_than_three_months_is_refused() -> None:
    with pytest.raises(TsunaguError, match="3か月以上6か月以下") as caught:
        helpers.course(ends_on=datetime.date(2025, 6, 30))
    assert caught.value.field == "ends_on"
    assert not Course.objects.filter(municipality__name="香春町").exists()


def test_course_longer_than_six_months_is_refused() -> None:
    with pytest.raises(TsunaguError, match="3か月以上6か月以下"):
        helpers.course(ends_on=datetime.date(2025, 10, 2))
    assert not Course.objects.filter(municipality__name="香春町").exists()


def test_course_of_exactly_six_months_is_accepted() -> None:
    assert helpers.course(ends_on=datetime.date(2025, 10, 1)).pk


def test_municipality_settings_change_the_allowed_period() -> None:
    user = staff("care-a", "香春町")
    town = helpers.municipality()
    services.course_settings_update(municipality=town, min_months=2, max_months=3, actor=user)
    assert CourseSettings.objects.get(municipality=town).history.count() == 1
    assert helpers.course(ends_on=datetime.date(2025, 6, 1)).pk
    with pytest.raises(TsunaguError, match="2か月以上3か月以下"):
        helpers.course(ends_on=datetime.date(2025, 7, 31))


def test_settings_change_is_404_without_the_care_right() -> None:
    user = staff("no-care", "香春町", care=False)
    with pytest.raises(NotFound):
        services.course_settings_update(
            municipality=helpers.municipality(), min_months=1, max_months=12, actor=user
        )
    assert not CourseSettings.objects.filter(municipality__name="香春町").exists()


def test_course_needs_a_service_c_program() -> None:
    instance = helpers.program(service_type="day_b")
    with pytest.raises(TsunaguError, match="訪問型C・通所型C"):
        services.course_create(
            program=instance,
            name="x",
            starts_on=helpers.START,
            ends_on=helpers.END,
            capacity=5,
            actor=system_actor(),
        )
    assert not Course.objects.filter(municipality__name="香春町").exists()


def test_course_create_is_404_for_another_municipalitys_staff() -> None:
    user = staff("care-b", "鹿児島市")
    with pytest.raises(NotFound):
        helpers.course(actor=user)
    assert not Course.objects.filter(municipality__name="香春町").exists()


def test_enrolment_is_refused_when_the_course_is_full() -> None:
    course = helpers.course(capacity=1)
    helpers.participant(course)
    with pytest.raises(TsunaguError, match="定員（1人）に達している"):
        helpers.participant(course)
    assert course.participants.count() == 1


def test_enrolment_is_refused_for_a_resident_of_another_municipality() -> None:
    course = helpers.course()
    elsewhere = ResidentFactory(municipality=helpers.municipality("鹿児島市"))
    with pytest.raises(TsunaguError, match="香春町の住民ではない"):
        helpers.participant(course, elsewhere)
    assert not course.participants.exists()


def test_enrolment_needs_a_checklist_or_an_assessment_note() -> None:
    course = helpers.course()
    with pytest.raises(TsunaguError, match="参加の根拠"):
        helpers.participant(course, justification_note="")
    assert not course.participants.exists()


def test_enrolment_writes_history_and_logs_the_residents_read() -> None:
    from tsunagu.accounts.models import PersonalDataReadLog

    user = staff("care-a", "香春町")
    course = helpers.course()
    resident = ResidentFactory()
    participant = services.participant_enrol(
        course=course,
        resident=resident,
        enrolled_on=helpers.START,
        justification_note="アセスメント",
        actor=user,
    )
    assert participant.history.get().history_change_reason == "care.participant.enrol"
    assert PersonalDataReadLog.objects.filter(user=user, object_id=str(resident.pk)).exists()


def test_graduation_is_refused_without_a_receiver_plan() -> None:
    participant = helpers.participant(helpers.course())
    with pytest.raises(TsunaguError, match="受皿の計画がないため卒業にできません"):
        services.participant_graduate(
            participant=participant,
            graduated_on=helpers.END,
            outcome="improved",
            actor=system_actor(),
        )
    participant.refresh_from_db()
    assert participant.graduated_on is None and not participant.follow_ups.exists()


def test_graduation_with_a_draft_referral_is_refused() -> None:
    participant = helpers.participant(helpers.course())
    draft = helpers.referral(participant, status=ReferralStatus.DRAFT)
    with pytest.raises(TsunaguError, match="作成中のつなぎ"):
        helpers.graduate(participant, referral=draft)
    participant.refresh_from_db()
    assert participant.graduated_on is None


def test_graduation_with_another_residents_referral_is_refused() -> None:
    course = helpers.course()
    first, second = helpers.participant(course), helpers.participant(course)
    with pytest.raises(TsunaguError, match="この住民のつなぎ"):
        helpers.graduate(first, referral=helpers.referral(second))
    first.refresh_from_db()
    assert first.graduated_on is None


def test_graduation_with_a_sent_referral_schedules_follow_ups_at_three_and_six_months() -> None:
    participant = helpers.graduate(helpers.participant(helpers.course()))
    due = list(participant.follow_ups.order_by("months").values_list("months", "due_on"))
    assert due == [(3, datetime.date(2025, 10, 31)), (6, datetime.date(2026, 1, 31))]
    assert participant.history.first().history_change_reason == "care.participant.graduate"


def test_graduation_with_a_reason_for_no_receiver_is_accepted() -> None:
    participant = helpers.graduate(
        helpers.participant(helpers.course()), no_receiver_reason="近くに通いの場がない"
    )
    assert participant.receiver_referral is None
    assert participant.no_receiver_reason == "近くに通いの場がない"


def test_discontinued_needs_a_reason() -> None:
    participant = helpers.participant(helpers.course())
    with pytest.raises(TsunaguError, match="中断の理由") as caught:
        helpers.graduate(participant, outcome="discontinued")
    assert caught.value.field == "discontinue_reason"
    participant.refresh_from_db()
    assert participant.outcome == ""


def test_discontinued_with_a_reason_is_recorded() -> None:
    participant = helpers.graduate(
        helpers.participant(helpers.course()), outcome="discontinued", discontinue_reason="入院"
    )
    assert participant.get_outcome_display() == "中断"


def test_return_is_detected_from_a_care_level_after_graduation() -> None:
    participant = helpers.graduate(helpers.participant(helpers.course()))
    CareLevelRecord.objects.create(
        resident=participant.resident,
        level=CareLevel.SUPPORT_1,
        valid_from=datetime.date(2025, 9, 1),
    )
    assert selectors.return_signals(participant) == ["要支援1（2025-09-01から）"]


def test_care_level_before_graduation_is_not_a_return() -> None:
    participant = helpers.graduate(helpers.participant(helpers.course()))
    CareLevelRecord.objects.create(
        resident=participant.resident,
        level=CareLevel.CARE_1,
        valid_from=datetime.date(2025, 1, 1),
    )
    assert selectors.return_signals(participant) == []


def test_return_is_detected_from_a_second_course() -> None:
    first = helpers.graduate(helpers.participant(helpers.course()))
    second_course = helpers.course(
        name="第2期", starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 4, 30)
    )
    helpers.participant(second_course, first.resident, enrolled_on=datetime.date(2026, 1, 5))
    assert selectors.return_signals(first) == ["サービスC再参加: 第2期（2026-01-05）"]


def test_follow_up_record_is_confirmed_by_staff_with_history() -> None:
    user = staff("care-a", "香春町")
    participant = helpers.graduate(helpers.participant(helpers.course()))
    follow_up = participant.follow_ups.get(months=3)
    services.follow_up_record(
        follow_up=follow_up,
        done_on=datetime.date(2025, 11, 1),
        still_taking_part=True,
        came_back=False,
        actor=user,
    )
    follow_up.refresh_from_db()
    assert follow_up.still_taking_part is True and follow_up.recorded_by == user
    assert follow_up.history.first().history_user == user


def test_follow_ups_due_lists_the_overdue_ones_of_own_municipality() -> None:
    user = staff("care-a", "香春町")
    participant = helpers.graduate(helpers.participant(helpers.course()))
    due = selectors.follow_ups_due(user=user, today=datetime.date(2025, 11, 5))
    assert [f.months for f in due] == [3]
    other = staff("care-b", "鹿児島市")
    assert not selectors.follow_ups_due(user=other, today=datetime.date(2026, 12, 1)).exists()
    assert Participant.objects.get(pk=participant.pk)


def test_attendance_records_every_participant() -> None:
    course = helpers.course()
    came, away = helpers.participant(course), helpers.participant(course)
    session = services.session_add(course=course, date=helpers.START, actor=system_actor())
    services.attendance_record(session=session, present_ids=[came.pk], actor=system_actor())
    marks = dict(session.attendances.values_list("participant_id", "present"))
    assert marks == {came.pk: True, away.pk: False}
