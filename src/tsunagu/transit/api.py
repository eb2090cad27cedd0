"""Transit API router (/api/v1/transit/): GTFS feeds, their stops and routes on a day,
importing a feed, and the coexistence check (公共交通との共存).

Scoped like the pages: a feed of another municipality answers 404; importing or deleting
needs edit rights on the municipality (403 otherwise). A broken feed answers 422 with one
error per problem, each naming file, line and column.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path as FilePath
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, field_validator

from tsunagu.areas.models import Municipality
from tsunagu.core.api.errors import READ_ERRORS, WRITE_ERRORS, ApiValidationError, FieldError
from tsunagu.core.api.schemas import CleanIn, WarekiDate
from tsunagu.core.errors import NotFound
from tsunagu.transit import selectors, services
from tsunagu.transit.coexistence.check import TravelRequest
from tsunagu.transit.gtfs.problems import GtfsError

router = Router(tags=["公共交通データ（GTFS）"])
MAX_COEXISTENCE_REQUESTS = 5000
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
# The same shape in the OpenAPI document, so that clients (and the fuzz test) know it.
_TIME: dict[str, Any] = {"pattern": _HHMM.pattern}


class FeedWarningOut(Schema):
    file: str
    line: int | None
    column: str | None
    message: str


class FeedOut(Schema):
    id: int
    name: str
    municipality_id: int | None
    municipality_name: str | None
    publisher: str
    version: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    is_synthetic: bool
    stop_count: int
    route_count: int
    trip_count: int
    stop_time_count: int
    imported_at: dt.datetime
    extra_files: list[str]
    warning_count: int = Field(
        0, description="取り込み時の注意の件数（データは取り込み済み。直すと良い点）"
    )
    warnings: list[FeedWarningOut] = Field(
        default_factory=list, description="取り込み時の注意（最初の分。ファイル・行・列・内容）"
    )


class StopDayOut(Schema):
    stop_id: str
    name: str
    reading: str
    lat: float | None
    lon: float | None
    kind: str
    departures: int = Field(..., description="この日の発車数（終点を除く、等間隔運行も展開）")
    first_departure: str
    last_departure: str


class RouteDayOut(Schema):
    route_id: str
    name: str
    short_name: str
    route_type: int
    is_demand: bool
    trips: int = Field(..., description="この日の便数")
    first_departure: str
    last_departure: str


class TravelRequestIn(CleanIn):
    ref: str = Field("", title="番号")
    origin_lat: float = Field(..., ge=-90, le=90, title="出発地緯度")
    origin_lon: float = Field(..., ge=-180, le=180, title="出発地経度")
    dest_lat: float = Field(..., ge=-90, le=90, title="目的地緯度")
    dest_lon: float = Field(..., ge=-180, le=180, title="目的地経度")
    date: WarekiDate = Field(..., title="日付")
    earliest: str = Field(..., title="出発可能時刻", description="HH:MM", json_schema_extra=_TIME)
    latest: str = Field(..., title="出発期限", description="HH:MM", json_schema_extra=_TIME)
    arrive_by: str | None = Field(
        None, title="到着期限", description="HH:MM", json_schema_extra=_TIME
    )
    label: str = Field("", max_length=200, title="メモ")

    @field_validator("earliest", "latest", "arrive_by")
    @classmethod
    def _time(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if _HHMM.match(value.strip()) is None:
            raise ValueError("時刻は HH:MM の形で指定してください。")
        return value.strip()


class CoexistenceIn(CleanIn):
    feed_ids: list[int] = Field(..., min_length=1, title="公共交通データ")
    walk_m: float = Field(500, ge=50, le=3000, title="歩ける距離（m）")
    requests: list[TravelRequestIn] = Field(..., min_length=1, title="移動の依頼")


class OptionOut(Schema):
    route_id: str
    route_name: str
    headsign: str
    trip_id: str
    is_demand: bool
    board_stop_id: str
    board_stop_name: str
    board_time: str
    walk_to_board_m: float
    alight_stop_id: str
    alight_stop_name: str
    alight_time: str
    walk_from_alight_m: float
    feed_name: str


class RequestResultOut(Schema):
    ref: str
    has_alternative: bool
    options: list[OptionOut]


class CoexistenceOut(Schema):
    total: int
    with_alternative: int
    share: float = Field(..., description="公共交通で移動できる依頼の割合（0〜1）")
    walk_m: float
    results: list[RequestResultOut]


def _feed_out(feed: Any) -> dict[str, Any]:
    return {
        "id": feed.pk,
        "name": feed.name,
        "municipality_id": feed.municipality_id,
        "municipality_name": feed.municipality.name if feed.municipality_id else None,
        "publisher": feed.publisher,
        "version": feed.version,
        "valid_from": feed.valid_from,
        "valid_to": feed.valid_to,
        "is_synthetic": feed.is_synthetic,
        "stop_count": feed.stop_count,
        "route_count": feed.route_count,
        "trip_count": feed.trip_count,
        "stop_time_count": feed.stop_time_count,
        "imported_at": feed.imported_at,
        "extra_files": list(feed.extra_files or []),
        "warning_count": feed.warning_count,
        "warnings": list(feed.import_warnings or []),
    }


def _seconds(text: str) -> int:
    m = _HHMM.match(text)
    assert m is not None  # checked by the schema
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)


@router.get("/feeds", response={200: list[FeedOut], **READ_ERRORS}, summary="公共交通データの一覧")
def feed_list(request: HttpRequest) -> Any:
    return [_feed_out(f) for f in selectors.feed_list_visible_to(user=request.user)]


@router.get("/feeds/{feed_id}", response={200: FeedOut, **READ_ERRORS}, summary="公共交通データ")
def feed_detail(request: HttpRequest, feed_id: int) -> Any:
    return _feed_out(selectors.feed_get_for_user(user=request.user, pk=feed_id))


@router.get(
    "/feeds/{feed_id}/stops",
    response={200: list[StopDayOut], **READ_ERRORS},
    summary="停留所とその日の発車数",
)
def feed_stops(request: HttpRequest, feed_id: int, date: dt.date | None = None) -> Any:
    feed = selectors.feed_get_for_user(user=request.user, pk=feed_id)
    day = selectors.feed_day(feed, date or timezone.localdate())
    return [
        {
            "stop_id": s.stop.stop_id,
            "name": s.stop.name,
            "reading": s.stop.reading,
            "lat": s.stop.lat,
            "lon": s.stop.lon,
            "kind": s.stop.kind,
            "departures": s.departures,
            "first_departure": s.first,
            "last_departure": s.last,
        }
        for s in day.stops
    ]


@router.get(
    "/feeds/{feed_id}/routes",
    response={200: list[RouteDayOut], **READ_ERRORS},
    summary="路線とその日の便数",
)
def feed_routes(request: HttpRequest, feed_id: int, date: dt.date | None = None) -> Any:
    feed = selectors.feed_get_for_user(user=request.user, pk=feed_id)
    day = selectors.feed_day(feed, date or timezone.localdate())
    return [
        {
            "route_id": r.route.route_id,
            "name": r.route.name,
            "short_name": r.route.short_name,
            "route_type": r.route.route_type,
            "is_demand": r.route.is_demand,
            "trips": r.trips,
            "first_departure": r.first,
            "last_departure": r.last,
        }
        for r in day.routes
    ]


@router.post(
    "/feeds",
    response={201: FeedOut, **WRITE_ERRORS},
    summary="GTFS / GTFS-JP の zip を取り込む",
)
def feed_import(
    request: HttpRequest,
    file: File[UploadedFile],
    municipality_id: Form[int | None] = None,
    name: Form[str] = "",
) -> Any:
    """Same name in the same municipality replaces the old feed (all or nothing)."""
    municipality = None
    if municipality_id is not None:
        municipality = Municipality.objects.filter(pk=municipality_id).first()
        if municipality is None:
            raise ApiValidationError(
                [FieldError("municipality_id", "市町村", "この市町村はありません。")]
            )
    with tempfile.TemporaryDirectory(prefix="tsunagu-gtfs-") as tmp:
        path = FilePath(tmp) / (FilePath(file.name or "feed.zip").name or "feed.zip")
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        try:
            result = services.feed_import(
                path=path,
                municipality=municipality,
                name=name,
                source_filename=path.name,
                actor=request.user,
            )
        except GtfsError as error:
            raise ApiValidationError(
                [
                    FieldError(
                        "file",
                        " ".join(
                            x
                            for x in (
                                p.file,
                                f"{p.line}行目" if p.line else "",
                                p.column or "",
                            )
                            if x
                        ),
                        str(p),
                    )
                    for p in error.problems
                ]
            ) from error
    return Status(201, _feed_out(result.feed))


@router.delete(
    "/feeds/{feed_id}", response={204: None, **WRITE_ERRORS}, summary="公共交通データを削除"
)
def feed_delete(request: HttpRequest, feed_id: int) -> Any:
    feed = selectors.feed_get_for_user(user=request.user, pk=feed_id)
    services.feed_delete(feed=feed, actor=request.user)
    return Status(204, None)


@router.post(
    "/coexistence",
    response={200: CoexistenceOut, **WRITE_ERRORS},
    summary="公共交通との共存（既存路線の確認）",
)
def coexistence(request: HttpRequest, payload: CoexistenceIn) -> Any:
    """For each request, the runs that stop within walking distance of both ends in its window."""
    if len(payload.requests) > MAX_COEXISTENCE_REQUESTS:
        raise ApiValidationError(
            [
                FieldError(
                    "requests", "移動の依頼", f"{MAX_COEXISTENCE_REQUESTS} 件までにしてください。"
                )
            ]
        )
    feeds = list(selectors.feed_list_visible_to(user=request.user).filter(pk__in=payload.feed_ids))
    if len(feeds) != len(set(payload.feed_ids)):
        raise NotFound("指定した公共交通データが見つかりません。")
    travel = [
        TravelRequest(
            ref=r.ref or str(i + 1),
            origin_lat=r.origin_lat,
            origin_lon=r.origin_lon,
            dest_lat=r.dest_lat,
            dest_lon=r.dest_lon,
            date=r.date,
            earliest=_seconds(r.earliest),
            latest=_seconds(r.latest),
            arrive_by=_seconds(r.arrive_by) if r.arrive_by else None,
            label=r.label,
        )
        for i, r in enumerate(payload.requests)
    ]
    report = selectors.transit_alternatives(
        municipality=None, feeds=feeds, requests=travel, walk_m=payload.walk_m
    )
    return {
        "total": report.total,
        "with_alternative": report.with_alternative,
        "share": report.share,
        "walk_m": report.walk_m,
        "results": [
            {
                "ref": r.request.ref,
                "has_alternative": r.has_alternative,
                "options": [
                    {
                        "route_id": o.route_id,
                        "route_name": o.route_name,
                        "headsign": o.headsign,
                        "trip_id": o.trip_id,
                        "is_demand": o.is_demand,
                        "board_stop_id": o.board_stop_id,
                        "board_stop_name": o.board_stop_name,
                        "board_time": o.board_time_text,
                        "walk_to_board_m": o.walk_to_board_m,
                        "alight_stop_id": o.alight_stop_id,
                        "alight_stop_name": o.alight_stop_name,
                        "alight_time": o.alight_time_text,
                        "walk_from_alight_m": o.walk_from_alight_m,
                        "feed_name": o.feed_name,
                    }
                    for o in r.options
                ],
            }
            for r in report.results
        ],
    }
