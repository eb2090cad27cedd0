"""Coexistence check (公共交通との共存): which requests existing public transport already serves.

For each travel request (origin, destination, date, time window) list the runs of existing
routes that stop within walking distance of the origin and *later* within walking distance of
the destination, leaving the origin stop at a time the person can reach on foot within the
window. The share of requests with such an alternative is what the public transport department
and operators discuss before a volunteer or demand service starts (佐伯市 asked exactly this).

Pure: works on a parsed :class:`~tsunagu.transit.gtfs.feed.GtfsFeed` (from a file, or rebuilt from
the database by ``tsunagu.transit.selectors.gtfs_for_feed``), so UI, API, scheduler and tests
share this one function. Walking distance is the straight line (great circle) — an estimate;
the real walk along roads is longer, which is why the default radius is a modest 500 m.
Walking time uses the configured walking speed (:mod:`tsunagu.transit.walking`), the same
as the gap analysis's.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from tsunagu.core.distance import great_circle_m
from tsunagu.transit.gtfs.feed import GtfsFeed, TripRun, format_time
from tsunagu.transit.walking import DEFAULT_WALK_M_PER_MIN  # noqa: F401 (kept importable here)
from tsunagu.transit.walking import walk_m_per_min as configured_walk_m_per_min

DEFAULT_WALK_M = 500.0


@dataclass(frozen=True)
class TravelRequest:
    """One trip someone needs: where from/to, on which day, when they can leave.

    ``earliest``/``latest`` are seconds since midnight between which the person can leave the
    origin (door). ``arrive_by`` (optional) is the latest acceptable arrival at the destination.
    """

    ref: str
    origin_lat: float
    origin_lon: float
    dest_lat: float
    dest_lon: float
    date: dt.date
    earliest: int
    latest: int
    arrive_by: int | None = None
    label: str = ""

    @property
    def earliest_text(self) -> str:
        return format_time(self.earliest)

    @property
    def latest_text(self) -> str:
        return format_time(self.latest)

    @property
    def arrive_by_text(self) -> str:
        return format_time(self.arrive_by) if self.arrive_by is not None else ""


@dataclass(frozen=True)
class TripOption:
    """A usable run: board here at this time, get off there, walking distances at both ends."""

    trip_id: str
    route_id: str
    route_name: str
    headsign: str
    is_demand: bool
    board_stop_id: str
    board_stop_name: str
    board_time: int
    walk_to_board_m: float
    alight_stop_id: str
    alight_stop_name: str
    alight_time: int
    walk_from_alight_m: float
    leave_at: int = 0  # when to leave the origin on foot to catch it
    arrive_at: int = 0  # arrival at the destination on foot
    feed_name: str = ""

    @property
    def board_time_text(self) -> str:
        return format_time(self.board_time)

    @property
    def alight_time_text(self) -> str:
        return format_time(self.alight_time)

    @property
    def leave_at_text(self) -> str:
        return format_time(self.leave_at)


@dataclass
class RequestResult:
    request: TravelRequest
    options: list[TripOption] = field(default_factory=list)

    @property
    def has_alternative(self) -> bool:
        return bool(self.options)

    @property
    def best(self) -> TripOption | None:
        return self.options[0] if self.options else None


@dataclass
class CoexistenceReport:
    results: list[RequestResult]
    walk_m: float
    walk_m_per_min: float

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def with_alternative(self) -> int:
        return sum(1 for r in self.results if r.has_alternative)

    @property
    def share(self) -> float:
        """Share (0–1) of requests with a public alternative; 0 when there are no requests."""
        return self.with_alternative / self.total if self.total else 0.0

    @property
    def share_percent(self) -> float:
        return round(self.share * 100, 1)

    def routes_summary(self) -> list[tuple[str, int]]:
        """How many requests each route could serve, most first (for the discussion)."""
        counts: dict[str, int] = defaultdict(int)
        for r in self.results:
            for name in {o.route_name for o in r.options}:
                counts[name] += 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _walk_seconds(distance_m: float, m_per_min: float) -> int:
    return math.ceil(distance_m / m_per_min * 60)


def distances_m(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distances (m) from one point to many."""
    return great_circle_m(lat, lon, lats, lons)


class _DayIndex:
    """Runs of one service day, indexed by stop: stop_id → [(run index, position)]."""

    def __init__(self, runs: list[TripRun]) -> None:
        self.runs = runs
        self.at_stop: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for k, run in enumerate(runs):
            for pos, st in enumerate(run.stop_times):
                self.at_stop[st[0]].append((k, pos))


