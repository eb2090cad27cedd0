"""Compliance reminders (講習・保険・免許・車検) and the dashboard panel, with a fixed date."""

from __future__ import annotations

import datetime

import pytest

from tests.mobility.rides_helpers import (
    make_driver,
    make_org_vehicle,
    make_request,
    make_rider,
    make_service,
)
from tsunagu.mobility.panels import panel_context
from tsunagu.mobility.rides import selectors

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2030, 1, 7)


def test_driver_reminders_expired_soon_and_missing_courses() -> None:
    service = make_service()
    driver = make_driver(
        service,
        licence_expires_on=datetime.date(2030, 1, 6),  # expired yesterday
        insurance_expires_on=datetime.date(2030, 3, 8),  # 60 days: still "soon"
        driver_course_completed_on=datetime.date(2023, 12, 1),
    )
    reminders = {(r.label, r.status) for r in selectors.driver_reminders(driver, TODAY)}
    assert reminders == {("運転免許", "expired"), ("保険", "soon"), ("介助講習", "missing")}


def test_nothing_to_remind_when_far_and_complete() -> None:
    service = make_service()
    driver = make_driver(
        service,
        licence_expires_on=datetime.date(2030, 3, 9),  # 61 days
        insurance_expires_on=None,
        driver_course_completed_on=datetime.date(2023, 12, 1),
        assistance_course_completed_on=datetime.date(2024, 2, 1),
    )
    assert selectors.driver_reminders(driver, TODAY) == []


def test_vehicle_inspection_reminder_and_badges() -> None:
    service = make_service()
    vehicle = make_org_vehicle(service)
    vehicle.inspection_expires_on = datetime.date(2030, 1, 20)
    vehicle.save()
    (reminder,) = selectors.vehicle_reminders(vehicle, TODAY)
    assert (reminder.label, reminder.badge) == ("車検", "60日以内に期限")


def test_panel_lists_reminders_and_todays_unplanned_requests_in_scope(user_named) -> None:
    service = make_service()
    make_driver(service, name="期限切れ", insurance_expires_on=datetime.date(2029, 12, 1))
    make_request(make_rider(service), day=TODAY)
    context = panel_context(user_named("saiki"), TODAY)
    assert any(
        str(r.subject) == "期限切れ" and r.status == "expired" for r in context["reminders"]
    ) or (context["reminder_count"] > len(context["reminders"]))
    assert (service, 1) in context["unplanned"]
    other = panel_context(user_named("kagoshima"), TODAY)
    assert other is not None and (service, 1) not in other["unplanned"]
    assert all(r.subject.service.municipality.name == "鹿児島市" for r in other["reminders"])


def test_panel_renders_on_the_dashboard(client_as) -> None:
    from django.urls import reverse

    body = client_as("naokawa").get(reverse("dashboard:home")).content.decode()
    assert "講習・保険・免許・車検のお知らせ" in body
