"""Gap analysis (交通空白の分析): how far people live from the nearest stop, and how often
that stop is served.

Pure numpy/scipy (no Django), shared by the CLI (``tsunagu mobility gap``), the web page and
the benchmark (``bench/gap_nearest.py``). Everything is vectorised: a million points against
a hundred thousand stops take 1.5–3.5 s on a shared 2-core machine.

Distance: great-circle on a sphere of the mean Earth radius. Points and stops are placed on
the unit sphere (3-D, earth-centred); a ``cKDTree`` finds the nearest stop by chord length,
which is monotone in the arc, so the nearest by chord *is* the nearest great-circle
neighbour; the chord is then converted to metres exactly (``2R·asin(c/2)``). There is no map
projection, hence no projection error anywhere in Japan; the sphere differs from the
ellipsoid by < 0.5 % in distance.

Walking: straight-line distance × a detour factor (default 1.3) at the configured walking
speed (:mod:`tsunagu.transit.walking`, the same as the coexistence check's; 80 m per minute
by default). It is an estimate, and the UI says so.

Stops: by default only stops with at least one departure on the analysed date count (a stop
served only on weekdays is no help on a Sunday); counting every stop is an explicit option.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tsunagu.core.distance import EARTH_RADIUS_M
from tsunagu.core.encoding import decode_spreadsheet_text
from tsunagu.core.errors import TsunaguError
from tsunagu.transit.walking import walk_m_per_min as configured_walk_m_per_min

# IUGG mean Earth radius R1 (metres).
DEFAULT_THRESHOLDS_M: tuple[int, ...] = (300, 500, 1000)
DEFAULT_DETOUR_FACTOR = 1.3


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(n, 3) earth-centred coordinates on the unit sphere for lat/lon in degrees."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    cos_phi = np.cos(phi)
    out = np.empty((phi.shape[0], 3), dtype=np.float64)
    out[:, 0] = cos_phi * np.cos(lam)
    out[:, 1] = cos_phi * np.sin(lam)
    out[:, 2] = np.sin(phi)
    return out


def chord_to_metres(chord: np.ndarray) -> np.ndarray:
    """Great-circle distance (m) for chord lengths on the unit sphere."""
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.minimum(np.asarray(chord) / 2.0, 1.0))


def nearest_stops(
    point_lat: np.ndarray,
    point_lon: np.ndarray,
    stop_lat: np.ndarray,
    stop_lon: np.ndarray,
    *,
    workers: int = -1,
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest stop and the great-circle distance (m) for every point.

    Must hold: at least one stop. ``workers=-1`` queries on every CPU.
    """
    from scipy.spatial import cKDTree

    if len(stop_lat) == 0:
        raise ValueError("no stops")
    # An unbalanced, non-compact tree builds fastest and queries as fast for this data.
    tree = cKDTree(
        unit_vectors(stop_lat, stop_lon), leafsize=32, balanced_tree=False, compact_nodes=False
    )
    xyz = unit_vectors(point_lat, point_lon)
    # Querying neighbouring points one after the other keeps the tree in the CPU cache:
    # ordering by a coarse 3-D grid (cells of ~50 km) halves the query time for scattered
    # input; the answers are put back in input order.
    cell = np.floor((xyz + 1.0) * 128.0).astype(np.int64)
    order = np.argsort((cell[:, 0] * 257 + cell[:, 1]) * 257 + cell[:, 2], kind="stable")
    chord_sorted, index_sorted = tree.query(xyz[order], k=1, workers=workers)
    index = np.empty(len(order), dtype=np.int64)
    chord = np.empty(len(order), dtype=np.float64)
    index[order] = index_sorted
    chord[order] = chord_sorted
    return index, chord_to_metres(chord)


@dataclass
class Points:
    """The people to analyse: coordinates, a weight per point (1 person, or a mesh's
    population) and optionally a label (id or mesh code) and a district per point."""

    lat: np.ndarray
    lon: np.ndarray
    weight: np.ndarray
    labels: np.ndarray | None = None
    district: np.ndarray | None = None  # object array of district names ("" = unknown)

    def __post_init__(self) -> None:
        self.lat = np.asarray(self.lat, dtype=np.float64)
        self.lon = np.asarray(self.lon, dtype=np.float64)
        self.weight = np.asarray(self.weight, dtype=np.float64)
        if not (self.lat.shape == self.lon.shape == self.weight.shape):
            raise ValueError("lat, lon and weight must have the same length")

    def __len__(self) -> int:
        return int(self.lat.shape[0])


