"""Real GTFS-JP feeds (trimmed copies, see each folder's README) read and import as expected.

* ``real_muroran_donanbus``: 道南バス 室蘭市内線 (Code for Muroran, CC BY-SA 3.0):
  agency_jp / routes_jp / fare_attributes, jp_trip_desc / jp_office_id columns,
  pickup_type 3 everywhere, calendar_dates holidays, shape_ids without shapes.txt.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.transit.gtfs_builders import zip_folder
from tsunagu.transit import selectors, services
from tsunagu.transit.gtfs.reader import read_feed
from tsunagu.transit.models import Feed, StopTime

FILES = Path(__file__).resolve().parent / "files"
MURORAN = FILES / "real_muroran_donanbus"

MURORAN_MONDAY = dt.date(2020, 6, 1)
MURORAN_NEW_YEAR = dt.date(2020, 1, 1)  # a Wednesday taken off the weekday service


def test_muroran_donanbus_counts_holidays_and_shape_warning() -> None:
    feed = read_feed(MURORAN)
    assert (len(feed.stops), len(feed.routes), len(feed.trips), feed.stop_time_count) == (
        113,
        2,
        3,
        108,
    )
    assert {"agency_jp.txt", "routes_jp.txt", "fare_attributes.txt"} <= set(feed.extra_files)
    departures = feed.departures_on(MURORAN_MONDAY)
    # Two 室蘭港工大線 runs call at 40 stops each before the terminal; 市民会館線 at 25.
    assert sum(departures.values()) == 105
    assert departures["0391_A"] == 2 and departures["0122_A"] == 1
    assert feed.departures_on(MURORAN_NEW_YEAR) == {}
    assert feed.departures_on(dt.date(2020, 6, 6)) == {}
    assert [str(w) for w in feed.warnings] == [
        "trips.txt: shape_id が指定されていますが shapes.txt がありません（2 種類）。"
        "路線の線は停留所の順に引きます。"
    ]
    # Without shapes the route is drawn through its stops.
    assert len(feed.route_shape("100710")[0]) == 41


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("folder", "day", "counts", "warnings"),
    [
        (MURORAN, MURORAN_MONDAY, (113, 2, 3, 108), 1),
    ],
)
def test_real_feed_imports_as_zip_with_warnings_stored(
    tmp_path: Path,
    user_named: Callable[[str], Any],
    municipality: Callable[[str], Any],
    folder: Path,
    day: dt.date,
    counts: tuple[int, int, int, int],
    warnings: int,
) -> None:
    archive = zip_folder(folder, tmp_path / f"{folder.name}.zip", prefix="gtfs/")
    result = services.feed_import(
        path=archive, municipality=municipality("佐伯市"), actor=user_named("saiki")
    )
    feed = result.feed
    assert (feed.stop_count, feed.route_count, feed.trip_count, feed.stop_time_count) == counts
    assert StopTime.objects.filter(feed=feed).count() == counts[3]
    assert feed.warning_count == result.warning_count == warnings
    assert feed.import_warnings[0]["file"] in {"stops.txt", "trips.txt"}
    assert "注意が 1 件あります" in result.summary()
    stored = selectors.gtfs_for_feed(feed)
    assert stored.departures_on(day) == read_feed(folder).departures_on(day)


@pytest.mark.django_db
def test_cli_imports_a_real_feed_and_prints_its_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tsunagu.transit.cli import cmd_import_gtfs

    args = argparse.Namespace(path=str(MURORAN), municipality="佐伯市", name="道南バス（試験）")
    assert cmd_import_gtfs(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("道南バス（試験）: stops=113 routes=2 trips=3 stop_times=108 seconds=")
    assert out[0].endswith("warnings=1")
    assert out[1] == "注意 1 件（データは取り込み済みです）:"
    assert out[2].startswith("  trips.txt: shape_id が指定されていますが shapes.txt がありません")
    feed = Feed.objects.get(name="道南バス（試験）")
    assert feed.publisher == "Code for Muroran" and feed.version == "DUMMY_VERSION"
