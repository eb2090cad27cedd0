"""A pure GTFS / GTFS-JP reader: files in, plain Python data out, no database.

Call :func:`read_feed` with a ``.zip`` or a folder. It reads every standard file it needs,
keeps the names of all other files (``agency_jp.txt``, ``office_jp.txt``, ``routes_jp.txt``,
``pattern_jp.txt``, fare files, ``translations.txt`` …) and never treats an unknown file or
column as an error (DOMAIN.md 4.5).

Problems are sorted into two kinds, following what the GTFS reference marks as required and
what real Japanese feeds commonly get wrong:

* **errors** — the feed cannot be used, nothing is imported: a missing stops.txt /
  routes.txt / trips.txt / stop_times.txt, no calendar at all, a core file that is not
  UTF-8, a stop without coordinates that a trip uses, stop_times pointing to an unknown trip
  or stop, a missing required column, no usable trip at all. :func:`read_feed` raises
  :class:`GtfsError` listing every error (up to :data:`MAX_PROBLEMS`) by file, line, column.
* **warnings** — the feed is read anyway and :attr:`GtfsFeed.warnings` lists what was
  ignored, repaired or defaulted, so staff can tell the publisher: a service_id in neither
  calendar file (the trip never runs), a trip whose route is unknown (left out), direction_id
  outside 0/1, unknown enum values, missing recommended fields, agency_id left out, duplicated
  rows, times going backwards, a time written ``H:MM``, a bad time in the middle of a trip
  (interpolated), shapes problems (lines fall back to the stop sequence), feed_info /
  translations / fare / ``*_jp`` problems, a missing feed_info.txt (required by GTFS-JP).

This module must stay importable without Django settings: the gap-analysis CLI uses it
without a database.

Demand-bus stops (デマンド停留所) — GTFS has no single flag, so the rule is:

* a route is a *demand route* when its ``route_type`` is 715 (Demand and Response Bus
  Service, extended route types) or its short/long name or description contains
  「デマンド」「予約制」「オンデマンド」 or "demand" (any case);
* a stop time is a *demand call* when its route is a demand route or its ``pickup_type``
  or ``drop_off_type`` is 2 (must phone the agency to arrange);
* a stop (``location_type`` 0) whose every call is a demand call is ``kind="demand_stop"``.

Other kinds: ``station`` (location_type 1), ``entrance`` (2), ``generic_node`` (3),
``boarding_area`` (4), ``rail_stop`` (served only by rail/metro/ferry/cable routes),
``bus_stop`` (everything else, including stops no trip serves).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import re
import sys
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tsunagu.core.distance import great_circle_m
from tsunagu.core.errors import TsunaguError

MAX_PROBLEMS = 100
MAX_WARNINGS = 200
# A member larger than this once unpacked is refused (a "zip bomb" must not exhaust memory).
MAX_FILE_BYTES = 1024 * 1024 * 1024
# Extra files (GTFS-JP, fares …) larger than this are not opened just to check their encoding.
MAX_EXTRA_CHECK_BYTES = 20 * 1024 * 1024
# A stop this far from the middle of the others is probably mistyped (warning).
OUTLIER_KM = 1000.0

# agency.txt is required by GTFS but a feed without it is still usable (warning).
REQUIRED_FILES = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
# Files that must decode, or the timetable would be wrong: an error, not a warning.
CORE_FILES = frozenset(
    {*REQUIRED_FILES, "agency.txt", "calendar.txt", "calendar_dates.txt", "frequencies.txt"}
)
# Files this reader interprets; everything else is listed in GtfsFeed.extra_files.
KNOWN_FILES = frozenset(
    {
        *REQUIRED_FILES,
        "agency.txt",
        "calendar.txt",
        "calendar_dates.txt",
        "frequencies.txt",
        "feed_info.txt",
        "shapes.txt",
        "translations.txt",
    }
)

DEMAND_WORDS = ("デマンド", "予約制", "オンデマンド", "demand")
DEMAND_ROUTE_TYPES = frozenset({715})
# Basic and extended route types that are not buses (tram, metro, rail, ferry, cable, funicular…).
_RAIL_BASIC = frozenset({0, 1, 2, 4, 5, 6, 7, 12})
_BASIC_ROUTE_TYPES = frozenset({0, 1, 2, 3, 4, 5, 6, 7, 11, 12})
_COLOR_RE = re.compile(r"^[0-9A-Fa-f]{6}$")


def _is_rail_type(route_type: int) -> bool:
    if route_type in _RAIL_BASIC:
        return True
    return 100 <= route_type < 200 or 400 <= route_type < 700 or 900 <= route_type < 1500


def _is_known_route_type(route_type: int) -> bool:
    return route_type in _BASIC_ROUTE_TYPES or 100 <= route_type <= 1702


# --------------------------------------------------------------------------------------------
# Problems and errors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GtfsProblem:
    """One thing wrong with a feed: where (file, physical line, column) and what, in Japanese."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f" {self.line}行目"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class GtfsError(TsunaguError):
    """The feed cannot be used; ``problems`` lists everything found (capped).

    ``warnings`` carries what would only have been warned about, so a page can show both.
    """

    def __init__(
        self,
        problems: list[GtfsProblem],
        *,
        truncated: bool = False,
        warnings: list[GtfsProblem] | None = None,
    ) -> None:
        self.problems = problems
        self.truncated = truncated
        self.warnings = warnings or []
        head = f"GTFS データに {len(problems)}{'件以上' if truncated else '件'}の問題があります。"
        super().__init__(head + " " + " / ".join(str(p) for p in problems[:5]), code="gtfs")