class CoexistenceChecker:
    """Reusable over many requests and days of one feed (caches each day's runs)."""

    def __init__(
        self,
        feed: GtfsFeed,
        *,
        walk_m: float = DEFAULT_WALK_M,
        walk_m_per_min: float | None = None,
        feed_name: str = "",
    ) -> None:
        if walk_m_per_min is None:
            walk_m_per_min = configured_walk_m_per_min()
        if walk_m <= 0 or walk_m_per_min <= 0:
            raise ValueError("walk_m and walk_m_per_min must be positive")
        self.feed = feed
        self.walk_m = walk_m
        self.walk_m_per_min = walk_m_per_min
        self.feed_name = (
            feed_name or feed.source_name or feed.feed_info.get("feed_publisher_name", "")
        )
        usable = [s for s in feed.stops if s.lat is not None and s.lon is not None]
        # Stations (location_type 1) are not boarded directly; their platforms are.
        usable = [s for s in usable if s.location_type in (0, 4)]
        self._stop_ids = [s.stop_id for s in usable]
        self._stop_names = {s.stop_id: s.name for s in feed.stops}
        self._lats = np.array([s.lat for s in usable], dtype=float)
        self._lons = np.array([s.lon for s in usable], dtype=float)
        self._routes = feed.route_by_id()
        self._days: dict[dt.date, _DayIndex] = {}

    def _day(self, date: dt.date) -> _DayIndex:
        if date not in self._days:
            self._days[date] = _DayIndex(self.feed.trips_on(date))
        return self._days[date]

    def _near(self, lat: float, lon: float) -> dict[str, float]:
        if not self._stop_ids:
            return {}
        d = distances_m(lat, lon, self._lats, self._lons)
        idx = np.nonzero(d <= self.walk_m)[0]
        return {self._stop_ids[i]: float(d[i]) for i in idx}

    def check(self, request: TravelRequest, *, max_options: int = 5) -> RequestResult:
        """Usable runs for one request, earliest boarding first (one option per run)."""
        origin = self._near(request.origin_lat, request.origin_lon)
        dest = self._near(request.dest_lat, request.dest_lon)
        result = RequestResult(request)
        if not origin or not dest:
            return result
        day = self._day(request.date)
        # run index → best boarding (walk, position, stop_id, board time)
        boardings: dict[int, tuple[float, int, str, int]] = {}
        for stop_id, walk in origin.items():
            walk_s = _walk_seconds(walk, self.walk_m_per_min)
            for k, pos in day.at_stop.get(stop_id, ()):
                run = day.runs[k]
                if pos == len(run.stop_times) - 1:
                    continue  # the last stop: nobody boards there
                _sid, _arr, dep, pickup, _drop = run.stop_times[pos]
                if pickup == 1:
                    continue
                leave = dep - walk_s
                if not (request.earliest <= leave <= request.latest):
                    continue
                current = boardings.get(k)
                # Prefer the shorter walk; on a tie the later boarding (less waiting en route).
                if current is None or (walk, -pos) < (current[0], -current[1]):
                    boardings[k] = (walk, pos, stop_id, dep)
        if not boardings:
            return result
        alightings: dict[int, tuple[float, int, str, int]] = {}
        for stop_id, walk in dest.items():
            walk_s = _walk_seconds(walk, self.walk_m_per_min)
            for k, pos in day.at_stop.get(stop_id, ()):
                board = boardings.get(k)
                if board is None or pos <= board[1]:
                    continue
                _sid, arr, _dep, _pickup, drop = day.runs[k].stop_times[pos]
                if drop == 1:
                    continue
                if request.arrive_by is not None and arr + walk_s > request.arrive_by:
                    continue
                current = alightings.get(k)
                if current is None or (walk, pos) < (current[0], current[1]):
                    alightings[k] = (walk, pos, stop_id, arr)
        options = []
        for k, (walk_d, _pos_d, stop_d, arr) in alightings.items():
            walk_o, _pos_o, stop_o, dep = boardings[k]
            run = day.runs[k]
            route = self._routes.get(run.route_id)
            options.append(
                TripOption(
                    trip_id=run.trip_id,
                    route_id=run.route_id,
                    route_name=route.name if route else run.route_id,
                    headsign=run.headsign,
                    is_demand=bool(route and route.is_demand)
                    or run.stop_times[_pos_o][3] == 2
                    or run.stop_times[_pos_d][4] == 2,
                    board_stop_id=stop_o,
                    board_stop_name=self._stop_names.get(stop_o, stop_o),
                    board_time=dep,
                    walk_to_board_m=round(walk_o, 1),
                    alight_stop_id=stop_d,
                    alight_stop_name=self._stop_names.get(stop_d, stop_d),
                    alight_time=arr,
                    walk_from_alight_m=round(walk_d, 1),
                    leave_at=dep - _walk_seconds(walk_o, self.walk_m_per_min),
                    arrive_at=arr + _walk_seconds(walk_d, self.walk_m_per_min),
                    feed_name=self.feed_name,
                )
            )
        options.sort(key=lambda o: (o.board_time, o.walk_to_board_m + o.walk_from_alight_m))
        result.options = options[:max_options]
        return result


