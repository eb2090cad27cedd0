"""Small geometry helpers: GeoJSON boundary validation with shapely."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError

ALLOWED_TYPES = ("Polygon", "MultiPolygon")


def parse_boundary(value: Any) -> dict[str, Any] | None:
    """Accept a GeoJSON geometry, Feature or one-feature FeatureCollection (dict or text).

    Returns the geometry dict, or raises ValidationError with a Japanese message.
    """
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                "境界の GeoJSON を読み取れません（%(line)s行目 %(col)s文字目: %(msg)s）。",
                code="json",
                params={"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
            ) from exc
    if not isinstance(value, dict):
        raise ValidationError("境界は GeoJSON のオブジェクトで入力してください。", code="type")
    if value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise ValidationError(
                "境界の FeatureCollection には地物を1つだけ含めてください（%(n)s個あります）。",
                code="features",
                params={"n": len(features)},
            )
        value = features[0]
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    if value.get("type") not in ALLOWED_TYPES:
        raise ValidationError(
            "境界は Polygon か MultiPolygon にしてください（type が %(type)s です）。",
            code="geometry_type",
            params={"type": value.get("type")},
        )
    _check_rings(value)
    try:
        geometry = shape(value)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise ValidationError(
            "境界の座標が正しくありません（%(msg)s）。座標は [経度, 緯度] の配列で、"
            "リングは始点と終点が同じ4点以上にしてください。",
            code="coordinates",
            params={"msg": str(exc)},
        ) from exc
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValidationError(
            "境界の座標が範囲外です。座標は [経度, 緯度] の順で入力してください。",
            code="range",
        )
    if geometry.is_empty or not geometry.is_valid:
        raise ValidationError(
            "境界の図形が正しくありません（%(why)s）。",
            code="invalid",
            params={"why": explain_validity(geometry)},
        )
    return {"type": value["type"], "coordinates": value["coordinates"]}


def validate_boundary(value: Any) -> None:
    parse_boundary(value)


def boundary_centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """A point inside the boundary (lat, lon), for areas whose centre was not given."""
    from shapely.geometry import shape

    point = shape(geometry).representative_point()
    return (round(point.y, 6), round(point.x, 6))


def _check_rings(geometry: dict[str, Any]) -> None:
    """RFC 7946 3.1.6: every ring has 4+ positions and ends where it starts."""
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry.get("type") == "Polygon" else (coordinates or [])
    if not isinstance(polygons, list):
        raise ValidationError("境界の座標（coordinates）が配列ではありません。", code="coordinates")
    for p_index, polygon in enumerate(polygons, start=1):
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(
                "境界の%(n)s番目の多角形に座標がありません。",
                code="coordinates",
                params={"n": p_index},
            )
        for r_index, ring in enumerate(polygon, start=1):
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValidationError(
                    "境界の%(p)s番目の多角形の%(r)s番目のリングは4点以上（始点と終点が同じ）にしてください。",
                    code="ring_size",
                    params={"p": p_index, "r": r_index},
                )
            if ring[0] != ring[-1]:
                raise ValidationError(
                    "境界の%(p)s番目の多角形の%(r)s番目のリングが閉じていません（始点 %(first)s と終点 %(last)s が異なります）。",
                    code="ring_open",
                    params={"p": p_index, "r": r_index, "first": ring[0], "last": ring[-1]},
                )
