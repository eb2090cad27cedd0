"""Regional mesh codes (地域メッシュコード, JIS X 0410).

Pure Python (no Django): used by the gap analysis for mesh population CSVs and to aggregate
riders' homes per mesh cell. Levels and digits (DOMAIN.md 4.4):

=====  ======  =====================  ==========================
level  digits  cell (lat × lon)       name
=====  ======  =====================  ==========================
1      4       40′ × 1°               第1次地域区画 (PPUU)
2      6       5′ × 7′30″             第2次地域区画 (+qv)
3      8       30″ × 45″ (~1 km)      基準地域メッシュ (+rw)
4      9       15″ × 22.5″ (~500 m)   2分の1地域メッシュ (+m)
5      10      7.5″ × 11.25″ (~250 m) 4分の1地域メッシュ (+n)
=====  ======  =====================  ==========================

m, n: 1 = south-west, 2 = south-east, 3 = north-west, 4 = north-east.
All geometry is computed in exact rationals (``fractions.Fraction``) and converted to float
only at the end, so corners are exact (533923434 → SW 35.5375, 139.41875).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from tsunagu.core.errors import TsunaguError

DIGITS_BY_LEVEL = {1: 4, 2: 6, 3: 8, 4: 9, 5: 10}
LEVEL_BY_DIGITS = {digits: level for level, digits in DIGITS_BY_LEVEL.items()}
LEVEL_NAMES = {
    1: "第1次地域区画（約80km）",
    2: "第2次地域区画（約10km）",
    3: "基準地域メッシュ（約1km）",
    4: "2分の1地域メッシュ（約500m）",
    5: "4分の1地域メッシュ（約250m）",
}
# Cell size per level in degrees (height = latitude, width = longitude).
_HEIGHT = {
    1: Fraction(2, 3),
    2: Fraction(1, 12),
    3: Fraction(1, 120),
    4: Fraction(1, 240),
    5: Fraction(1, 480),
}
_WIDTH = {
    1: Fraction(1),
    2: Fraction(1, 8),
    3: Fraction(1, 80),
    4: Fraction(1, 160),
    5: Fraction(1, 320),
}
# First-level codes that can cover Japanese territory (20°–46° N, 122°–154° E):
# PP = floor(lat × 1.5), UU = floor(lon) − 100.
PP_RANGE = (30, 68)
UU_RANGE = (22, 53)


class MeshCodeError(TsunaguError):
    """A mesh code that is not a valid JIS X 0410 code, with the reason in Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="mesh_code", code="mesh_code")


