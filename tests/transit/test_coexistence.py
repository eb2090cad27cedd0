"""Coexistence check on a tiny hand-made feed (see gtfs_builders.BASE: A → B → C northwards)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.transit.gtfs_builders import write_feed
from tsunagu.transit.coexistence.check import TravelRequest, check_coexistence
from tsunagu.transit.gtfs.feed import GtfsFeed
from tsunagu.transit.gtfs.reader import read_feed

TUESDAY = dt.date(2026, 12, 1)
H = 3600
# 0.001° of latitude ≈ 111 m.
NEAR_A = (33.002, 131.000)  # ≈222 m from A
NEAR_C = (32.9999 + 0.0201, 131.000)  # ≈22 m from C
FAR = (33.050, 131.050)  # several km from every stop


@pytest.fixture
def feed(tmp_path: Path) -> GtfsFeed:
    return read_feed(write_feed(tmp_path))


def _request(
    origin: tuple[float, float],
    dest: tuple[float, float],
    earliest: int,
    latest: int,
    *,
    ref: str = "1",
    date: dt.date = TUESDAY,
    arrive_by: int | None = None,
) -> TravelRequest:
    return TravelRequest(ref, *origin, *dest, date, earliest, latest, arrive_by=arrive_by)


def test_request_with_a_bus_near_both_ends_has_an_alternative(feed: GtfsFeed) -> None:
    # given someone near A who can leave 7:30–8:30 to go near C
    report = check_coexistence(feed, [_request(NEAR_A, NEAR_C, 7 * H + 1800, 8 * H + 1800)])
    # then the 8:00 trip T1 is offered, boarding at A and alighting at C
    (result,) = report.results
    assert result.has_alternative
    option = result.best
    assert option is not None
    assert (option.trip_id, option.board_stop_id, option.alight_stop_id) == ("T1", "A", "C")
    assert (option.board_time_text, option.alight_time_text) == ("08:00", "08:20")
    assert option.walk_to_board_m == pytest.approx(222, abs=2)
    # walking 222 m at the default 80 m/min takes 2 min 47 s: leave home at 07:57
    assert option.leave_at_text == "07:57"
    assert report.share == 1.0


def test_request_far_from_any_stop_has_no_alternative(feed: GtfsFeed) -> None:
    report = check_coexistence(
        feed,
        [
            _request(NEAR_A, NEAR_C, 7 * H, 13 * H, ref="ok"),
            _request(FAR, NEAR_C, 7 * H, 13 * H, ref="far"),
        ],
    )
    assert [r.has_alternative for r in report.results] == [True, False]
    assert (report.with_alternative, report.total, report.share) == (1, 2, 0.5)


def test_time_window_is_respected(feed: GtfsFeed) -> None:
    # 8:00 departs too early for someone who can leave only from 8:00 (walk 3+ min) …
    late = check_coexistence(feed, [_request(NEAR_A, NEAR_C, 8 * H, 11 * H)])
    assert not late.results[0].has_alternative
    # … and the 12:00 trip is found once the window reaches it.
    noon = check_coexistence(feed, [_request(NEAR_A, NEAR_C, 8 * H, 12 * H)])
    assert [o.trip_id for o in noon.results[0].options] == ["T2"]


def test_walking_distance_is_respected(feed: GtfsFeed) -> None:
    origin = (33.004, 131.000)  # ≈445 m from A
    request = _request(origin, NEAR_C, 7 * H, 13 * H)
    assert check_coexistence(feed, [request], walk_m=500).results[0].has_alternative
    assert not check_coexistence(feed, [request], walk_m=400).results[0].has_alternative


def test_direction_matters_destination_must_come_later_on_the_trip(feed: GtfsFeed) -> None:
    # C → A only on T3 at 17:00 (A is its last stop); B is not served southbound.
    report = check_coexistence(
        feed,
        [
            _request(NEAR_C, NEAR_A, 16 * H, 18 * H, ref="south"),
            _request(NEAR_C, (33.010, 131.000), 7 * H, 18 * H, ref="c-to-b"),
        ],
    )
    assert [o.trip_id for o in report.results[0].options] == ["T3"]
    assert not report.results[1].has_alternative


def test_arrive_by_excludes_late_arrivals(feed: GtfsFeed) -> None:
    request = _request(NEAR_A, NEAR_C, 7 * H, 13 * H, arrive_by=9 * H)
    options = check_coexistence(feed, [request]).results[0].options
    assert [o.trip_id for o in options] == ["T1"]


def test_no_service_on_the_day_means_no_alternative(feed: GtfsFeed) -> None:
    saturday = dt.date(2026, 12, 5)
    report = check_coexistence(feed, [_request(NEAR_A, NEAR_C, 7 * H, 13 * H, date=saturday)])
    assert report.share == 0.0


def test_frequency_based_runs_are_offered(tmp_path: Path) -> None:
    feed = read_feed(
        write_feed(
            tmp_path,
            {
                "frequencies.txt": "trip_id,start_time,end_time,headway_secs\n"
                "T1,08:00:00,10:00:00,1800\n"
            },
        )
    )
    options = check_coexistence(feed, [_request(NEAR_A, NEAR_C, 8 * H, 9 * H)]).results[0].options
    assert [o.board_time_text for o in options] == ["08:30", "09:00"]


def test_demand_trip_is_marked_as_needing_a_booking(tmp_path: Path) -> None:
    stop_times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n"
        "T1,08:00:00,08:00:00,A,1,2,0\nT1,08:20:00,08:20:00,C,2,0,2\n"
    )
    feed = read_feed(
        write_feed(
            tmp_path,
            {"trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\n", "stop_times.txt": stop_times},
        )
    )
    option = check_coexistence(feed, [_request(NEAR_A, NEAR_C, 7 * H, 9 * H)]).results[0].best
    assert option is not None and option.is_demand


def test_no_requests_gives_share_zero(feed: GtfsFeed) -> None:
    report = check_coexistence(feed, [])
    assert (report.total, report.share) == (0, 0.0)


def test_area_services_counts_runs_within_and_touching(feed: GtfsFeed) -> None:
    from tsunagu.transit.coexistence.check import area_services, circle_area

    # A circle around A and B (not C): T1, T2 ride A → B inside; T3 only ends at A.
    inside = circle_area(33.005, 131.000, 700)
    (row,) = area_services(feed, inside, TUESDAY)
    assert (row.route_name, row.runs_within, row.runs_touching) == ("駅前線", 2, 3)
    assert row.stops_inside == ["市役所", "駅前"]
    assert (row.first, row.last) == ("08:00", "17:20")
    # nothing runs on Saturday; an area with no stop has no rows
    assert area_services(feed, inside, dt.date(2026, 12, 5)) == []
    assert area_services(feed, circle_area(34.0, 132.0, 500), TUESDAY) == []


def test_area_services_with_a_geojson_polygon(feed: GtfsFeed) -> None:
    from tsunagu.transit.coexistence.check import area_services, geojson_area

    square = {
        "type": "Polygon",
        "coordinates": [
            [[130.99, 33.015], [131.01, 33.015], [131.01, 33.03], [130.99, 33.03], [130.99, 33.015]]
        ],
    }
    (row,) = area_services(feed, geojson_area(square), TUESDAY)
    # only C is inside: every run touches it, none rides within the area
    assert (row.runs_within, row.runs_touching, row.stops_inside) == (0, 3, ["病院"])
