"""Service C pages: the care gate (404 otherwise, nothing changes) and the read log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.care.factories import staff
from tests.programs.courses import helpers
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.programs.courses.models import Participant

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _purposes(user, resident) -> list[str]:
    return list(
        PersonalDataReadLog.objects.filter(
            user=user, model_label="care.Resident", object_id=str(resident.pk)
        ).values_list("purpose", flat=True)
    )


def _urls(participant: Participant) -> list[str]:
    course = participant.course
    session = course.sessions.first()
    follow_up = participant.follow_ups.first()
    goal = participant.goals.first()
    urls = [
        reverse("care_courses:detail", args=[course.pk]),
        reverse("care_courses:enrol", args=[course.pk]) + f"?resident={participant.resident_id}",
        reverse("care_courses:session_add", args=[course.pk]),
        reverse("care_courses:participant", args=[participant.pk]),
        reverse("care_courses:goal_add", args=[participant.pk]),
        reverse("care_courses:assessment", args=[participant.pk]),
        reverse("care_courses:candidate_add", args=[participant.pk]),
        reverse("care_courses:graduate", args=[participant.pk]),
    ]
    if session:
        urls.append(reverse("care_courses:attendance", args=[session.pk]))
    if follow_up:
        urls.append(reverse("care_courses:follow_up", args=[follow_up.pk]))
    assert goal is None or goal.pk
    return urls


@pytest.fixture
def graduate() -> Participant:
    from tsunagu.accounts.services import system_actor
    from tsunagu.programs.courses import services

    participant = helpers.graduate(helpers.participant(helpers.course()))
    services.session_add(course=participant.course, date=helpers.START, actor=system_actor())
    return participant


def test_participant_page_shows_the_path_and_logs_the_read(graduate) -> None:
    user = staff("care-a", "香春町")
    response = _client(user).get(reverse("care_courses:participant", args=[graduate.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert graduate.resident.name in body and "改善" in body and "3か月後" in body
    assert _purposes(user, graduate.resident) == ["サービスCの参加者を表示"]


def test_course_page_logs_each_participant_shown(graduate) -> None:
    user = staff("care-a", "香春町")
    other = helpers.participant(graduate.course)
    _client(user).get(reverse("care_courses:detail", args=[graduate.course.pk]))
    assert _purposes(user, graduate.resident) == ["サービスCのコースの参加者を表示"]
    assert _purposes(user, other.resident) == ["サービスCのコースの参加者を表示"]


def test_follow_ups_page_logs_each_person_listed(graduate) -> None:
    user = staff("care-a", "香春町")
    body = _client(user).get(reverse("care_courses:follow_ups")).content.decode()
    assert graduate.resident.name in body  # the 3-month follow-up of 2025 is overdue
    assert _purposes(user, graduate.resident) == ["フォローアップ予定を表示"]


@pytest.mark.parametrize(
    ("username", "town", "care"),
    [("no-care", "香春町", False), ("other-town", "鹿児島市", True)],
)
def test_every_page_is_404_without_the_right_and_logs_nothing(
    graduate, username, town, care
) -> None:
    user = staff(username, town, care=care)
    client = _client(user)
    for url in _urls(graduate):
        response = client.get(url)
        assert response.status_code == 404, url
        assert graduate.resident.name not in response.content.decode()
    assert _purposes(user, graduate.resident) == []


@pytest.mark.parametrize(
    ("username", "town", "care"),
    [("no-care", "香春町", False), ("other-town", "鹿児島市", True)],
)
def test_graduating_is_404_without_the_right_and_changes_nothing(username, town, care) -> None:
    participant = helpers.participant(helpers.course())
    user = staff(username, town, care=care)
    response = _client(user).post(
        reverse("care_courses:graduate", args=[participant.pk]),
        {"graduated_on": "2025-07-31", "outcome": "improved", "no_receiver_reason": "x"},
    )
    assert response.status_code == 404
    participant.refresh_from_db()
    assert participant.graduated_on is None and not participant.follow_ups.exists()


def test_report_pages_are_404_without_the_care_right() -> None:
    user = staff("no-care", "香春町", care=False)
    client = _client(user)
    for name in ("list", "report", "report_export", "readiness", "follow_ups", "settings"):
        assert client.get(reverse(f"care_courses:{name}")).status_code == 404, name


def test_graduating_on_the_page_without_a_plan_shows_the_error_and_changes_nothing() -> None:
    participant = helpers.participant(helpers.course())
    user = staff("care-a", "香春町")
    response = _client(user).post(
        reverse("care_courses:graduate", args=[participant.pk]),
        {"graduated_on": "2025-07-31", "outcome": "improved"},
    )
    assert response.status_code == 200
    assert "受皿の計画がないため卒業にできません" in response.content.decode()
    participant.refresh_from_db()
    assert participant.graduated_on is None


def test_enrolling_on_the_page_uses_the_residents_checklist() -> None:
    from tests.care.factories import ResidentFactory

    course = helpers.course()
    resident = ResidentFactory()
    user = staff("care-a", "香春町")
    url = reverse("care_courses:enrol", args=[course.pk]) + f"?resident={resident.pk}"
    response = _client(user).post(
        url, {"enrolled_on": "2025-04-01", "justification_note": "アセスメントで運動器の低下"}
    )
    participant = Participant.objects.get(course=course)
    assert response.status_code == 302
    assert participant.resident == resident
