"""Domain rules of bodies, meetings, attendance and action items, through the services.

Actors are demo users: ``kawara`` (香春町 staff) writes; ``saiki`` (佐伯市 staff) stands for another
municipality and ``fukuoka`` (福岡県 staff) for a reader who may not change municipal records.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tsunagu.bodies import errors, selectors, services
from tsunagu.bodies.models import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    ConsultativeBody,
    Meeting,
    MeetingStatus,
)
from tsunagu.bodies.services import ActionItemFields, BodyFields, MeetingFields
from tsunagu.core.actions import display_reason
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.directory import services as directory_services
from tsunagu.directory.models import Organisation
from tsunagu.directory.services import PersonFields

pytestmark = pytest.mark.django_db

TOKYO = datetime.timezone(datetime.timedelta(hours=9))


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture
def kawara(user_named):
    return user_named("kawara")


def org(name: str, municipality_name: str = "香春町") -> Organisation:
    return Organisation.objects.get(name=name, municipality__name=municipality_name)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def freeze(monkeypatch, day: datetime.date) -> None:
    """Freeze django.utils.timezone.now (and so localdate) at noon of ``day`` in Tokyo."""
    frozen = datetime.datetime.combine(day, datetime.time(12), tzinfo=TOKYO)
    monkeypatch.setattr(timezone, "now", lambda: frozen)


def reasons(obj) -> list[str]:
    return [
        display_reason(r)
        for r in obj.history.order_by("history_id").values_list("history_change_reason", flat=True)
    ]


@pytest.fixture
def body(municipality, kawara):
    return services.body_create(
        municipality=municipality("香春町"),
        fields=BodyFields(name="検証用 定例会", kind="regular"),
        actor=kawara,
    )


@pytest.fixture
def member(kawara):
    return directory_services.person_create(
        fields=PersonFields(name="採銅 花子"),
        organisation=org("採銅所地域コミュニティ協議会"),
        title="会長",
        actor=kawara,
    )


@pytest.fixture
def meeting(body, kawara):
    day = datetime.date(2025, 4, 17)
    return services.meeting_schedule(
        body=body,
        fields=MeetingFields(starts_at=at(day, 14), ends_at=at(day, 15, 30), place="役場2階会議室"),
        actor=kawara,
    )


# --- bodies and members ----------------------------------------------------------------


def test_creating_a_body_writes_a_history_row(body, kawara):
    record = body.history.get()
    assert (
        record.history_user == kawara
        and display_reason(record.history_change_reason) == "会議体を登録"
    )


@pytest.mark.parametrize("username", ["saiki", "fukuoka"])
def test_users_who_may_not_edit_cannot_create_a_body(municipality, user_named, username):
    before = ConsultativeBody.objects.count()
    with pytest.raises(PermissionDenied):
        services.body_create(
            municipality=municipality("香春町"),
            fields=BodyFields(name="勝手な会議", kind="other"),
            actor=user_named(username),
        )
    assert ConsultativeBody.objects.count() == before


def test_a_member_needs_an_organisation_or_a_person(body, kawara):
    with pytest.raises(TsunaguError):
        services.member_add(body=body, actor=kawara)
    assert not body.members.exists()


def test_a_members_term_cannot_end_before_it_starts(body, kawara):
    with pytest.raises(TsunaguError) as caught:
        services.member_add(
            body=body,
            organisation=org("区長会"),
            starts_on=datetime.date(2025, 4, 1),
            ends_on=datetime.date(2025, 3, 31),
            actor=kawara,
        )
    assert caught.value.field == "ends_on"
    assert not body.members.exists()


def test_a_member_from_a_district_of_another_municipality_is_refused(body, kawara):
    from tsunagu.areas.models import District

    with pytest.raises(TsunaguError) as caught:
        services.member_add(
            body=body,
            organisation=org("区長会"),
            district=District.objects.get(name="直川地域"),
            actor=kawara,
        )
    assert caught.value.field == "district"
    assert not body.members.exists()


def test_ending_a_seat_keeps_it_on_record_with_history(body, kawara):
    seat = services.member_add(body=body, organisation=org("区長会"), actor=kawara)
    services.member_end(member=seat, ends_on=datetime.date(2025, 3, 31), actor=kawara)
    seat.refresh_from_db()
    assert seat.ends_on == datetime.date(2025, 3, 31) and not seat.is_current
    assert reasons(seat) == ["構成員を追加", "構成員の任期を終了"]
    assert seat.history.latest("history_id").history_user == kawara


# --- meetings --------------------------------------------------------------------------


def test_a_monthly_series_keeps_the_third_thursday(body, kawara):
    meetings = services.meeting_schedule_series(
        body=body,
        first_starts_at=at(datetime.date(2025, 4, 17), 14),
        count=3,
        place="役場2階会議室",
        actor=kawara,
    )
    starts = [timezone.localtime(m.starts_at) for m in meetings]
    assert [s.date() for s in starts] == [
        datetime.date(2025, 4, 17),
        datetime.date(2025, 5, 15),
        datetime.date(2025, 6, 19),
    ]
    assert {s.weekday() for s in starts} == {3}  # Thursday
    assert {(s.hour, s.minute) for s in starts} == {(14, 0)}
    assert [timezone.localtime(m.ends_at).time() for m in meetings] == [datetime.time(15, 30)] * 3
    stored = Meeting.objects.filter(body=body)
    assert stored.count() == 3
    assert len({m.series_key for m in stored}) == 1 and meetings[0].series_key
    assert {m.status for m in stored} == {MeetingStatus.PLANNED}
    assert {m.place for m in stored} == {"役場2階会議室"}
    assert [reasons(m) for m in meetings] == [
        ["定例の会議を登録（1/3）"],
        ["定例の会議を登録（2/3）"],
        ["定例の会議を登録（3/3）"],
    ]
    assert all(m.history.get().history_user == kawara for m in meetings)


def test_a_monthly_series_by_day_of_month_keeps_the_day(body, kawara):
    meetings = services.meeting_schedule_series(
        body=body,
        first_starts_at=at(datetime.date(2025, 4, 17), 14),
        count=3,
        monthly_by_weekday=False,
        actor=kawara,
    )
    assert [timezone.localtime(m.starts_at).date() for m in meetings] == [
        datetime.date(2025, 4, 17),
        datetime.date(2025, 5, 17),
        datetime.date(2025, 6, 17),
    ]


def test_a_monthly_series_from_a_fifth_thursday_stays_monthly(body, kawara):
    meetings = services.meeting_schedule_series(
        body=body, first_starts_at=at(datetime.date(2025, 1, 30), 14), count=3, actor=kawara
    )
    dates = [timezone.localtime(m.starts_at).date() for m in meetings]
    assert [(d.year, d.month) for d in dates] == [(2025, 1), (2025, 2), (2025, 3)]
    assert {d.weekday() for d in dates} == {3}


def test_a_monthly_series_from_the_31st_stays_monthly(body, kawara):
    meetings = services.meeting_schedule_series(
        body=body,
        first_starts_at=at(datetime.date(2025, 1, 31), 14),
        count=3,
        monthly_by_weekday=False,
        actor=kawara,
    )
    dates = [timezone.localtime(m.starts_at).date() for m in meetings]
    assert [(d.year, d.month) for d in dates] == [(2025, 1), (2025, 2), (2025, 3)]


@pytest.mark.parametrize("count", [0, -1, 37])
def test_a_series_count_outside_1_to_36_is_refused(body, kawara, count):
    with pytest.raises(TsunaguError) as caught:
        services.meeting_schedule_series(
            body=body, first_starts_at=at(datetime.date(2025, 4, 17), 14), count=count, actor=kawara
        )
    assert caught.value.field == "count"
    assert "1〜36" in caught.value.message
    assert not Meeting.objects.filter(body=body).exists()


@pytest.mark.parametrize("count", [1, 36])
def test_a_series_count_of_1_or_36_is_accepted(body, kawara, count):
    services.meeting_schedule_series(
        body=body, first_starts_at=at(datetime.date(2025, 4, 17), 14), count=count, actor=kawara
    )
    assert Meeting.objects.filter(body=body).count() == count


def test_a_meeting_ending_before_it_starts_is_refused(body, kawara):
    day = datetime.date(2025, 4, 17)
    with pytest.raises(TsunaguError) as caught:
        services.meeting_schedule(
            body=body,
            fields=MeetingFields(starts_at=at(day, 14), ends_at=at(day, 13)),
            actor=kawara,
        )
    assert caught.value.field == "ends_at"
    assert "終了日時" in caught.value.message
    assert not Meeting.objects.filter(body=body).exists()


def test_changing_a_meeting_to_end_before_it_starts_is_refused(meeting, kawara):
    before = (meeting.starts_at, meeting.ends_at, meeting.history.count())
    with pytest.raises(TsunaguError) as caught:
        services.meeting_update(
            meeting=meeting,
            fields=MeetingFields(ends_at=meeting.starts_at - datetime.timedelta(minutes=1)),
            actor=kawara,
        )
    assert caught.value.field == "ends_at"
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.starts_at, stored.ends_at, stored.history.count()) == before


def test_scheduling_a_meeting_writes_history(meeting, kawara):
    record = meeting.history.get()
    assert (
        record.history_user == kawara
        and display_reason(record.history_change_reason) == "会議を登録"
    )


@pytest.mark.parametrize("username", ["saiki", "fukuoka"])
def test_users_who_may_not_edit_cannot_schedule_meetings(body, user_named, username):
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(
            body=body,
            fields=MeetingFields(starts_at=at(datetime.date(2025, 4, 17), 14)),
            actor=user_named(username),
        )
    with pytest.raises(PermissionDenied):
        services.meeting_schedule_series(
            body=body,
            first_starts_at=at(datetime.date(2025, 4, 17), 14),
            count=3,
            actor=user_named(username),
        )
    assert not Meeting.objects.filter(body=body).exists()


# --- attendance ------------------------------------------------------------------------


def test_attendance_records_people_organisations_and_guests(meeting, member, kawara):
    rows = services.meeting_record_attendance(
        meeting=meeting,
        entries=[
            {"person": member, "organisation": org("採銅所地域コミュニティ協議会")},
            {"organisation": org("保険健康課"), "present": False, "note": "欠席連絡あり"},
            {"guest_name": "  九州厚生局 アドバイザー "},
        ],
        actor=kawara,
    )
    assert [(r.person, r.organisation, r.guest_name, r.present) for r in rows] == [
        (member, org("採銅所地域コミュニティ協議会"), "", True),
        (None, org("保険健康課"), "", False),
        (None, None, "九州厚生局 アドバイザー", True),
    ]
    assert reasons(meeting)[-1] == "出席者を記録（3名・団体）"
    assert meeting.history.latest("history_id").history_user == kawara


def test_attendance_with_an_empty_row_is_refused_naming_the_row(meeting, member, kawara):
    services.meeting_record_attendance(meeting=meeting, entries=[{"person": member}], actor=kawara)
    history = meeting.history.count()
    with pytest.raises(TsunaguError) as caught:
        services.meeting_record_attendance(
            meeting=meeting,
            entries=[{"guest_name": "ゲスト"}, {"guest_name": "  ", "note": "誰か"}],
            actor=kawara,
        )
    assert "出席者2行目" in caught.value.message
    assert caught.value.field == "attendance"
    # the previous list stays as it was
    assert list(Attendance.objects.filter(meeting=meeting).values_list("person", flat=True)) == [
        member.pk
    ]
    assert meeting.history.count() == history


def test_attendance_replaces_the_previous_list(meeting, member, kawara):
    services.meeting_record_attendance(meeting=meeting, entries=[{"person": member}], actor=kawara)
    services.meeting_record_attendance(
        meeting=meeting, entries=[{"guest_name": "ゲスト"}], actor=kawara
    )
    assert list(
        Attendance.objects.filter(meeting=meeting).values_list("guest_name", flat=True)
    ) == ["ゲスト"]


def test_another_municipalitys_staff_cannot_record_attendance(meeting, member, user_named):
    with pytest.raises(PermissionDenied):
        services.meeting_record_attendance(
            meeting=meeting, entries=[{"person": member}], actor=user_named("saiki")
        )
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_decisions_are_numbered_and_an_empty_one_is_refused(meeting, kawara):
    with pytest.raises(TsunaguError):
        services.decision_add(meeting=meeting, text="  ", actor=kawara)
    first = services.decision_add(meeting=meeting, text="次回は第3木曜", actor=kawara)
    second = services.decision_add(meeting=meeting, text="ゴミ出しを課題として登録", actor=kawara)
    assert (first.order, second.order) == (1, 2)
    assert first.history.get().history_user == kawara


# --- action items ----------------------------------------------------------------------


def test_an_action_item_without_an_owner_is_refused(body, meeting, kawara):
    with pytest.raises(TsunaguError) as caught:
        services.action_item_create(
            body=body,
            fields=ActionItemFields(title="区長会に説明する", meeting=meeting),
            actor=kawara,
        )
    assert caught.value.code == errors.NO_OWNER
    assert "担当者" in caught.value.message
    assert not ActionItem.objects.filter(body=body).exists()


def test_removing_the_only_owner_of_an_action_item_is_refused(body, member, kawara):
    item = services.action_item_create(
        body=body,
        fields=ActionItemFields(title="区長会に説明する", owner_person=member),
        actor=kawara,
    )
    with pytest.raises(TsunaguError) as caught:
        services.action_item_update(
            item=item, fields=ActionItemFields(owner_person=None), actor=kawara
        )
    assert caught.value.code == errors.NO_OWNER
    assert ActionItem.objects.get(pk=item.pk).owner_person == member


def test_an_action_item_from_another_bodys_meeting_is_refused(body, municipality, kawara):
    other = services.body_create(
        municipality=municipality("香春町"),
        fields=BodyFields(name="別の会議", kind="other"),
        actor=kawara,
    )
    other_meeting = services.meeting_schedule(
        body=other, fields=MeetingFields(starts_at=at(datetime.date(2025, 4, 1), 10)), actor=kawara
    )
    with pytest.raises(TsunaguError) as caught:
        services.action_item_create(
            body=body,
            fields=ActionItemFields(
                title="x", owner_organisation=org("保険健康課"), meeting=other_meeting
            ),
            actor=kawara,
        )
    assert caught.value.field == "meeting"
    assert not ActionItem.objects.filter(body=body).exists()


def test_creating_an_action_item_writes_history(body, meeting, member, kawara):
    item = services.action_item_create(
        body=body,
        fields=ActionItemFields(
            title="区長会に説明する",
            owner_person=member,
            meeting=meeting,
            due_on=datetime.date(2025, 5, 15),
        ),
        actor=kawara,
    )
    assert item.status == ActionItemStatus.OPEN and item.completed_on is None
    record = item.history.get()
    assert (
        record.history_user == kawara
        and display_reason(record.history_change_reason) == "宿題を登録"
    )


def test_marking_an_action_item_done_sets_the_completion_date(body, member, kawara, monkeypatch):
    item = services.action_item_create(
        body=body,
        fields=ActionItemFields(title="区長会に説明する", owner_person=member),
        actor=kawara,
    )
    freeze(monkeypatch, datetime.date(2025, 5, 20))
    services.action_item_update(
        item=item, fields=ActionItemFields(status=ActionItemStatus.DONE), actor=kawara
    )
    stored = ActionItem.objects.get(pk=item.pk)
    assert stored.status == ActionItemStatus.DONE
    assert stored.completed_on == datetime.date(2025, 5, 20)
    assert reasons(stored)[-1] == "宿題を更新"
    assert stored.history.latest("history_id").history_user == kawara


def test_a_given_completion_date_is_kept(body, member, kawara):
    item = services.action_item_create(
        body=body, fields=ActionItemFields(title="x", owner_person=member), actor=kawara
    )
    services.action_item_update(
        item=item,
        fields=ActionItemFields(status="done", completed_on=datetime.date(2025, 5, 1)),
        actor=kawara,
    )
    assert ActionItem.objects.get(pk=item.pk).completed_on == datetime.date(2025, 5, 1)


def test_an_action_item_created_as_done_gets_a_completion_date(body, member, kawara, monkeypatch):
    freeze(monkeypatch, datetime.date(2025, 5, 20))
    item = services.action_item_create(
        body=body,
        fields=ActionItemFields(title="x", owner_person=member, status=ActionItemStatus.DONE),
        actor=kawara,
    )
    assert ActionItem.objects.get(pk=item.pk).completed_on == datetime.date(2025, 5, 20)


def test_reopening_a_done_action_item_clears_the_completion_date(body, member, kawara):
    item = services.action_item_create(
        body=body, fields=ActionItemFields(title="x", owner_person=member), actor=kawara
    )
    services.action_item_update(
        item=item, fields=ActionItemFields(status=ActionItemStatus.DONE), actor=kawara
    )
    services.action_item_update(
        item=item, fields=ActionItemFields(status=ActionItemStatus.OPEN), actor=kawara
    )
    assert ActionItem.objects.get(pk=item.pk).completed_on is None


def test_another_municipalitys_staff_cannot_change_an_action_item(body, member, kawara, user_named):
    item = services.action_item_create(
        body=body, fields=ActionItemFields(title="x", owner_person=member), actor=kawara
    )
    with pytest.raises(PermissionDenied):
        services.action_item_update(
            item=item,
            fields=ActionItemFields(status=ActionItemStatus.DONE),
            actor=user_named("saiki"),
        )
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.status, stored.completed_on, stored.history.count()) == (
        ActionItemStatus.OPEN,
        None,
        1,
    )


@pytest.mark.parametrize(
    ("due_on", "status", "overdue"),
    [
        (datetime.date(2025, 5, 19), ActionItemStatus.OPEN, True),
        (datetime.date(2025, 5, 19), ActionItemStatus.IN_PROGRESS, True),
        (datetime.date(2025, 5, 20), ActionItemStatus.OPEN, False),  # due today
        (datetime.date(2025, 6, 1), ActionItemStatus.OPEN, False),
        (datetime.date(2025, 5, 19), ActionItemStatus.DONE, False),
        (datetime.date(2025, 5, 19), ActionItemStatus.DROPPED, False),
        (None, ActionItemStatus.OPEN, False),
    ],
)
def test_an_action_item_is_overdue_when_open_and_past_its_due_date(
    body, member, kawara, monkeypatch, due_on, status, overdue
):
    item = services.action_item_create(
        body=body,
        fields=ActionItemFields(title="x", owner_person=member, due_on=due_on, status=status),
        actor=kawara,
    )
    freeze(monkeypatch, datetime.date(2025, 5, 20))
    assert item.is_overdue is overdue
    listed = selectors.overdue_action_items(user=kawara, today=datetime.date(2025, 5, 20))
    assert listed.filter(pk=item.pk).exists() is overdue


def test_overdue_action_items_are_scoped_to_the_users_municipality(
    body, member, kawara, user_named
):
    item = services.action_item_create(
        body=body,
        fields=ActionItemFields(title="x", owner_person=member, due_on=datetime.date(2025, 5, 1)),
        actor=kawara,
    )
    today = datetime.date(2025, 5, 20)
    assert item in selectors.overdue_action_items(user=kawara, today=today)
    assert item not in selectors.overdue_action_items(user=user_named("saiki"), today=today)
