"""``tsunagu mobility gap``: distance from points (or mesh populations) to the nearest stop.

Runs without Django or a database: the feed is read with the pure GTFS reader. Prints one
line per threshold (``<=300m: 1234 (12.3%)``, weighted by population for mesh input), the
share beyond the largest threshold and, with ``--min-departures``, the share whose nearest
stop has fewer departures on the date; writes one row per point to ``-o``.

Only stops with a departure on the date count unless ``--all-stops`` is given; the summary
line on stderr (and the output's ``stops`` column) says which.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from tsunagu.core.errors import TsunaguError
from tsunagu.core.spreadsheet import write_csv_rows
from tsunagu.transit.gap import compute


def _fail(message: str) -> int:
    print(f"エラー: {message}", file=sys.stderr)
    return 1


def _parse_date(text: str | None) -> dt.date:
    if not text:
        return dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise TsunaguError(
            f'--date "{text}" は日付として読めません（YYYY-MM-DD、例: 2026-12-01）',
            field="date",
        ) from None


def _text(values: np.ndarray, decimals: int) -> list[str]:
    """Numbers as text, converted in numpy (formatting a million floats in Python is slow);
    whole numbers without a trailing ".0"."""
    rounded = np.round(values, decimals)
    if bool((rounded == np.floor(rounded)).all()) and np.abs(rounded).max(initial=0) < 2**53:
        return rounded.astype(np.int64).astype(str).tolist()
    return rounded.astype(str).tolist()


def stops_mode_text(served_only: bool) -> str:
    return (
        "停留所: その日に便のある停留所だけ"
        if served_only
        else "停留所: 便のない停留所も含むすべて"
    )


def write_results_csv(
    path: Path,
    points: compute.Points,
    kind: str,
    result: compute.GapResult,
    *,
    served_only: bool = True,
) -> None:
    """One row per point, in input order; the ``stops`` column says which stops counted
    (``served`` or ``all``)."""
    band_labels = compute.band_labels(result.thresholds_m)
    header = [
        "mesh_code" if kind == "mesh" else "id",
        "lat",
        "lon",
        "population" if kind == "mesh" else "weight",
    ]
    if points.district is not None:
        header.append("district")
    header += [
        "nearest_stop_id",
        "nearest_stop_name",
        "distance_m",
        "walk_m_estimate",
        "walk_min_estimate",
        "departures",
        "band",
        "stops",
    ]
    if result.few_departures is not None:
        header.append(f"departures_below_{result.min_departures}")
    columns: list[list[object]] = [
        list(points.labels) if points.labels is not None else list(range(1, len(points) + 1)),
        _text(points.lat, 7),
        _text(points.lon, 7),
        _text(points.weight, 3),
    ]
    if points.district is not None:
        columns.append(list(points.district))
    columns += [
        list(result.stop_id),
        list(result.stop_name),
        _text(result.distance_m, 1),
        _text(result.walk_m, 1),
        _text(result.walk_min, 1),
        result.departures.tolist(),
        [band_labels[b] for b in result.band.tolist()],
        ["served" if served_only else "all"] * len(points),
    ]
    if result.few_departures is not None:
        columns.append(["1" if f else "0" for f in result.few_departures.tolist()])
    with path.open("w", encoding="utf-8", newline="") as out:
        write_csv_rows(out, [header, *zip(*columns, strict=True)])


def cmd_gap(args: argparse.Namespace) -> int:
    from tsunagu.transit.gtfs.problems import GtfsError
    from tsunagu.transit.gtfs.reader import read_feed

    started = time.perf_counter()
    points_path = Path(args.points)
    try:
        thresholds = compute.parse_thresholds(args.thresholds or "300,500,1000")
    except ValueError as exc:
        return _fail(f"--thresholds: {exc}")
    min_departures = getattr(args, "min_departures", None)
    if min_departures is not None and min_departures < 1:
        return _fail("--min-departures は 1 以上にしてください")
    try:
        date = _parse_date(args.date)
        try:
            data = points_path.read_bytes()
        except OSError as exc:
            return _fail(f"{points_path}: 読めません（{exc.strerror}）")
        points, kind = compute.read_points_csv(data, points_path.name)
        feed = read_feed(args.feed)
        served_only = not getattr(args, "all_stops", False)
        stops = compute.stops_from_feed(feed, date, served_only=served_only)
        if len(stops) == 0:
            if served_only:
                return _fail(
                    f"{args.feed}: {date.isoformat()} に便のある停留所がありません"
                    "（日付を変えるか、--all-stops で便のない停留所も数えてください）"
                )
            return _fail(f"{args.feed}: 乗り降りできる停留所（緯度・経度のあるもの）がありません")
        result = compute.analyse_gap(
            points, stops, thresholds_m=thresholds, min_departures=min_departures
        )
    except GtfsError as exc:
        print("エラー: GTFS データに問題があります", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except TsunaguError as exc:
        return _fail(exc.message)
    out_path = Path(args.out)
    try:
        write_results_csv(out_path, points, kind, result, served_only=served_only)
    except OSError as exc:
        return _fail(f"{out_path}: 書き込めません（{exc.strerror}）")
    for line in compute.summary_lines(result):
        print(line)
    what = "メッシュ" if kind == "mesh" else "地点"
    print(
        f"# {date.isoformat()} / {stops_mode_text(served_only)} {len(stops)}"
        f" / {what} {len(points)}（重み合計 {compute.format_count(result.total.weight)}）"
        f" / 徒歩 分速{result.walk_m_per_min:g}m"
        f" / {time.perf_counter() - started:.1f} 秒 → {out_path}",
        file=sys.stderr,
    )
    return 0
