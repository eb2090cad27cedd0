"""Printable A4 minutes and the .ics calendar feeds (per body, per user, secret address)."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import signing
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from tests.bodies import test_views as shared
from tsunagu.bodies import services
from tsunagu.bodies.services import ActionItemFields
from tsunagu.bodies.views.feeds import FEED_SALT
from tsunagu.directory.models import Person

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")

# Fixtures and helpers shared with test_views.py (assigned, so pytest registers them here too).
admin = shared.admin
media_root = shared.media_root
kawara_body = shared.kawara_body
saiki_records = shared.saiki_records
make_body = shared.make_body
make_meeting = shared.make_meeting


def _events(response) -> list:
    calendar = Calendar.from_ical(response.content)
    return [c for c in calendar.walk("VEVENT")]


@pytest.fixture
def held_meeting(kawara_body, admin):
    body, people = kawara_body["body"], kawara_body["people"]
    meeting = make_meeting(
        body,
        admin,
        datetime.date(2025, 4, 17),
        title="香春町 定例会 令和7年4月",
        place="香春町役場 2階会議室",
        agenda="1. ゴミ出しの困りごと\n2. 見守りの体制",
        facilitator=people["machi"],
        minutes="## ゴミ出し\n- 採銅所地域で困っている人が多い",
        next_meeting_note="令和7年5月15日（木）14時 香春町役場",
        status="held",
    )
    seats = {m.person_id: m for m in body.members.all()}
    services.meeting_record_attendance(
        meeting=meeting,
        entries=[
            {"person": people["council"], "organisation": seats[people["council"].pk].organisation},
            {"person": people["hoken"], "organisation": seats[people["hoken"].pk].organisation},
            {"person": people["machi"], "organisation": None, "present": False},
            {"guest_name": "九州厚生局 アドバイザー"},
        ],
        actor=admin,
    )
    services.decision_add(meeting=meeting, text="ゴミ出し支援をサービスBで試行する", actor=admin)
    services.action_item_create(
        body=body,
        fields=ActionItemFields(
            title="区長会に説明する",
            owner_person=people["council"],
            due_on=datetime.date(2025, 5, 15),
            meeting=meeting,
        ),
        actor=admin,
    )
    return meeting


# --- printable minutes -----------------------------------------------------------------


def test_printed_minutes_have_the_usual_sections_in_order(client_as, held_meeting):
    response = client_as("kawara").get(f"/bodies/meetings/{held_meeting.pk}/print/")
    assert response.status_code == 200
    page = response.content.decode()
    headings = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert headings == ["日時", "場所", "出席者", "議題", "内容", "決定事項", "宿題", "次回予定"]
    assert "令和7年4月17日（木）14:00〜15:30" in page
    assert "香春町役場 2階会議室" in page
    assert "採銅所地域コミュニティ協議会　採銅 花子" in page  # 団体名・氏名
    assert "ゲスト: 九州厚生局 アドバイザー" in page
    assert "欠席: 町 次郎" in page
    assert "<h2>ゴミ出し</h2>" in page  # minutes rendered from Markdown
    assert "ゴミ出し支援をサービスBで試行する" in page
    assert "区長会に説明する（担当: 採銅 花子、期限: 令和7年5月15日（木））" in page
    assert "令和7年5月15日（木）14時 香春町役場" in page


def test_printed_minutes_are_set_for_a4_with_a_print_button_hidden_in_print(
    client_as, held_meeting
):
    page = client_as("kawara").get(f"/bodies/meetings/{held_meeting.pk}/print/").content.decode()
    css = Path(finders.find("bodies/meeting_print.css")).read_text()
    assert "/static/bodies/meeting_print.css" in page
    assert "@page { size: A4" in css
    assert "Noto Sans JP" in css
    assert re.search(r'class="toolbar no-print">\s*<button type="button" data-print>', page)
    assert ".no-print { display: none !important; }" in css


def test_printed_minutes_of_another_municipality_are_not_found(client_as, saiki_records):
    response = client_as("kawara").get(f"/bodies/meetings/{saiki_records['meeting'].pk}/print/")
    assert response.status_code == 404


# --- .ics feeds --------------------------------------------------------------------------


def test_body_feed_parses_with_one_event_per_meeting_in_tokyo_time(client_as, kawara_body, admin):
    body = kawara_body["body"]
    services.meeting_schedule_series(
        body=body,
        first_starts_at=timezone.make_aware(datetime.datetime(2025, 4, 17, 14, 0)),
        count=3,
        place="香春町役場",
        actor=admin,
    )
    response = client_as("kawara").get(f"/bodies/{body.pk}/meetings.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response)
    assert len(events) == 3
    starts = sorted(event.decoded("dtstart") for event in events)
    assert [s.tzinfo.key for s in starts] == ["Asia/Tokyo"] * 3
    assert starts[0] == datetime.datetime(2025, 4, 17, 14, 0, tzinfo=TOKYO)
    assert starts[0].hour == 14 and starts[1].date() == datetime.date(2025, 5, 15)
    assert str(events[0].get("location")) == "香春町役場"
    calendar = Calendar.from_ical(response.content)
    assert [tz.get("tzid") for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_body_feed_needs_login_and_is_not_found_for_another_municipality(client_as, saiki_records):
    url = f"/bodies/{saiki_records['body'].pk}/meetings.ics"
    assert Client().get(url).status_code == 302
    assert client_as("kawara").get(url).status_code == 404
    assert len(_events(client_as("saiki").get(url))) == 1


def test_my_feed_lists_only_meetings_of_bodies_where_i_sit(
    client_as, kawara_body, admin, user_named, municipality
):
    kawara = user_named("kawara")
    Person.objects.filter(pk=kawara_body["people"]["hoken"].pk).update(user=kawara)
    make_meeting(kawara_body["body"], admin, datetime.date(2025, 4, 17))
    make_meeting(kawara_body["body"], admin, datetime.date(2025, 5, 15))
    other = make_body(municipality("香春町"), admin, name="別の会議")
    make_meeting(other, admin, datetime.date(2025, 4, 20))
    events = _events(client_as("kawara").get("/bodies/my-meetings.ics"))
    assert len(events) == 2
    assert all("テスト定例会" in str(event.get("summary")) for event in events)


def test_secret_feed_address_works_without_login_until_the_password_changes(
    client_as, kawara_body, admin, user_named
):
    kawara = user_named("kawara")
    Person.objects.filter(pk=kawara_body["people"]["hoken"].pk).update(user=kawara)
    make_meeting(kawara_body["body"], admin, datetime.date(2025, 4, 17))
    page = client_as("kawara").get("/bodies/calendar/").content.decode()
    # The token carries a timestamp, so take the one the page shows.
    found = re.search(r"/bodies/feed/([^/\"<\s]+)\.ics", page)
    assert found is not None
    token = found.group(1)
    assert signing.loads(token, salt=FEED_SALT)[0] == kawara.pk

    response = Client().get(f"/bodies/feed/{token}.ics")
    assert response.status_code == 200
    assert len(_events(response)) == 1

    assert Client().get(f"/bodies/feed/{token[:-2]}xx.ics").status_code == 404
    assert Client().get("/bodies/feed/not-a-token.ics").status_code == 404
    kawara.set_password("a-new-password-for-tests")
    kawara.save()
    assert Client().get(f"/bodies/feed/{token}.ics").status_code == 404
