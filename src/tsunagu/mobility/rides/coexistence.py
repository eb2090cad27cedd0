"""Public transport beside the rides (公共交通との共存): the day's open requests checked
against the municipality's bus and demand-transport timetables (transit's coexistence check).

Kept apart from :mod:`tsunagu.mobility.rides.planning` so that planning (which services call) never
calls back into services: this module uses both.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tsunagu.mobility.models import MobilityService, RideRequest
from tsunagu.mobility.rides.planning import PLANNABLE, _point, _windows, minutes
from tsunagu.mobility.rides.services import ride_set_public_alternative
from tsunagu.transit.coexistence.check import TravelRequest
from tsunagu.transit.selectors import transit_alternatives


def _alternative_text(option: Any) -> str:
    text = _(
        "%(route)s（%(headsign)s）%(board)s %(board_time)s発 → %(alight)s %(alight_time)s着"
        "（%(leave)sに出発、バス停まで約%(walk)dm）"
    ) % {
        "route": option.route_name,
        "headsign": option.headsign or "—",
        "board": option.board_stop_name,
        "board_time": option.board_time_text,
        "alight": option.alight_stop_name,
        "alight_time": option.alight_time_text,
        "leave": option.leave_at_text,
        "walk": round(option.walk_to_board_m),
    }
    if option.is_demand:
        text += _("［デマンド交通: 事前の予約が必要］")
    return text


def mark_public_alternatives(
    *, service: MobilityService, date: datetime.date, actor: Any = None
) -> int:
    """Check the day's open requests against the municipality's bus/demand feeds and store the
    first usable run in ``public_alternative`` (cleared when none). Returns how many have one.

    The person may leave in the pick-up window; with only an appointment time, from two hours
    before it, arriving by the appointment.
    """
    rides = list(
        RideRequest.objects.filter(service=service, trip_date=date, status__in=PLANNABLE).order_by(
            "pk"
        )
    )
    travel: list[TravelRequest] = []
    for ride in rides:
        origin = _point(ride.origin_latitude, ride.origin_longitude)
        destination = _point(ride.destination_latitude, ride.destination_longitude)
        if origin is None or destination is None:
            continue
        pickup, _dropoff = _windows(ride)
        arrive_by = int(minutes(ride.appointment_at) * 60) if ride.appointment_at else None
        if pickup is not None:
            earliest, latest = int(pickup[0] * 60), int(pickup[1] * 60)
        elif arrive_by is not None:
            earliest, latest = max(0, arrive_by - 120 * 60), arrive_by
        else:  # pragma: no cover - the model requires a time
            continue
        travel.append(
            TravelRequest(
                ref=str(ride.pk),
                origin_lat=origin[0],
                origin_lon=origin[1],
                dest_lat=destination[0],
                dest_lon=destination[1],
                date=date,
                earliest=earliest,
                latest=latest,
                arrive_by=arrive_by,
            )
        )
    report = transit_alternatives(municipality=service.municipality, requests=travel)
    found = {r.request.ref: r.best for r in report.results if r.best is not None}
    with transaction.atomic():
        for ride in rides:
            best = found.get(str(ride.pk))
            ride_set_public_alternative(
                ride=ride, text=_alternative_text(best) if best else "", actor=actor
            )
    return len(found)
