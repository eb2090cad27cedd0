"""The mobility demo records (tsunagu.demo.mobility_loader): history rows carry action codes."""

from __future__ import annotations

import pytest

from tsunagu.demo.mobility_loader import DEMO_MARK, DEMO_NOTE
from tsunagu.mobility.models import Driver, DriverAvailability, MobilityService, RideRequest

pytestmark = pytest.mark.django_db


def _first_reason(record) -> str:
    return record.history.earliest("history_date").history_change_reason


def test_demo_mobility_records_are_created_with_action_codes_noted_as_demo():
    service = MobilityService.objects.order_by("pk").first()
    driver = Driver.objects.order_by("pk").first()
    slot = DriverAvailability.objects.order_by("pk").first()
    ride = RideRequest.objects.filter(note__startswith=DEMO_MARK, outbound=None).first()
    assert None not in (service, driver, slot, ride)
    assert [_first_reason(r) for r in (service, driver, slot, ride)] == [
        f"mobility.service.create: {DEMO_NOTE}",
        f"mobility.driver.create: {DEMO_NOTE}",
        f"mobility.driver.availability_replace: {DEMO_NOTE}",
        f"mobility.ride.receive: {DEMO_NOTE}",
    ]
