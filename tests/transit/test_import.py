"""Importing feeds into the database: all or nothing, replacing, permissions, history, CLI."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.transit.gtfs_builders import write_feed, zip_folder
from tsunagu.core.errors import PermissionDenied
from tsunagu.demo.transit_loader import DEMO_FEED_NAME, load_transit
from tsunagu.transit import selectors, services
from tsunagu.transit.gtfs.problems import GtfsError
from tsunagu.transit.gtfs.reader import read_feed
from tsunagu.transit.models import Feed, Route, Stop, StopTime, Trip

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 12, 1)


def test_import_stores_every_row_and_a_history_entry(
    tmp_path: Path, user_named: Callable[[str], Any], municipality: Callable[[str], Any]
) -> None:
    saiki = municipality("佐伯市")
    result = services.feed_import(
        path=zip_folder(write_feed(tmp_path), tmp_path / "bus.zip"),
        municipality=saiki,
        name="テスト路線",
        actor=user_named("saiki"),
    )
    feed = result.feed
    assert (feed.stop_count, feed.route_count, feed.trip_count, feed.stop_time_count) == (
        4,
        1,
        3,
        8,
    )
    assert StopTime.objects.filter(feed=feed).count() == 8
    assert Trip.objects.filter(feed=feed).count() == 3
    assert feed.source_filename == "bus.zip"
    assert feed.valid_from == dt.date(2026, 4, 1)
    assert feed.history.count() == 1
    assert feed.history.first().history_user == user_named("saiki")


def test_stored_feed_gives_the_same_departures_as_the_file(
    tmp_path: Path, user_named: Callable[[str], Any], municipality: Callable[[str], Any]
) -> None:
    folder = write_feed(
        tmp_path,
        {
            "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nT2,12:00:00,14:00:00,3600\n",
            "calendar_dates.txt": "service_id,date,exception_type\nWD,20261202,2\n",
        },
    )
    feed = services.feed_import(
        path=folder, municipality=municipality("佐伯市"), name="往復", actor=user_named("saiki")
    ).feed
    parsed = read_feed(folder)
    stored = selectors.gtfs_for_feed(feed)
    for day in (TUESDAY, dt.date(2026, 12, 2), dt.date(2026, 12, 5)):
        assert stored.departures_on(day) == parsed.departures_on(day)
    assert selectors.feed_day(feed, TUESDAY).total_runs == 4


def test_reimporting_the_same_name_replaces_the_feed(
    tmp_path: Path, user_named: Callable[[str], Any], municipality: Callable[[str], Any]
) -> None:
    saiki, actor = municipality("佐伯市"), user_named("saiki")
    first = services.feed_import(
        path=write_feed(tmp_path, name="v1"), municipality=saiki, name="路線", actor=actor
    ).feed
    smaller = write_feed(
        tmp_path,
        {
            "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\n",
            "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            "T1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\n",
        },
        name="v2",
    )
    result = services.feed_import(path=smaller, municipality=saiki, name="路線", actor=actor)
    assert result.replaced
    assert not Feed.objects.filter(pk=first.pk).exists()
    assert Feed.objects.filter(municipality=saiki, name="路線").count() == 1
    assert Trip.objects.filter(feed_id=first.pk).count() == 0
    assert StopTime.objects.filter(feed=result.feed).count() == 2


def test_broken_feed_writes_nothing(
    tmp_path: Path, user_named: Callable[[str], Any], municipality: Callable[[str], Any]
) -> None:
    saiki, actor = municipality("佐伯市"), user_named("saiki")
    services.feed_import(
        path=write_feed(tmp_path, name="ok"), municipality=saiki, name="路線", actor=actor
    )
    before = (Feed.objects.count(), Stop.objects.count(), StopTime.objects.count())
    broken = write_feed(tmp_path, {"stops.txt": None}, name="broken")
    with pytest.raises(GtfsError):
        services.feed_import(path=broken, municipality=saiki, name="路線", actor=actor)
    assert (Feed.objects.count(), Stop.objects.count(), StopTime.objects.count()) == before


def test_staff_of_another_municipality_cannot_import(
    tmp_path: Path, user_named: Callable[[str], Any], municipality: Callable[[str], Any]
) -> None:
    before = Feed.objects.count()
    with pytest.raises(PermissionDenied):
        services.feed_import(
            path=write_feed(tmp_path),
            municipality=municipality("佐伯市"),
            name="よその路線",
            actor=user_named("kawara"),
        )
    assert Feed.objects.count() == before


def test_shared_feed_needs_a_system_admin(tmp_path: Path, user_named: Callable[[str], Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.feed_import(
            path=write_feed(tmp_path), municipality=None, name="全国", actor=user_named("saiki")
        )
    feed = services.feed_import(
        path=write_feed(tmp_path), municipality=None, name="全国", actor=user_named("admin")
    ).feed
    # a shared feed is visible to every signed-in user
    assert selectors.feed_list_visible_to(user=user_named("kawara")).filter(pk=feed.pk).exists()


def test_feeds_are_scoped_to_the_municipality(
    tmp_path: Path, user_named: Callable[[str], Any], municipality: Callable[[str], Any]
) -> None:
    saiki_feed = services.feed_import(
        path=write_feed(tmp_path, name="a"),
        municipality=municipality("佐伯市"),
        name="佐伯の路線",
        actor=user_named("saiki"),
    ).feed
    kawara_feed = services.feed_import(
        path=write_feed(tmp_path, name="b"),
        municipality=municipality("香春町"),
        name="香春の路線",
        actor=user_named("kawara"),
    ).feed
    seen_by_saiki = set(selectors.feed_list_visible_to(user=user_named("saiki")))
    assert saiki_feed in seen_by_saiki and kawara_feed not in seen_by_saiki
    seen_by_kawara = set(selectors.feed_list_visible_to(user=user_named("kawara")))
    assert kawara_feed in seen_by_kawara and saiki_feed not in seen_by_kawara


def test_delete_removes_rows_and_needs_rights(
    tmp_path: Path, user_named: Callable[[str], Any], municipality: Callable[[str], Any]
) -> None:
    feed = services.feed_import(
        path=write_feed(tmp_path),
        municipality=municipality("佐伯市"),
        name="消す路線",
        actor=user_named("saiki"),
    ).feed
    with pytest.raises(PermissionDenied):
        services.feed_delete(feed=feed, actor=user_named("kawara"))
    assert Feed.objects.filter(pk=feed.pk).exists()
    services.feed_delete(feed=feed, actor=user_named("saiki"))
    assert not Feed.objects.filter(pk=feed.pk).exists()
    assert not Route.objects.filter(feed_id=feed.pk).exists()


def test_demo_feed_is_loaded_once_and_reloading_changes_nothing(
    municipality: Callable[[str], Any], user_named: Callable[[str], Any]
) -> None:
    from tsunagu.demo.loader import LoadSummary

    feed = Feed.objects.get(municipality=municipality("佐伯市"), name=DEMO_FEED_NAME)
    assert feed.is_synthetic
    assert Stop.objects.filter(feed=feed, kind="demand_stop").count() == 4
    summary = LoadSummary()
    load_transit(user_named("admin"), summary)
    assert summary.unchanged == 1
    assert Feed.objects.get(pk=feed.pk).history.count() == feed.history.count()


def test_cli_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tsunagu.transit.cli import cmd_import_gtfs

    args = argparse.Namespace(path=str(write_feed(tmp_path)), municipality="佐伯市", name="CLI路線")
    assert cmd_import_gtfs(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("CLI路線: stops=4 routes=1 trips=3 stop_times=8 seconds=")
    assert Feed.objects.filter(name="CLI路線", municipality__name="佐伯市").exists()


def test_cli_lists_problems_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tsunagu.transit.cli import cmd_import_gtfs

    stop_times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT9,08:00:00,08:00:00,A,1\n"
    )
    folder = write_feed(tmp_path, {"stop_times.txt": stop_times})
    args = argparse.Namespace(path=str(folder), municipality=None, name=None)
    assert cmd_import_gtfs(args) == 1
    err = capsys.readouterr().err
    assert 'stop_times.txt:2: trip_id "T9" が trips.txt にありません。' in err
    assert not Feed.objects.filter(name="テスト交通").exists()


def test_cli_unknown_municipality_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tsunagu.transit.cli import cmd_import_gtfs

    args = argparse.Namespace(
        path=str(write_feed(tmp_path)), municipality="存在しない市", name=None
    )
    assert cmd_import_gtfs(args) == 1
    assert "市町村「存在しない市」が見つかりません" in capsys.readouterr().err


def test_stops_are_placed_in_districts_with_a_boundary(
    tmp_path: Path, user_named: Callable[[str], Any], municipality: Callable[[str], Any]
) -> None:
    from tsunagu.areas.models import District

    saiki = municipality("佐伯市")
    district = District.objects.get(municipality=saiki, name="直川地域")
    district.boundary = {
        "type": "Polygon",
        "coordinates": [
            [
                [130.99, 32.995],
                [131.01, 32.995],
                [131.01, 33.005],
                [130.99, 33.005],
                [130.99, 32.995],
            ]
        ],
    }
    district.save()
    feed = services.feed_import(
        path=write_feed(tmp_path), municipality=saiki, name="地区", actor=user_named("saiki")
    ).feed
    placed = dict(Stop.objects.filter(feed=feed).values_list("stop_id", "district__name"))
    assert placed == {"A": "直川地域", "B": None, "C": None, "D": None}
