"""Errors (the feed is refused) versus warnings (imported anyway, listed to the user).

Each warning case reads the feed, checks the warning (file, line, column, text) and checks
what was kept or repaired; each error case checks the refusal names the file and line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.transit.gtfs_builders import BASE, write_feed, zip_folder
from tsunagu.transit.gtfs.feed import GtfsFeed
from tsunagu.transit.gtfs.problems import GtfsError, GtfsProblem
from tsunagu.transit.gtfs.reader import read_feed

TUESDAY = dt.date(2026, 12, 1)
FEED_INFO = (
    "feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date,feed_version\n"
    "テスト市,https://example.invalid,ja,20260401,20270331,1\n"
)


def _read(tmp_path: Path, overrides: dict[str, str | bytes | None]) -> GtfsFeed:
    return read_feed(write_feed(tmp_path, {"feed_info.txt": FEED_INFO, **overrides}))


def _warnings(feed: GtfsFeed) -> list[str]:
    return [str(w) for w in feed.warnings]


def _find(feed: GtfsFeed, text: str) -> GtfsProblem:
    found = [w for w in feed.warnings if text in w.message]
    assert found, f"no warning containing {text!r} in {_warnings(feed)}"
    return found[0]


def _errors(tmp_path: Path, overrides: dict[str, str | bytes | None]) -> list[GtfsProblem]:
    with pytest.raises(GtfsError) as info:
        read_feed(write_feed(tmp_path, {"feed_info.txt": FEED_INFO, **overrides}))
    return info.value.problems


# ---- a clean feed has no warnings ---------------------------------------------------------


def test_clean_feed_with_feed_info_has_no_warnings(tmp_path: Path) -> None:
    feed = _read(tmp_path, {})
    assert feed.warnings == [] and feed.warning_total == 0


def test_missing_feed_info_is_a_warning_because_gtfs_jp_requires_it(tmp_path: Path) -> None:
    feed = read_feed(write_feed(tmp_path))
    assert _warnings(feed) == [
        "feed_info.txt: feed_info.txt がありません（GTFS-JP では必須です）。"
        "提供者・版・有効期間なしで取り込みました。"
    ]


# ---- warnings ---------------------------------------------------------------------------


def test_direction_id_outside_0_1_is_ignored(tmp_path: Path) -> None:
    trips = "route_id,service_id,trip_id,direction_id\nR1,WD,T1,0\nR1,WD,T2,2\nR1,WD,T3,1\n"
    feed = _read(tmp_path, {"trips.txt": trips})
    w = _find(feed, 'direction_id の値 "2" は GTFS の決まりにありません')
    assert (w.file, w.line, w.column) == ("trips.txt", 3, "direction_id")
    assert [t.direction_id for t in feed.trips] == [0, None, 1]


def test_unknown_enum_values_fall_back_to_defaults(tmp_path: Path) -> None:
    stops = BASE["stops.txt"].replace("stop_lon\n", "stop_lon,location_type\n")
    stops = stops.replace("131.100\n", "131.100,7\n")
    stop_times = BASE["stop_times.txt"].replace("stop_sequence\n", "stop_sequence,pickup_type\n")
    stop_times = stop_times.replace("T1,08:00:00,08:00:00,A,1\n", "T1,08:00:00,08:00:00,A,1,9\n")
    routes = BASE["routes.txt"].replace("駅前線,3", "駅前線,9999")
    dates = "service_id,date,exception_type\nWD,20261201,3\n"
    feed = _read(
        tmp_path,
        {
            "stops.txt": stops,
            "stop_times.txt": stop_times,
            "routes.txt": routes,
            "calendar_dates.txt": dates,
        },
    )
    assert _find(feed, 'location_type の値 "7"').line == 5
    assert _find(feed, 'pickup_type の値 "9"').file == "stop_times.txt"
    assert _find(feed, 'route_type の値 "9999"').column == "route_type"
    assert _find(feed, 'exception_type の値 "3"').file == "calendar_dates.txt"
    assert feed.stop_by_id()["D"].location_type == 0
    assert feed.stop_times["T1"][0][4] == 0
    assert feed.calendar_dates == []  # the unusable exception row is left out
    assert feed.departures_on(TUESDAY) == {"A": 2, "B": 2, "C": 1}


def test_agency_id_left_out_with_one_agency(tmp_path: Path) -> None:
    agency = (
        "agency_name,agency_url,agency_timezone\nテスト交通,https://example.invalid,Asia/Tokyo\n"
    )
    routes = "route_id,route_short_name,route_long_name,route_type\nR1,1,駅前線,3\n"
    feed = _read(tmp_path, {"agency.txt": agency, "routes.txt": routes})
    w = _find(feed, "agency_id が空です（事業者が1つなので")
    assert (w.file, w.column) == ("agency.txt", "agency_id")
    assert feed.routes[0].agency_id == ""


def test_route_with_unknown_agency_gets_the_single_agency(tmp_path: Path) -> None:
    routes = BASE["routes.txt"].replace("R1,AG,", "R1,OTHER,")
    feed = _read(tmp_path, {"routes.txt": routes})
    w = _find(feed, 'agency_id "OTHER" が agency.txt にありません')
    assert (w.file, w.line) == ("routes.txt", 2)
    assert feed.routes[0].agency_id == "AG"


def test_route_without_agency_among_several_agencies(tmp_path: Path) -> None:
    agency = BASE["agency.txt"] + "AG2,別の交通,https://example.invalid,Asia/Tokyo\n"
    routes = BASE["routes.txt"].replace("R1,AG,", "R1,,")
    feed = _read(tmp_path, {"agency.txt": agency, "routes.txt": routes})
    assert _find(feed, "事業者が複数あるときは必須").line == 2
    assert feed.routes[0].agency_id == ""


def test_missing_agency_file_is_a_warning(tmp_path: Path) -> None:
    feed = _read(tmp_path, {"agency.txt": None})
    assert _find(feed, "agency.txt がありません").file == "agency.txt"
    assert feed.agencies == [] and len(feed.trips) == 3


def test_missing_recommended_fields_are_listed(tmp_path: Path) -> None:
    agency = "agency_id,agency_name\nAG,テスト交通\n"
    routes = "route_id,agency_id,route_type\nR1,AG,3\n"
    feed = _read(tmp_path, {"agency.txt": agency, "routes.txt": routes})
    assert _find(feed, "agency_url が空です").line == 2
    assert _find(feed, "agency_timezone が空です").line == 2
    assert _find(feed, "route_short_name も route_long_name もありません").line == 2


def test_translations_fare_and_feed_info_problems_are_warnings(tmp_path: Path) -> None:
    feed = read_feed(
        write_feed(
            tmp_path,
            {
                "feed_info.txt": "feed_publisher_name,feed_lang,feed_end_date\nテスト市,ja,2027年3月\n",
                "translations.txt": "id,text\n1,えきまえ\n",
                "fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers\n"
                "F1,二百円,JPY,0,0\n",
                "fare_rules.txt": "fare_id,route_id\nF1,R9\nF2,R1\n",
            },
        )
    )
    assert _find(feed, "feed_publisher_url が空です").file == "feed_info.txt"
    end = _find(feed, 'feed_end_date が日付（YYYYMMDD）ではありません（"2027年3月"）')
    assert (end.line, end.column) == (2, "feed_end_date")
    assert _find(feed, "読みがななしで取り込みました").file == "translations.txt"
    assert _find(feed, 'price が 0 以上の数値ではありません（"二百円"）').line == 2
    assert _find(feed, 'route_id "R9" が routes.txt にありません').file == "fare_rules.txt"
    assert _find(feed, 'fare_id "F2" が fare_attributes.txt にありません').line == 3
    assert feed.feed_info["feed_publisher_name"] == "テスト市"
    assert feed.validity()[1] == dt.date(2027, 3, 31)  # from the calendar instead


def test_empty_and_undecodable_jp_files_are_warnings(tmp_path: Path) -> None:
    feed = _read(
        tmp_path,
        {
            "agency_jp.txt": "",
            "routes_jp.txt": "route_id,route_update_date,origin_stop,via_stop,destination_stop\n",
            "office_jp.txt": "office_id,office_name\nO1,営業所\n".encode("cp932"),
            "translations.txt": "trans_id,lang,translation\n病院,ja-Hrkt,びょういん\n".encode(
                "cp932"
            ),
        },
    )
    assert str(_find(feed, "ファイルが空です（中身がありません）")) == (
        "agency_jp.txt: ファイルが空です（中身がありません）。"
    )
    assert _find(feed, "見出し行だけで中身がありません").file == "routes_jp.txt"
    undecodable = {w.file for w in feed.warnings if "UTF-8 として読めません" in w.message}
    assert undecodable == {"office_jp.txt", "translations.txt"}
    assert {"agency_jp.txt", "routes_jp.txt", "office_jp.txt"} <= set(feed.extra_files)


def test_duplicated_rows_keep_the_first(tmp_path: Path) -> None:
    stops = BASE["stops.txt"] + "A,駅前（重複）,33.5,131.5\n"
    routes = BASE["routes.txt"] + "R1,AG,1,重複線,3\n"
    trips = BASE["trips.txt"] + "R1,WD,T1,重複\n"
    calendar = BASE["calendar.txt"] + "WD,0,0,0,0,0,1,1,20260401,20270331\n"
    stop_times = BASE["stop_times.txt"] + "T1,08:30:00,08:30:00,D,3\n"
    feed = _read(
        tmp_path,
        {
            "stops.txt": stops,
            "routes.txt": routes,
            "trips.txt": trips,
            "calendar.txt": calendar,
            "stop_times.txt": stop_times,
        },
    )
    assert _find(feed, 'stop_id "A" が重複しています（2行目）').line == 6
    assert _find(feed, 'route_id "R1" が重複しています').line == 3
    assert _find(feed, 'trip_id "T1" が重複しています').line == 5
    assert _find(feed, 'service_id "WD" が重複しています').line == 3
    assert _find(feed, 'trip_id "T1" の stop_sequence 3 が重複しています').line == 10
    assert feed.stop_by_id()["A"].name == "駅前"
    assert [row[0] for row in feed.stop_times["T1"]] == ["A", "B", "C"]
    assert feed.departures_on(TUESDAY) == {"A": 2, "B": 2, "C": 1}


def test_times_going_backwards_are_kept_with_a_warning(tmp_path: Path) -> None:
    stop_times = BASE["stop_times.txt"].replace("T1,08:10:00,08:10:00,B", "T1,07:50:00,07:50:00,B")
    feed = _read(tmp_path, {"stop_times.txt": stop_times})
    w = _find(feed, 'trip_id "T1" の時刻が前より早くなっています（stop_sequence 2）')
    assert (w.file, w.line) == ("stop_times.txt", 3)
    assert feed.stop_times["T1"][1][2] == 7 * 3600 + 50 * 60


def test_missing_shapes_fall_back_to_the_stop_sequence(tmp_path: Path) -> None:
    trips = "route_id,service_id,trip_id,shape_id\nR1,WD,T1,SH1\nR1,WD,T2,SH2\nR1,WD,T3,\n"
    shapes = (
        "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSH1,33.0,131.0,1\nSH1,北,131.0,2\n"
    )
    feed = _read(tmp_path, {"trips.txt": trips, "shapes.txt": shapes})
    assert _find(feed, "が数値ではありません。この点は使わずに").line == 3
    assert _find(feed, 'shape_id "SH1" の点が1つしかない').file == "shapes.txt"
    assert _find(feed, 'shape_id "SH2" が shapes.txt で使えない').file == "trips.txt"
    assert feed.shapes == {}
    # Lines are drawn through the stops instead: A→B→C (T1, T2) and C→A (T3).
    assert feed.route_shape("R1") == [
        [(33.0, 131.0), (33.01, 131.0), (33.02, 131.0)],
        [(33.02, 131.0), (33.0, 131.0)],
    ]

    folder = write_feed(tmp_path, {"trips.txt": trips, "feed_info.txt": FEED_INFO}, name="noshape")
    no_file = read_feed(folder)
    assert _find(no_file, "shapes.txt がありません（2 種類）").column == "shape_id"


def test_short_times_and_dashed_dates_are_read_with_a_warning(tmp_path: Path) -> None:
    stop_times = BASE["stop_times.txt"].replace("T1,08:00:00,08:00:00", "T1,8:00,8:00")
    calendar = BASE["calendar.txt"].replace("20260401,20270331", "2026-04-01,2027/03/31")
    feed = _read(tmp_path, {"stop_times.txt": stop_times, "calendar.txt": calendar})
    assert _find(feed, "秒を 00 として読み取りました").line == 2
    assert _find(feed, 'start_date は YYYYMMDD で書く決まりです（"2026-04-01"）').line == 2
    assert feed.stop_times["T1"][0][2] == 8 * 3600
    assert feed.departures_on(TUESDAY) == {"A": 2, "B": 2, "C": 1}


def test_swapped_coordinates_are_swapped_back(tmp_path: Path) -> None:
    stops = BASE["stops.txt"].replace("B,市役所,33.010,131.000", "B,市役所,131.000,33.010")
    feed = _read(tmp_path, {"stops.txt": stops})
    assert _find(feed, "入れ替わっているようです").line == 3
    b = feed.stop_by_id()["B"]
    assert (b.lat, b.lon) == (33.01, 131.0)


def test_unused_stop_without_position_is_a_warning(tmp_path: Path) -> None:
    stops = BASE["stops.txt"] + "E,未使用,,\nF,ゼロ,0,0\n"
    feed = _read(tmp_path, {"stops.txt": stops})
    e = _find(feed, 'stop_id "E" の位置が使えません: stop_lat が空です')
    assert (e.file, e.line, e.column) == ("stops.txt", 6, "stop_lat")
    assert "どの便も通らないため" in e.message
    assert _find(feed, 'stop_id "F" の位置が使えません').line == 7
    assert feed.stop_by_id()["F"].lat is None


def test_trip_without_first_time_is_left_out(tmp_path: Path) -> None:
    stop_times = BASE["stop_times.txt"].replace("T3,17:00:00,17:00:00,C", "T3,,,C")
    feed = _read(tmp_path, {"stop_times.txt": stop_times})
    w = _find(feed, 'trip_id "T3" の最初の停留所に時刻がないため')
    assert (w.file, w.line) == ("stop_times.txt", 8)
    assert _find(feed, "時刻が1つもない便が 1 便あります").file == "stop_times.txt"
    assert feed.departures_on(TUESDAY) == {"A": 2, "B": 2}


def test_frequencies_and_calendar_problems_are_warnings(tmp_path: Path) -> None:
    freqs = (
        "trip_id,start_time,end_time,headway_secs\n"
        "T9,08:00:00,09:00:00,600\nT1,08:00:00,09:00:00,0\nT2,12:00:00,14:00:00,3600\n"
    )
    calendar = BASE["calendar.txt"] + "SA,0,0,0,0,0,1,0,20260401,いつまでも\n"
    feed = _read(tmp_path, {"frequencies.txt": freqs, "calendar.txt": calendar})
    assert _find(feed, 'trip_id "T9" が trips.txt にありません').line == 2
    assert _find(feed, "headway_secs は 1 以上の秒数です").line == 3
    assert _find(feed, 'end_date が日付（YYYYMMDD）ではありません（"いつまでも"）').line == 3
    # T2 still runs twice (12:00 and 13:00); T1 once from its own stop_times.
    assert feed.departures_on(TUESDAY) == {"A": 3, "B": 3, "C": 1}


def test_bad_route_colour_is_dropped(tmp_path: Path) -> None:
    routes = "route_id,agency_id,route_long_name,route_type,route_color\nR1,AG,駅前線,3,red;x\n"
    feed = _read(tmp_path, {"routes.txt": routes})
    assert _find(feed, "route_color が 6 桁の16進数ではありません").line == 2
    assert feed.routes[0].color == ""


def test_upper_case_file_names_and_blank_rows_are_accepted(tmp_path: Path) -> None:
    folder = write_feed(tmp_path, {"feed_info.txt": FEED_INFO})
    (folder / "stops.txt").rename(folder / "Stops.txt")
    with (folder / "trips.txt").open("a", encoding="utf-8") as f:
        f.write(",,,\n\n")
    feed = read_feed(zip_folder(folder, tmp_path / "upper.zip"))
    assert len(feed.stops) == 4 and len(feed.trips) == 3
    assert feed.warnings == []


def test_many_identical_warnings_are_summed_up(tmp_path: Path) -> None:
    rows = "".join(f"R1,WD,X{i},7\n" for i in range(500))
    trips = (
        "route_id,service_id,trip_id,direction_id\n" + rows + "R1,WD,T1,\nR1,WD,T2,\nR1,WD,T3,\n"
    )
    feed = _read(tmp_path, {"trips.txt": trips})
    same = [w for w in feed.warnings if "direction_id の値" in w.message]
    assert len(same) == 4 and same[-1].message.startswith("ほかに 497 行で同じ問題")
    assert feed.warning_total > 500


def test_refusal_also_carries_the_warnings(tmp_path: Path) -> None:
    stop_times = BASE["stop_times.txt"] + "T9,09:00:00,09:00:00,A,1\n"
    with pytest.raises(GtfsError) as info:
        read_feed(write_feed(tmp_path, {"stop_times.txt": stop_times}))
    assert [p.line for p in info.value.problems] == [10]
    assert any("feed_info.txt がありません" in w.message for w in info.value.warnings)


# ---- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["stops.txt", "routes.txt", "trips.txt", "stop_times.txt"])
def test_missing_core_file_is_an_error(tmp_path: Path, missing: str) -> None:
    problems = _errors(tmp_path, {missing: None})
    assert f"{missing}: 必須ファイル {missing} がありません。" in [str(p) for p in problems]


def test_no_calendar_at_all_is_an_error(tmp_path: Path) -> None:
    problems = _errors(tmp_path, {"calendar.txt": None})
    assert problems[0].file == "calendar.txt"
    empty = _errors(tmp_path / "b", {"calendar.txt": BASE["calendar.txt"].split("\n")[0] + "\n"})
    assert "運行日が1件もありません" in empty[0].message


def test_core_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    routes = BASE["routes.txt"].encode("cp932")
    problems = _errors(tmp_path, {"routes.txt": routes})
    assert (problems[0].file, problems[0].line) == ("routes.txt", 2)
    assert "Shift_JIS" in problems[0].message


def test_used_stop_without_position_is_an_error(tmp_path: Path) -> None:
    stops = BASE["stops.txt"].replace("C,病院,33.020,131.000", "C,病院,,")
    problems = _errors(tmp_path, {"stops.txt": stops})
    assert [(p.file, p.line, p.column) for p in problems] == [("stops.txt", 4, "stop_lat")]
    assert "この停留所を通る便があるため取り込めません" in problems[0].message


def test_stop_time_with_unknown_stop_is_an_error(tmp_path: Path) -> None:
    stop_times = BASE["stop_times.txt"].replace("T2,12:10:00,12:10:00,B", "T2,12:10:00,12:10:00,Z")
    problems = _errors(tmp_path, {"stop_times.txt": stop_times})
    assert [str(p) for p in problems] == [
        'stop_times.txt 6行目: stop_id "Z" が stops.txt にありません。'
    ]


def test_missing_required_column_is_an_error(tmp_path: Path) -> None:
    stops = BASE["stops.txt"].replace("stop_id,", "id,")
    problems = _errors(tmp_path, {"stops.txt": stops})
    assert (problems[0].file, problems[0].line, problems[0].column) == ("stops.txt", 1, "stop_id")


def test_feed_without_any_timed_trip_is_an_error(tmp_path: Path) -> None:
    stop_times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,,,A,1\nT1,,,B,2\n"
    problems = _errors(tmp_path, {"stop_times.txt": stop_times})
    assert "時刻のある便が1つもありません" in problems[0].message


def test_zip_inside_a_zip_is_opened(tmp_path: Path) -> None:
    import zipfile

    inner = zip_folder(write_feed(tmp_path, {"feed_info.txt": FEED_INFO}), tmp_path / "feed.zip")
    outer = tmp_path / "download.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.write(inner, "佐伯市コミュニティバス/feed.zip")
    feed = read_feed(outer)
    assert len(feed.trips) == 3 and feed.warnings == []


def test_flex_rows_without_stop_id_are_skipped_with_a_warning(tmp_path: Path) -> None:
    stop_times = BASE["stop_times.txt"].replace("stop_sequence\n", "stop_sequence,location_id\n")
    stop_times += "T1,08:40:00,08:40:00,,4,ZONE1\n"
    feed = _read(tmp_path, {"stop_times.txt": stop_times})
    w = _find(feed, "GTFS-Flex の location_id")
    assert (w.file, w.line, w.column) == ("stop_times.txt", 10, "stop_id")
    assert len(feed.stop_times["T1"]) == 3
