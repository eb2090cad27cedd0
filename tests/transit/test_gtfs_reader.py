"""The pure GTFS / GTFS-JP reader: good feeds, GTFS-JP extras, broken feeds, day computations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.transit.gtfs_builders import write_feed, zip_folder
from tsunagu.core.errors import TsunaguError
from tsunagu.transit.gtfs.problems import GtfsError
from tsunagu.transit.gtfs.reader import read_feed

TUESDAY = dt.date(2026, 12, 1)
SATURDAY = dt.date(2026, 12, 5)
SYNTHETIC = Path(__file__).resolve().parents[2] / "src/tsunagu/transit/data/saiki_synthetic_gtfs"


def _problems(path: Path) -> list[str]:
    with pytest.raises(GtfsError) as info:
        read_feed(path)
    return [str(p) for p in info.value.problems]


def test_good_gtfs_is_read_with_counts(tmp_path: Path) -> None:
    feed = read_feed(write_feed(tmp_path))
    assert [s.stop_id for s in feed.stops] == ["A", "B", "C", "D"]
    assert len(feed.routes) == 1 and feed.routes[0].name == "駅前線"
    assert len(feed.trips) == 3
    assert feed.stop_time_count == 8
    assert feed.stop_times["T1"][0] == ("A", 1, 8 * 3600, 8 * 3600, 0, 0)


def test_departures_exclude_the_last_stop_and_follow_the_weekday(tmp_path: Path) -> None:
    feed = read_feed(write_feed(tmp_path))
    # T1, T2 depart A and B (C is their last stop); T3 departs C (A is its last stop).
    assert feed.departures_on(TUESDAY) == {"A": 2, "B": 2, "C": 1}
    assert feed.departures_on(SATURDAY) == {}
    assert feed.service_ids_on(TUESDAY) == {"WD"}


def test_gtfs_error_is_a_tsunagu_error() -> None:
    assert issubclass(GtfsError, TsunaguError)


def test_gtfs_jp_files_unknown_columns_bom_crlf_and_quotes_are_accepted(tmp_path: Path) -> None:
    stops = (
        "\ufeffstop_id,stop_name,stop_lat,stop_lon,jp_unknown_column,platform_code\r\n"
        'A,"駅前, 北口",33.000,131.000,x,1\r\n'
        "B,市役所,33.010,131.000,,\r\n"
        "C,病院,33.020,131.000,,\r\n"
        "D,山の上,33.100,131.100,,\r\n"
    )
    folder = write_feed(
        tmp_path,
        {
            "stops.txt": stops,
            "agency_jp.txt": "agency_id,agency_official_name\nAG,テスト交通株式会社\n",
            "office_jp.txt": "office_id,office_name\nO1,営業所\n",
            "routes_jp.txt": "route_id,route_update_date,origin_stop,via_stop,destination_stop\n"
            "R1,20260401,駅前,,病院\n",
            "pattern_jp.txt": "jp_pattern_id,route_update_date\nP1,20260401\n",
            "fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers\n"
            "F1,200,JPY,0,0\n",
            "fare_rules.txt": "fare_id,route_id\nF1,R1\n",
            "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang,feed_version\n"
            "テスト市,https://example.invalid,ja,1\n",
            "translations.txt": "table_name,field_name,language,translation,record_id,"
            "record_sub_id,field_value\n"
            "stops,stop_name,ja-Hrkt,しやくしょ,,,市役所\n",
            "frequencies.txt": "",  # an empty optional file
            "shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n",
            "unknown_extension.txt": "foo,bar\n1,2\n",
        },
    )
    feed = read_feed(folder)
    assert feed.stops[0].name == "駅前, 北口"
    assert feed.stops[1].reading == "しやくしょ"
    assert feed.feed_info["feed_publisher_name"] == "テスト市"
    assert set(feed.extra_files) == {
        "agency_jp.txt",
        "office_jp.txt",
        "routes_jp.txt",
        "pattern_jp.txt",
        "fare_attributes.txt",
        "fare_rules.txt",
        "unknown_extension.txt",
    }


def test_gtfs_jp_v2_translations_give_readings(tmp_path: Path) -> None:
    folder = write_feed(
        tmp_path,
        {
            "translations.txt": "trans_id,lang,translation\n病院,ja-Hrkt,びょういん\n病院,en,Hospital\n"
        },
    )
    feed = read_feed(folder)
    assert {s.stop_id: s.reading for s in feed.stops}["C"] == "びょういん"


def test_zip_and_folder_give_the_same_feed(tmp_path: Path) -> None:
    folder = write_feed(tmp_path)
    from_zip = read_feed(zip_folder(folder, tmp_path / "feed.zip"))
    nested = read_feed(zip_folder(folder, tmp_path / "nested.zip", prefix="gtfs/"))
    from_folder = read_feed(folder)
    assert from_zip.stop_times == from_folder.stop_times == nested.stop_times
    assert from_zip.departures_on(TUESDAY) == from_folder.departures_on(TUESDAY)


def test_missing_stops_file_is_named(tmp_path: Path) -> None:
    problems = _problems(write_feed(tmp_path, {"stops.txt": None}))
    assert "stops.txt: 必須ファイル stops.txt がありません。" in problems


def test_missing_calendars_is_reported(tmp_path: Path) -> None:
    problems = _problems(write_feed(tmp_path, {"calendar.txt": None}))
    assert any("calendar.txt も calendar_dates.txt もありません" in p for p in problems)


def test_stop_time_with_unknown_trip_names_file_and_line(tmp_path: Path) -> None:
    stop_times = _stop_times_plus("T9,09:00:00,09:00:00,A,1\n")
    with pytest.raises(GtfsError) as info:
        read_feed(write_feed(tmp_path, {"stop_times.txt": stop_times}))
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.column) == ("stop_times.txt", 10, "trip_id")
    assert str(problem) == 'stop_times.txt 10行目: trip_id "T9" が trips.txt にありません。'


def test_bad_coordinate_names_line_and_column(tmp_path: Path) -> None:
    stops = "stop_id,stop_name,stop_lat,stop_lon\nA,駅前,33.0,131.0\nB,市役所,abc,131.0\n"
    stops += "C,病院,33.02,191.0\nD,山の上,33.1,131.1\n"
    with pytest.raises(GtfsError) as info:
        read_feed(write_feed(tmp_path, {"stops.txt": stops}))
    problems = info.value.problems
    # B and C are used by trips, so their positions are errors with line and column.
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("stops.txt", 3, "stop_lat"),
        ("stops.txt", 4, "stop_lon"),
    ]
    assert 'stop_lat が数値ではありません（"abc"）' in problems[0].message
    assert "この停留所を通る便があるため取り込めません" in problems[0].message
    assert "stop_lon が範囲外です" in problems[1].message


def test_bad_intermediate_time_is_a_warning_and_interpolated(tmp_path: Path) -> None:
    stop_times = _stop_times_plus("").replace("T2,12:10:00,12:10:00", "T2,12時10分,12時10分")
    feed = read_feed(write_feed(tmp_path, {"stop_times.txt": stop_times}))
    assert [str(w) for w in feed.warnings][:1] == [
        'stop_times.txt 6行目: arrival_time が時刻（HH:MM:SS）ではありません（"12時10分"）。'
        "前後の停留所の時刻から補いました。"
    ]
    assert feed.stop_times["T2"][1][2:4] == (12 * 3600 + 600, 12 * 3600 + 600)


def test_unknown_route_and_service_references_are_warnings(tmp_path: Path) -> None:
    trips = "route_id,service_id,trip_id\nR1,WD,T1\nR1,HOLIDAY,T2\nRX,WD,T3\n"
    feed = read_feed(write_feed(tmp_path, {"trips.txt": trips}))
    warnings = [str(w) for w in feed.warnings]
    # T3's route is unknown: the trip and its stop_times are left out, not an error.
    assert (
        'trips.txt 4行目: route_id "RX" が routes.txt にないため、この便（trip_id "T3"）'
        "は取り込みませんでした。" in warnings
    )
    assert any(w.startswith('trips.txt 3行目: service_id "HOLIDAY"') for w in warnings)
    assert [t.trip_id for t in feed.trips] == ["T1", "T2"]
    assert "T3" not in feed.stop_times
    # T2 is kept but never runs: only T1 departs on a weekday.
    assert feed.departures_on(TUESDAY) == {"A": 1, "B": 1}


def test_repeated_problem_is_summarised_not_listed_a_thousand_times(tmp_path: Path) -> None:
    rows = "".join(f"T9,09:00:00,09:00:00,ZZ,{i}\n" for i in range(1, 1001))
    stop_times = _stop_times_plus(rows).replace("T9,", "T1,")
    problems = _problems(write_feed(tmp_path, {"stop_times.txt": stop_times}))
    assert len(problems) == 4
    assert (
        problems[-1]
        == 'stop_times.txt: ほかに 997 行で同じ問題: stop_id "ZZ" が stops.txt にありません。'
    )


def test_shift_jis_file_gets_a_clear_decoding_error(tmp_path: Path) -> None:
    stops = "stop_id,stop_name,stop_lat,stop_lon\nA,駅前,33.0,131.0\n".encode("cp932")
    problems = _problems(write_feed(tmp_path, {"stops.txt": stops}))
    assert problems[0].startswith("stops.txt 2行目: 文字コードを UTF-8 として読めません")
    assert "Shift_JIS" in problems[0]


def test_not_a_feed_is_reported(tmp_path: Path) -> None:
    bogus = tmp_path / "timetable.pdf"
    bogus.write_bytes(b"%PDF-1.4")
    assert _problems(bogus) == [
        "timetable.pdf: GTFS の zip ファイルまたはフォルダーではありません。"
    ]


def test_times_past_midnight_are_kept_as_seconds(tmp_path: Path) -> None:
    stop_times = _stop_times_plus("").replace("17:00:00,17:00:00,C", "24:50:00,24:50:00,C")
    stop_times = stop_times.replace("17:20:00,17:20:00,A", "25:10:00,25:10:00,A")
    feed = read_feed(write_feed(tmp_path, {"stop_times.txt": stop_times}))
    run = next(r for r in feed.trips_on(TUESDAY) if r.trip_id == "T3")
    assert run.stop_times[-1][1] == 25 * 3600 + 10 * 60


def test_blank_intermediate_times_are_interpolated(tmp_path: Path) -> None:
    stop_times = _stop_times_plus("").replace("T1,08:10:00,08:10:00,B", "T1,,,B")
    feed = read_feed(write_feed(tmp_path, {"stop_times.txt": stop_times}))
    assert feed.stop_times["T1"][1][2:4] == (8 * 3600 + 600, 8 * 3600 + 600)


def test_calendar_dates_only_service_runs_on_listed_days(tmp_path: Path) -> None:
    folder = write_feed(
        tmp_path,
        {
            "calendar.txt": None,
            "calendar_dates.txt": "service_id,date,exception_type\nWD,20261201,1\nWD,20261203,1\n",
        },
    )
    feed = read_feed(folder)
    assert feed.departures_on(TUESDAY) == {"A": 2, "B": 2, "C": 1}
    assert feed.departures_on(dt.date(2026, 12, 2)) == {}
    assert feed.validity() == (TUESDAY, dt.date(2026, 12, 3))


def test_calendar_dates_remove_and_add_service(tmp_path: Path) -> None:
    folder = write_feed(
        tmp_path,
        {"calendar_dates.txt": "service_id,date,exception_type\nWD,20261201,2\nWD,20261205,1\n"},
    )
    feed = read_feed(folder)
    assert feed.departures_on(TUESDAY) == {}
    assert feed.departures_on(SATURDAY) == {"A": 2, "B": 2, "C": 1}


def test_frequencies_multiply_departures_and_runs(tmp_path: Path) -> None:
    # T1 runs every 30 min from 08:00 to before 10:00: 08:00, 08:30, 09:00, 09:30 = 4 runs.
    folder = write_feed(
        tmp_path,
        {
            "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nT1,08:00:00,10:00:00,1800\n"
        },
    )
    feed = read_feed(folder)
    assert feed.departures_on(TUESDAY) == {"A": 5, "B": 5, "C": 1}
    runs = [r for r in feed.trips_on(TUESDAY) if r.trip_id == "T1"]
    assert [r.start for r in runs] == [8 * 3600, 8 * 3600 + 1800, 9 * 3600, 9 * 3600 + 1800]
    # Offsets along the trip are kept: B is 10 minutes after A in every run.
    assert runs[2].stop_times[1][2] == 9 * 3600 + 600


def test_demand_stops_by_pickup_type_and_by_route_name(tmp_path: Path) -> None:
    folder = write_feed(
        tmp_path,
        {
            "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
            "R1,AG,1,駅前線,3\nR2,AG,,山間デマンド便,3\n",
            "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\nR1,WD,T2\nR1,WD,T3\nR2,WD,T4\n",
            "stop_times.txt": _stop_times_plus(
                "T4,09:00:00,09:00:00,D,1,2,2\nT4,09:30:00,09:30:00,A,2,0,0\n"
            ).replace("stop_sequence\n", "stop_sequence,pickup_type,drop_off_type\n"),
        },
    )
    feed = read_feed(folder)
    kinds = {s.stop_id: s.kind for s in feed.stops}
    assert kinds == {"A": "bus_stop", "B": "bus_stop", "C": "bus_stop", "D": "demand_stop"}
    assert [r.is_demand for r in feed.routes] == [False, True]


def test_synthetic_saiki_feed_reads_with_demand_stops_and_frequencies() -> None:
    feed = read_feed(SYNTHETIC)
    kinds = {s.stop_id: s.kind for s in feed.stops}
    assert [k for k, v in kinds.items() if v == "demand_stop"] == ["D01", "D02", "D03", "D04"]
    assert "合成" in feed.feed_info["feed_publisher_name"]
    assert {"agency_jp.txt", "pattern_jp.txt", "fare_attributes.txt"} <= set(feed.extra_files)
    assert feed.frequencies and feed.departures_on(dt.date(2026, 12, 1))["S01"] > 0
    # 2026-11-23 (勤労感謝の日, a Monday) is removed from the weekday service.
    assert feed.departures_on(dt.date(2026, 11, 23)) == {}


def _stop_times_plus(extra: str) -> str:
    from tests.transit.gtfs_builders import BASE

    return BASE["stop_times.txt"] + extra
