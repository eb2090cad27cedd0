"""Reading and checking the timetable files: calendar.txt, calendar_dates.txt, trips.txt,
stop_times.txt (sequences, missing times interpolated) and frequencies.txt."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict

from tsunagu.transit.gtfs.feed import (
    GtfsCalendar,
    GtfsCalendarDate,
    GtfsFrequency,
    GtfsTrip,
    StopTimeRow,
)
from tsunagu.transit.gtfs.parser_base import SHORT_TIME_RE, ParserBase
from tsunagu.transit.gtfs.source import cell

# Parsed stop_times row before times are completed:
# (seq, stop_id, arrival|None, departure|None, pickup, drop_off, line)
_RawStopTime = tuple[int, str, int | None, int | None, int, int, int]


class TimetableFiles(ParserBase):
    def parse_calendars(self) -> None:
        days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        name = "calendar.txt"
        t = self.table(name, ("service_id", *days, "start_date", "end_date"))
        seen: dict[str, int] = {}
        if t is not None and not t.empty and not self.problems.full:
            i_days = [t.index(d) for d in days]
            i_start, i_end = t.index("start_date"), t.index("end_date")
            for line, row, service_id in self.keyed_rows(name, t, "service_id", seen):
                flags = [
                    self.int_value(
                        name,
                        line,
                        d,
                        cell(row, i),
                        0,
                        (0, 1),
                        consequence="運行しない日として扱います。",
                    )
                    == 1
                    for d, i in zip(days, i_days, strict=True)
                ]
                dates = []
                for column, i in (("start_date", i_start), ("end_date", i_end)):
                    raw = cell(row, i)
                    parsed = self.date_value(name, line, column, raw)
                    if parsed is None:
                        self.warn(
                            name,
                            line,
                            column,
                            f'{column} が日付（YYYYMMDD）ではありません（"{raw}"）。'
                            f'service_id "{service_id}" の曜日の運行は使わずに取り込みました。',
                        )
                    dates.append(parsed)
                if dates[0] and dates[1]:
                    if dates[1] < dates[0]:
                        self.warn(
                            name,
                            line,
                            "end_date",
                            f'service_id "{service_id}" の end_date が start_date より前です。'
                            "この曜日の運行は1日もありません。",
                        )
                    self.feed.calendars.append(
                        GtfsCalendar(service_id, tuple(flags), dates[0], dates[1])  # type: ignore[arg-type]
                    )
        name = "calendar_dates.txt"
        t = self.table(name, ("service_id", "date", "exception_type"))
        if t is not None and not t.empty:
            i_sid, i_date, i_exc = t.index("service_id"), t.index("date"), t.index("exception_type")
            seen_dates: dict[tuple[str, dt.date], int] = {}
            for line, row in t.rows():
                service_id = cell(row, i_sid)
                if not service_id:
                    self.warn(
                        name, line, "service_id", "service_id が空の行は使わずに取り込みました。"
                    )
                    continue
                raw = cell(row, i_date)
                parsed = self.date_value(name, line, "date", raw)
                if parsed is None:
                    self.warn(
                        name,
                        line,
                        "date",
                        f'date が日付（YYYYMMDD）ではありません（"{raw}"）。この行は使わずに取り込みました。',
                    )
                    continue
                exc = self.int_value(
                    name,
                    line,
                    "exception_type",
                    cell(row, i_exc),
                    0,
                    (1, 2),
                    consequence="この行は使わずに取り込みました。",
                )
                if not exc:
                    continue
                key = (service_id, parsed)
                if key in seen_dates:
                    self.warn(
                        name,
                        line,
                        "date",
                        f'service_id "{service_id}" の {raw} が重複しています（{seen_dates[key]}行目）。'
                        "最初の行だけを使います。",
                    )
                    continue
                seen_dates[key] = line
                self.feed.calendar_dates.append(GtfsCalendarDate(service_id, parsed, exc))
        if (
            (self.source.has("calendar.txt") or self.source.has("calendar_dates.txt"))
            and not self.feed.calendars
            and not self.feed.calendar_dates
            and not self.problems
        ):
            self.problems.add(
                "calendar.txt",
                None,
                None,
                "運行日が1件もありません（calendar.txt と calendar_dates.txt に使える行がありません）。",
            )

    def parse_trips(self) -> None:
        name = "trips.txt"
        t = self.core_table(name, ("route_id", "service_id", "trip_id"))
        if t is None:
            return
        idx = {c: t.index(c) for c in (
            "route_id", "service_id", "trip_id", "trip_headsign", "direction_id",
            "shape_id", "block_id",
        )}  # fmt: skip
        route_ids = {r.route_id for r in self.feed.routes}
        services = {c.service_id for c in self.feed.calendars} | {
            d.service_id for d in self.feed.calendar_dates
        }
        check_routes = self.source.has("routes.txt")
        seen: dict[str, int] = {}
        for line, row, trip_id in self.keyed_rows(name, t, "trip_id", seen):
            route_id = cell(row, idx["route_id"])
            if check_routes and route_id not in route_ids:
                self.warn(
                    name,
                    line,
                    "route_id",
                    f'route_id "{route_id}" が routes.txt にないため、この便（trip_id "{trip_id}"）'
                    "は取り込みませんでした。",
                )
                self.dropped_trips.add(trip_id)
                continue
            service_id = cell(row, idx["service_id"])
            if service_id not in services:
                self.warn(
                    name,
                    line,
                    "service_id",
                    f'service_id "{service_id}" が calendar.txt にも calendar_dates.txt にもないため、'
                    "この便は運行する日がありません。",
                )
            raw_dir = cell(row, idx["direction_id"])
            direction = (
                self.int_value(
                    name,
                    line,
                    "direction_id",
                    raw_dir,
                    -1,
                    (0, 1),
                    consequence="方向なしとして扱います。",
                )
                if raw_dir
                else -1
            )
            self.feed.trips.append(
                GtfsTrip(
                    trip_id=trip_id,
                    route_id=route_id,
                    service_id=service_id,
                    headsign=cell(row, idx["trip_headsign"]),
                    direction_id=None if direction == -1 else direction,
                    shape_id=cell(row, idx["shape_id"]),
                    block_id=cell(row, idx["block_id"]),
                )
            )

    def parse_stop_times(self) -> None:
        name = "stop_times.txt"
        t = self.core_table(name, ("trip_id", "stop_id", "stop_sequence"))
        if t is None:
            return
        i_trip, i_stop, i_seq = t.index("trip_id"), t.index("stop_id"), t.index("stop_sequence")
        i_arr, i_dep = t.index("arrival_time"), t.index("departure_time")
        if i_arr is None and i_dep is None:
            self.problems.add(
                name, 1, "arrival_time", "必須の列 arrival_time / departure_time がありません。"
            )
            return
        if i_trip is None or i_stop is None or i_seq is None:
            return
        i_pick, i_drop = t.index("pickup_type"), t.index("drop_off_type")
        flex_columns = [
            i for i in (t.index("location_id"), t.index("location_group_id")) if i is not None
        ]
        trip_ids = {tr.trip_id for tr in self.feed.trips}
        dropped = self.dropped_trips
        stop_ids = set(self.stop_lines)
        check_trips = self.source.has("trips.txt")
        check_stops = self.source.has("stops.txt")
        time_cache: dict[str, int | None] = {"": None}
        problems = self.problems
        used = self.used_stops
        raw: dict[str, list[_RawStopTime]] = defaultdict(list)
        for line, row in t.rows():
            if problems.full:
                break
            n = len(row)
            trip_id = row[i_trip].strip() if i_trip < n else ""
            stop_id = row[i_stop].strip() if i_stop < n else ""
            if trip_id in dropped:
                continue  # already warned about in trips.txt
            if not stop_id and flex_columns and any(cell(row, i) for i in flex_columns):
                self.warn(
                    name,
                    line,
                    "stop_id",
                    "区域で乗り降りする行（GTFS-Flex の location_id）は、この仕組みでは扱えないため"
                    "使わずに取り込みました。",
                )
                continue
            if check_trips and trip_id not in trip_ids:
                problems.add(
                    name, line, "trip_id", f'trip_id "{trip_id}" が trips.txt にありません。'
                )
                continue
            if check_stops and stop_id not in stop_ids:
                problems.add(
                    name, line, "stop_id", f'stop_id "{stop_id}" が stops.txt にありません。'
                )
                continue
            used.add(stop_id)
            seq_raw = row[i_seq].strip() if i_seq < n else ""
            if seq_raw.isdigit():
                seq = int(seq_raw)
            else:
                try:
                    as_float = float(seq_raw)
                except ValueError:
                    as_float = math.nan
                if not (as_float.is_integer() and as_float >= 0):
                    problems.add(
                        name,
                        line,
                        "stop_sequence",
                        f'stop_sequence が 0 以上の整数ではありません（"{seq_raw}"）。',
                    )
                    continue
                seq = int(as_float)
            times: list[int | None] = []
            for column, i in (("arrival_time", i_arr), ("departure_time", i_dep)):
                value = row[i].strip() if i is not None and i < n else ""
                if value in time_cache:
                    times.append(time_cache[value])
                    continue
                parsed, ok = self.time_value(name, line, column, value)
                if not ok:
                    self.warn(
                        name,
                        line,
                        column,
                        f'{column} が時刻（HH:MM:SS）ではありません（"{value}"）。'
                        "前後の停留所の時刻から補いました。",
                    )
                elif SHORT_TIME_RE.match(value) is None:
                    time_cache[value] = parsed  # H:MM is not cached so each line is warned
                times.append(parsed)
            pickup = cell(row, i_pick)
            drop = cell(row, i_drop)
            pickup_type = (
                0
                if pickup in ("", "0")
                else self.int_value(name, line, "pickup_type", pickup, 0, range(4))
            )
            drop_type = (
                0
                if drop in ("", "0")
                else self.int_value(name, line, "drop_off_type", drop, 0, range(4))
            )
            raw[trip_id].append((seq, stop_id, times[0], times[1], pickup_type, drop_type, line))
        if problems:
            return
        stop_times = self.feed.stop_times
        for trip_id, rows in raw.items():
            rows.sort(key=lambda r: (r[0], r[6]))
            rows = self._dedupe_sequence(name, trip_id, rows)
            filled = self._fill_times(name, trip_id, rows)
            if filled:
                stop_times[trip_id] = filled
        missing = [tr.trip_id for tr in self.feed.trips if tr.trip_id not in stop_times]
        if missing:
            self.warn(
                name,
                None,
                "trip_id",
                f"時刻が1つもない便が {len(missing)} 便あります"
                f'（例: trip_id "{missing[0]}"）。これらの便は運行しないものとして扱います。',
            )

    def _dedupe_sequence(
        self, name: str, trip_id: str, rows: list[_RawStopTime]
    ) -> list[_RawStopTime]:
        kept: list[_RawStopTime] = []
        for r in rows:
            if kept and kept[-1][0] == r[0]:
                self.warn(
                    name,
                    r[6],
                    "stop_sequence",
                    f'trip_id "{trip_id}" の stop_sequence {r[0]} が重複しています'
                    f"（{kept[-1][6]}行目）。最初の行だけを使います。",
                )
                continue
            kept.append(r)
        return kept

    def _fill_times(self, name: str, trip_id: str, rows: list[_RawStopTime]) -> list[StopTimeRow]:
        """Copy arrival↔departure and interpolate untimed intermediate stops (by position).

        A trip without a time at its first or last stop cannot be placed in the day: it is
        left out with a warning. Times that go backwards are kept, with a warning.
        """
        arr = [r[2] if r[2] is not None else r[3] for r in rows]
        dep = [r[3] if r[3] is not None else r[2] for r in rows]
        for end, label in ((0, "最初"), (len(rows) - 1, "最後")):
            if arr[end] is None:
                self.warn(
                    name,
                    rows[end][6],
                    "arrival_time",
                    f'trip_id "{trip_id}" の{label}の停留所に時刻がないため、この便は取り込みませんでした。',
                )
                return []
        known = [i for i, a in enumerate(arr) if a is not None]
        for a_idx, b_idx in itertools.pairwise(known):
            if b_idx - a_idx > 1:
                start, stop = dep[a_idx], arr[b_idx]
                assert start is not None and stop is not None
                for k in range(a_idx + 1, b_idx):
                    value = start + (stop - start) * (k - a_idx) // (b_idx - a_idx)
                    arr[k] = dep[k] = value
        previous: int | None = None
        for i, r in enumerate(rows):
            a, d = arr[i], dep[i]
            assert a is not None and d is not None
            if (previous is not None and a < previous) or d < a:
                self.warn(
                    name,
                    r[6],
                    "arrival_time",
                    f'trip_id "{trip_id}" の時刻が前より早くなっています（stop_sequence {r[0]}）。'
                    "そのまま取り込みました。",
                )
                break
            previous = d
        if len(rows) == 1:
            self.warn(
                name,
                rows[0][6],
                "trip_id",
                f'trip_id "{trip_id}" には停留所が1つしかありません（乗り降りできる区間がありません）。',
            )
        return [
            (r[1], r[0], arr[i], dep[i], r[4], r[5])  # type: ignore[misc]
            for i, r in enumerate(rows)
        ]

    def parse_frequencies(self) -> None:
        name = "frequencies.txt"
        t = self.table(name, ("trip_id", "start_time", "end_time", "headway_secs"))
        if t is None or t.empty:
            return
        idx = {
            c: t.index(c)
            for c in ("trip_id", "start_time", "end_time", "headway_secs", "exact_times")
        }
        timed = self.feed.stop_times
        known = {tr.trip_id for tr in self.feed.trips}
        skip = "この行は使わずに取り込みました（便は stop_times.txt の時刻で1回だけ運行します）。"
        for line, row in t.rows():
            trip_id = cell(row, idx["trip_id"])
            if trip_id in self.dropped_trips:
                continue
            if trip_id not in known:
                self.warn(
                    name,
                    line,
                    "trip_id",
                    f'trip_id "{trip_id}" が trips.txt にありません。この行は使わずに取り込みました。',
                )
                continue
            if trip_id not in timed:
                continue  # the trip itself was left out (warned in stop_times.txt)
            times = []
            for column in ("start_time", "end_time"):
                value = cell(row, idx[column])
                parsed, _ok = self.time_value(name, line, column, value)
                if parsed is None:
                    self.warn(
                        name,
                        line,
                        column,
                        f'{column} が時刻（HH:MM:SS）ではありません（"{value}"）。{skip}',
                    )
                times.append(parsed)
            if times[0] is None or times[1] is None:
                continue
            headway = self.int_value(
                name, line, "headway_secs", cell(row, idx["headway_secs"]), 0, consequence=skip
            )
            if headway <= 0:
                self.warn(name, line, "headway_secs", f"headway_secs は 1 以上の秒数です。{skip}")
                continue
            if times[1] <= times[0]:
                self.warn(
                    name, line, "end_time", f"end_time が start_time より後ではありません。{skip}"
                )
                continue
            exact = self.int_value(
                name, line, "exact_times", cell(row, idx["exact_times"]), 0, (0, 1)
            )
            self.feed.frequencies.append(GtfsFrequency(trip_id, times[0], times[1], headway, exact))
