"""One audit trail: action kinds as history reasons, replaced child rows on the parent's
履歴 page (before/after), plan changes with their actor, filtering the page by kind."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.mobility.rides_helpers import (
    DAY,
    make_driver,
    make_own_car,
    make_request,
    make_rider,
    make_service,
    t,
)
from tsunagu.bodies import services as bodies_services
from tsunagu.bodies.services import BodyFields, MeetingFields
from tsunagu.core import actions
from tsunagu.core.history import history_entries, save_with_history
from tsunagu.directory import services as directory_services
from tsunagu.directory.models import Organisation, Resource
from tsunagu.directory.services import ResourceFields
from tsunagu.mobility.models import RideStatus
from tsunagu.mobility.rides import planning
from tsunagu.mobility.rides import services as mobility_services


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def meeting(municipality, user_named):
    kawara = user_named("kawara")
    body = bodies_services.body_create(
        municipality=municipality("香春町"),
        fields=BodyFields(name="履歴検証用 定例会", kind="regular"),
        actor=kawara,
    )
    day = datetime.date(2025, 4, 17)
    return bodies_services.meeting_schedule(
        body=body,
        fields=MeetingFields(starts_at=_at(day, 14), ends_at=_at(day, 15), place="役場2階会議室"),
        actor=kawara,
    )


@pytest.fixture(autouse=True)
def _japanese_after_each_test():
    # A page viewed by an English-speaking user leaves English active in this thread.
    yield
    translation.activate("ja")


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name, municipality__name="香春町")


# --- the registry ----------------------------------------------------------------------------


def test_reasons_are_stored_as_codes_with_an_optional_note():
    assert actions.reason_text("bodies.meeting.update") == "bodies.meeting.update"
    assert actions.reason_text("bodies.meeting.create_recurring", "1/3") == (
        "bodies.meeting.create_recurring: 1/3"
    )
    assert len(actions.reason_text("directory.resource.update", "あ" * 200)) == 100
    with pytest.raises(LookupError):
        actions.reason_text("directory.resource.vanish")


def test_old_free_text_reasons_still_display_as_written():
    assert actions.display_reason("地域資源を登録") == "地域資源を登録"
    assert actions.parse_reason("段階を変更: 把握 → 検討") == (None, "段階を変更: 把握 → 検討")
    assert actions.display_reason("directory.resource.update") == "地域資源を変更"
    assert actions.display_reason("regional_issues.issue.stage_change: 把握 → 検討") == (
        "段階を変更: 把握 → 検討"
    )


def test_action_labels_translate_to_english():
    with translation.override("en"):
        assert actions.display_reason("directory.resource.update") == "Resource changed"
        assert actions.display_reason("bodies.meeting.attendance_replace: 2名・団体") == (
            "Attendance recorded (2名・団体)"
        )


def test_the_free_text_path_still_works_for_callers_not_converted(meeting, user_named):
    meeting.place = "公民館"
    save_with_history(meeting, actor=user_named("kawara"), reason="会場の変更（旧形式）")
    newest = history_entries(meeting)[0]
    assert newest.reason == "会場の変更（旧形式）" and newest.action == ""


# --- replaced child rows ------------------------------------------------------------------


def test_replacing_attendance_shows_before_and_after_on_the_meetings_history_page(
    meeting, user_named, client_as
):
    kawara = user_named("kawara")
    bodies_services.meeting_record_attendance(
        meeting=meeting,
        entries=[{"organisation": _org("採銅所地域コミュニティ協議会")}],
        actor=kawara,
    )
    bodies_services.meeting_record_attendance(
        meeting=meeting,
        entries=[
            {"organisation": _org("保険健康課"), "present": False},
            {"guest_name": "九州厚生局 アドバイザー"},
        ],
        actor=kawara,
    )
    newest = history_entries(meeting)[0]
    assert newest.action == "bodies.meeting.attendance_replace"
    assert newest.reason == "出席者を記録（2名・団体）"
    attendance = next(c for c in newest.changes if c.label == "出席者")
    assert attendance.old == "採銅所地域コミュニティ協議会"
    assert attendance.new == "保険健康課（欠席）、九州厚生局 アドバイザー"
    page = client_as("kawara").get(reverse("bodies:meeting_history", args=[meeting.pk]))
    html = page.content.decode()
    assert "保険健康課（欠席）、九州厚生局 アドバイザー" in html
    assert "採銅所地域コミュニティ協議会" in html


def test_replacing_weekly_slots_shows_before_and_after_on_the_resources_history_page(
    user_named, client_as
):
    kawara = user_named("kawara")
    resource = Resource.objects.filter(municipality__name="香春町").order_by("pk").first()
    assert resource is not None
    directory_services.resource_update(
        resource=resource,
        fields=ResourceFields(
            weekly_slots=[{"weekday": 2, "opens_at": "10:00", "closes_at": "12:00"}]
        ),
        actor=kawara,
    )
    directory_services.resource_update(
        resource=resource,
        fields=ResourceFields(
            weekly_slots=[{"weekday": 4, "opens_at": "13:00", "closes_at": "15:00"}]
        ),
        actor=kawara,
    )
    newest = history_entries(resource, user=kawara)[0]
    assert newest.action == "directory.resource.schedule_replace"
    assert newest.who == kawara.display_name
    slots = next(c for c in newest.changes if c.label == "毎週の日程")
    assert (slots.old, slots.new) == ("毎週水曜 10:00〜12:00", "毎週金曜 13:00〜15:00")
    page = client_as("kawara").get(reverse("directory:resource_history", args=[resource.pk]))
    html = page.content.decode()
    assert "毎週水曜 10:00〜12:00" in html and "毎週金曜 13:00〜15:00" in html


def test_an_unchanged_schedule_writes_no_history_row(user_named):
    kawara = user_named("kawara")
    resource = Resource.objects.filter(municipality__name="香春町").order_by("pk").first()
    slots = [{"weekday": 1, "opens_at": "09:00", "closes_at": "11:00"}]
    directory_services.resource_update(
        resource=resource, fields=ResourceFields(weekly_slots=slots), actor=kawara
    )
    count = resource.history.count()
    directory_services.resource_update(
        resource=resource, fields=ResourceFields(weekly_slots=slots), actor=kawara
    )
    assert resource.history.count() == count


# --- plans ------------------------------------------------------------------------------------


def test_taking_a_ride_off_a_plan_records_actor_and_the_routes_before_and_after(user_named):
    service = make_service()
    make_own_car(make_driver(service))
    rider = make_rider(service)
    kept = make_request(rider, appointment_at=t("9:00"))
    cancelled = make_request(make_rider(service), appointment_at=t("14:00"))
    actor = user_named("naokawa")
    plan = planning.plan_day(service=service, date=DAY, actor=actor, time_limit_s=0.2)
    cancelled.refresh_from_db()
    mobility_services.ride_set_status(
        ride=cancelled, status=RideStatus.CANCELLED, reason="都合", actor=actor
    )
    newest = history_entries(plan)[0]
    assert newest.action == "mobility.plan.remove_ride"
    assert newest.who == actor.display_name
    assert newest.reason == f"予約 {cancelled.pk}（キャンセル）を配車計画から外す"
    routes = next(c for c in newest.changes if c.label == "運行と予約")
    assert f"{kept.pk}、{cancelled.pk}" in routes.old
    assert str(cancelled.pk) not in routes.new.split("予約 ")[-1].split("、")
    assert str(kept.pk) in routes.new


def test_computing_a_plan_records_its_routes(user_named):
    service = make_service()
    make_own_car(make_driver(service))
    ride = make_request(make_rider(service), appointment_at=t("10:00"))
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=0.2
    )
    created = history_entries(plan)[0]
    assert created.action == "mobility.plan.create"
    routes = next(c for c in created.changes if c.label == "運行と予約")
    assert routes.old == "—" and f"予約 {ride.pk}" in routes.new


# --- the page: labels and filtering ---------------------------------------------------------


def test_history_page_can_be_filtered_by_action_kind(meeting, user_named, client_as):
    kawara = user_named("kawara")
    bodies_services.meeting_update(
        meeting=meeting, fields=MeetingFields(place="公民館"), actor=kawara
    )
    client = client_as("kawara")
    url = reverse("bodies:meeting_history", args=[meeting.pk])
    everything = client.get(url).content.decode()
    assert '<select id="history-kind" name="kind">' in everything
    assert '<option value="bodies.meeting.update">会議の記録を変更</option>' in everything
    assert "会議を登録" in everything and "会議の記録を変更" in everything
    only_update = client.get(url, {"kind": "bodies.meeting.update"}).content.decode()
    assert only_update.count('class="history-entry"') == 1
    assert "公民館" in only_update
    assert '<option value="bodies.meeting.update" selected>' in only_update
    unknown = client.get(url, {"kind": "no.such.kind"}).content.decode()
    assert unknown.count('class="history-entry"') == 2


def test_history_page_in_english_shows_english_action_labels(meeting, user_named, client_as):
    user = user_named("kawara")
    bodies_services.meeting_update(
        meeting=meeting, fields=MeetingFields(place="公民館"), actor=user
    )
    user.language = "en"
    user.save(update_fields=["language"])
    html = client_as("kawara").get(reverse("bodies:meeting_history", args=[meeting.pk]))
    text = html.content.decode()
    assert "<p>Meeting record changed</p>" in text
    assert '<option value="bodies.meeting.update">Meeting record changed</option>' in text
    assert "会議の記録を変更" not in text
