"""Outcome report, readiness, the one-click regional issue and the outcomes API."""

from __future__ import annotations

import datetime
import io
import json

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from tests.care.factories import ResidentFactory, staff
from tests.programs.courses import helpers
from tsunagu.accounts.services import system_actor
from tsunagu.care.models import CareLevel, CareLevelRecord
from tsunagu.care.referrals.models import ReferralStatus
from tsunagu.programs.courses import reports, services
from tsunagu.regional_issues.models import RegionalIssue

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dataset():
    """One 香春町 course of four (改善→通いの場 started, 維持→declined, 悪化→no 受皿 and a
    care level after graduation, one still in the course) and one 鹿児島市 course."""
    town = helpers.municipality()
    course = helpers.course(town)
    salon = helpers.gathering_resource(town, name="テストサロン")
    people = [helpers.participant(course) for _ in range(4)]
    started = helpers.referral(people[0], status=ReferralStatus.STARTED, resource=salon)
    helpers.graduate(people[0], referral=started)
    declined = helpers.referral(people[1], status=ReferralStatus.DECLINED, resource=salon)
    helpers.graduate(people[1], outcome="maintained", referral=declined)
    helpers.graduate(people[2], outcome="worsened", no_receiver_reason="近くにない")
    CareLevelRecord.objects.create(
        resident=people[2].resident, level=CareLevel.CARE_1, valid_from=datetime.date(2025, 9, 1)
    )
    services.follow_up_record(
        follow_up=people[0].follow_ups.get(months=3),
        done_on=datetime.date(2025, 11, 1),
        still_taking_part=True,
        came_back=False,
        actor=system_actor(),
    )
    elsewhere = helpers.course(helpers.municipality("鹿児島市"), name="鹿児島の教室")
    helpers.graduate(helpers.participant(elsewhere), no_receiver_reason="x")
    return {"course": course, "people": people, "salon": salon, "elsewhere": elsewhere}


def test_report_counts_outcomes_destinations_and_returns_on_a_known_dataset(dataset) -> None:
    report = reports.outcome_report(municipality_ids=[dataset["course"].municipality_id])
    assert [c["name"] for c in report.courses] == ["元気アップ教室"]
    expected = {
        "participants": 4,
        "improved": 1,
        "maintained": 1,
        "worsened": 1,
        "discontinued": 0,
        "referred": 2,
        "waiting": 0,
        "started": 1,
        "declined": 1,
        "no_receiver": 1,
        "still_3": 1,
        "still_6": 0,
        "came_back": 0,
        "came_back_detected": 1,
    }
    assert report.totals == expected
    [receiver] = report.receivers
    assert receiver["name"] == "テストサロン"
    assert (receiver["referred"], receiver["started"], receiver["declined"]) == (2, 1, 1)
    [provider] = report.providers
    assert provider["participants"] == 4


def test_report_page_shows_figures_and_no_name(dataset) -> None:
    user = staff("care-a", "香春町")
    body = _client(user).get(reverse("care_courses:report")).content.decode()
    assert "元気アップ教室" in body and "テストサロン" in body
    assert "鹿児島の教室" not in body
    for person in dataset["people"]:
        assert person.resident.name not in body


def test_report_export_is_an_xlsx_of_aggregates(dataset) -> None:
    user = staff("care-a", "香春町")
    response = _client(user).get(reverse("care_courses:report_export"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert "元気アップ教室" in cells and "テストサロン" in cells
    assert dataset["people"][0].resident.name not in cells


def test_readiness_lists_a_district_where_a_graduate_had_nowhere_to_go() -> None:
    town = helpers.municipality()
    served = helpers.district(town, "テスト地区A")
    empty = helpers.district(town, "テスト地区B")
    helpers.gathering_resource(town, districts=[served], name="地区Aの通いの場")
    course = helpers.course(town)
    helpers.graduate(
        helpers.participant(course, ResidentFactory(district=empty)),
        no_receiver_reason="地区に通いの場がない",
    )
    user = staff("care-a", "香春町")
    body = _client(user).get(reverse("care_courses:readiness")).content.decode()
    short = body.split('id="short"')[1].split('id="districts"')[0]
    assert "テスト地区B" in short and "テスト地区A" not in short
    assert "地区Aの通いの場" in body


def test_one_click_raises_the_regional_issue_with_the_district_and_figures() -> None:
    town = helpers.municipality()
    empty = helpers.district(town, "テスト地区B")
    resident = ResidentFactory(district=empty)
    helpers.graduate(helpers.participant(helpers.course(town), resident), no_receiver_reason="ない")
    user = staff("care-a", "香春町")
    response = _client(user).post(
        reverse("care_courses:readiness_issue"), {"municipality": town.pk, "district": empty.pk}
    )
    issue = RegionalIssue.objects.get(title__startswith="受皿が不足")
    assert response.status_code == 302 and response["Location"].endswith(f"/{issue.pk}/")
    assert issue.title == "受皿が不足（テスト地区B）"
    assert list(issue.districts.all()) == [empty]
    assert "受皿なしで卒業: 1人" in issue.description
    assert resident.name not in issue.description


def test_one_click_is_404_for_staff_without_the_care_right() -> None:
    town = helpers.municipality()
    empty = helpers.district(town, "テスト地区B")
    user = staff("no-care", "香春町", care=False)
    before = RegionalIssue.objects.count()
    response = _client(user).post(
        reverse("care_courses:readiness_issue"), {"municipality": town.pk, "district": empty.pk}
    )
    assert response.status_code == 404
    assert RegionalIssue.objects.count() == before


def test_outcomes_api_returns_aggregates_of_own_municipality_only(dataset) -> None:
    user = staff("care-a", "香春町")
    answer = _client(user).get("/api/v1/care/courses/outcomes").json()
    assert [c["name"] for c in answer["courses"]] == ["元気アップ教室"]
    assert answer["totals"]["improved"] == 1 and answer["totals"]["no_receiver"] == 1
    text = json.dumps(answer, ensure_ascii=False)
    assert all(p.resident.name not in text for p in dataset["people"])


def test_outcomes_api_is_empty_without_the_care_right(dataset) -> None:
    user = staff("no-care", "香春町", care=False)
    answer = _client(user).get("/api/v1/care/courses/outcomes").json()
    assert answer["courses"] == [] and answer["totals"]["participants"] == 0