@dataclass
class Stops:
    """Candidate stops with their departures on the analysed date."""

    ids: np.ndarray  # object array of stop_id
    names: np.ndarray  # object array of stop names
    lat: np.ndarray
    lon: np.ndarray
    departures: np.ndarray  # int, departures on the date

    def __len__(self) -> int:
        return int(np.asarray(self.lat).shape[0])


@dataclass
class BandCount:
    """Weight within / beyond one distance threshold."""

    threshold_m: float
    within: float
    beyond: float
    within_share: float  # 0..1
    beyond_share: float


@dataclass
class GroupSummary:
    """Totals for all points or for one district."""

    name: str
    points: int
    weight: float
    bands: list[BandCount]
    few_departures: float | None  # weight whose nearest stop has < N departures
    few_departures_share: float | None
    median_distance_m: float | None


@dataclass
class GapResult:
    """Per-point results (arrays aligned with the input points) and the summaries."""

    thresholds_m: tuple[float, ...]
    min_departures: int | None
    detour_factor: float
    walk_m_per_min: float
    stop_index: np.ndarray
    stop_id: np.ndarray
    stop_name: np.ndarray
    distance_m: np.ndarray
    walk_m: np.ndarray
    walk_min: np.ndarray
    departures: np.ndarray
    band: np.ndarray  # 0..len(thresholds): index of the first threshold the point is within
    few_departures: np.ndarray | None
    total: GroupSummary
    districts: list[GroupSummary] = field(default_factory=list)

    def band_label(self, band: int) -> str:
        return band_labels(self.thresholds_m)[band]

    def beyond(self, threshold_m: float) -> np.ndarray:
        """Per point: farther than ``threshold_m`` (one of the thresholds) from every stop."""
        k = self.thresholds_m.index(float(threshold_m))
        return self.band > k


def band_labels(thresholds_m: Sequence[float]) -> list[str]:
    """Labels of the distance bands: ``<=300m``, ``<=500m``, …, ``>1000m``."""
    labels = [f"<={_fmt_m(t)}m" for t in thresholds_m]
    labels.append(f">{_fmt_m(thresholds_m[-1])}m")
    return labels


def _fmt_m(value: float) -> str:
    return f"{int(value)}" if float(value).is_integer() else f"{value:g}"


def parse_thresholds(text: str) -> tuple[float, ...]:
    """``"300,500,1000"`` → (300.0, 500.0, 1000.0); raise ValueError with a Japanese message."""
    values: list[float] = []
    for part in str(text).replace("、", ",").split(","):
        part = part.strip().removesuffix("m")
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            raise ValueError(
                f"しきい値「{part}」が数値ではありません（例: 300,500,1000）"
            ) from None
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"しきい値「{part}」は 0 より大きい距離（m）にしてください")
        values.append(value)
    if not values:
        raise ValueError("しきい値を1つ以上入力してください（例: 300,500,1000）")
    return tuple(sorted(set(values)))


def _summarise(
    name: str,
    mask: np.ndarray | None,
    weight: np.ndarray,
    distance: np.ndarray,
    thresholds: tuple[float, ...],
    few: np.ndarray | None,
) -> GroupSummary:
    if mask is not None:
        weight, distance = weight[mask], distance[mask]
        few = few[mask] if few is not None else None
    total = float(weight.sum())
    bands = []
    for threshold in thresholds:
        within = float(weight[distance <= threshold].sum())
        beyond = total - within
        bands.append(
            BandCount(
                threshold_m=threshold,
                within=within,
                beyond=beyond,
                within_share=within / total if total else 0.0,
                beyond_share=beyond / total if total else 0.0,
            )
        )
    few_weight = float(weight[few].sum()) if few is not None else None
    return GroupSummary(
        name=name,
        points=int(distance.shape[0]),
        weight=total,
        bands=bands,
        few_departures=few_weight,
        few_departures_share=(few_weight / total if total else 0.0)
        if few_weight is not None
        else None,
        median_distance_m=_weighted_median(distance, weight),
    )


