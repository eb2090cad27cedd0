"""Writes of transit data: importing (and replacing) and deleting GTFS feeds."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from tsunagu.accounts.permissions import can_edit, scope_for
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.history import delete_with_history, save_with_history
from tsunagu.transit.gtfs.feed import GtfsFeed
from tsunagu.transit.gtfs.problems import GtfsProblem
from tsunagu.transit.gtfs.reader import read_feed
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

BATCH_SIZE = 5000
ID_LENGTH = 100  # max_length of stop_id / route_id / trip_id in the models
# Warnings kept on the feed row (the first ones; the count is kept in full).
STORED_WARNINGS = 200
SYNTHETIC_MARKERS = ("合成", "synthetic", "架空")


@dataclass
class ImportResult:
    feed: Feed
    replaced: bool
    seconds: float
    # What the reader ignored, repaired or defaulted (the feed was imported anyway).
    warnings: list[GtfsProblem] = field(default_factory=list)
    warning_count: int = 0

    def summary(self) -> str:
        f = self.feed
        text = (
            f"停留所 {f.stop_count} / 路線 {f.route_count} / 便 {f.trip_count} / "
            f"時刻 {f.stop_time_count} 行 を {self.seconds:.1f} 秒で取り込みました"
            f"{'（同じ名前の既存データを置き換えました）' if self.replaced else ''}。"
        )
        if self.warning_count:
            text += f"注意が {self.warning_count} 件あります（データは取り込み済みです）。"
        return text


def can_import_feed(user: Any, municipality: Any | None) -> bool:
    """Municipal editors import for their municipality; shared feeds need a system admin."""
    if municipality is None:
        return scope_for(user).is_system_admin
    return can_edit(user, municipality)


def _default_name(feed: GtfsFeed, source_filename: str) -> str:
    if feed.agencies and feed.agencies[0].name:
        return feed.agencies[0].name
    return Path(source_filename).stem or "GTFS"


def feed_import(
    *,
    path: str | Path,
    municipality: Any | None,
    actor: Any,
    name: str = "",
    source_filename: str = "",
    is_synthetic: bool | None = None,
    note: str = "",
) -> ImportResult:
    """Read a GTFS/GTFS-JP zip or folder and store it; all or nothing.

    A feed with the same name in the same municipality is replaced in the same transaction.
    Raises GtfsError (problems by file and line) before anything is written, PermissionDenied
    when the actor may not import for that municipality.
    """
    if not can_import_feed(actor, municipality):
        raise PermissionDenied("この市町村の公共交通データを取り込む権限がありません。")
    started = time.perf_counter()
    parsed = read_feed(path)
    _check_id_lengths(parsed)
    source_filename = source_filename or Path(path).name
    name = (name or "").strip() or _default_name(parsed, source_filename)
    if len(name) > 200:
        raise TsunaguError("データ名は200文字以内にしてください。", field="name")
    publisher = parsed.feed_info.get("feed_publisher_name", "")
    if is_synthetic is None:
        is_synthetic = any(m in publisher.lower() for m in SYNTHETIC_MARKERS)
    with transaction.atomic():
        old = Feed.objects.filter(municipality=municipality, name=name).first()
        if old is not None:
            _delete_rows(old)
            delete_with_history(old, actor=actor, action="transit.feed.replace")
        valid_from, valid_to = parsed.validity()
        feed = Feed(
            municipality=municipality,
            name=name,
            publisher=publisher[:200],
            publisher_url=parsed.feed_info.get("feed_publisher_url", "")[:500],
            version=parsed.feed_info.get("feed_version", "")[:100],
            valid_from=valid_from,
            valid_to=valid_to,
            imported_by=actor if getattr(actor, "pk", None) else None,
            source_filename=source_filename[:255],
            is_synthetic=is_synthetic,
            note=note,
            extra_files=parsed.extra_files,
            feed_info=parsed.feed_info,
            stop_count=len(parsed.stops),
            route_count=len(parsed.routes),
            trip_count=len(parsed.trips),
            stop_time_count=parsed.stop_time_count,
            import_warnings=[w.as_dict() for w in parsed.warnings[:STORED_WARNINGS]],
            warning_count=parsed.warning_total,
        )
        save_with_history(
            feed,
            actor=actor,
            action="transit.feed.import" if old is None else "transit.feed.reimport",
            note=source_filename if old is None else "",
        )
        _store_rows(feed, parsed)
        _assign_districts(feed)
    return ImportResult(
        feed,
        old is not None,
        time.perf_counter() - started,
        warnings=parsed.warnings,
        warning_count=parsed.warning_total,
    )


def _check_id_lengths(parsed: GtfsFeed) -> None:
    """IDs are stored up to 100 characters; refuse clearly if cutting would merge two of them."""
    for file, column, ids in (
        ("stops.txt", "stop_id", [s.stop_id for s in parsed.stops]),
        ("routes.txt", "route_id", [r.route_id for r in parsed.routes]),
        ("trips.txt", "trip_id", [t.trip_id for t in parsed.trips]),
    ):
        long_ids = [i for i in ids if len(i) > ID_LENGTH]
        if long_ids and len({i[:ID_LENGTH] for i in ids}) < len(ids):
            raise TsunaguError(
                f"{file} の {column} が長すぎて（{ID_LENGTH}文字超）区別できません"
                f"（例: {long_ids[0][:40]}…）。IDを短くしたデータを用意してください。",
                field="file",
            )


def _delete_rows(feed: Feed) -> None:
    # Children first, in dependency order, as plain bulk deletes (no per-row collection).
    for model in (StopTime, Frequency, Trip, Route, Stop, Agency, Calendar, CalendarDate):
        model.objects.filter(feed=feed).delete()


def _cut(value: str, length: int) -> str:
    return value[:length]


def _store_rows(feed: Feed, parsed: GtfsFeed) -> None:
    agencies = Agency.objects.bulk_create(
        [
            Agency(
                feed=feed,
                agency_id=_cut(a.agency_id, 100),
                name=_cut(a.name, 200),
                url=_cut(a.url, 500),
                timezone=_cut(a.timezone, 64),
                phone=_cut(a.phone, 64),
                lang=_cut(a.lang, 16),
            )
            for a in parsed.agencies
        ]
    )
    agency_pk = {a.agency_id: o.pk for a, o in zip(parsed.agencies, agencies, strict=True)}
    shapes = parsed.route_shapes()
    routes = Route.objects.bulk_create(
        [
            Route(
                feed=feed,
                route_id=_cut(r.route_id, 100),
                agency_id=agency_pk.get(r.agency_id)
                or (agencies[0].pk if len(agencies) == 1 else None),
                short_name=_cut(r.short_name, 200),
                long_name=_cut(r.long_name, 300),
                desc=r.desc,
                route_type=r.route_type,
                color=_cut(r.color, 8),
                text_color=_cut(r.text_color, 8),
                is_demand=r.is_demand,
                geometry=[[[round(lat, 6), round(lon, 6)] for lat, lon in line] for line in
                          shapes.get(r.route_id, [])],
            )
            for r in parsed.routes
        ],
        batch_size=BATCH_SIZE,
    )  # fmt: skip
    route_pk = {r.route_id: o.pk for r, o in zip(parsed.routes, routes, strict=True)}
    stops = Stop.objects.bulk_create(
        [
            Stop(
                feed=feed,
                stop_id=_cut(s.stop_id, 100),
                name=_cut(s.name, 200),
                reading=_cut(s.reading, 200),
                code=_cut(s.code, 100),
                lat=s.lat,
                lon=s.lon,
                location_type=s.location_type,
                parent_station=_cut(s.parent_station, 100),
                kind=s.kind,
                platform_code=_cut(s.platform_code, 50),
            )
            for s in parsed.stops
        ],
        batch_size=BATCH_SIZE,
    )
    stop_pk = {s.stop_id: o.pk for s, o in zip(parsed.stops, stops, strict=True)}
    trips = Trip.objects.bulk_create(
        [
            Trip(
                feed=feed,
                trip_id=_cut(t.trip_id, 100),
                route_id=route_pk[t.route_id],
                service_id=_cut(t.service_id, 100),
                headsign=_cut(t.headsign, 200),
                direction_id=t.direction_id,
                shape_id=_cut(t.shape_id, 100),
            )
            for t in parsed.trips
        ],
        batch_size=BATCH_SIZE,
    )
    trip_pk = {t.trip_id: o.pk for t, o in zip(parsed.trips, trips, strict=True)}
    _insert_stop_times(feed, parsed, trip_pk, stop_pk)
    Calendar.objects.bulk_create(
        [
            Calendar(
                feed=feed,
                service_id=_cut(c.service_id, 100),
                monday=c.weekdays[0],
                tuesday=c.weekdays[1],
                wednesday=c.weekdays[2],
                thursday=c.weekdays[3],
                friday=c.weekdays[4],
                saturday=c.weekdays[5],
                sunday=c.weekdays[6],
                start_date=c.start_date,
                end_date=c.end_date,
            )
            for c in parsed.calendars
        ],
        batch_size=BATCH_SIZE,
    )
    CalendarDate.objects.bulk_create(
        [
            CalendarDate(
                feed=feed,
                service_id=_cut(d.service_id, 100),
                date=d.date,
                exception_type=d.exception_type,
            )
            for d in parsed.calendar_dates
        ],
        batch_size=BATCH_SIZE,
    )
    Frequency.objects.bulk_create(
        [
            Frequency(
                feed=feed,
                trip_id=trip_pk[f.trip_id],
                start_time=f.start_time,
                end_time=f.end_time,
                headway_secs=f.headway_secs,
                exact_times=f.exact_times,
            )
            for f in parsed.frequencies
        ],
        batch_size=BATCH_SIZE,
    )


def _assign_districts(feed: Feed) -> None:
    """Put each stop in the district (地区) whose boundary covers it, where boundaries exist."""
    if feed.municipality_id is None:
        return
    from shapely import prepared
    from shapely.geometry import Point, shape

    from tsunagu.areas.models import District

    areas = [
        (d.pk, prepared.prep(shape(d.boundary)))
        for d in District.objects.filter(municipality_id=feed.municipality_id).exclude(
            boundary__isnull=True
        )
        if d.boundary
    ]
    if not areas:
        return
    by_district: dict[int, list[int]] = {}
    for pk, lat, lon in Stop.objects.filter(feed=feed, lat__isnull=False).values_list(
        "pk", "lat", "lon"
    ):
        point = Point(lon, lat)
        for district_pk, area in areas:
            if area.covers(point):
                by_district.setdefault(district_pk, []).append(pk)
                break
    for district_pk, stop_pks in by_district.items():
        Stop.objects.filter(pk__in=stop_pks).update(district_id=district_pk)


def _insert_stop_times(
    feed: Feed, parsed: GtfsFeed, trip_pk: dict[str, int], stop_pk: dict[str, int]
) -> None:
    """Insert stop_times with executemany: model instances cost ~10x more for 100k+ rows."""
    columns = [
        StopTime._meta.get_field(name).column
        for name in (
            "feed", "trip", "stop", "stop_sequence", "arrival", "departure",
            "pickup_type", "drop_off_type",
        )
    ]  # fmt: skip
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(StopTime._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    batch: list[tuple[int, ...]] = []
    with connection.cursor() as cursor:
        for trip_id, rows in parsed.stop_times.items():
            tpk = trip_pk[trip_id]
            for stop_id, seq, arr, dep, pickup, drop in rows:
                batch.append((feed.pk, tpk, stop_pk[stop_id], seq, arr, dep, pickup, drop))
                if len(batch) >= BATCH_SIZE:
                    cursor.executemany(sql, batch)
                    batch = []
        if batch:
            cursor.executemany(sql, batch)


@transaction.atomic
def feed_delete(*, feed: Feed, actor: Any) -> None:
    """Remove a feed and all its timetable rows."""
    if not can_import_feed(actor, feed.municipality):
        raise PermissionDenied("この公共交通データを削除する権限がありません。")
    _delete_rows(feed)
    delete_with_history(feed, actor=actor, action="transit.feed.delete")
