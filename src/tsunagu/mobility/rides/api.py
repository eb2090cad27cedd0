"""Mobility API router (/api/v1/mobility): ride requests of a service, kept small.

Only the operating organisation's members and municipal staff with the personal-data right may
list or book rides (others who see the service get 403; others 404). Every list is a logged read
of personal data. Booking validates exactly like the phone-booking page (the same form) and goes
through :func:`tsunagu.mobility.rides.services.ride_book`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from tsunagu.core.api.errors import (
    READ_ERRORS,
    WRITE_ERRORS,
    ApiValidationError,
    ErrorOut,
    FieldError,
)
from tsunagu.core.api.schemas import CleanIn
from tsunagu.core.errors import PermissionDenied
from tsunagu.mobility.models import RideRequest
from tsunagu.mobility.permissions import can_manage_rides
from tsunagu.mobility.rides import selectors, services
from tsunagu.mobility.rides.forms import BookingForm
from tsunagu.mobility.rides.privacy import RideView, disclose, disclose_rides

router = Router(tags=["移動支援"])


class RideOut(Schema):
    id: int
    service_id: int
    rider_id: int
    rider_name: str
    trip_date: datetime.date
    purpose: str
    origin_label: str
    destination_label: str
    earliest_pickup: datetime.time | None
    latest_pickup: datetime.time | None
    appointment_at: datetime.time | None
    escort_minutes: int
    wheelchair: bool
    status: str
    status_label: str
    status_reason: str
    outbound_id: int | None
    public_alternative: str


class RideIn(CleanIn):
    rider_id: int
    trip_date: str
    purpose: str
    origin_is_home: bool = True
    origin_label: str = ""
    origin_latitude: float | None = None
    origin_longitude: float | None = None
    destination_organisation_id: int | None = None
    destination_label: str = ""
    destination_latitude: float | None = None
    destination_longitude: float | None = None
    appointment_at: str | None = None
    earliest_pickup: str | None = None
    latest_pickup: str | None = None
    escort_minutes: int = 0
    wheelchair: bool = False
    companions: int = 0
    mobility_aids: str = ""
    booked_via: str = "phone"
    note: str = ""
    return_trip: bool = False
    return_earliest: str | None = None
    return_latest: str | None = None
    # A second trip of the rider at an overlapping time is refused unless confirmed.
    confirm_duplicate: bool = False


class BookingOut(Schema):
    outbound: RideOut
    return_trip: RideOut | None


def _out(ride: RideView, service_id: int, rider_id: int) -> dict[str, Any]:
    return {
        "id": ride.pk,
        "service_id": service_id,
        "rider_id": rider_id,
        "rider_name": ride.who,
        "trip_date": ride.trip_date,
        "purpose": ride.purpose,
        "origin_label": ride.origin_label,
        "destination_label": ride.destination_label,
        "earliest_pickup": ride.earliest_pickup,
        "latest_pickup": ride.latest_pickup,
        "appointment_at": ride.appointment_at,
        "escort_minutes": ride.escort_minutes,
        "wheelchair": ride.wheelchair,
        "status": ride.status,
        "status_label": ride.get_status_display,
        "status_reason": ride.status_reason,
        "outbound_id": ride.outbound_id,
        "public_alternative": ride.public_alternative,
    }


def _service_for_rides(request: HttpRequest, service_id: int) -> Any:
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    if not can_manage_rides(request.user, service):
        raise PermissionDenied("送迎の予約を扱う権限がありません。")
    return service


@router.get(
    "/services/{service_id}/requests",
    response={200: list[RideOut], 403: ErrorOut, **READ_ERRORS},
    summary="送迎の予約の一覧",
)
def request_list(
    request: HttpRequest, service_id: int, date: datetime.date | None = None
) -> list[dict[str, Any]]:
    service = _service_for_rides(request, service_id)
    rides = list(
        selectors.request_list_for_user(user=request.user, service=service, date=date)[:1000]
    )
    _disclosure, views = disclose_rides(
        user=request.user,
        service=service,
        rides=rides,
        purpose=f"API: 送迎の予約の一覧（{date or '全日'}）",
        path=request.get_full_path(),
    )
    return [_out(view, service.pk, ride.rider_id) for view, ride in zip(views, rides, strict=True)]


@router.post(
    "/services/{service_id}/requests",
    response={201: BookingOut, **WRITE_ERRORS},
    summary="送迎の予約を受け付ける",
)
def request_create(request: HttpRequest, service_id: int, payload: RideIn) -> Status:
    service = _service_for_rides(request, service_id)
    rider = selectors.rider_get_for_user(
        user=request.user, rider_id=payload.rider_id, purpose="API: 送迎の予約", path=request.path
    )
    if rider.service_id != service.pk:
        raise ApiValidationError(
            [FieldError("rider_id", "利用会員", "この取組の利用会員を指定してください。")]
        )
    data = payload.dict()
    data["destination_facility"] = data.pop("destination_organisation_id")
    data = {k: v for k, v in data.items() if v is not None}
    form = BookingForm(data, user=request.user, service=service, rider=rider)
    if not form.is_valid():
        names = {"destination_facility": "destination_organisation_id"}
        raise ApiValidationError(
            [
                FieldError(
                    names.get(name, name) if name != "__all__" else None,
                    str(form.fields[name].label) if name in form.fields else "",
                    str(message),
                )
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    outbound, back = services.ride_book(
        service=service,
        rider=rider,
        fields=form.request_fields(),
        return_trip=form.return_fields(),
        actor=request.user,
    )
    # The rider's read was logged by rider_get_for_user above.
    disclosure = disclose(user=request.user, service=service, riders=[rider], purpose="", log=False)

    def out(ride: RideRequest) -> dict[str, Any]:
        return _out(disclosure.ride(ride), service.pk, rider.pk)

    return Status(201, {"outbound": out(outbound), "return_trip": out(back) if back else None})
