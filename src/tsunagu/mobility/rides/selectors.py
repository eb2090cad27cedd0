"""Every read of mobility support for users, filtered to what the user may see.

Objects outside the user's scope answer :class:`~tsunagu.core.errors.NotFound` (404) exactly
like missing ones. Riders and named ride requests are personal data (要配慮個人情報): they are
fetched only through the ``*_for_user`` functions here, which check
:func:`~tsunagu.mobility.permissions.can_view_riders` and log the read where a person's details
are shown.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext as _

from tsunagu.accounts.permissions import scope_for, scope_q
from tsunagu.core.errors import NotFound
from tsunagu.mobility.models import (
    DayPlan,
    Driver,
    MobilityService,
    PlannedRoute,
    Rider,
    RideRequest,
    RideStatus,
    Vehicle,
)
from tsunagu.mobility.permissions import can_view_riders, can_view_service
from tsunagu.mobility.rides.planning import PLANNABLE, spans_overlap, trip_span
from tsunagu.mobility.rides.privacy import disclose

REMINDER_DAYS = 60


def service_list_visible_to(*, user: Any) -> QuerySet[MobilityService]:
    scope = scope_for(user)
    condition = scope_q(user) | Q(operator_id__in=scope.organisation_ids)
    return (
        MobilityService.objects.filter(condition)
        .select_related("municipality", "operator")
        .prefetch_related("districts")
        .distinct()
    )


def service_get_for_user(*, user: Any, service_id: int) -> MobilityService:
    service = (
        MobilityService.objects.select_related("municipality", "operator")
        .filter(pk=service_id)
        .first()
    )
    if service is None or not can_view_service(user, service):
        raise NotFound()
    return service


def driver_get_for_user(*, user: Any, driver_id: int) -> Driver:
    driver = Driver.objects.select_related("service__municipality").filter(pk=driver_id).first()
    if driver is None or not can_view_service(user, driver.service):
        raise NotFound()
    return driver


def vehicle_get_for_user(*, user: Any, vehicle_id: int) -> Vehicle:
    vehicle = (
        Vehicle.objects.select_related(
            "service__municipality", "owner_driver", "owner_organisation"
        )
        .filter(pk=vehicle_id)
        .first()
    )
    if vehicle is None or not can_view_service(user, vehicle.service):
        raise NotFound()
    return vehicle


def rider_list_for_user(*, user: Any, service: MobilityService, query: str = "") -> QuerySet[Rider]:
    """Riders of a service, searched by よみがな, phone or member number (the page that shows
    them logs the read through :func:`tsunagu.mobility.rides.privacy.disclose`)."""
    if not can_view_riders(user, service):
        raise NotFound()
    riders = Rider.objects.filter(service=service).select_related("district")
    query = unicodedata.normalize("NFKC", query or "").strip()
    if query:
        # Callers say the reading in hiragana or katakana, with or without spaces.
        hiragana = "".join(
            chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in query
        ).replace(" ", "")
        condition = (
            Q(kana_plain__contains=hiragana)
            | Q(name__contains=query)
            | Q(member_number__iexact=query)
        )
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) >= 3:
            condition |= Q(phone_digits__contains=digits)
        riders = riders.annotate(
            kana_plain=Replace(Replace("name_kana", Value(" "), Value("")), Value("　"), Value("")),
            phone_digits=Replace(Replace("phone", Value("-"), Value("")), Value(" "), Value("")),
        ).filter(condition)
    return riders


def rider_get_for_user(
    *, user: Any, rider_id: int, purpose: str, path: str = "", log: bool = True
) -> Rider:
    """One rider; logs the read (personal data) unless ``log`` is False (e.g. a form re-render
    that already logged)."""
    rider = (
        Rider.objects.select_related("service__municipality", "service__operator", "district")
        .filter(pk=rider_id)
        .first()
    )
    if rider is None or not can_view_riders(user, rider.service):
        raise NotFound()
    disclose(user=user, service=rider.service, riders=[rider], purpose=purpose, path=path, log=log)
    return rider


def rider_counts_by_district(*, service: MobilityService) -> list[tuple[str, int]]:
    """Aggregates for users who may not see riders (counts only)."""
    rows = (
        Rider.objects.filter(service=service, active=True)
        .values("district__name")
        .annotate(n=Count("pk"))
        .order_by("district__name")
    )
    return [(row["district__name"] or _("地区未設定"), row["n"]) for row in rows]


def request_list_for_user(
    *, user: Any, service: MobilityService, date: datetime.date | None = None, status: str = ""
) -> QuerySet[RideRequest]:
    """Requests of a service (visible to whoever sees the service; names are shown only when
    :func:`can_view_riders` — templates check ``show_names``)."""
    if not can_view_service(user, service):
        raise NotFound()
    requests = RideRequest.objects.filter(service=service).select_related(
        "rider__district", "outbound", "destination_organisation"
    )
    if date is not None:
        requests = requests.filter(trip_date=date)
    if status:
        requests = requests.filter(status=status)
    return requests


def overlapping_requests(
    *, rider: Rider, date: datetime.date, ride: RideRequest
) -> RideRequest | None:
    """The rider's open request that day whose time overlaps ``ride``'s (a likely duplicate
    booking), or None. The caller has already been allowed to see the rider."""
    span = trip_span(ride)
    others = RideRequest.objects.filter(rider=rider, trip_date=date, status__in=PLANNABLE)
    for other in others.order_by("pk"):
        if spans_overlap(trip_span(other), span):
            return other
    return None


def request_get_for_user(*, user: Any, request_id: int) -> RideRequest:
    ride = (
        RideRequest.objects.select_related("service__municipality", "rider__district", "outbound")
        .filter(pk=request_id)
        .first()
    )
    if ride is None or not can_view_riders(user, ride.service):
        raise NotFound()
    return ride


def day_plan_for(*, user: Any, service: MobilityService, date: datetime.date) -> DayPlan | None:
    if not can_view_service(user, service):
        raise NotFound()
    return (
        DayPlan.objects.filter(service=service, date=date)
        .prefetch_related(
            "routes__driver",
            "routes__vehicle",
            "routes__stops__request__rider",
            "unserved__request__rider",
        )
        .first()
    )


def route_get_for_user(*, user: Any, route_id: int) -> PlannedRoute:
    route = (
        PlannedRoute.objects.select_related("plan__service__municipality", "driver", "vehicle")
        .filter(pk=route_id)
        .first()
    )
    if route is None or not can_view_service(user, route.plan.service):
        raise NotFound()
    return route


# --- compliance reminders (講習・保険・免許・車検) -------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One compliance problem of a driver or vehicle, in plain Japanese."""

    subject: Any  # Driver or Vehicle
    label: str  # 免許 / 保険 / 車検 / 講習
    status: str  # "expired" | "soon" | "missing"
    date: datetime.date | None

    @property
    def badge(self) -> str:
        return {
            "expired": _("期限切れ"),
            "soon": _("60日以内に期限"),
            "missing": _("講習未受講"),
        }[self.status]


