"""Phone booking: consent, return trip linking, confirmation, status transitions, API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.mobility.rides_helpers import DAY, make_request, make_rider, make_service, t
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.core.actions import display_reason
from tsunagu.core.errors import TsunaguError
from tsunagu.mobility.models import RideRequest, RideStatus
from tsunagu.mobility.rides import services
from tsunagu.mobility.rides.commands import RideFields

pytestmark = pytest.mark.django_db


def _post(rider, **extra):
    data = {
        "rider": rider.pk,
        "trip_date": "令和12年1月8日",
        "purpose": "hospital",
        "origin_is_home": "on",
        "destination_label": "佐伯の病院",
        "destination_latitude": "32.957",
        "destination_longitude": "131.890",
        "appointment_at": "10:00",
        "escort_minutes": "30",
        "companions": "0",
        "booked_via": "phone",
    }
    data.update(extra)
    return data


def test_booking_by_phone_creates_the_request_and_shows_a_read_back(client_as, user_named) -> None:
    service = make_service()
    rider = make_rider(service)
    client = client_as("naokawa")
    response = client.post(reverse("mobility:book", args=[service.pk]), _post(rider))
    assert response.status_code == 302
    ride = RideRequest.objects.get(rider=rider)
    assert ride.trip_date == DAY and ride.appointment_at == t("10:00") and ride.escort_minutes == 30
    assert ride.origin_label == rider.address and ride.origin_latitude == rider.home_latitude
    assert ride.booked_by == user_named("naokawa") and ride.status == RideStatus.RECEIVED
    assert ride.history.filter(history_type="+").exists()
    page = client.get(response["Location"]).content.decode()
    assert "予約を受け付けました" in page and rider.name in page and "約30分付き添います" in page


def test_booking_without_consent_is_refused_with_a_clear_message(client_as) -> None:
    service = make_service()
    rider = make_rider(service, consent=False)
    response = client_as("naokawa").post(reverse("mobility:book", args=[service.pk]), _post(rider))
    assert response.status_code == 200
    body = response.content.decode()
    assert "同意が記録されていないため、予約を受け付けられません" in body
    assert 'value="佐伯の病院"' in body  # what was typed is kept
    assert not RideRequest.objects.filter(rider=rider).exists()


def test_service_refuses_booking_without_consent() -> None:
    from tsunagu.accounts.models import User

    service = make_service()
    rider = make_rider(service, consent=False)
    with pytest.raises(TsunaguError, match="同意"):
        services.ride_book(
            service=service,
            rider=rider,
            fields=RideFields(trip_date=DAY),
            actor=User.objects.get(username="naokawa"),
        )


def test_return_trip_is_linked_and_reversed_with_default_window(client_as) -> None:
    service = make_service()
    rider = make_rider(service)
    client_as("naokawa").post(
        reverse("mobility:book", args=[service.pk]), _post(rider, return_trip="on")
    )
    outbound = RideRequest.objects.get(rider=rider, outbound__isnull=True)
    back = outbound.return_trip
    assert back.outbound == outbound
    assert back.origin_label == "佐伯の病院" and back.destination_label == rider.address
    # appointment 10:00 + 30 min escort, a 30-minute window
    assert (back.earliest_pickup, back.latest_pickup) == (t("10:30"), t("11:00"))
    assert back.escort_minutes == 0 and back.appointment_at is None


def test_return_trip_with_own_times(client_as) -> None:
    service = make_service()
    rider = make_rider(service)
    client_as("naokawa").post(
        reverse("mobility:book", args=[service.pk]),
        _post(rider, return_trip="on", return_earliest="13:00", return_latest="13:20"),
    )
    back = RideRequest.objects.get(rider=rider, outbound__isnull=False)
    assert (back.earliest_pickup, back.latest_pickup) == (t("13:00"), t("13:20"))


def test_booking_errors_name_the_field_and_keep_input(client_as) -> None:
    service = make_service()
    rider = make_rider(service)
    response = client_as("naokawa").post(
        reverse("mobility:book", args=[service.pk]),
        _post(rider, appointment_at="", destination_latitude="", trip_date="令和12年13月1日"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "迎えの時刻か、到着したい時刻のどちらかを入れてください" in body
    assert "緯度・経度も入れてください" in body
    assert "利用日" in body
    assert not RideRequest.objects.filter(rider=rider).exists()


def test_booking_to_a_directory_facility(client_as, municipality) -> None:
    service = make_service()
    rider = make_rider(service)
    from tsunagu.directory.models import Organisation

    clinic = Organisation.objects.get(
        municipality=municipality("佐伯市"), name="直川診療所（デモ）"
    )
    response = client_as("naokawa").post(
        reverse("mobility:book", args=[service.pk]),
        _post(
            rider,
            destination_facility=clinic.pk,
            destination_label="",
            destination_latitude="",
            destination_longitude="",
        ),
    )
    assert response.status_code == 302
    ride = RideRequest.objects.get(rider=rider)
    assert ride.destination_organisation == clinic and ride.destination_latitude == clinic.latitude


def test_finding_a_rider_by_kana_or_phone(client_as) -> None:
    service = make_service()
    make_rider(service, name="佐藤 ハナ", name_kana="さとう はな", phone="0972-55-1234")
    client = client_as("naokawa")
    url = reverse("mobility:book", args=[service.pk])
    assert "佐藤 ハナ" in client.get(url, {"q": "さとう"}).content.decode()
    assert "佐藤 ハナ" in client.get(url, {"q": "551234"}).content.decode()
    assert "佐藤 ハナ" not in client.get(url, {"q": "すずき"}).content.decode()


def test_selecting_a_rider_logs_the_read(client_as, user_named) -> None:
    service = make_service()
    rider = make_rider(service)
    client_as("saiki-sc").get(reverse("mobility:book", args=[service.pk]), {"rider": rider.pk})
    assert PersonalDataReadLog.objects.filter(
        user=user_named("saiki-sc"),
        model_label="mobility.Rider",
        object_id=str(rider.pk),
        purpose="電話受付",
    ).exists()


def test_rider_of_another_service_cannot_be_booked_here(client_as) -> None:
    service = make_service()
    other = make_service(name="別の取組")
    rider = make_rider(other)
    response = client_as("naokawa").get(
        reverse("mobility:book", args=[service.pk]), {"rider": rider.pk}
    )
    assert response.status_code == 404


# --- statuses ---------------------------------------------------------------------------------


def test_cancel_needs_a_reason(client_as) -> None:
    service = make_service()
    ride = make_request(make_rider(service))
    client = client_as("naokawa")
    client.post(
        reverse("mobility:request_status", args=[ride.pk]), {"status": "cancelled", "reason": ""}
    )
    ride.refresh_from_db()
    assert ride.status == RideStatus.RECEIVED
    client.post(
        reverse("mobility:request_status", args=[ride.pk]),
        {"status": "cancelled", "reason": "体調不良"},
    )
    ride.refresh_from_db()
    assert ride.status == RideStatus.CANCELLED and ride.status_reason == "体調不良"
    assert display_reason(ride.history.first().history_change_reason).startswith(
        "状況を「キャンセル」"
    )


def test_complete_only_after_assignment(user_named) -> None:
    service = make_service()
    ride = make_request(make_rider(service))
    actor = user_named("naokawa")
    with pytest.raises(TsunaguError):
        services.ride_set_status(ride=ride, status=RideStatus.COMPLETED, reason="", actor=actor)
    ride.status = RideStatus.ASSIGNED
    ride.save()
    services.ride_set_status(ride=ride, status=RideStatus.COMPLETED, reason="", actor=actor)
    assert ride.status == RideStatus.COMPLETED


def test_final_statuses_cannot_change(user_named) -> None:
    service = make_service()
    ride = make_request(make_rider(service))
    actor = user_named("naokawa")
    services.ride_set_status(
        ride=ride, status=RideStatus.UNSERVED, reason="運転者がいない", actor=actor
    )
    with pytest.raises(TsunaguError):
        services.ride_set_status(ride=ride, status=RideStatus.CANCELLED, reason="x", actor=actor)
    ride.refresh_from_db()
    assert ride.status == RideStatus.UNSERVED


def test_cancelling_a_planned_ride_takes_it_off_the_route(user_named) -> None:
    from tests.mobility.rides_helpers import make_driver, make_own_car
    from tsunagu.mobility.models import PlannedStop
    from tsunagu.mobility.rides import planning

    service = make_service()
    make_own_car(make_driver(service))
    keep = make_request(make_rider(service, name="残る"), appointment_at=t("9:00"))
    cancel = make_request(make_rider(service, name="取消"), appointment_at=t("11:00"))
    planning.plan_day(service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=0.2)
    cancel.refresh_from_db()
    services.ride_set_status(
        ride=cancel, status=RideStatus.CANCELLED, reason="入院", actor=user_named("naokawa")
    )
    assert not PlannedStop.objects.filter(request=cancel).exists()
    assert list(
        PlannedStop.objects.filter(request=keep)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    ) == [1, 2]


# --- API ----------------------------------------------------------------------------------------


def test_api_books_with_return_trip(client_as) -> None:
    service = make_service()
    rider = make_rider(service)
    response = client_as("saiki-sc").post(
        f"/api/v1/mobility/services/{service.pk}/requests",
        {
            "rider_id": rider.pk,
            "trip_date": "2030-01-08",
            "purpose": "hospital",
            "destination_label": "病院",
            "destination_latitude": 32.957,
            "destination_longitude": 131.89,
            "appointment_at": "10:00",
            "escort_minutes": 20,
            "return_trip": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["return_trip"]["outbound_id"] == body["outbound"]["id"]


def test_api_reports_field_errors_and_consent(client_as) -> None:
    service = make_service()
    rider = make_rider(service, consent=False)
    url = f"/api/v1/mobility/services/{service.pk}/requests"
    client = client_as("naokawa")
    missing = client.post(
        url,
        {"rider_id": rider.pk, "trip_date": "2030-01-08", "purpose": "hospital"},
        content_type="application/json",
    )
    assert missing.status_code == 422
    fields = {e["field"] for e in missing.json()["errors"]}
    assert "destination_organisation_id" in fields and "appointment_at" in fields
    refused = client.post(
        url,
        {
            "rider_id": rider.pk,
            "trip_date": "2030-01-08",
            "purpose": "hospital",
            "destination_label": "病院",
            "destination_latitude": 32.957,
            "destination_longitude": 131.89,
            "appointment_at": "10:00",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and "同意" in refused.json()["detail"]
    assert not RideRequest.objects.filter(rider=rider).exists()