def _weighted_median(values: np.ndarray, weight: np.ndarray) -> float | None:
    if values.shape[0] == 0 or float(weight.sum()) <= 0:
        return None
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weight[order])
    k = int(np.searchsorted(cumulative, cumulative[-1] / 2.0))
    return float(values[order][min(k, len(order) - 1)])


def analyse_gap(
    points: Points,
    stops: Stops,
    *,
    thresholds_m: Sequence[float] = DEFAULT_THRESHOLDS_M,
    min_departures: int | None = None,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
    walk_m_per_min: float | None = None,
    workers: int = -1,
) -> GapResult:
    """Nearest stop, distances, departures and the weighted summaries for ``points``.

    Must hold: ``stops`` is not empty. A point is *within* a threshold when its straight-line
    distance is ≤ the threshold; *few departures* when its nearest stop has fewer than
    ``min_departures`` departures on the date. ``walk_m_per_min`` defaults to the configured
    walking speed.
    """
    if walk_m_per_min is None:
        walk_m_per_min = configured_walk_m_per_min()
    thresholds = tuple(sorted(float(t) for t in thresholds_m))
    if not thresholds:
        raise ValueError("at least one threshold")
    index, distance = nearest_stops(points.lat, points.lon, stops.lat, stops.lon, workers=workers)
    departures = np.asarray(stops.departures, dtype=np.int64)[index]
    walk_m = distance * detour_factor
    band = np.searchsorted(np.asarray(thresholds), distance, side="left")
    few = departures < min_departures if min_departures is not None else None
    total = _summarise("全体", None, points.weight, distance, thresholds, few)
    districts: list[GroupSummary] = []
    if points.district is not None:
        names = np.asarray(points.district, dtype=object)
        unique, inverse = np.unique(names.astype(str), return_inverse=True)
        for k, district_name in enumerate(unique):
            districts.append(
                _summarise(
                    district_name or "（地区不明）",
                    inverse == k,
                    points.weight,
                    distance,
                    thresholds,
                    few,
                )
            )
    return GapResult(
        thresholds_m=thresholds,
        min_departures=min_departures,
        detour_factor=detour_factor,
        walk_m_per_min=walk_m_per_min,
        stop_index=index,
        stop_id=np.asarray(stops.ids, dtype=object)[index],
        stop_name=np.asarray(stops.names, dtype=object)[index],
        distance_m=distance,
        walk_m=walk_m,
        walk_min=walk_m / walk_m_per_min,
        departures=departures,
        band=band,
        few_departures=few,
        total=total,
        districts=districts,
    )


def format_count(value: float) -> str:
    """Whole numbers without decimals (people), otherwise one decimal."""
    return f"{round(value):d}" if abs(value - round(value)) < 1e-9 else f"{value:.1f}"


def summary_lines(result: GapResult) -> list[str]:
    """The CLI's summary: ``<=300m: N (x.x%)`` per threshold, then beyond the largest and
    (if N was given) the weight whose nearest stop has too few departures."""
    total = result.total
    labels = band_labels(result.thresholds_m)
    lines = [
        f"{labels[k]}: {format_count(b.within)} ({b.within_share * 100:.1f}%)"
        for k, b in enumerate(total.bands)
    ]
    last = total.bands[-1]
    lines.append(f"{labels[-1]}: {format_count(last.beyond)} ({last.beyond_share * 100:.1f}%)")
    if result.min_departures is not None and total.few_departures is not None:
        lines.append(
            f"departures<{result.min_departures}: {format_count(total.few_departures)} "
            f"({(total.few_departures_share or 0.0) * 100:.1f}%)"
        )
    return lines


# ---- inputs: points CSV / mesh population CSV, stops of a GTFS feed ------------------------

# Accepted header names (lower-cased, spaces removed) for each column.
_ALIASES = {
    "id": ("id", "point_id", "番号", "識別子"),
    "lat": ("lat", "latitude", "緯度", "y"),
    "lon": ("lon", "lng", "long", "longitude", "経度", "x"),
    "weight": ("weight", "人数", "count", "重み"),
    "district": ("district", "地区", "地区名"),
    "mesh_code": ("mesh_code", "meshcode", "mesh", "key_code", "メッシュコード", "メッシュ"),
    "population": ("population", "pop", "人口", "人口（総数）", "人口総数"),
}


