"""Drivers, vehicles and riders are written like every other record: *_create and *_update
(issue 13: `driver_save`/`vehicle_save` stood beside them)."""

from __future__ import annotations

import pytest

from tsunagu.mobility.models import Weekday
from tsunagu.mobility.rides import services
from tsunagu.mobility.rides.commands import DriverFields, RiderFields, VehicleFields, WeeklySlot

from .rides_helpers import make_service, t

pytestmark = pytest.mark.django_db


def test_no_save_services_remain() -> None:
    names = [n for n in vars(services) if n.endswith("_save") and not n.startswith("_")]
    assert names == []


def test_driver_and_vehicle_are_created_and_updated(user_named) -> None:
    service = make_service()
    actor = user_named("naokawa")
    slot = WeeklySlot(Weekday.TUESDAY, t("9:00"), t("12:00"))
    driver = services.driver_create(
        service=service, fields=DriverFields(name="運転 一郎"), availability=[slot], actor=actor
    )
    services.driver_update(
        driver=driver, fields=DriverFields(name="運転 二郎"), availability=None, actor=actor
    )
    driver.refresh_from_db()
    assert driver.name == "運転 二郎"
    assert driver.availability.count() == 1  # None keeps the weekly pattern

    vehicle = services.vehicle_create(
        service=service,
        fields=VehicleFields(
            name="一郎の車", owner_kind="volunteer", owner_driver=driver, plate="private", seats=3
        ),
        idle_windows=None,
        actor=actor,
    )
    services.vehicle_update(
        vehicle=vehicle, fields=VehicleFields(seats=4), idle_windows=[slot], actor=actor
    )
    vehicle.refresh_from_db()
    assert (vehicle.seats, vehicle.service_id, vehicle.idle_windows.count()) == (4, service.pk, 1)


def test_rider_is_created_and_updated(user_named) -> None:
    service = make_service()
    actor = user_named("naokawa")
    rider = services.rider_create(
        service=service, fields=RiderFields(name="利用 一子", name_kana="りよう"), actor=actor
    )
    services.rider_update(rider=rider, fields=RiderFields(phone="0972-00-0000"), actor=actor)
    rider.refresh_from_db()
    assert (rider.name, rider.phone, rider.service_id) == ("利用 一子", "0972-00-0000", service.pk)


def test_one_edit_rule_and_one_weekly_window_in_mobility() -> None:
    from django.core.exceptions import ValidationError

    from tsunagu.mobility import permissions
    from tsunagu.mobility.legal import services as legal_services
    from tsunagu.mobility.models import DriverAvailability, VehicleIdleWindow, WeeklyWindow

    assert legal_services.can_edit_service is permissions.can_edit_service
    for model in (DriverAvailability, VehicleIdleWindow):
        assert issubclass(model, WeeklyWindow)
        window = model(weekday=Weekday.MONDAY, starts_at=t("12:00"), ends_at=t("9:00"))
        assert str(window) == "月曜 12:00–09:00"
        with pytest.raises(ValidationError) as refused:
            window.clean()
        assert "ends_at" in refused.value.message_dict


def test_write_services_take_typed_arguments_not_a_data_dict() -> None:
    import inspect

    from tsunagu.mobility.surveys import services as survey_services

    writes = [
        f
        for module in (services, survey_services)
        for name, f in vars(module).items()
        if inspect.isfunction(f) and f.__module__ == module.__name__ and not name.startswith("_")
    ]
    assert writes
    assert [f.__name__ for f in writes if "data" in inspect.signature(f).parameters] == []
