"""Gap analysis over arrays: nearest stop, distances, bands, departures, summaries."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tsunagu.transit.gap.compute import (
    Points,
    Stops,
    analyse_gap,
    band_labels,
    nearest_stops,
    parse_thresholds,
    summary_lines,
)

R = 6_371_008.8


def meridian_m(dlat_deg: float) -> float:
    """Distance along a meridian: R × Δφ (exact on the sphere)."""
    return R * math.radians(dlat_deg)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * R * math.asin(math.sqrt(a))


# Three stops and five points around 佐伯市; nearest stops worked out by hand.
STOPS = Stops(
    ids=np.array(["A", "B", "C"], dtype=object),
    names=np.array(["駅前", "市役所", "港"], dtype=object),
    lat=np.array([33.000, 33.010, 33.000]),
    lon=np.array([131.900, 131.900, 131.950]),
    departures=np.array([10, 2, 0]),
)
POINTS = Points(
    lat=np.array([33.001, 33.0065, 32.995, 33.000, 33.030]),
    lon=np.array([131.900, 131.900, 131.900, 131.935, 131.900]),
    weight=np.array([1.0, 2.0, 3.0, 4.0, 10.0]),
    labels=np.array(["p1", "p2", "p3", "p4", "p5"], dtype=object),
    district=np.array(["中央", "中央", "中央", "港町", "港町"], dtype=object),
)


def test_nearest_stop_and_distance_match_hand_computation() -> None:
    result = analyse_gap(POINTS, STOPS)
    assert list(result.stop_id) == ["A", "B", "A", "C", "B"]
    expected = [
        meridian_m(0.001),  # 111.2 m north of A
        meridian_m(0.0035),  # 389.2 m south of B (A is 0.0065° away)
        meridian_m(0.005),  # 556.0 m south of A
        haversine_m(33.0, 131.935, 33.0, 131.95),  # 1,398.9 m west of C
        meridian_m(0.02),  # 2,223.9 m north of B
    ]
    assert expected[0] == pytest.approx(111.195, abs=0.001)
    assert result.distance_m == pytest.approx(expected, rel=1e-9)
    assert list(result.departures) == [10, 2, 10, 0, 2]


def test_walking_estimate_uses_detour_factor_and_80_m_per_minute() -> None:
    result = analyse_gap(POINTS, STOPS, detour_factor=1.5)
    assert result.walk_m[0] == pytest.approx(meridian_m(0.001) * 1.5)
    assert result.walk_min[0] == pytest.approx(meridian_m(0.001) * 1.5 / 80)


def test_weighted_shares_within_each_threshold() -> None:
    result = analyse_gap(POINTS, STOPS, thresholds_m=[1000, 300, 500])
    # within 300 m: p1 (1); 500 m: + p2 (2) = 3; 1 km: + p3 (3) = 6; of 20
    assert result.thresholds_m == (300.0, 500.0, 1000.0)
    assert [b.within for b in result.total.bands] == [1.0, 3.0, 6.0]
    assert [b.beyond for b in result.total.bands] == [19.0, 17.0, 14.0]
    assert [round(b.within_share, 4) for b in result.total.bands] == [0.05, 0.15, 0.30]
    assert list(result.band) == [0, 1, 2, 3, 3]
    assert list(result.beyond(500)) == [False, False, True, True, True]
    assert result.total.weight == 20.0


def test_point_exactly_on_a_threshold_counts_as_within() -> None:
    d = meridian_m(0.001)
    result = analyse_gap(
        Points(lat=[33.001], lon=[131.9], weight=[1]), STOPS, thresholds_m=[d, d * 2]
    )
    # The computed distance may differ from R·Δφ in the last bits: use the computed one.
    exact = float(result.distance_m[0])
    result = analyse_gap(Points(lat=[33.001], lon=[131.9], weight=[1]), STOPS, thresholds_m=[exact])
    assert result.total.bands[0].within == 1.0


def test_few_departures_counts_weight_of_points_whose_stop_is_rarely_served() -> None:
    result = analyse_gap(POINTS, STOPS, min_departures=3)
    assert list(result.few_departures) == [False, True, False, True, True]
    assert result.total.few_departures == 16.0  # p2 (2) + p4 (4) + p5 (10)
    assert result.total.few_departures_share == pytest.approx(0.8)


def test_summary_per_district() -> None:
    result = analyse_gap(POINTS, STOPS, min_departures=3)
    by_name = {d.name: d for d in result.districts}
    assert set(by_name) == {"中央", "港町"}
    assert by_name["中央"].weight == 6.0
    assert [b.within for b in by_name["中央"].bands] == [1.0, 3.0, 6.0]
    assert [b.within for b in by_name["港町"].bands] == [0.0, 0.0, 0.0]
    assert by_name["港町"].few_departures == 14.0


def test_nearest_is_by_great_circle_not_by_degrees() -> None:
    # At 45° N, 0.01° of longitude (786 m) is shorter than 0.008° of latitude (890 m).
    index, distance = nearest_stops(
        np.array([45.0]), np.array([140.0]), np.array([45.008, 45.0]), np.array([140.0, 140.01])
    )
    assert index[0] == 1
    assert distance[0] == pytest.approx(haversine_m(45.0, 140.0, 45.0, 140.01), rel=1e-9)


def test_many_points_agree_with_brute_force_haversine() -> None:
    rng = np.random.default_rng(7)
    slat, slon = rng.uniform(30, 40, 300), rng.uniform(130, 140, 300)
    plat, plon = rng.uniform(30, 40, 500), rng.uniform(130, 140, 500)
    index, distance = nearest_stops(plat, plon, slat, slon)
    for k in range(0, 500, 25):
        brute = [haversine_m(plat[k], plon[k], a, b) for a, b in zip(slat, slon, strict=True)]
        assert index[k] == int(np.argmin(brute))
        assert distance[k] == pytest.approx(min(brute), rel=1e-9)


def test_summary_lines_format() -> None:
    result = analyse_gap(POINTS, STOPS, min_departures=3)
    assert summary_lines(result) == [
        "<=300m: 1 (5.0%)",
        "<=500m: 3 (15.0%)",
        "<=1000m: 6 (30.0%)",
        ">1000m: 14 (70.0%)",
        "departures<3: 16 (80.0%)",
    ]


def test_thresholds_are_parsed_sorted_and_checked() -> None:
    assert parse_thresholds("1000, 300,500") == (300.0, 500.0, 1000.0)
    assert parse_thresholds("250m、750") == (250.0, 750.0)
    with pytest.raises(ValueError, match="数値ではありません"):
        parse_thresholds("300,abc")
    with pytest.raises(ValueError, match="0 より大きい"):
        parse_thresholds("-5")
    assert band_labels((300.0, 1500.5)) == ["<=300m", "<=1500.5m", ">1500.5m"]