class PointsFileError(TsunaguError):
    """A problem in a points / mesh population file, naming file, row and column."""

    def __init__(
        self, message: str, *, filename: str, row: int | None = None, column: str | None = None
    ) -> None:
        where = filename
        if row is not None:
            where += f" {row}行目"
        if column:
            where += f" {column}列"
        super().__init__(f"{where}: {message}", field="points", code="points_file")
        self.filename = filename
        self.row = row
        self.column = column


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM); Excel's Shift_JIS (cp932) is accepted as a fallback."""
    try:
        return decode_spreadsheet_text(data)[0]
    except UnicodeDecodeError as exc:
        raise PointsFileError(
            f"文字コードを読み取れません（{exc.start + 1}バイト目）。UTF-8 で保存してください",
            filename=filename,
        ) from None


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff").lower().replace(" ", "").replace("　", "")
        for key, aliases in _ALIASES.items():
            if name in aliases and key not in found:
                found[key] = position
    return found


def _float_column(
    values: list[str], filename: str, column: str, row_numbers: np.ndarray
) -> np.ndarray:
    try:
        array = np.array(values).astype(np.float64)
    except ValueError:
        array = None
    if array is not None and bool(np.isfinite(array).all()):
        return array
    # Slow path only to say where: find the first value that is not a finite number.
    for k, value in enumerate(values):
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not math.isfinite(number):
            shown = value.strip()
            message = "値がありません" if not shown else f'数値ではありません（"{shown}"）'
            raise PointsFileError(
                message, filename=filename, row=int(row_numbers[k]), column=column
            )
    raise AssertionError("unreachable")  # pragma: no cover


def _first_bad(mask: np.ndarray) -> int:
    return int(np.argmax(mask))


