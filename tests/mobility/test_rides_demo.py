"""The mobility demo: services of 直川地域, 弥生地域 and 宮たすけ隊, synthetic people, idempotent."""

from __future__ import annotations

import pytest

from tsunagu.demo.loader import LoadSummary
from tsunagu.demo.mobility_loader import load_mobility
from tsunagu.mobility.models import (
    Driver,
    MobilityService,
    Pilot,
    Rider,
    RideRequest,
    Vehicle,
    VehicleOwnerKind,
)

pytestmark = pytest.mark.django_db


def test_demo_services_courses_and_pilots() -> None:
    naokawa = MobilityService.objects.get(name="直川地域のボランティア送迎")
    assert naokawa.operator.name == "直川地域コミュニティ協議会"
    assert naokawa.events.filter(kind=Pilot.Kind.PILOT).count() == 3
    assert naokawa.events.get(kind=Pilot.Kind.DRIVER_COURSE).held_on_text == "令和5年12月"
    assert naokawa.events.get(kind=Pilot.Kind.ASSISTANCE_COURSE).held_on_text == "令和6年2月"
    assert naokawa.vehicles.filter(owner_kind=VehicleOwnerKind.ORGANISATION).exists()
    yayoi = MobilityService.objects.get(name="弥生地域の法人車両による移動支援")
    van = yayoi.vehicles.get()
    assert van.owner_kind == VehicleOwnerKind.ORGANISATION and van.idle_windows.exists()
    miya = MobilityService.objects.get(municipality__name="鹿児島市")
    assert (
        miya.escort_offered
        and not miya.vehicles.filter(owner_kind=VehicleOwnerKind.ORGANISATION).exists()
    )
    assert miya.requests.filter(escort_minutes__gt=0).exists()


def test_demo_people_are_marked_synthetic() -> None:
    for model in (Driver, Rider, RideRequest):
        assert model.objects.exists()
        assert not model.objects.exclude(note__contains="架空").exists(), model


def test_demo_loader_is_idempotent(user_named) -> None:
    from tsunagu.demo.loader import system_actor

    counts = [
        m.objects.count() for m in (MobilityService, Driver, Vehicle, Rider, RideRequest, Pilot)
    ]
    summary = LoadSummary()
    load_mobility(system_actor(), summary)
    assert summary.created == 0
    assert [
        m.objects.count() for m in (MobilityService, Driver, Vehicle, Rider, RideRequest, Pilot)
    ] == counts


def test_a_second_load_restores_a_changed_report_field_only() -> None:
    from tsunagu.demo.loader import system_actor

    course = MobilityService.objects.get(name="直川地域のボランティア送迎").events.get(
        kind=Pilot.Kind.DRIVER_COURSE
    )
    Pilot.objects.filter(pk=course.pk).update(held_on_text="違う時期")
    summary = LoadSummary()
    load_mobility(system_actor(), summary)
    course.refresh_from_db()
    assert course.held_on_text == "令和5年12月"
    assert (summary.created, summary.updated) == (0, 1)