class _Problems:
    """Collects problems up to a cap so one bad column does not produce 200,000 lines.

    The same message (file, column, text) is listed for its first few lines only; the rest
    are summed up in one closing line per message. ``total`` counts every occurrence.
    """

    SAME_MESSAGE_LINES = 3

    def __init__(self, cap: int = MAX_PROBLEMS) -> None:
        self.cap = cap
        self.items: list[GtfsProblem] = []
        self.truncated = False
        self.total = 0
        self._seen: dict[tuple[str, str | None, str], int] = {}

    def add(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.total += 1
        key = (file, column, message)
        count = self._seen.get(key, 0) + 1
        self._seen[key] = count
        if count > self.SAME_MESSAGE_LINES:
            return
        if len(self.items) >= self.cap:
            self.truncated = True
            return
        self.items.append(GtfsProblem(file, line, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def full(self) -> bool:
        return len(self.items) >= self.cap

    def listing(self) -> list[GtfsProblem]:
        """The kept problems plus one line per message that repeated beyond the first few."""
        items = list(self.items)
        for (file, column, message), count in self._seen.items():
            if count > self.SAME_MESSAGE_LINES:
                extra = count - self.SAME_MESSAGE_LINES
                items.append(
                    GtfsProblem(file, None, column, f"ほかに {extra} 行で同じ問題: {message}")
                )
        return items


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


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
        start = _parse_date(self.feed_info.get("feed_start_date", ""))
        end = _parse_date(self.feed_info.get("feed_end_date", ""))
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


# --------------------------------------------------------------------------------------------
# Value parsing
# --------------------------------------------------------------------------------------------

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


def _parse_date(value: str) -> dt.date | None:
    """``YYYYMMDD`` → date; None if malformed (see _Parser.date_value for YYYY-MM-DD)."""
    value = value.strip()
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, good enough to spot misplaced stops."""
    return float(great_circle_m(lat1, lon1, lat2, lon2)) / 1000.0


_SHORT_TIME_RE = re.compile(r"^\s*(\d{1,3}):([0-5]\d)\s*$")
_DASHED_DATE_RE = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*$")


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


class _Source:
    """The files of a feed, from a zip or a folder (files may sit one folder down).

    Names are matched without regard to case (``Stops.txt`` from some Windows tools).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, object] = {}  # lower-case basename → zip member name or Path
        self.zip: zipfile.ZipFile | None = None
        if path.is_dir():
            base = path
            if not self._has_stops(p.name for p in path.iterdir() if p.is_file()):
                subdirs = [
                    p
                    for p in path.iterdir()
                    if p.is_dir() and self._has_stops(c.name for c in p.iterdir() if c.is_file())
                ]
                if len(subdirs) == 1:
                    base = subdirs[0]
            for p in sorted(base.iterdir()):
                if p.is_file():
                    self.files.setdefault(p.name.lower(), p)
        elif path.is_file() and zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            self.zip = self._unwrap_nested(self.zip)
            members = [
                m
                for m in self.zip.infolist()
                if not m.is_dir()
                and not m.filename.startswith("__MACOSX/")
                and not m.filename.rsplit("/", 1)[-1].startswith("._")
            ]
            prefix = ""
            for m in members:
                if m.filename.rsplit("/", 1)[-1].lower() == "stops.txt":
                    prefix = m.filename[: -len("stops.txt")]
                    break
            for m in members:
                if m.filename.startswith(prefix) and "/" not in m.filename[len(prefix) :]:
                    self.files.setdefault(m.filename[len(prefix) :].lower(), m.filename)
        else:
            raise GtfsError(
                [
                    GtfsProblem(
                        path.name,
                        None,
                        None,
                        "GTFS の zip ファイルまたはフォルダーではありません。",
                    )
                ]
            )

    @staticmethod
    def _unwrap_nested(archive: zipfile.ZipFile) -> zipfile.ZipFile:
        """Some portals wrap the feed zip in another zip: open the single inner zip."""
        names = [m.filename for m in archive.infolist() if not m.is_dir()]
        if any(n.rsplit("/", 1)[-1].lower() == "stops.txt" for n in names):
            return archive
        inner = [n for n in names if n.lower().endswith(".zip") and not n.startswith("__MACOSX/")]
        if len(inner) != 1 or archive.getinfo(inner[0]).file_size > MAX_FILE_BYTES:
            return archive
        data = archive.read(inner[0])
        try:
            nested = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return archive
        archive.close()
        return nested

    @staticmethod
    def _has_stops(names: Iterable[str]) -> bool:
        return any(n.lower() == "stops.txt" for n in names)

    def names(self) -> list[str]:
        return sorted(self.files)

    def has(self, name: str) -> bool:
        return name in self.files

    def size(self, name: str) -> int:
        ref = self.files[name]
        if self.zip is not None:
            return self.zip.getinfo(str(ref)).file_size
        assert isinstance(ref, Path)
        return ref.stat().st_size

    def read_bytes(self, name: str) -> bytes:
        ref = self.files[name]
        if self.zip is not None:
            if self.zip.getinfo(str(ref)).file_size > MAX_FILE_BYTES:
                raise GtfsError(
                    [GtfsProblem(name, None, None, "ファイルが大きすぎます（展開後 1GB まで）。")]
                )
            return self.zip.read(str(ref))
        assert isinstance(ref, Path)
        return ref.read_bytes()

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


# Long shapes / translations cells must not stop the reader.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class _Table:
    """One CSV file: header positions and an iterator of (line number, values)."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        # NUL bytes (seen in files exported from spreadsheets) make csv raise; drop them.
        if "\x00" in text:
            text = text.replace("\x00", "")
        self._reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(self._reader)
        except StopIteration:
            header = []
        self.columns: dict[str, int] = {}
        for i, h in enumerate(header):
            key = h.strip().lstrip("\ufeff").strip().lower()
            if key and key not in self.columns:
                self.columns[key] = i
        self.empty = not self.columns
        self.row_count = 0

    def index(self, column: str) -> int | None:
        return self.columns.get(column)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank lines / ",,,," (common at the end of hand-edited files)
            self.row_count += 1
            yield reader.line_num, row


def _cell(row: list[str], idx: int | None) -> str:
    if idx is None or idx >= len(row):
        return ""
    return row[idx].strip()


# Parsed stop_times row before times are completed:
# (seq, stop_id, arrival|None, departure|None, pickup, drop_off, line)
_RawStopTime = tuple[int, str, int | None, int | None, int, int, int]


class _Parser:
    def __init__(self, source: _Source) -> None:
        self.source = source
        self.problems = _Problems(MAX_PROBLEMS)
        self.warnings = _Problems(MAX_WARNINGS)
        self.feed = GtfsFeed(source_name=source.path.name)
        self.stop_lines: dict[str, int] = {}
        # stop_id → (line, column, message) for coordinates that are missing or unusable
        self.bad_coordinates: dict[str, tuple[int, str, str]] = {}
        self.dropped_trips: set[str] = set()
        self.used_stops: set[str] = set()

    # helpers --------------------------------------------------------------------------------

    def warn(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.warnings.add(file, line, column, message)

    def table(
        self, name: str, required_columns: tuple[str, ...] = (), *, critical: bool = True
    ) -> _Table | None:
        """Open a file; a decoding failure or missing column is an error for core files.

        For other files the same is a warning and the file is skipped (None).
        """
        if not self.source.has(name):
            return None
        data = self.source.read_bytes(name)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            message = (
                "文字コードを UTF-8 として読めません。GTFS は UTF-8 で保存する決まりです"
                "（Shift_JIS で保存されている可能性があります。UTF-8 で保存し直してください）。"
            )
            if critical:
                self.problems.add(name, line, None, message)
            else:
                self.warn(name, line, None, message + "このファイルは使わずに取り込みました。")
            return None
        table = _Table(name, text)
        if table.empty:
            return table
        missing = [c for c in required_columns if c not in table.columns]
        for col in missing:
            if critical:
                self.problems.add(name, 1, col, f"必須の列 {col} がありません。")
            else:
                self.warn(
                    name,
                    1,
                    col,
                    f"必須の列 {col} がないため、このファイルは使わずに取り込みました。",
                )
        if missing and not critical:
            return None
        return table

    def int_value(
        self,
        name: str,
        line: int,
        column: str,
        value: str,
        default: int,
        allowed: Iterable[int] | None = None,
        *,
        consequence: str = "",
    ) -> int:
        """An integer cell; anything unusable is a warning and gives ``default``."""
        if value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            try:
                as_float = float(value)
            except ValueError:
                as_float = math.nan
            if not as_float.is_integer():
                self.warn(
                    name,
                    line,
                    column,
                    f'{column} が整数ではありません（"{value}"）。{consequence or f"{default} として扱います。"}',
                )
                return default
            number = int(as_float)
        if allowed is not None and number not in allowed:
            self.warn(
                name,
                line,
                column,
                f'{column} の値 "{value}" は GTFS の決まりにありません。'
                f"{consequence or f'{default} として扱います。'}",
            )
            return default
        return number

    def date_value(self, name: str, line: int, column: str, raw: str) -> dt.date | None:
        """``YYYYMMDD``; ``YYYY-MM-DD`` / ``YYYY/MM/DD`` are accepted with a warning."""
        parsed = _parse_date(raw)
        if parsed is not None:
            return parsed
        m = _DASHED_DATE_RE.match(raw)
        if m is not None:
            try:
                parsed = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                parsed = None
            if parsed is not None:
                self.warn(
                    name,
                    line,
                    column,
                    f'{column} は YYYYMMDD で書く決まりです（"{raw}"）。日付として読み取りました。',
                )
                return parsed
        return None

    def time_value(self, name: str, line: int, column: str, raw: str) -> tuple[int | None, bool]:
        """(seconds, ok): ``H:MM`` is read with a warning; ok is False when unreadable."""
        if raw == "":
            return None, True
        parsed = parse_time(raw)
        if parsed is not None:
            return parsed, True
        m = _SHORT_TIME_RE.match(raw)
        if m is not None:
            self.warn(
                name,
                line,
                column,
                f"{column} は HH:MM:SS で書く決まりです。秒を 00 として読み取りました。",
            )
            return int(m.group(1)) * 3600 + int(m.group(2)) * 60, True
        return None, False

    # files ----------------------------------------------------------------------------------

    def parse(self) -> GtfsFeed:
        source = self.source
        feed = self.feed
        for name in REQUIRED_FILES:
            if not source.has(name):
                self.problems.add(name, None, None, f"必須ファイル {name} がありません。")
        if not source.has("calendar.txt") and not source.has("calendar_dates.txt"):
            self.problems.add(
                "calendar.txt",
                None,
                None,
                "必須ファイル calendar.txt も calendar_dates.txt もありません（どちらかが必要です）。",
            )
        feed.extra_files = [
            n for n in source.names() if n not in KNOWN_FILES and n.endswith(".txt")
        ]

        self.parse_agencies()
        self.parse_stops()
        self.parse_routes()
        self.parse_calendars()
        self.parse_trips()
        self.parse_stop_times()
        self.check_stop_coordinates()
        self.check_outlying_stops()
        self.parse_frequencies()
        self.parse_feed_info()
        self.parse_shapes()
        self.parse_translations()
        self.check_fares()
        self.check_extra_files()
        if not self.problems and self.source.has("stop_times.txt"):
            if not any(feed.stop_times.values()):
                self.problems.add(
                    "stop_times.txt",
                    None,
                    None,
                    "時刻のある便が1つもありません（取り込める時刻表がありません）。",
                )
        warnings = self.warnings.listing()
        if self.problems:
            raise GtfsError(
                self.problems.listing(), truncated=self.problems.truncated, warnings=warnings
            )
        feed.warnings = warnings
        feed.warning_total = self.warnings.total
        self.classify_stops()
        return feed

    def parse_agencies(self) -> None:
        name = "agency.txt"
        if not self.source.has(name):
            self.warn(
                name,
                None,
                None,
                "agency.txt がありません（GTFS では必須です）。事業者名なしで取り込みました。",
            )
            return
        t = self.table(name)
        if t is None:
            return
        if t.empty:
            self.warn(name, None, None, "ファイルが空です。事業者名なしで取り込みました。")
            return
        if "agency_name" not in t.columns:
            self.warn(name, 1, "agency_name", "必須の列 agency_name がありません。")
        i_id, i_name = t.index("agency_id"), t.index("agency_name")
        i_url, i_tz = t.index("agency_url"), t.index("agency_timezone")
        i_lang, i_phone = t.index("agency_lang"), t.index("agency_phone")
        seen: set[str] = set()
        for line, row in t.rows():
            agency_id = _cell(row, i_id)
            if agency_id and agency_id in seen:
                self.warn(
                    name,
                    line,
                    "agency_id",
                    f'agency_id "{agency_id}" が重複しています。最初の行だけを使います。',
                )
                continue
            seen.add(agency_id)
            agency = GtfsAgency(
                agency_id=agency_id,
                name=_cell(row, i_name),
                url=_cell(row, i_url),
                timezone=_cell(row, i_tz),
                lang=_cell(row, i_lang),
                phone=_cell(row, i_phone),
            )
            for column, value in (
                ("agency_name", agency.name),
                ("agency_url", agency.url),
                ("agency_timezone", agency.timezone),
            ):
                if not value and (column != "agency_name" or i_name is not None):
                    self.warn(name, line, column, f"{column} が空です（GTFS では必須です）。")
            self.feed.agencies.append(agency)
        if not self.feed.agencies:
            self.warn(name, None, None, "事業者が1件もありません。事業者名なしで取り込みました。")
        elif len(self.feed.agencies) == 1 and not self.feed.agencies[0].agency_id:
            self.warn(
                name,
                None,
                "agency_id",
                "agency_id が空です（事業者が1つなので、すべての路線をこの事業者として扱います）。",
            )
        elif len(self.feed.agencies) > 1 and "" in seen:
            self.warn(
                name,
                None,
                "agency_id",
                "事業者が複数あるのに agency_id が空の行があります。路線との対応が分からない場合があります。",
            )

    def parse_stops(self) -> None:
        name = "stops.txt"
        t = self.table(name, ("stop_id", "stop_lat", "stop_lon"))
        if t is None:
            return
        if t.empty:
            self.problems.add(name, None, None, "ファイルが空です（見出し行もありません）。")
            return
        idx = {c: t.index(c) for c in (
            "stop_id", "stop_name", "stop_lat", "stop_lon", "location_type",
            "parent_station", "stop_code", "stop_desc", "zone_id", "platform_code",
        )}  # fmt: skip
        seen = self.stop_lines
        parents: list[tuple[int, GtfsStop]] = []
        for line, row in t.rows():
            stop_id = _cell(row, idx["stop_id"])
            if not stop_id:
                self.warn(name, line, "stop_id", "stop_id が空の行は使わずに取り込みました。")
                continue
            if stop_id in seen:
                self.warn(
                    name,
                    line,
                    "stop_id",
                    f'stop_id "{stop_id}" が重複しています（{seen[stop_id]}行目）。最初の行だけを使います。',
                )
                continue
            seen[stop_id] = line
            location_type = self.int_value(
                name, line, "location_type", _cell(row, idx["location_type"]), 0, range(0, 5)
            )
            lat, lon = self._coordinates(stop_id, line, row, idx, location_type)
            stop_name = _cell(row, idx["stop_name"])
            if not stop_name and location_type in (0, 1, 2):
                self.warn(name, line, "stop_name", f'stop_id "{stop_id}" の stop_name が空です。')
            stop = GtfsStop(
                stop_id=stop_id,
                name=stop_name,
                lat=lat,
                lon=lon,
                location_type=location_type,
                parent_station=_cell(row, idx["parent_station"]),
                code=_cell(row, idx["stop_code"]),
                desc=_cell(row, idx["stop_desc"]),
                zone_id=_cell(row, idx["zone_id"]),
                platform_code=_cell(row, idx["platform_code"]),
            )
            if stop.parent_station:
                parents.append((line, stop))
            self.feed.stops.append(stop)
        for line, stop in parents:
            if stop.parent_station not in seen:
                self.warn(
                    name,
                    line,
                    "parent_station",
                    f'parent_station "{stop.parent_station}" が stops.txt にないため、親の駅なしで取り込みました。',
                )
                stop.parent_station = ""
        if not self.feed.stops:
            self.problems.add(name, None, None, "停留所が1件もありません。")

    def _coordinates(
        self, stop_id: str, line: int, row: list[str], idx: dict[str, int | None], ltype: int
    ) -> tuple[float | None, float | None]:
        """Latitude and longitude; problems are decided later (error only if a trip uses it)."""
        raw_lat, raw_lon = _cell(row, idx["stop_lat"]), _cell(row, idx["stop_lon"])
        values: list[float | None] = []
        for column, raw in (("stop_lat", raw_lat), ("stop_lon", raw_lon)):
            if raw == "":
                if ltype in (0, 1, 2):
                    self.bad_coordinates.setdefault(stop_id, (line, column, f"{column} が空です"))
                values.append(None)
                continue
            try:
                value = float(raw)
            except ValueError:
                self.bad_coordinates.setdefault(
                    stop_id, (line, column, f'{column} が数値ではありません（"{raw}"）')
                )
                values.append(None)
                continue
            values.append(value if math.isfinite(value) else None)
        lat, lon = values
        if lat is None or lon is None:
            if (lat is None) != (lon is None) or raw_lat or raw_lon:
                self.bad_coordinates.setdefault(
                    stop_id, (line, "stop_lat", "stop_lat / stop_lon が片方しかありません")
                )
            return None, None
        if abs(lat) > 90 and abs(lon) <= 90 and abs(lat) <= 180:
            # Latitude and longitude swapped (e.g. 135.7, 35.0): a common spreadsheet slip.
            self.warn(
                "stops.txt",
                line,
                "stop_lat",
                f'stop_id "{stop_id}" の stop_lat と stop_lon が入れ替わっているようです'
                f"（{raw_lat}, {raw_lon}）。入れ替えて取り込みました。",
            )
            lat, lon = lon, lat
        if abs(lat) > 90 or abs(lon) > 180:
            column = "stop_lat" if abs(lat) > 90 else "stop_lon"
            raw = raw_lat if column == "stop_lat" else raw_lon
            limit = 90 if column == "stop_lat" else 180
            self.bad_coordinates.setdefault(
                stop_id, (line, column, f'{column} が範囲外です（"{raw}"、±{limit} 度以内）')
            )
            return None, None
        if lat == 0 and lon == 0:
            self.bad_coordinates.setdefault(
                stop_id, (line, "stop_lat", "stop_lat / stop_lon が 0 のままです（位置が未入力）")
            )
            return None, None
        return lat, lon

    def check_stop_coordinates(self) -> None:
        """A used stop without a position is an error; an unused one is only a warning."""
        by_id = {s.stop_id: s for s in self.feed.stops}
        for stop_id, (line, column, text) in self.bad_coordinates.items():
            stop = by_id.get(stop_id)
            if stop is not None:
                stop.lat = stop.lon = None
            if stop_id in self.used_stops:
                self.problems.add(
                    "stops.txt",
                    line,
                    column,
                    f'stop_id "{stop_id}" の位置が使えません: {text}。この停留所を通る便があるため'
                    "取り込めません。",
                )
            else:
                self.warn(
                    "stops.txt",
                    line,
                    column,
                    f'stop_id "{stop_id}" の位置が使えません: {text}。どの便も通らないため、'
                    "地図には出さずに取り込みました。",
                )

    def check_outlying_stops(self) -> None:
        """A stop hundreds of km from the others is usually a typing slip (warning only)."""
        placed = [s for s in self.feed.stops if s.lat is not None and s.lon is not None]
        if len(placed) < 3:
            return
        lats = sorted(s.lat for s in placed)  # type: ignore[type-var]
        lons = sorted(s.lon for s in placed)  # type: ignore[type-var]
        mid_lat, mid_lon = lats[len(lats) // 2], lons[len(lons) // 2]
        assert mid_lat is not None and mid_lon is not None
        for stop in placed:
            assert stop.lat is not None and stop.lon is not None
            km = _distance_km(mid_lat, mid_lon, stop.lat, stop.lon)
            if km > OUTLIER_KM:
                self.warn(
                    "stops.txt",
                    self.stop_lines.get(stop.stop_id),
                    "stop_lon",
                    f'stop_id "{stop.stop_id}" はほかの停留所から約 {km:,.0f} km 離れています'
                    f"（{stop.lat}, {stop.lon}）。緯度経度の誤りかもしれません。",
                )

    def parse_routes(self) -> None:
        name = "routes.txt"
        t = self.table(name, ("route_id",))
        if t is None:
            return
        if t.empty:
            self.problems.add(name, None, None, "ファイルが空です（見出し行もありません）。")
            return
        if "route_type" not in t.columns:
            self.warn(
                name, 1, "route_type", "必須の列 route_type がないため、バス（3）として扱います。"
            )
        idx = {c: t.index(c) for c in (
            "route_id", "agency_id", "route_short_name", "route_long_name", "route_desc",
            "route_type", "route_color", "route_text_color",
        )}  # fmt: skip
        agencies = self.feed.agencies
        agency_ids = {a.agency_id for a in agencies if a.agency_id}
        single_agency = agencies[0].agency_id if len(agencies) == 1 else None
        seen: dict[str, int] = {}
        for line, row in t.rows():
            route_id = _cell(row, idx["route_id"])
            if not route_id:
                self.warn(name, line, "route_id", "route_id が空の行は使わずに取り込みました。")
                continue
            if route_id in seen:
                self.warn(
                    name,
                    line,
                    "route_id",
                    f'route_id "{route_id}" が重複しています（{seen[route_id]}行目）。最初の行だけを使います。',
                )
                continue
            seen[route_id] = line
            agency_id = _cell(row, idx["agency_id"])
            if single_agency is not None:
                if agency_id and agency_id != single_agency and agency_ids:
                    self.warn(
                        name,
                        line,
                        "agency_id",
                        f'agency_id "{agency_id}" が agency.txt にありません。'
                        "事業者が1つなので、その事業者として扱います。",
                    )
                agency_id = single_agency
            elif agencies:
                if not agency_id:
                    self.warn(
                        name,
                        line,
                        "agency_id",
                        f'route_id "{route_id}" の agency_id が空です（事業者が複数あるときは必須）。'
                        "事業者なしで取り込みました。",
                    )
                elif agency_id not in agency_ids:
                    self.warn(
                        name,
                        line,
                        "agency_id",
                        f'agency_id "{agency_id}" が agency.txt にありません。事業者なしで取り込みました。',
                    )
            raw_type = _cell(row, idx["route_type"])
            route_type = self.int_value(name, line, "route_type", raw_type, 3)
            if raw_type == "" and idx["route_type"] is not None:
                self.warn(
                    name, line, "route_type", "route_type が空です。バス（3）として扱います。"
                )
            elif not _is_known_route_type(route_type):
                self.warn(
                    name,
                    line,
                    "route_type",
                    f'route_type の値 "{raw_type}" は GTFS の決まりにありません。そのまま取り込みました。',
                )
            short, long_ = _cell(row, idx["route_short_name"]), _cell(row, idx["route_long_name"])
            if not short and not long_:
                self.warn(
                    name,
                    line,
                    "route_long_name",
                    f'route_id "{route_id}" に route_short_name も route_long_name もありません。',
                )
            colors = []
            for column in ("route_color", "route_text_color"):
                value = _cell(row, idx[column]).lstrip("#")
                if value and not _COLOR_RE.match(value):
                    self.warn(
                        name,
                        line,
                        column,
                        f'{column} が 6 桁の16進数ではありません（"{value}"）。色なしで取り込みました。',
                    )
                    value = ""
                colors.append(value)
            desc = _cell(row, idx["route_desc"])
            text = f"{short} {long_} {desc}".lower()
            self.feed.routes.append(
                GtfsRoute(
                    route_id=route_id,
                    agency_id=agency_id,
                    short_name=short,
                    long_name=long_,
                    desc=desc,
                    route_type=route_type,
                    color=colors[0],
                    text_color=colors[1],
                    is_demand=route_type in DEMAND_ROUTE_TYPES
                    or any(w in text for w in DEMAND_WORDS),
                )
            )
        if not self.feed.routes:
            self.problems.add(name, None, None, "路線が1件もありません。")

    def parse_calendars(self) -> None:
        days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        name = "calendar.txt"
        t = self.table(name, ("service_id", *days, "start_date", "end_date"))
        seen: dict[str, int] = {}
        if t is not None and not t.empty and not self.problems.full:
            i_sid = t.index("service_id")
            i_days = [t.index(d) for d in days]
            i_start, i_end = t.index("start_date"), t.index("end_date")
            for line, row in t.rows():
                service_id = _cell(row, i_sid)
                if not service_id:
                    self.warn(
                        name, line, "service_id", "service_id が空の行は使わずに取り込みました。"
                    )
                    continue
                if service_id in seen:
                    self.warn(
                        name,
                        line,
                        "service_id",
                        f'service_id "{service_id}" が重複しています（{seen[service_id]}行目）。'
                        "最初の行だけを使います。",
                    )
                    continue
                seen[service_id] = line
                flags = [
                    self.int_value(
                        name,
                        line,
                        d,
                        _cell(row, i),
                        0,
                        (0, 1),
                        consequence="運行しない日として扱います。",
                    )
                    == 1
                    for d, i in zip(days, i_days, strict=True)
                ]
                dates = []
                for column, i in (("start_date", i_start), ("end_date", i_end)):
                    raw = _cell(row, i)
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
                service_id = _cell(row, i_sid)
                if not service_id:
                    self.warn(
                        name, line, "service_id", "service_id が空の行は使わずに取り込みました。"
                    )
                    continue
                raw = _cell(row, i_date)
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
                    _cell(row, i_exc),
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
        t = self.table(name, ("route_id", "service_id", "trip_id"))
        if t is None:
            return
        if t.empty:
            self.problems.add(name, None, None, "ファイルが空です（見出し行もありません）。")
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
        for line, row in t.rows():
            trip_id = _cell(row, idx["trip_id"])
            if not trip_id:
                self.warn(name, line, "trip_id", "trip_id が空の行は使わずに取り込みました。")
                continue
            if trip_id in seen:
                self.warn(
                    name,
                    line,
                    "trip_id",
                    f'trip_id "{trip_id}" が重複しています（{seen[trip_id]}行目）。最初の行だけを使います。',
                )
                continue
            seen[trip_id] = line
            route_id = _cell(row, idx["route_id"])
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
            service_id = _cell(row, idx["service_id"])
            if service_id not in services:
                self.warn(
                    name,
                    line,
                    "service_id",
                    f'service_id "{service_id}" が calendar.txt にも calendar_dates.txt にもないため、'
                    "この便は運行する日がありません。",
                )
            raw_dir = _cell(row, idx["direction_id"])
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
                    headsign=_cell(row, idx["trip_headsign"]),
                    direction_id=None if direction == -1 else direction,
                    shape_id=_cell(row, idx["shape_id"]),
                    block_id=_cell(row, idx["block_id"]),
                )
            )

    def parse_stop_times(self) -> None:
        name = "stop_times.txt"
        t = self.table(name, ("trip_id", "stop_id", "stop_sequence"))
        if t is None:
            return
        if t.empty:
            self.problems.add(name, None, None, "ファイルが空です（見出し行もありません）。")
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
            if not stop_id and flex_columns and any(_cell(row, i) for i in flex_columns):
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
                elif _SHORT_TIME_RE.match(value) is None:
                    time_cache[value] = parsed  # H:MM is not cached so each line is warned
                times.append(parsed)
            pickup = _cell(row, i_pick)
            drop = _cell(row, i_drop)
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
            trip_id = _cell(row, idx["trip_id"])
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
                value = _cell(row, idx[column])
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
                name, line, "headway_secs", _cell(row, idx["headway_secs"]), 0, consequence=skip
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
                name, line, "exact_times", _cell(row, idx["exact_times"]), 0, (0, 1)
            )
            self.feed.frequencies.append(GtfsFrequency(trip_id, times[0], times[1], headway, exact))

    def parse_feed_info(self) -> None:
        name = "feed_info.txt"
        if not self.source.has(name):
            self.warn(
                name,
                None,
                None,
                "feed_info.txt がありません（GTFS-JP では必須です）。提供者・版・有効期間なしで取り込みました。",
            )
            return
        t = self.table(name, critical=False)
        if t is None:
            return
        if t.empty:
            self.warn(
                name, None, None, "ファイルが空です。提供者・版・有効期間なしで取り込みました。"
            )
            return
        rows = list(t.rows())
        if not rows:
            self.warn(name, None, None, "見出し行だけで中身がありません。")
            return
        line, row = rows[0]
        info = {col: _cell(row, i) for col, i in t.columns.items()}
        if len(rows) > 1:
            self.warn(
                name, rows[1][0], None, "2行目以降は使わずに取り込みました（1行だけの決まりです）。"
            )
        for column in ("feed_publisher_name", "feed_publisher_url", "feed_lang"):
            if not info.get(column):
                self.warn(name, line, column, f"{column} が空です（GTFS では必須です）。")
        for column in ("feed_start_date", "feed_end_date"):
            raw = info.get(column, "")
            if not raw:
                continue
            parsed = self.date_value(name, line, column, raw)
            if parsed is None:
                self.warn(
                    name,
                    line,
                    column,
                    f'{column} が日付（YYYYMMDD）ではありません（"{raw}"）。運行日から有効期間を求めます。',
                )
                info[column] = ""
            else:
                info[column] = parsed.strftime("%Y%m%d")
        self.feed.feed_info = info

    def parse_shapes(self) -> None:
        name = "shapes.txt"
        referenced = {tr.shape_id for tr in self.feed.trips if tr.shape_id}
        t = self.table(
            name, ("shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"), critical=False
        )
        if t is not None and not t.empty:
            idx = {
                c: t.index(c)
                for c in ("shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence")
            }
            points: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
            for line, row in t.rows():
                try:
                    lat = float(_cell(row, idx["shape_pt_lat"]))
                    lon = float(_cell(row, idx["shape_pt_lon"]))
                    seq = float(_cell(row, idx["shape_pt_sequence"]))
                except ValueError:
                    self.warn(
                        name,
                        line,
                        None,
                        "shape_pt_lat / shape_pt_lon / shape_pt_sequence が数値ではありません。"
                        "この点は使わずに取り込みました。",
                    )
                    continue
                if (
                    not (math.isfinite(lat) and math.isfinite(lon))
                    or abs(lat) > 90
                    or abs(lon) > 180
                ):
                    self.warn(
                        name,
                        line,
                        "shape_pt_lat",
                        "緯度経度が範囲外です。この点は使わずに取り込みました。",
                    )
                    continue
                points[_cell(row, idx["shape_id"])].append((seq, lat, lon))
            for shape_id, pts in points.items():
                if len(pts) < 2:
                    self.warn(
                        name,
                        None,
                        "shape_id",
                        f'shape_id "{shape_id}" の点が1つしかないため、停留所の順に線を引きます。',
                    )
                    continue
                pts.sort()
                self.feed.shapes[shape_id] = [(lat, lon) for _s, lat, lon in pts]
        unknown = sorted(referenced - set(self.feed.shapes))
        if not unknown:
            return
        if not self.source.has(name):
            self.warn(
                "trips.txt",
                None,
                "shape_id",
                f"shape_id が指定されていますが shapes.txt がありません（{len(unknown)} 種類）。"
                "路線の線は停留所の順に引きます。",
            )
            return
        for shape_id in unknown:
            self.warn(
                "trips.txt",
                None,
                "shape_id",
                f'shape_id "{shape_id}" が shapes.txt で使えないため、停留所の順に線を引きます。',
            )

    def parse_translations(self) -> None:
        """Readings (ja-Hrkt) of stop names, both the GTFS-JP v2 and the GTFS-2020 layout."""
        name = "translations.txt"
        t = self.table(name, critical=False)
        if t is None:
            return
        if t.empty:
            self.warn(name, None, None, "ファイルが空です。読みがななしで取り込みました。")
            return
        by_name: dict[str, str] = {}
        by_stop: dict[str, str] = {}
        if "trans_id" in t.columns:  # GTFS-JP v2: trans_id (the Japanese text), lang, translation
            if "lang" not in t.columns or "translation" not in t.columns:
                self.warn(
                    name,
                    1,
                    None,
                    "列 lang / translation がないため、読みがななしで取り込みました。",
                )
                return
            i_tid, i_lang, i_tr = t.index("trans_id"), t.index("lang"), t.index("translation")
            for _line, row in t.rows():
                if _cell(row, i_lang).lower() == "ja-hrkt":
                    by_name[_cell(row, i_tid)] = _cell(row, i_tr)
        elif {"table_name", "field_name", "language", "translation"} <= set(t.columns):
            i_table, i_field = t.index("table_name"), t.index("field_name")
            i_lang, i_tr = t.index("language"), t.index("translation")
            i_rec, i_val = t.index("record_id"), t.index("field_value")
            if i_rec is None and i_val is None:
                self.warn(
                    name,
                    1,
                    None,
                    "列 record_id も field_value もないため、読みがななしで取り込みました。",
                )
                return
            for line, row in t.rows():
                if _cell(row, i_lang).lower() != "ja-hrkt" or _cell(row, i_table) != "stops":
                    continue
                if _cell(row, i_field) != "stop_name":
                    continue
                if _cell(row, i_rec):
                    by_stop[_cell(row, i_rec)] = _cell(row, i_tr)
                elif _cell(row, i_val):
                    by_name[_cell(row, i_val)] = _cell(row, i_tr)
                else:
                    self.warn(
                        name,
                        line,
                        "record_id",
                        "record_id も field_value も空です。この行は使いません。",
                    )
        else:
            self.warn(
                name,
                1,
                None,
                "列の形が GTFS-JP（trans_id, lang, translation）とも GTFS（table_name, field_name, "
                "language, translation）とも違うため、読みがななしで取り込みました。",
            )
            return
        for stop in self.feed.stops:
            stop.reading = by_stop.get(stop.stop_id) or by_name.get(stop.name, "")

    def check_fares(self) -> None:
        """Fares are kept as files, not used; obvious problems are reported as warnings."""
        name = "fare_attributes.txt"
        fare_ids: set[str] = set()
        t = self.table(name, ("fare_id", "price", "currency_type"), critical=False)
        if t is not None and not t.empty:
            i_id, i_price = t.index("fare_id"), t.index("price")
            for line, row in t.rows():
                fare_id = _cell(row, i_id)
                if fare_id in fare_ids:
                    self.warn(name, line, "fare_id", f'fare_id "{fare_id}" が重複しています。')
                fare_ids.add(fare_id)
                price = _cell(row, i_price)
                try:
                    ok = float(price) >= 0
                except ValueError:
                    ok = False
                if not ok:
                    self.warn(
                        name, line, "price", f'price が 0 以上の数値ではありません（"{price}"）。'
                    )
        name = "fare_rules.txt"
        t = self.table(name, ("fare_id",), critical=False)
        if t is not None and not t.empty:
            i_id, i_route = t.index("fare_id"), t.index("route_id")
            route_ids = {r.route_id for r in self.feed.routes}
            check_fares = self.source.has("fare_attributes.txt")
            for line, row in t.rows():
                fare_id = _cell(row, i_id)
                if check_fares and fare_id not in fare_ids:
                    self.warn(
                        name,
                        line,
                        "fare_id",
                        f'fare_id "{fare_id}" が fare_attributes.txt にありません。',
                    )
                route_id = _cell(row, i_route)
                if route_id and route_id not in route_ids:
                    self.warn(
                        name,
                        line,
                        "route_id",
                        f'route_id "{route_id}" が routes.txt にありません。',
                    )

    def check_extra_files(self) -> None:
        """GTFS-JP and other files are kept by name; empty or undecodable ones are warned."""
        for name in self.feed.extra_files:
            if name in ("fare_attributes.txt", "fare_rules.txt"):
                continue  # checked in check_fares
            size = self.source.size(name)
            if size == 0:
                self.warn(name, None, None, "ファイルが空です（中身がありません）。")
                continue
            if size > MAX_EXTRA_CHECK_BYTES:
                continue
            t = self.table(name, critical=False)
            if t is None:
                continue
            if t.empty:
                self.warn(name, None, None, "ファイルが空です（見出し行もありません）。")
            elif name.endswith("_jp.txt") and next(t.rows(), None) is None:
                self.warn(name, None, None, "見出し行だけで中身がありません。")

    # derived --------------------------------------------------------------------------------

    def classify_stops(self) -> None:
        feed = self.feed
        routes = feed.route_by_id()
        trip_route = {t.trip_id: routes.get(t.route_id) for t in feed.trips}
        calls: dict[str, list[bool]] = defaultdict(lambda: [False, False, False])
        # per stop: [any call, any non-demand call, any non-rail call]
        for trip_id, rows in feed.stop_times.items():
            route = trip_route.get(trip_id)
            demand_route = bool(route and route.is_demand)
            rail = bool(route and _is_rail_type(route.route_type))
            for r in rows:
                flags = calls[r[0]]
                flags[0] = True
                if not (demand_route or r[4] == 2 or r[5] == 2):
                    flags[1] = True
                if not rail:
                    flags[2] = True
        kinds = {1: "station", 2: "entrance", 3: "generic_node", 4: "boarding_area"}
        for stop in feed.stops:
            if stop.location_type in kinds:
                stop.kind = kinds[stop.location_type]
                continue
            flags = calls.get(stop.stop_id)
            if flags is None or not flags[0]:
                stop.kind = "bus_stop"
            elif not flags[1]:
                stop.kind = "demand_stop"
            elif not flags[2]:
                stop.kind = "rail_stop"
            else:
                stop.kind = "bus_stop"


def read_feed(path: str | Path) -> GtfsFeed:
    """Read a GTFS / GTFS-JP feed from a ``.zip`` or a folder; raise GtfsError if it is broken."""
    path = Path(path)
    if not path.exists():
        raise GtfsError(
            [GtfsProblem(path.name, None, None, "ファイルまたはフォルダーがありません。")]
        )
    try:
        source = _Source(path)
    except zipfile.BadZipFile as exc:
        raise GtfsError(
            [GtfsProblem(path.name, None, None, f"zip ファイルを開けません（{exc}）。")]
        ) from exc
    try:
        return _Parser(source).parse()
    finally:
        source.close()
