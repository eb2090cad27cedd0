"""Builders for the rides tests: a small service of 佐伯市 run by 直川地域コミュニティ協議会
(the demo user ``naokawa`` is a member), with drivers, vehicles, riders and requests."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from tsunagu.areas.models import Municipality
from tsunagu.directory.models import Organisation
from tsunagu.mobility.models import (
    Driver,
    DriverAvailability,
    MobilityService,
    PlaceKind,
    Rider,
    RideRequest,
    Vehicle,
    VehicleIdleWindow,
)

# A Tuesday far from the demo day, so demo requests never mix in.
DAY = datetime.date(2030, 1, 8)
BASE = (32.8930, 131.7935)
CLINIC = (32.8903, 131.7898)  # ~0.5 km from the base
HOSPITAL = (32.9570, 131.8900)  # ~11 km from the base


def d(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def t(text: str) -> datetime.time:
    hour, minute = text.split(":")
    return datetime.time(int(hour), int(minute))


def make_service(
    name: str = "テスト送迎",
    municipality: str = "佐伯市",
    operator: str = "直川地域コミュニティ協議会",
    **extra: Any,
) -> MobilityService:
    town = Municipality.objects.get(name=municipality)
    org = Organisation.objects.get(municipality=town, name=operator)
    values = {
        "base_name": "拠点",
        "base_latitude": d(BASE[0]),
        "base_longitude": d(BASE[1]),
        "average_speed_kmh": 30,
        "road_factor": Decimal("1.30"),
        "max_ride_minutes": 60,
        "boarding_minutes": 3,
        **extra,
    }
    return MobilityService.objects.create(municipality=town, name=name, operator=org, **values)


def make_driver(
    service: MobilityService,
    name: str = "運転 太郎",
    slots: tuple = ((1, "8:00", "17:00"),),
    **extra: Any,
) -> Driver:
    values = {"home_latitude": d(BASE[0]), "home_longitude": d(BASE[1]), **extra}
    driver = Driver.objects.create(service=service, name=name, name_kana="うんてん", **values)
    for weekday, start, end in slots:
        DriverAvailability.objects.create(
            driver=driver, weekday=weekday, starts_at=t(start), ends_at=t(end)
        )
    return driver


def make_own_car(driver: Driver, seats: int = 3, wheelchair: int = 0) -> Vehicle:
    return Vehicle.objects.create(
        service=driver.service,
        name=f"{driver.name}の車",
        owner_kind="volunteer",
        owner_driver=driver,
        plate="private",
        seats=seats,
        wheelchair_spaces=wheelchair,
    )


def make_org_vehicle(
    service: MobilityService,
    idle: tuple = ((1, "10:00", "12:00"),),
    seats: int = 4,
    wheelchair: int = 1,
) -> Vehicle:
    vehicle = Vehicle.objects.create(
        service=service,
        name="法人の車",
        owner_kind="organisation",
        owner_organisation=service.operator,
        plate="business",
        seats=seats,
        wheelchair_spaces=wheelchair,
        garage_latitude=d(BASE[0]),
        garage_longitude=d(BASE[1]),
    )
    for weekday, start, end in idle:
        VehicleIdleWindow.objects.create(
            vehicle=vehicle, weekday=weekday, starts_at=t(start), ends_at=t(end)
        )
    return vehicle


def make_rider(
    service: MobilityService, name: str = "利用 花子", consent: bool = True, **extra: Any
) -> Rider:
    values = {
        "name_kana": "りよう はなこ",
        "phone": "0972-11-2233",
        "address": "直川の自宅",
        "home_latitude": d(BASE[0] + 0.01),
        "home_longitude": d(BASE[1]),
        "consent_on": datetime.date(2025, 4, 1) if consent else None,
        **extra,
    }
    return Rider.objects.create(service=service, name=name, **values)


def make_request(
    rider: Rider, *, to: tuple[float, float] = CLINIC, day: datetime.date = DAY, **extra: Any
) -> RideRequest:
    values = {
        "purpose": "hospital",
        "origin_kind": PlaceKind.HOME,
        "origin_label": rider.address,
        "origin_latitude": rider.home_latitude,
        "origin_longitude": rider.home_longitude,
        "destination_kind": PlaceKind.ADDRESS,
        "destination_label": "診療所",
        "destination_latitude": d(to[0]),
        "destination_longitude": d(to[1]),
        **extra,
    }
    if not any(values.get(k) for k in ("earliest_pickup", "latest_pickup", "appointment_at")):
        values["appointment_at"] = t("10:00")
    return RideRequest.objects.create(service=rider.service, rider=rider, trip_date=day, **values)
