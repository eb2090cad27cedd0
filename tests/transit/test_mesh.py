"""Regional mesh codes (JIS X 0410, DOMAIN.md 4.4)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from tsunagu.transit.mesh import (
    MeshCodeError,
    mesh_centroid,
    mesh_code_at,
    mesh_codes_at,
    parse_mesh_code,
)


def test_check_value_south_west_corner_of_half_mesh() -> None:
    # DOMAIN.md 4.4: 533923434 → SW (35.5375, 139.41875)
    mesh = parse_mesh_code("533923434")
    assert mesh.level == 4
    assert mesh.south == Fraction(5375, 10000) + 35
    assert mesh.west == Fraction(13941875, 100000)
    assert mesh.south_west == (35.5375, 139.41875)


@pytest.mark.parametrize(
    ("code", "level", "south_west", "size"),
    [
        # hand-computed: PP/1.5 + q/12 + r/120 + …, 100 + UU + v/8 + w/80 + …
        ("5339", 1, (Fraction(106, 3), Fraction(139)), (Fraction(2, 3), Fraction(1))),
        (
            "533923",
            2,
            (Fraction(106, 3) + Fraction(2, 12), 139 + Fraction(3, 8)),
            (Fraction(1, 12), Fraction(1, 8)),
        ),
        (
            "53392343",
            3,
            (
                Fraction(106, 3) + Fraction(2, 12) + Fraction(4, 120),
                139 + Fraction(3, 8) + Fraction(3, 80),
            ),
            (Fraction(1, 120), Fraction(1, 80)),
        ),
        (
            "5339234341",
            5,
            # m=4 (NE half), n=1 (SW quarter of it)
            (Fraction(71075, 2000), Fraction(13941875, 100000)),
            (Fraction(1, 480), Fraction(1, 320)),
        ),
        (
            "5339234344",
            5,
            (
                Fraction(71075, 2000) + Fraction(1, 480),
                Fraction(13941875, 100000) + Fraction(1, 320),
            ),
            (Fraction(1, 480), Fraction(1, 320)),
        ),
        # m=1 (SW) and m=2 (SE), m=3 (NW)
        (
            "533923431",
            4,
            (Fraction(35) + Fraction(8, 15), 139 + Fraction(33, 80)),
            (Fraction(1, 240), Fraction(1, 160)),
        ),
        (
            "533923432",
            4,
            (Fraction(35) + Fraction(8, 15), 139 + Fraction(33, 80) + Fraction(1, 160)),
            (Fraction(1, 240), Fraction(1, 160)),
        ),
        (
            "533923433",
            4,
            (Fraction(35) + Fraction(8, 15) + Fraction(1, 240), 139 + Fraction(33, 80)),
            (Fraction(1, 240), Fraction(1, 160)),
        ),
    ],
)
def test_corner_and_size_are_exact(
    code: str, level: int, south_west: tuple[Fraction, Fraction], size: tuple[Fraction, Fraction]
) -> None:
    mesh = parse_mesh_code(code)
    assert mesh.level == level
    assert (mesh.south, mesh.west) == south_west
    assert (mesh.height, mesh.width) == size


def test_centroid_of_check_value_is_half_a_cell_from_the_corner() -> None:
    # SW (35.5375, 139.41875) + (15″/2, 22.5″/2) = (35.5375 + 1/480, 139.41875 + 1/320)
    lat, lon = mesh_centroid("533923434")
    assert lat == pytest.approx(35.5395833333333, abs=1e-12)
    assert lon == pytest.approx(139.421875, abs=1e-12)


def test_centroid_of_first_level_mesh() -> None:
    # 5339: lat 35°20′–36°, lon 139°–140° → centre (35.6666…, 139.5)
    assert mesh_centroid("5339") == pytest.approx((35 + 2 / 3, 139.5), abs=1e-12)


def test_codes_with_hyphens_or_as_integers_are_accepted() -> None:
    assert parse_mesh_code("5339-23-43-4").code == "533923434"
    assert parse_mesh_code(533923434).code == "533923434"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("53392", 'メッシュコード "53392" の桁数が正しくありません（4・6・8・9・10桁）'),
        ("5339a3", "数字だけ"),
        ("", "空です"),
        ("533983", "5桁目が正しくありません（0〜7）"),
        ("533938", "6桁目が正しくありません（0〜7）"),
        ("533923435", "9桁目が正しくありません（1〜4）"),
        ("533923430", "9桁目が正しくありません（1〜4）"),
        ("5339234345", "10桁目が正しくありません（1〜4）"),
        ("9939", "日本の範囲外"),
        ("5399", "日本の範囲外"),
    ],
)
def test_bad_codes_are_refused_with_the_reason(code: str, message: str) -> None:
    with pytest.raises(MeshCodeError) as error:
        parse_mesh_code(code)
    assert message in error.value.message


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_code_at_a_point_contains_the_point(level: int) -> None:
    lat, lon = 32.959, 131.899  # 佐伯市役所あたり
    code = mesh_code_at(lat, lon, level)
    south, west, north, east = parse_mesh_code(code).bounds
    assert south <= lat < north and west <= lon < east
    assert len(code) == {1: 4, 2: 6, 3: 8, 4: 9, 5: 10}[level]


def test_code_at_the_check_corner_is_the_check_cell() -> None:
    # A corner belongs to the cell to its north-east.
    assert mesh_code_at(35.5375, 139.41875, 4) == "533923434"
    assert mesh_code_at(35.5375, 139.41875, 3) == "53392343"


def test_vectorised_codes_match_the_exact_ones() -> None:
    rng = np.random.default_rng(1)
    lat = rng.uniform(24, 45, 2000)
    lon = rng.uniform(123, 153, 2000)
    for level in (1, 3, 5):
        codes = mesh_codes_at(lat, lon, level)
        assert [str(c) for c in codes[:300]] == [
            mesh_code_at(float(a), float(b), level)
            for a, b in zip(lat[:300], lon[:300], strict=True)
        ]


def test_point_outside_japan_is_refused() -> None:
    with pytest.raises(MeshCodeError, match="範囲外"):
        mesh_code_at(51.5, -0.1, 3)
    with pytest.raises(MeshCodeError, match="2件目"):
        mesh_codes_at(np.array([35.0, 51.5]), np.array([139.0, -0.1]), 3)
