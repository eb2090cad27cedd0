"""Reading and checking the network files: agency.txt, stops.txt (coordinates, outlying
stops) and routes.txt (route types, colours, demand routes)."""

from __future__ import annotations

import math
import re

from tsunagu.transit.gtfs.feed import (
    GtfsAgency,
    GtfsRoute,
    GtfsStop,
)
from tsunagu.transit.gtfs.parser_base import ParserBase, distance_km
from tsunagu.transit.gtfs.source import cell

# A stop this far from the middle of the others is probably mistyped (warning).
OUTLIER_KM = 1000.0
DEMAND_WORDS = ("デマンド", "予約制", "オンデマンド", "demand")
DEMAND_ROUTE_TYPES = frozenset({715})
# Basic and extended route types that are not buses (tram, metro, rail, ferry, cable, funicular…).
_RAIL_BASIC = frozenset({0, 1, 2, 4, 5, 6, 7, 12})
_BASIC_ROUTE_TYPES = frozenset({0, 1, 2, 3, 4, 5, 6, 7, 11, 12})
_COLOR_RE = re.compile(r"^[0-9A-Fa-f]{6}$")


def is_rail_type(route_type: int) -> bool:
    if route_type in _RAIL_BASIC:
        return True
    return 100 <= route_type < 200 or 400 <= route_type < 700 or 900 <= route_type < 1500


def _is_known_route_type(route_type: int) -> bool:
    return route_type in _BASIC_ROUTE_TYPES or 100 <= route_type <= 1702


class NetworkFiles(ParserBase):
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
            agency_id = cell(row, i_id)
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
                name=cell(row, i_name),
                url=cell(row, i_url),
                timezone=cell(row, i_tz),
                lang=cell(row, i_lang),
                phone=cell(row, i_phone),
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
        t = self.core_table(name, ("stop_id", "stop_lat", "stop_lon"))
        if t is None:
            return
        idx = {c: t.index(c) for c in (
            "stop_id", "stop_name", "stop_lat", "stop_lon", "location_type",
            "parent_station", "stop_code", "stop_desc", "zone_id", "platform_code",
        )}  # fmt: skip
        seen = self.stop_lines
        parents: list[tuple[int, GtfsStop]] = []
        for line, row, stop_id in self.keyed_rows(name, t, "stop_id", seen):
            location_type = self.int_value(
                name, line, "location_type", cell(row, idx["location_type"]), 0, range(0, 5)
            )
            lat, lon = self._coordinates(stop_id, line, row, idx, location_type)
            stop_name = cell(row, idx["stop_name"])
            if not stop_name and location_type in (0, 1, 2):
                self.warn(name, line, "stop_name", f'stop_id "{stop_id}" の stop_name が空です。')
            stop = GtfsStop(
                stop_id=stop_id,
                name=stop_name,
                lat=lat,
                lon=lon,
                location_type=location_type,
                parent_station=cell(row, idx["parent_station"]),
                code=cell(row, idx["stop_code"]),
                desc=cell(row, idx["stop_desc"]),
                zone_id=cell(row, idx["zone_id"]),
                platform_code=cell(row, idx["platform_code"]),
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
        raw_lat, raw_lon = cell(row, idx["stop_lat"]), cell(row, idx["stop_lon"])
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
            km = distance_km(mid_lat, mid_lon, stop.lat, stop.lon)
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
        t = self.core_table(name, ("route_id",))
        if t is None:
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
        for line, row, route_id in self.keyed_rows(name, t, "route_id", seen):
            agency_id = cell(row, idx["agency_id"])
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
            raw_type = cell(row, idx["route_type"])
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
            short, long_ = cell(row, idx["route_short_name"]), cell(row, idx["route_long_name"])
            if not short and not long_:
                self.warn(
                    name,
                    line,
                    "route_long_name",
                    f'route_id "{route_id}" に route_short_name も route_long_name もありません。',
                )
            colors = []
            for column in ("route_color", "route_text_color"):
                value = cell(row, idx[column]).lstrip("#")
                if value and not _COLOR_RE.match(value):
                    self.warn(
                        name,
                        line,
                        column,
                        f'{column} が 6 桁の16進数ではありません（"{value}"）。色なしで取り込みました。',
                    )
                    value = ""
                colors.append(value)
            desc = cell(row, idx["route_desc"])
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