def read_points_csv(data: bytes, filename: str) -> tuple[Points, str]:
    """Parse ``id,lat,lon[,weight][,district]`` or ``mesh_code,population[,district]``.

    Returns the points and the kind (``"points"`` or ``"mesh"``). UTF-8 with or without BOM,
    CRLF or LF; unknown columns are ignored. Raises :class:`PointsFileError` naming the file,
    the row (1 = header) and the column of the first problem.
    """
    text = decode_text(data, filename)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise PointsFileError("ファイルが空です", filename=filename) from None
    except csv.Error as exc:
        raise PointsFileError(f"CSV として読めません（{exc}）", filename=filename, row=1) from None
    columns = _header_map(header)
    if "mesh_code" in columns and not ("lat" in columns and "lon" in columns):
        kind = "mesh"
    elif "lat" in columns and "lon" in columns:
        kind = "points"
    else:
        shown = "、".join(h.strip() for h in header if h.strip()) or "なし"
        raise PointsFileError(
            "見出しに id,lat,lon（緯度・経度）または mesh_code,population（メッシュコード・人口）"
            f"の列が必要です（見つかった列: {shown}）",
            filename=filename,
            row=1,
        )
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise PointsFileError(
            f"CSV として読めません（{exc}）", filename=filename, row=reader.line_num
        ) from None
    row_numbers = np.arange(2, len(rows) + 2)
    if not all(rows):  # csv yields [] for a blank line (a trailing one is common)
        keep = [k for k, r in enumerate(rows) if r]
        rows = [rows[k] for k in keep]
        row_numbers = row_numbers[keep]
    if not rows:
        raise PointsFileError("データの行がありません（見出しだけです）", filename=filename)
    width = max(columns.values()) + 1
    short = [k for k, r in enumerate(rows) if len(r) < width]
    if short:
        k = short[0]
        raise PointsFileError(
            f"列が足りません（{len(rows[k])}列、見出しは{len(header)}列）",
            filename=filename,
            row=int(row_numbers[k]),
        )

    def column(key: str) -> list[str]:
        position = columns[key]
        return [r[position] for r in rows]

    district = None
    if "district" in columns:
        district = np.array([v.strip() for v in column("district")], dtype=object)
    if kind == "points":
        lat = _float_column(column("lat"), filename, header[columns["lat"]].strip(), row_numbers)
        lon = _float_column(column("lon"), filename, header[columns["lon"]].strip(), row_numbers)
        bad = (lat < -90) | (lat > 90)
        if bad.any():
            k = _first_bad(bad)
            raise PointsFileError(
                f"緯度 {lat[k]:g} が範囲外です（-90〜90）。緯度と経度が逆になっていませんか",
                filename=filename,
                row=int(row_numbers[k]),
                column=header[columns["lat"]].strip(),
            )
        bad = (lon < -180) | (lon > 180)
        if bad.any():
            k = _first_bad(bad)
            raise PointsFileError(
                f"経度 {lon[k]:g} が範囲外です（-180〜180）",
                filename=filename,
                row=int(row_numbers[k]),
                column=header[columns["lon"]].strip(),
            )
        weight_key = "weight" if "weight" in columns else "population"
        labels = (
            np.array(column("id"), dtype=object)
            if "id" in columns
            else np.array([str(n) for n in row_numbers], dtype=object)
        )
    else:
        from tsunagu.transit.mesh import MeshCodeError, parse_mesh_code

        weight_key = "population" if "population" in columns else "weight"
        codes = column("mesh_code")
        lat = np.empty(len(codes))
        lon = np.empty(len(codes))
        seen: dict[str, int] = {}
        mesh_column = header[columns["mesh_code"]].strip()
        for k, raw in enumerate(codes):
            try:
                mesh = parse_mesh_code(raw)
            except MeshCodeError as exc:
                raise PointsFileError(
                    exc.message, filename=filename, row=int(row_numbers[k]), column=mesh_column
                ) from None
            if mesh.code in seen:
                raise PointsFileError(
                    f"メッシュコード {mesh.code} が {seen[mesh.code]}行目にもあります",
                    filename=filename,
                    row=int(row_numbers[k]),
                    column=mesh_column,
                )
            seen[mesh.code] = int(row_numbers[k])
            lat[k], lon[k] = mesh.centroid
        labels = np.array(list(seen), dtype=object)
        if weight_key not in columns:
            raise PointsFileError(
                "メッシュの人口の列（population）がありません", filename=filename, row=1
            )
    if weight_key in columns:
        weight_column = header[columns[weight_key]].strip()
        weight = _float_column(column(weight_key), filename, weight_column, row_numbers)
        bad = weight < 0
        if bad.any():
            k = _first_bad(bad)
            raise PointsFileError(
                f"人数・人口は 0 以上にしてください（{weight[k]:g}）",
                filename=filename,
                row=int(row_numbers[k]),
                column=weight_column,
            )
    else:
        weight = np.ones(len(rows))
    return Points(lat=lat, lon=lon, weight=weight, labels=labels, district=district), kind


# Stops a person can board at: location_type 0 (stop / platform), including demand stops.
BOARDING_KINDS = frozenset({"bus_stop", "demand_stop", "rail_stop"})


def stops_from_feed(feed: Any, date: dt.date, *, served_only: bool = True) -> Stops:
    """The boarding stops of a parsed feed (``tsunagu.transit.gtfs.feed.GtfsFeed``) with their
    departures on ``date``. By default (``served_only``) stops without a departure that day
    are left out, so the nearest stop is the nearest one actually served that day; a stop
    served only on other days would otherwise count as "near" (issue 12: 100 % within 300 m
    instead of 80 % beyond 1 km). ``served_only=False`` counts every stop."""
    departures = feed.departures_on(date)
    chosen = [
        s
        for s in feed.stops
        if s.location_type == 0
        and s.kind in BOARDING_KINDS
        and s.lat is not None
        and s.lon is not None
        and (not served_only or departures.get(s.stop_id, 0) > 0)
    ]
    return Stops(
        ids=np.array([s.stop_id for s in chosen], dtype=object),
        names=np.array([s.name for s in chosen], dtype=object),
        lat=np.array([s.lat for s in chosen], dtype=np.float64),
        lon=np.array([s.lon for s in chosen], dtype=np.float64),
        departures=np.array([departures.get(s.stop_id, 0) for s in chosen], dtype=np.int64),
    )
