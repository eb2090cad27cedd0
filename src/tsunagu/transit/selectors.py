"""Reads of transit data for users, and the stored feed rebuilt as a pure ``GtfsFeed``.

Visibility: a feed of a municipality is visible to whoever sees that municipality; a feed
with no municipality (shared, e.g. a national operator) to every signed-in user.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from tsunagu.accounts.permissions import can_view, scope_for, scope_q
from tsunagu.core.errors import NotFound
from tsunagu.transit.coexistence.check import CoexistenceReport, TravelRequest, check_coexistence
from tsunagu.transit.gtfs.feed import (
    GtfsAgency,
    GtfsCalendar,
    GtfsCalendarDate,
    GtfsFeed,
    GtfsFrequency,
    GtfsRoute,
    GtfsStop,
    GtfsTrip,
    format_time,
)
from tsunagu.transit.models import (
    Agency,
    Calendar,
    CalendarDate,
    Feed,
    Frequency,
    Route,
    Stop,
    StopTime,
    Trip,
)


def feed_list_visible_to(*, user: Any) -> QuerySet[Feed]:
    if user is None or not user.is_authenticated:
        return Feed.objects.none()
    return (
        Feed.objects.filter(scope_q(user) | Q(municipality__isnull=True))
        .select_related("municipality", "imported_by")
        .order_by("municipality__code", "name")
    )


def feed_is_visible(user: Any, feed: Feed) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return feed.municipality_id is None or can_view(user, feed)


def feed_get_for_user(*, user: Any, pk: int) -> Feed:
    """The feed, or NotFound when it is missing or not visible (indistinguishable)."""
    feed = Feed.objects.select_related("municipality__prefecture").filter(pk=pk).first()
    if feed is None or not feed_is_visible(user, feed):
        raise NotFound()
    return feed


# ---- the stored feed as a GtfsFeed (shared with the pure reader's computations) ------------

_CACHE: OrderedDict[tuple[int, str], GtfsFeed] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 4  # a 200,000-row feed takes tens of MB in memory


def gtfs_for_feed(feed: Feed) -> GtfsFeed:
    """Rebuild the parsed feed from the database, cached per import (LRU of a few feeds)."""
    key = (feed.pk, feed.imported_at.isoformat() if feed.imported_at else "")
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
    parsed = _build_gtfs(feed)
    with _CACHE_LOCK:
        _CACHE[key] = parsed
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return parsed


def _build_gtfs(feed: Feed) -> GtfsFeed:
    agencies = {
        pk: GtfsAgency(agency_id, name, url, tz, lang, phone)
        for pk, agency_id, name, url, tz, lang, phone in Agency.objects.filter(
            feed=feed
        ).values_list("pk", "agency_id", "name", "url", "timezone", "lang", "phone")
    }
    routes = {}
    for pk, route_id, agency_pk, short, long_, desc, rtype, color, tcolor, demand in (
        Route.objects.filter(feed=feed).values_list(
            "pk", "route_id", "agency_id", "short_name", "long_name", "desc",
            "route_type", "color", "text_color", "is_demand",
        )
    ):  # fmt: skip
        agency = agencies.get(agency_pk)
        routes[pk] = GtfsRoute(
            route_id,
            agency.agency_id if agency else "",
            short,
            long_,
            desc,
            rtype,
            color,
            tcolor,
            demand,
        )
    stops = {}
    for pk, stop_id, name, lat, lon, ltype, parent, kind, code, platform, reading in (
        Stop.objects.filter(feed=feed).values_list(
            "pk", "stop_id", "name", "lat", "lon", "location_type", "parent_station",
            "kind", "code", "platform_code", "reading",
        )
    ):  # fmt: skip
        stops[pk] = GtfsStop(
            stop_id,
            name,
            lat,
            lon,
            ltype,
            parent,
            kind,
            code=code,
            platform_code=platform,
            reading=reading,
        )
    trips = {}
    for pk, trip_id, route_pk, service_id, headsign, direction, shape_id in Trip.objects.filter(
        feed=feed
    ).values_list(
        "pk", "trip_id", "route_id", "service_id", "headsign", "direction_id", "shape_id"
    ):
        trips[pk] = GtfsTrip(
            trip_id, routes[route_pk].route_id, service_id, headsign, direction, shape_id
        )
    stop_times: dict[str, list[tuple[str, int, int, int, int, int]]] = defaultdict(list)
    for trip_pk, stop_pk, seq, arr, dep, pickup, drop in (
        StopTime.objects.filter(feed=feed)
        .order_by("trip_id", "stop_sequence")
        .values_list(
            "trip_id",
            "stop_id",
            "stop_sequence",
            "arrival",
            "departure",
            "pickup_type",
            "drop_off_type",
        )
        .iterator(chunk_size=10000)
    ):
        stop_times[trips[trip_pk].trip_id].append(
            (stops[stop_pk].stop_id, seq, arr, dep, pickup, drop)
        )
    calendars = [
        GtfsCalendar(sid, (mo, tu, we, th, fr, sa, su), start, end)
        for sid, mo, tu, we, th, fr, sa, su, start, end in Calendar.objects.filter(
            feed=feed
        ).values_list(
            "service_id",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "start_date",
            "end_date",
        )
    ]
    calendar_dates = [
        GtfsCalendarDate(sid, date, exc)
        for sid, date, exc in CalendarDate.objects.filter(feed=feed).values_list(
            "service_id", "date", "exception_type"
        )
    ]
    frequencies = [
        GtfsFrequency(trips[trip_pk].trip_id, start, end, headway, exact)
        for trip_pk, start, end, headway, exact in Frequency.objects.filter(feed=feed).values_list(
            "trip_id", "start_time", "end_time", "headway_secs", "exact_times"
        )
    ]
    return GtfsFeed(
        agencies=list(agencies.values()),
        routes=list(routes.values()),
        stops=list(stops.values()),
        trips=list(trips.values()),
        stop_times=dict(stop_times),
        calendars=calendars,
        calendar_dates=calendar_dates,
        frequencies=frequencies,
        feed_info=dict(feed.feed_info or {}),
        extra_files=list(feed.extra_files or []),
        source_name=feed.name,
    )


# ---- what the feed page shows ---------------------------------------------------------------


@dataclass
class StopDay:
    stop: Stop
    departures: int
    first: str
    last: str


@dataclass
class RouteDay:
    route: Route
    trips: int
    first: str
    last: str
    stops: int


@dataclass
class FeedDay:
    date: dt.date
    service_ids: list[str]
    stops: list[StopDay]
    routes: list[RouteDay]
    total_runs: int

    @property
    def runs_anything(self) -> bool:
        return self.total_runs > 0


def feed_day(feed: Feed, date: dt.date) -> FeedDay:
    """Departures per stop and runs per route on ``date`` (frequencies expanded)."""
    parsed = gtfs_for_feed(feed)
    runs = parsed.trips_on(date)
    departures = parsed.departures_on(date)
    first_last: dict[str, list[int]] = {}
    route_runs: dict[str, list[int]] = defaultdict(list)
    route_stops: dict[str, set[str]] = defaultdict(set)
    for run in runs:
        route_runs[run.route_id].append(run.start)
        for stop_id, _arr, dep, pickup, _drop in run.stop_times[:-1]:
            if pickup == 1:
                continue
            span = first_last.setdefault(stop_id, [dep, dep])
            span[0] = min(span[0], dep)
            span[1] = max(span[1], dep)
        route_stops[run.route_id].update(st[0] for st in run.stop_times)
    stop_rows = []
    for stop in Stop.objects.filter(feed=feed).order_by("stop_id"):
        span = first_last.get(stop.stop_id)
        stop_rows.append(
            StopDay(
                stop,
                departures.get(stop.stop_id, 0),
                format_time(span[0]) if span else "",
                format_time(span[1]) if span else "",
            )
        )
    route_rows = []
    for route in Route.objects.filter(feed=feed).order_by("route_id"):
        starts = route_runs.get(route.route_id, [])
        route_rows.append(
            RouteDay(
                route,
                len(starts),
                format_time(min(starts)) if starts else "",
                format_time(max(starts)) if starts else "",
                len(route_stops.get(route.route_id, ())),
            )
        )
    return FeedDay(
        date, sorted(parsed.service_ids_on(date)), stop_rows, route_rows, total_runs=len(runs)
    )


# ---- coexistence --------------------------------------------------------------------------


def feeds_of_municipality(municipality: Any) -> list[Feed]:
    return list(Feed.objects.filter(municipality=municipality).order_by("name"))


def feeds_to_preselect(*, user: Any, feeds: QuerySet[Feed]) -> list[Feed]:
    """The feeds a comparison form ticks before the user chooses: the only one there is, or
    else those of the user's own municipality (none when that does not narrow it down)."""
    first_two = list(feeds[:2])
    if len(first_two) == 1:
        return first_two
    own = scope_for(user).internal_municipality_ids
    return list(feeds.filter(municipality_id__in=own)) if own else []


def transit_alternatives(
    *,
    municipality: Any,
    requests: Sequence[TravelRequest],
    walk_m: float = 500.0,
    feeds: Sequence[Feed] | None = None,
) -> CoexistenceReport:
    """Public alternatives for ``requests`` on the feeds of ``municipality`` (or ``feeds``).

    No permission check: callers pass requests the user may already see, and the timetable
    of a municipality is visible to everyone who sees its requests.
    """
    chosen = list(feeds) if feeds is not None else feeds_of_municipality(municipality)
    return check_coexistence([gtfs_for_feed(f) for f in chosen], requests, walk_m=walk_m)
