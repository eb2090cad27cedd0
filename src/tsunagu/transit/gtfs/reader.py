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
  :class:`GtfsError` listing every error (up to :data:`~.problems.MAX_PROBLEMS`) by file, line, column.
* **warnings** — the feed is read anyway and :attr:`GtfsFeed.warnings` lists what was
  ignored, repaired or defaulted, so staff can tell the publisher: a service_id in neither
  calendar file (the trip never runs), a trip whose route is unknown (left out), direction_id
  outside 0/1, unknown enum values, missing recommended fields, agency_id left out, duplicated
  rows, times going backwards, a time written ``H:MM``, a bad time in the middle of a trip
  (interpolated), shapes problems (lines fall back to the stop sequence), feed_info /
  translations / fare / ``*_jp`` problems, a missing feed_info.txt (required by GTFS-JP).

This package must stay importable without Django settings: the gap-analysis CLI uses it
without a database. Here: :func:`read_feed` and the order of reading; the files are read in
:mod:`.source`, checked and parsed by :mod:`.network`, :mod:`.timetable` and :mod:`.extras`
(on the shared state of :mod:`.parser_base`); the result is :mod:`.feed`, the problems
:mod:`.problems`. Storing a feed in the database is the app's ``services.feed_import``.

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

import zipfile
from collections import defaultdict
from pathlib import Path

from tsunagu.transit.gtfs.extras import ExtraFiles
from tsunagu.transit.gtfs.feed import (
    GtfsFeed,
)
from tsunagu.transit.gtfs.network import NetworkFiles, is_rail_type
from tsunagu.transit.gtfs.problems import (
    GtfsError,
    GtfsProblem,
)
from tsunagu.transit.gtfs.source import KNOWN_FILES, REQUIRED_FILES, FeedSource
from tsunagu.transit.gtfs.timetable import TimetableFiles


class FeedParser(NetworkFiles, TimetableFiles, ExtraFiles):
    """Reads every file in order, then raises GtfsError or returns the feed with its warnings."""

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
            rail = bool(route and is_rail_type(route.route_type))
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
        source = FeedSource(path)
    except zipfile.BadZipFile as exc:
        raise GtfsError(
            [GtfsProblem(path.name, None, None, f"zip ファイルを開けません（{exc}）。")]
        ) from exc
    try:
        return FeedParser(source).parse()
    finally:
        source.close()