def check_coexistence(
    feeds: GtfsFeed | Iterable[GtfsFeed],
    requests: Sequence[TravelRequest],
    *,
    walk_m: float = DEFAULT_WALK_M,
    walk_m_per_min: float | None = None,
    max_options: int = 5,
) -> CoexistenceReport:
    """Check every request against one or several feeds; options from all feeds are merged.
    ``walk_m_per_min`` defaults to the configured walking speed."""
    if walk_m_per_min is None:
        walk_m_per_min = configured_walk_m_per_min()
    feed_list = [feeds] if isinstance(feeds, GtfsFeed) else list(feeds)
    checkers = [
        CoexistenceChecker(f, walk_m=walk_m, walk_m_per_min=walk_m_per_min) for f in feed_list
    ]
    results = []
    for request in requests:
        merged = RequestResult(request)
        for checker in checkers:
            merged.options += checker.check(request, max_options=max_options).options
        merged.options.sort(key=lambda o: (o.board_time, o.walk_to_board_m + o.walk_from_alight_m))
        merged.options = merged.options[:max_options]
        results.append(merged)
    return CoexistenceReport(results, walk_m, walk_m_per_min)


# ---- a planned service area ------------------------------------------------------------------


@dataclass
class AreaRoute:
    """How one existing route serves a planned area on a day."""

    route_id: str
    route_name: str
    is_demand: bool
    stops_inside: list[str]
    runs_within: int  # runs with two or more stops inside: trips inside the area already exist
    runs_touching: int  # runs that stop inside at least once (e.g. to the town centre)
    first: str
    last: str
    feed_name: str = ""


def circle_area(lat: float, lon: float, radius_m: float) -> Callable[[float, float], bool]:
    """A test "is this point inside" for a circle (great-circle distance)."""

    def inside(p_lat: float, p_lon: float) -> bool:
        return float(distances_m(lat, lon, np.array([p_lat]), np.array([p_lon]))[0]) <= radius_m

    return inside


def geojson_area(geometry: dict) -> Callable[[float, float], bool]:
    """A test for a GeoJSON Polygon/MultiPolygon (lon, lat order, as GeoJSON says)."""
    from shapely import prepared
    from shapely.geometry import Point, shape

    shape_ = prepared.prep(shape(geometry))
    return lambda p_lat, p_lon: shape_.covers(Point(p_lon, p_lat))


def area_services(
    feeds: GtfsFeed | Iterable[GtfsFeed],
    inside: Callable[[float, float], bool],
    date: dt.date,
) -> list[AreaRoute]:
    """Existing routes that stop inside a planned service area on ``date``, busiest first.

    A run counts as *within* when it both boards (pickup allowed) at one stop inside and later
    alights (drop-off allowed) at another stop inside: someone could already ride it between
    two places of the area.
    """
    feed_list = [feeds] if isinstance(feeds, GtfsFeed) else list(feeds)
    rows: list[AreaRoute] = []
    for feed in feed_list:
        stop_inside = {
            s.stop_id
            for s in feed.stops
            if s.lat is not None and s.lon is not None and inside(s.lat, s.lon)
        }
        names = {s.stop_id: s.name for s in feed.stops}
        routes = feed.route_by_id()
        per_route: dict[str, dict] = {}
        for run in feed.trips_on(date):
            calls = [st for st in run.stop_times if st[0] in stop_inside]
            if not calls:
                continue
            entry = per_route.setdefault(
                run.route_id, {"stops": {}, "within": 0, "touching": 0, "times": []}
            )
            entry["touching"] += 1
            for st in calls:
                entry["stops"][st[0]] = names.get(st[0], st[0])
                entry["times"].append(st[2])
            boardable = [
                i for i, st in enumerate(run.stop_times) if st[0] in stop_inside and st[3] != 1
            ]
            if boardable and any(
                st[0] in stop_inside and st[4] != 1 and st[0] != run.stop_times[boardable[0]][0]
                for st in run.stop_times[boardable[0] + 1 :]
            ):
                entry["within"] += 1
        for route_id, entry in per_route.items():
            route = routes.get(route_id)
            rows.append(
                AreaRoute(
                    route_id=route_id,
                    route_name=route.name if route else route_id,
                    is_demand=bool(route and route.is_demand),
                    stops_inside=sorted(entry["stops"].values()),
                    runs_within=entry["within"],
                    runs_touching=entry["touching"],
                    first=format_time(min(entry["times"])),
                    last=format_time(max(entry["times"])),
                    feed_name=feed.source_name,
                )
            )
    rows.sort(key=lambda r: (-r.runs_within, -r.runs_touching, r.route_name))
    return rows
