"""Reading and checking the other files: feed_info.txt, shapes.txt, translations.txt (stop
readings), fare files and any other file kept by name (GTFS-JP ``*_jp.txt`` …)."""

from __future__ import annotations

import math
from collections import defaultdict

from tsunagu.transit.gtfs.parser_base import ParserBase
from tsunagu.transit.gtfs.source import cell

# Extra files (GTFS-JP, fares …) larger than this are not opened just to check their encoding.
MAX_EXTRA_CHECK_BYTES = 20 * 1024 * 1024


class ExtraFiles(ParserBase):
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
        info = {col: cell(row, i) for col, i in t.columns.items()}
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
                    lat = float(cell(row, idx["shape_pt_lat"]))
                    lon = float(cell(row, idx["shape_pt_lon"]))
                    seq = float(cell(row, idx["shape_pt_sequence"]))
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
                points[cell(row, idx["shape_id"])].append((seq, lat, lon))
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
                if cell(row, i_lang).lower() == "ja-hrkt":
                    by_name[cell(row, i_tid)] = cell(row, i_tr)
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
                if cell(row, i_lang).lower() != "ja-hrkt" or cell(row, i_table) != "stops":
                    continue
                if cell(row, i_field) != "stop_name":
                    continue
                if cell(row, i_rec):
                    by_stop[cell(row, i_rec)] = cell(row, i_tr)
                elif cell(row, i_val):
                    by_name[cell(row, i_val)] = cell(row, i_tr)
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
                fare_id = cell(row, i_id)
                if fare_id in fare_ids:
                    self.warn(name, line, "fare_id", f'fare_id "{fare_id}" が重複しています。')
                fare_ids.add(fare_id)
                price = cell(row, i_price)
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
                fare_id = cell(row, i_id)
                if check_fares and fare_id not in fare_ids:
                    self.warn(
                        name,
                        line,
                        "fare_id",
                        f'fare_id "{fare_id}" が fare_attributes.txt にありません。',
                    )
                route_id = cell(row, i_route)
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
