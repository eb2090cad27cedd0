"""The demo service C courses: synthetic, in 久留米市 and 出水市, with their 受皿 and a return."""

from __future__ import annotations

import pytest

from tsunagu.accounts.services import system_actor
from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.demo.courses_loader import COURSE_NAME, load_courses
from tsunagu.demo.loader import LoadSummary
from tsunagu.programs.courses import reports
from tsunagu.programs.courses.models import Course, Participant

pytestmark = pytest.mark.django_db


def test_demo_has_one_synthetic_day_c_course_in_kurume_and_izumi() -> None:
    courses = Course.objects.filter(name=COURSE_NAME).select_related("municipality", "program")
    assert sorted(c.municipality.name for c in courses) == ["久留米市", "出水市"]
    assert all(c.is_synthetic and c.program.service_type == "day_c" for c in courses)
    participants = Participant.objects.filter(course__in=courses).select_related("resident")
    assert participants and all(p.resident.is_synthetic for p in participants)


def test_demo_graduates_went_to_synthetic_kayoi_and_salon_and_one_was_declined() -> None:
    referrals = Referral.objects.filter(course_graduations__course__name=COURSE_NAME)
    names = set(referrals.values_list("resource__name", flat=True))
    assert all("架空" in name for name in names)
    assert any("通いの場" in n for n in names) and any("サロン" in n for n in names)
    declined = referrals.filter(status=ReferralStatus.DECLINED)
    assert declined.count() == 2 and all(r.decline_reason for r in declined)


def test_demo_follow_ups_show_one_person_who_came_back_per_town() -> None:
    courses = list(Course.objects.filter(name=COURSE_NAME))
    assert len(courses) == 2  # 久留米市 and 出水市
    for course in courses:
        totals = reports.outcome_report(municipality_ids=[course.municipality_id]).totals
        assert totals["came_back"] == 1 and totals["came_back_detected"] == 1
        assert totals["still_3"] == 1 and totals["no_receiver"] == 2


def test_demo_course_loader_twice_changes_nothing() -> None:
    before = (Course.objects.count(), Participant.objects.count(), Referral.objects.count())
    summary = LoadSummary()
    load_courses(system_actor(), summary)
    assert (Course.objects.count(), Participant.objects.count(), Referral.objects.count()) == before
    assert summary.created == 0