@dataclass(frozen=True)
class Mesh:
    """One mesh cell: its code, level and exact south-west corner and size (degrees)."""

    code: str
    level: int
    south: Fraction
    west: Fraction
    height: Fraction
    width: Fraction

    @property
    def south_west(self) -> tuple[float, float]:
        """(lat, lon) of the south-west corner."""
        return float(self.south), float(self.west)

    @property
    def north_east(self) -> tuple[float, float]:
        return float(self.south + self.height), float(self.west + self.width)

    @property
    def centroid(self) -> tuple[float, float]:
        """(lat, lon) of the cell's centre (the point used for its population)."""
        return float(self.south + self.height / 2), float(self.west + self.width / 2)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east) in degrees."""
        return (
            float(self.south),
            float(self.west),
            float(self.south + self.height),
            float(self.west + self.width),
        )

    def polygon(self) -> list[list[float]]:
        """The cell as a closed GeoJSON ring ([lon, lat] pairs)."""
        s, w, n, e = self.bounds
        return [[w, s], [e, s], [e, n], [w, n], [w, s]]


def _digit_error(code: str, position: int, allowed: str) -> MeshCodeError:
    return MeshCodeError(f'メッシュコード "{code}" の{position}桁目が正しくありません（{allowed}）')


def parse_mesh_code(value: str | int) -> Mesh:
    """Parse and validate a mesh code of level 1–5; raise :class:`MeshCodeError` if invalid."""
    code = str(value).strip()
    # Codes are often written with hyphens or spaces (5339-23-43-4): accept them.
    compact = code.replace("-", "").replace(" ", "")
    if not compact:
        raise MeshCodeError("メッシュコードが空です")
    if not compact.isascii() or not compact.isdigit():
        raise MeshCodeError(f'メッシュコード "{code}" は数字だけで書いてください')
    level = LEVEL_BY_DIGITS.get(len(compact))
    if level is None:
        raise MeshCodeError(f'メッシュコード "{code}" の桁数が正しくありません（4・6・8・9・10桁）')
    digits = [int(c) for c in compact]
    pp = digits[0] * 10 + digits[1]
    uu = digits[2] * 10 + digits[3]
    if not PP_RANGE[0] <= pp <= PP_RANGE[1]:
        raise MeshCodeError(
            f'メッシュコード "{code}" の上2桁（{pp:02d}）が日本の範囲外です'
            f"（{PP_RANGE[0]}〜{PP_RANGE[1]}）"
        )
    if not UU_RANGE[0] <= uu <= UU_RANGE[1]:
        raise MeshCodeError(
            f'メッシュコード "{code}" の3・4桁目（{uu:02d}）が日本の範囲外です'
            f"（{UU_RANGE[0]}〜{UU_RANGE[1]}）"
        )
    south = Fraction(pp) / Fraction(3, 2)
    west = Fraction(100 + uu)
    if level >= 2:
        q, v = digits[4], digits[5]
        for position, digit in ((5, q), (6, v)):
            if digit > 7:
                raise _digit_error(code, position, "0〜7")
        south += Fraction(q, 12)
        west += Fraction(v, 8)
    if level >= 3:
        r, w = digits[6], digits[7]
        south += Fraction(r, 120)
        west += Fraction(w, 80)
    for position, (step_lat, step_lon) in ((9, (240, 160)), (10, (480, 320))):
        if level < LEVEL_BY_DIGITS[position]:
            break
        quadrant = digits[position - 1]
        if not 1 <= quadrant <= 4:
            raise _digit_error(code, position, "1〜4")
        if quadrant in (3, 4):
            south += Fraction(1, step_lat)
        if quadrant in (2, 4):
            west += Fraction(1, step_lon)
    return Mesh(
        code=compact,
        level=level,
        south=south,
        west=west,
        height=_HEIGHT[level],
        width=_WIDTH[level],
    )


def mesh_centroid(value: str | int) -> tuple[float, float]:
    """(lat, lon) of the centre of the cell ``value``."""
    return parse_mesh_code(value).centroid


def _check_level(level: int) -> None:
    if level not in DIGITS_BY_LEVEL:
        raise MeshCodeError(f"メッシュの次数 {level} は使えません（1〜5）")


def mesh_code_at(lat: float, lon: float, level: int = 3) -> str:
    """The code of the level-``level`` cell containing (lat, lon).

    Exact: the float is read as the shortest decimal that prints as it (``repr``), so a
    point typed as 139.41875 lies exactly on the edge, and a point on an edge belongs to the
    cell to its north/east, as in JIS X 0410.
    """
    _check_level(level)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise MeshCodeError("緯度・経度が数値ではありません")
    y = Fraction(repr(float(lat)))
    x = Fraction(repr(float(lon))) - 100
    # Index of the finest cell (quarter mesh) in each direction; the digits follow from it.
    i = math.floor(y * 480)
    j = math.floor(x * 320)
    pp, i_rest = divmod(i, 320)  # 480 × 2/3
    uu, j_rest = divmod(j, 320)
    if not (PP_RANGE[0] <= pp <= PP_RANGE[1] and UU_RANGE[0] <= uu <= UU_RANGE[1]):
        raise MeshCodeError(f"緯度 {lat}・経度 {lon} は日本の地域メッシュの範囲外です")
    code = f"{pp:02d}{uu:02d}"
    if level >= 2:
        code += f"{i_rest // 40}{j_rest // 40}"
    if level >= 3:
        code += f"{(i_rest % 40) // 4}{(j_rest % 40) // 4}"
    if level >= 4:
        code += str(1 + ((i_rest % 4) // 2) * 2 + (j_rest % 4) // 2)
    if level >= 5:
        code += str(1 + (i_rest % 2) * 2 + (j_rest % 2))
    return code


def mesh_codes_at(lat: np.ndarray, lon: np.ndarray, level: int = 3) -> np.ndarray:
    """Vectorised :func:`mesh_code_at` for many points (int64 codes; floats, so a point
    within ~1e-12° of a cell edge may fall on either side).

    Raises :class:`MeshCodeError` if any point lies outside Japan's mesh range.
    """
    _check_level(level)
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    i = np.floor(lat * 480).astype(np.int64)
    j = np.floor((lon - 100) * 320).astype(np.int64)
    pp, i_rest = np.divmod(i, 320)
    uu, j_rest = np.divmod(j, 320)
    outside = (pp < PP_RANGE[0]) | (pp > PP_RANGE[1]) | (uu < UU_RANGE[0]) | (uu > UU_RANGE[1])
    if outside.any():
        k = int(np.argmax(outside))
        raise MeshCodeError(
            f"{k + 1}件目の地点（緯度 {lat[k]}・経度 {lon[k]}）は日本の地域メッシュの範囲外です"
        )
    code = pp * 100 + uu
    if level >= 2:
        code = code * 100 + (i_rest // 40) * 10 + j_rest // 40
    if level >= 3:
        code = code * 100 + ((i_rest % 40) // 4) * 10 + (j_rest % 40) // 4
    if level >= 4:
        code = code * 10 + 1 + ((i_rest % 4) // 2) * 2 + (j_rest % 4) // 2
    if level >= 5:
        code = code * 10 + 1 + (i_rest % 2) * 2 + (j_rest % 2)
    return code
