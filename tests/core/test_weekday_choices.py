"""One Weekday for every app, with one set of labels (issue 13: two before)."""

from __future__ import annotations

import datetime as dt

from tsunagu.core.choices import Weekday
from tsunagu.directory.models import Weekday as DirectoryWeekday
from tsunagu.directory.models import WeeklySlot
from tsunagu.mobility.models import DriverAvailability
from tsunagu.mobility.models import Weekday as MobilityWeekday


def test_directory_and_mobility_use_the_one_weekday() -> None:
    assert DirectoryWeekday is Weekday
    assert MobilityWeekday is Weekday
    assert Weekday.WEDNESDAY == dt.date(2026, 12, 9).weekday()  # a Wednesday


def test_a_weekday_reads_the_same_in_both_apps() -> None:
    slot = WeeklySlot(weekday=Weekday.WEDNESDAY)
    availability = DriverAvailability(
        weekday=Weekday.WEDNESDAY, starts_at=dt.time(9), ends_at=dt.time(12)
    )
    assert slot.get_weekday_display() == availability.get_weekday_display() == "水曜"
    assert str(availability).startswith("水曜 09:00")