def _expiry(
    subject: Any, label: str, date: datetime.date | None, today: datetime.date
) -> list[Reminder]:
    if date is None:
        return []
    if date < today:
        return [Reminder(subject, label, "expired", date)]
    if date <= today + datetime.timedelta(days=REMINDER_DAYS):
        return [Reminder(subject, label, "soon", date)]
    return []


def driver_reminders(driver: Driver, today: datetime.date) -> list[Reminder]:
    reminders = _expiry(driver, _("運転免許"), driver.licence_expires_on, today)
    reminders += _expiry(driver, _("保険"), driver.insurance_expires_on, today)
    if driver.driver_course_completed_on is None:
        reminders.append(Reminder(driver, _("運転ボランティア養成講座"), "missing", None))
    if driver.assistance_course_completed_on is None:
        reminders.append(Reminder(driver, _("介助講習"), "missing", None))
    return reminders


def vehicle_reminders(vehicle: Vehicle, today: datetime.date) -> list[Reminder]:
    return _expiry(vehicle, _("自動車保険"), vehicle.insurance_expires_on, today) + _expiry(
        vehicle, _("車検"), vehicle.inspection_expires_on, today
    )


def compliance_reminders(*, user: Any, today: datetime.date) -> list[Reminder]:
    """Reminders of every active driver and vehicle of the services the user sees."""
    services = service_list_visible_to(user=user)
    reminders: list[Reminder] = []
    for driver in Driver.objects.filter(service__in=services, active=True).select_related(
        "service"
    ):
        reminders += driver_reminders(driver, today)
    for vehicle in Vehicle.objects.filter(service__in=services, active=True).select_related(
        "service"
    ):
        reminders += vehicle_reminders(vehicle, today)
    order = {"expired": 0, "soon": 1, "missing": 2}
    return sorted(
        reminders, key=lambda r: (order[r.status], r.date or datetime.date.max, str(r.subject))
    )


def unplanned_requests(*, user: Any, date: datetime.date) -> QuerySet[RideRequest]:
    """Requests of the day still 受付 (not yet in a plan), of the services the user sees."""
    return RideRequest.objects.filter(
        service__in=service_list_visible_to(user=user),
        trip_date=date,
        status=RideStatus.RECEIVED,
    ).select_related("service")
