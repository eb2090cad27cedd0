"""The parsed feed as plain Python data (no database): agencies, routes, stops, trips, stop
times, calendars, frequencies, shapes; its look-ups (service days, runs, departures, route
lines) and the GTFS time and date values."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from tsunagu.transit.gtfs.problems import GtfsProblem


@dataclass
class GtfsAgency:
    agency_id: str
    name: str
    url: str = ""
    timezone: str = ""
    lang: str = ""
    phone: str = ""


@dataclass
class GtfsRoute:
    route_id: str
    agency_id: str
    short_name: str
    long_name: str
    desc: str
    route_type: int
    color: str = ""
    text_color: str = ""
    is_demand: bool = False

    @property
    def name(self) -> str:
        """The name to show: long name, else short name, else the id."""
        return self.long_name or self.short_name or self.route_id


@dataclass
class GtfsStop:
    stop_id: str
    name: str
    lat: float | None
    lon: float | None
    location_type: int = 0
    parent_station: str = ""
    kind: str = "bus_stop"
    code: str = ""
    desc: str = ""
    zone_id: str = ""
    platform_code: str = ""
    reading: str = ""  # ja-Hrkt reading from translations.txt (GTFS-JP)


@dataclass
class GtfsTrip:
    trip_id: str
    route_id: str
    service_id: str
    headsign: str = ""
    direction_id: int | None = None
    shape_id: str = ""
    block_id: str = ""


@dataclass
class GtfsCalendar:
    service_id: str
    weekdays: tuple[bool, bool, bool, bool, bool, bool, bool]  # Monday … Sunday
    start_date: dt.date
    end_date: dt.date


@dataclass
class GtfsCalendarDate:
    service_id: str
    date: dt.date
    exception_type: int  # 1 added, 2 removed


@dataclass
class GtfsFrequency:
    trip_id: str
    start_time: int  # seconds since midnight of the service day
    end_time: int
    headway_secs: int
    exact_times: int = 0


# (stop_id, stop_sequence, arrival_s, departure_s, pickup_type, drop_off_type)
StopTimeRow = tuple[str, int, int, int, int, int]


@dataclass
class TripRun:
    """One vehicle journey on a service day; frequency-based trips give one run per departure."""

    trip_id: str
    route_id: str
    service_id: str
    headsign: str
    direction_id: int | None
    # (stop_id, arrival_s, departure_s, pickup_type, drop_off_type), in stop order; seconds
    # since midnight of the service day, may exceed 86400 for after-midnight running.
    stop_times: list[tuple[str, int, int, int, int]]

    @property
    def start(self) -> int:
        return self.stop_times[0][2] if self.stop_times else 0


@dataclass
class GtfsFeed:
    """A parsed feed. ``stop_times`` maps trip_id → its rows sorted by stop_sequence."""

    agencies: list[GtfsAgency] = field(default_factory=list)
    routes: list[GtfsRoute] = field(default_factory=list)
    stops: list[GtfsStop] = field(default_factory=list)
    trips: list[GtfsTrip] = field(default_factory=list)
    stop_times: dict[str, list[StopTimeRow]] = field(default_factory=dict)
    calendars: list[GtfsCalendar] = field(default_factory=list)
    calendar_dates: list[GtfsCalendarDate] = field(default_factory=list)
    frequencies: list[GtfsFrequency] = field(default_factory=list)
    feed_info: dict[str, str] = field(default_factory=dict)
    shapes: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    extra_files: list[str] = field(default_factory=list)
    source_name: str = ""
    # What was ignored, repaired or defaulted while reading (capped; see warning_total).
    warnings: list[GtfsProblem] = field(default_factory=list)
    warning_total: int = 0

    # ---- look-ups --------------------------------------------------------------------------

    @property
    def stop_time_count(self) -> int:
        return sum(len(rows) for rows in self.stop_times.values())

    def stop_by_id(self) -> dict[str, GtfsStop]:
        return {s.stop_id: s for s in self.stops}

    def route_by_id(self) -> dict[str, GtfsRoute]:
        return {r.route_id: r for r in self.routes}

    def validity(self) -> tuple[dt.date | None, dt.date | None]:
        """First and last service day: feed_info if given, else the calendars' span."""
        start = parse_date(self.feed_info.get("feed_start_date", ""))
        end = parse_date(self.feed_info.get("feed_end_date", ""))
        days: list[dt.date] = []
        for c in self.calendars:
            days += [c.start_date, c.end_date]
        days += [d.date for d in self.calendar_dates if d.exception_type == 1]
        if start is None and days:
            start = min(days)
        if end is None and days:
            end = max(days)
        return start, end

    # ---- service days ----------------------------------------------------------------------

    def service_ids_on(self, date: dt.date) -> set[str]:
        """Services running on ``date``: calendar.txt by weekday and range, then calendar_dates."""
        active: set[str] = set()
        weekday = date.weekday()
        for c in self.calendars:
            if c.start_date <= date <= c.end_date and c.weekdays[weekday]:
                active.add(c.service_id)
        for d in self.calendar_dates:
            if d.date == date:
                if d.exception_type == 1:
                    active.add(d.service_id)
                elif d.exception_type == 2:
                    active.discard(d.service_id)
        return active

    def _frequencies_by_trip(self) -> dict[str, list[GtfsFrequency]]:
        by_trip: dict[str, list[GtfsFrequency]] = defaultdict(list)
        for f in self.frequencies:
            by_trip[f.trip_id].append(f)
        return by_trip

    def trips_on(self, date: dt.date) -> list[TripRun]:
        """Every run on the service day ``date``, frequency-based trips expanded.

        A frequency-based trip's stop_times are a template: runs start at start_time,
        start_time + headway … while before end_time, keeping the template's offsets.
        Runs after midnight belong to the day their service started (GTFS service day).
        """
        services = self.service_ids_on(date)
        freqs = self._frequencies_by_trip()
        runs: list[TripRun] = []
        for trip in self.trips:
            if trip.service_id not in services:
                continue
            rows = self.stop_times.get(trip.trip_id)
            if not rows:
                continue
            base = [(r[0], r[2], r[3], r[4], r[5]) for r in rows]
            trip_freqs = freqs.get(trip.trip_id)
            if not trip_freqs:
                runs.append(
                    TripRun(
                        trip.trip_id,
                        trip.route_id,
                        trip.service_id,
                        trip.headsign,
                        trip.direction_id,
                        base,
                    )
                )
                continue
            first = base[0][2]
            for f in trip_freqs:
                start = f.start_time
                while start < f.end_time:
                    shift = start - first
                    runs.append(
                        TripRun(
                            trip.trip_id,
                            trip.route_id,
                            trip.service_id,
                            trip.headsign,
                            trip.direction_id,
                            [(s, a + shift, d + shift, p, o) for s, a, d, p, o in base],
                        )
                    )
                    start += f.headway_secs
        return runs

    def departures_on(self, date: dt.date) -> dict[str, int]:
        """Departures from each stop on ``date`` (stops with none are absent).

        Counts every run (frequencies expanded) at each stop except the trip's last stop,
        and not where ``pickup_type`` is 1 (no boarding there).
        """
        services = self.service_ids_on(date)
        freqs = self._frequencies_by_trip()
        counts: dict[str, int] = defaultdict(int)
        for trip in self.trips:
            if trip.service_id not in services:
                continue
            rows = self.stop_times.get(trip.trip_id)
            if not rows:
                continue
            trip_freqs = freqs.get(trip.trip_id)
            if trip_freqs:
                n = 0
                for f in trip_freqs:
                    if f.end_time > f.start_time:
                        n += -(-(f.end_time - f.start_time) // f.headway_secs)
            else:
                n = 1
            if n <= 0:
                continue
            for row in rows[:-1]:
                if row[4] != 1:
                    counts[row[0]] += n
        return dict(counts)

    def route_shape(self, route_id: str) -> list[list[tuple[float, float]]]:
        """Lines to draw for a route: its shapes if given, else each distinct stop sequence."""
        return self.route_shapes().get(route_id, [])

    def route_shapes(self) -> dict[str, list[list[tuple[float, float]]]]:
        """``route_shape`` for every route in one pass over the trips."""
        stops = self.stop_by_id()
        lines: dict[str, list[list[tuple[float, float]]]] = defaultdict(list)
        seen: set[tuple[str, ...]] = set()
        for trip in self.trips:
            if trip.shape_id and trip.shape_id in self.shapes:
                key: tuple[str, ...] = (trip.route_id, "shape", trip.shape_id)
                if key not in seen:
                    seen.add(key)
                    lines[trip.route_id].append(self.shapes[trip.shape_id])
                continue
            key = (trip.route_id, *(r[0] for r in self.stop_times.get(trip.trip_id, [])))
            if key in seen or len(key) < 3:
                continue
            seen.add(key)
            points = []
            for sid in key[1:]:
                s = stops.get(sid)
                if s is not None and s.lat is not None and s.lon is not None:
                    points.append((s.lat, s.lon))
            if len(points) >= 2:
                lines[trip.route_id].append(points)
        return dict(lines)


_TIME_RE = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")


def parse_time(value: str) -> int | None:
    """``H:MM:SS`` / ``HH:MM:SS`` (hours may exceed 24) → seconds; None if malformed."""
    m = _TIME_RE.match(value)
    if m is None:
        return None
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))


def format_time(seconds: int) -> str:
    """Seconds since midnight → ``HH:MM`` (keeps hours past 24, as timetables do)."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def parse_date(value: str) -> dt.date | None:
    """``YYYYMMDD`` → date; None if malformed (see _Parser.date_value for YYYY-MM-DD)."""
    value = value.strip()
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None
