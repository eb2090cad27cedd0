"""A second booking of one rider at an overlapping time: warned at booking (the operator may
confirm a true second trip), never planned twice; plan writes record actor and history; a
finished draft plan says what it is (issue 12)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.mobility.rides_helpers import (
    DAY,
    make_driver,
    make_own_car,
    make_request,
    make_rider,
    make_service,
    t,
)
from tsunagu.core.actions import display_reason
from tsunagu.mobility.models import DayPlan, PlannedStop, RideRequest, RideStatus
from tsunagu.mobility.rides import planning, services

pytestmark = pytest.mark.django_db


def _post(rider, **extra):
    data = {
        "rider": rider.pk,
        "trip_date": "令和12年1月8日",
        "purpose": "hospital",
        "origin_is_home": "on",
        "destination_label": "診療所",
        "destination_latitude": "32.8903",
        "destination_longitude": "131.7898",
        "appointment_at": "10:15",
        "escort_minutes": "0",
        "companions": "0",
        "booked_via": "phone",
    }
    data.update(extra)
    return data


def test_second_overlapping_booking_is_warned_and_needs_confirmation(client_as) -> None:
    service = make_service()
    rider = make_rider(service, name="重複 ハナ")
    first = make_request(rider, appointment_at=t("10:00"))
    client = client_as("naokawa")
    url = reverse("mobility:book", args=[service.pk])

    response = client.post(url, _post(rider))
    body = response.content.decode()
    assert response.status_code == 200
    assert RideRequest.objects.filter(rider=rider).count() == 1
    assert f"予約 {first.pk}" in body and "予約 10:00" in body and "時間の重なる予約" in body
    assert 'name="confirm_duplicate"' in body

    response = client.post(url, _post(rider, confirm_duplicate="on"))
    assert response.status_code == 302
    assert RideRequest.objects.filter(rider=rider).count() == 2


def test_a_later_trip_of_the_same_rider_is_not_warned(client_as) -> None:
    service = make_service()
    rider = make_rider(service)
    make_request(rider, appointment_at=t("10:00"))
    response = client_as("naokawa").post(
        reverse("mobility:book", args=[service.pk]), _post(rider, appointment_at="15:00")
    )
    assert response.status_code == 302
    assert RideRequest.objects.filter(rider=rider).count() == 2


def test_api_refuses_an_overlapping_booking_unless_confirmed(client_as) -> None:
    service = make_service()
    rider = make_rider(service)
    make_request(rider, appointment_at=t("10:00"))
    url = f"/api/v1/mobility/services/{service.pk}/requests"
    payload = {
        "rider_id": rider.pk,
        "trip_date": DAY.isoformat(),
        "purpose": "hospital",
        "destination_label": "診療所",
        "destination_latitude": 32.8903,
        "destination_longitude": 131.7898,
        "appointment_at": "10:00",
    }
    client = client_as("naokawa")
    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 422, refused.content
    assert "confirm_duplicate" in refused.content.decode()
    confirmed = client.post(
        url, {**payload, "confirm_duplicate": True}, content_type="application/json"
    )
    assert confirmed.status_code == 201, confirmed.content


def test_planner_refuses_two_overlapping_trips_of_one_rider(user_named) -> None:
    service = make_service()
    make_own_car(make_driver(service))
    rider = make_rider(service)
    first = make_request(rider, appointment_at=t("10:00"))
    second = make_request(rider, appointment_at=t("10:15"))
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=0.2
    )
    assert PlannedStop.objects.filter(route__plan=plan, request=first).count() == 2
    assert not PlannedStop.objects.filter(request=second).exists()
    reason = plan.unserved.get(request=second).reason
    assert f"予約 {first.pk}" in reason and "二重予約" in reason


def test_cancelling_a_planned_ride_records_who_changed_the_plan(user_named) -> None:
    service = make_service()
    make_own_car(make_driver(service))
    ride = make_request(make_rider(service), appointment_at=t("9:00"))
    actor = user_named("naokawa")
    plan = planning.plan_day(service=service, date=DAY, actor=actor, time_limit_s=0.2)
    ride.refresh_from_db()
    services.ride_set_status(ride=ride, status=RideStatus.CANCELLED, reason="都合", actor=actor)
    latest = plan.history.order_by("-history_date", "-pk").first()
    assert latest.history_user == actor
    assert f"予約 {ride.pk}" in display_reason(latest.history_change_reason)


def test_a_computed_plan_does_not_read_as_still_being_made(client_as, user_named) -> None:
    service = make_service()
    make_own_car(make_driver(service))
    make_request(make_rider(service), appointment_at=t("9:00"))
    planning.plan_day(service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=0.2)
    body = (
        client_as("naokawa")
        .get(reverse("mobility:day_plan", args=[service.pk, DAY.isoformat()]))
        .content.decode()
    )
    assert DayPlan.objects.get(service=service).status == DayPlan.Status.DRAFT
    assert "作成中" not in body and "未確定" in body
