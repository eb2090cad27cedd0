"""``tsunagu mobility gap`` on a tiny hand-made feed (tests/transit/files/gap_tiny).

Stops: A 駅前 (33.000, 131.900), B 市役所 (33.010, 131.900), C 港 (33.000, 131.950) and a
parent station S (location_type 1) right next to p1, which must never be "the nearest stop".
On Tuesday 2026-12-01: T1 A→B→C at 08:00 and T2 A→B at 17:00, so departures A 2, B 1, C 0.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from tsunagu.cli import main

FEED = Path(__file__).parent / "files" / "gap_tiny"
TUESDAY = "2026-12-01"
R = 6_371_008.8


def meridian_m(dlat: float) -> float:
    return R * math.radians(dlat)


def write(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


POINTS = """id,lat,lon,weight,district
p1,33.001,131.900,1,中央
p2,33.0065,131.900,2,中央
p3,32.995,131.900,3,中央
p4,33.000,131.935,4,港町
p5,33.030,131.900,10,港町
"""


def run(tmp_path: Path, points: Path, *extra: str) -> tuple[int, Path]:
    out = tmp_path / "out.csv"
    code = main(
        ["mobility", "gap", "--points", str(points), "--feed", str(FEED), "-o", str(out), *extra]
    )
    return code, out


def test_summary_lines_and_per_point_rows(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    points = write(tmp_path / "points.csv", POINTS, bom=True, crlf=True)
    # every stop, also C which has no departure that day (the default counts served ones)
    code, out = run(
        tmp_path, points, "--date", "2026-12-01", "--min-departures", "2", "--all-stops"
    )
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    # weights: within 300 m p1 (1); 500 m +p2 (2); 1 km +p3 (3); of 20
    assert lines == [
        "<=300m: 1 (5.0%)",
        "<=500m: 3 (15.0%)",
        "<=1000m: 6 (30.0%)",
        ">1000m: 14 (70.0%)",
        "departures<2: 16 (80.0%)",  # p2 → B (1), p4 → C (0), p5 → B (1)
    ]
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == ["p1", "p2", "p3", "p4", "p5"]
    assert [r["nearest_stop_id"] for r in rows] == ["A", "B", "A", "C", "B"]
    assert [int(r["departures"]) for r in rows] == [2, 1, 2, 0, 1]
    assert float(rows[0]["distance_m"]) == pytest.approx(meridian_m(0.001), abs=0.06)
    assert float(rows[4]["distance_m"]) == pytest.approx(meridian_m(0.02), abs=0.06)
    assert float(rows[0]["walk_m_estimate"]) == pytest.approx(meridian_m(0.001) * 1.3, abs=0.06)
    assert [r["band"] for r in rows] == ["<=300m", "<=500m", "<=1000m", ">1000m", ">1000m"]
    assert [r["departures_below_2"] for r in rows] == ["0", "1", "0", "1", "1"]
    assert rows[0]["nearest_stop_name"] == "駅前"
    assert rows[3]["district"] == "港町"


def test_custom_thresholds_and_unweighted_points(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    points = write(tmp_path / "p.csv", "id,lat,lon\na,33.001,131.9\nb,33.03,131.9\n")
    code, _ = run(tmp_path, points, "--date", "2026-12-01", "--thresholds", "2000,100")
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "<=100m: 0 (0.0%)",
        "<=2000m: 1 (50.0%)",
        ">2000m: 1 (50.0%)",
    ]


def test_no_service_on_sunday_means_zero_departures(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    points = write(tmp_path / "p.csv", POINTS)
    code, out = run(tmp_path, points, "--date", "2026-11-29")
    assert code == 1  # by default only served stops count, and none is served on Sunday
    assert "2026-11-29 に便のある停留所がありません" in capsys.readouterr().err
    code, out = run(
        tmp_path, points, "--date", "2026-11-29", "--min-departures", "1", "--all-stops"
    )
    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == "departures<1: 20 (100.0%)"
    with out.open(encoding="utf-8") as f:
        assert {r["departures"] for r in csv.DictReader(f)} == {"0"}


def test_mesh_population_input_counts_people(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from tsunagu.transit.mesh import mesh_centroid, mesh_code_at

    near = mesh_code_at(33.0, 131.9, 5)  # quarter mesh containing stop A (~250 m)
    far = mesh_code_at(33.05, 131.9, 3)  # a 1 km mesh about 4.4 km north of B
    points = write(
        tmp_path / "mesh.csv", f"mesh_code,population\n{near},120\n{far},30\n", crlf=True
    )
    code, out = run(tmp_path, points, "--date", "2026-12-01")
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "<=300m: 120 (80.0%)"
    assert lines[-1] == ">1000m: 30 (20.0%)"
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["mesh_code"] for r in rows] == [near, far]
    lat, _lon = mesh_centroid(far)
    assert float(rows[1]["lat"]) == pytest.approx(lat, abs=1e-6)
    assert rows[1]["population"] == "30"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,address\nx,y\n", "p.csv 1行目: 見出しに id,lat,lon"),
        (
            "id,lat,lon\na,33.0,131.9\nb,abc,131.9\n",
            'p.csv 3行目 lat列: 数値ではありません（"abc"）',
        ),
        ("id,lat,lon\na,33.0,131.9\nb,,131.9\n", "p.csv 3行目 lat列: 値がありません"),
        ("id,lat,lon\na,131.9,33.0\n", "p.csv 2行目 lat列: 緯度 131.9 が範囲外です"),
        ("id,lat,lon,weight\na,33.0,131.9,-1\n", "p.csv 2行目 weight列: 人数・人口は 0 以上"),
        ("id,lat,lon\na,33.0\n", "p.csv 2行目: 列が足りません"),
        ("id,lat,lon\n", "データの行がありません"),
        (
            "mesh_code,population\n53392343,10\n53392,5\n",
            'p.csv 3行目 mesh_code列: メッシュコード "53392" の桁数が正しくありません（4・6・8・9・10桁）',
        ),
        (
            "mesh_code,population\n53392343,10\n5339-23-43,5\n",
            "p.csv 3行目 mesh_code列: メッシュコード 53392343 が 2行目にもあります",
        ),
    ],
)
def test_bad_points_file_names_file_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture, text: str, message: str
) -> None:
    points = write(tmp_path / "p.csv", text)
    code, out = run(tmp_path, points, "--date", "2026-12-01")
    assert code == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_bad_feed_lists_problems_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    points = write(tmp_path / "p.csv", POINTS)
    out = tmp_path / "out.csv"
    code = main(
        ["mobility", "gap", "--points", str(points), "--feed", str(tmp_path), "-o", str(out)]
    )
    assert code == 1
    assert "stops.txt" in capsys.readouterr().err
    assert not out.exists()


def test_bad_date_and_thresholds_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    points = write(tmp_path / "p.csv", POINTS)
    assert run(tmp_path, points, "--date", "2026/12/01")[0] == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert run(tmp_path, points, "--thresholds", "300,x")[0] == 1
    assert "しきい値「x」が数値ではありません" in capsys.readouterr().err


def test_shift_jis_points_file_from_excel_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    points = tmp_path / "p.csv"
    points.write_bytes("番号,緯度,経度,地区\n1,33.001,131.9,中央\n".encode("cp932"))
    code, _out = run(tmp_path, points, "--date", "2026-12-01")
    assert code == 0
    assert capsys.readouterr().out.splitlines()[0] == "<=300m: 1 (100.0%)"


def test_synthetic_demo_feed_runs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    feed = Path(__file__).resolve().parents[2] / "src/tsunagu/transit/data/saiki_synthetic_gtfs"
    assert feed.is_dir(), "the synthetic demo feed is committed with the code"
    points = write(tmp_path / "p.csv", "id,lat,lon\nc,32.96,131.90\nfar,33.2,131.5\n")
    out = tmp_path / "out.csv"
    args = ["mobility", "gap", "--points", str(points), "--feed", str(feed), "-o", str(out)]
    code = main([*args, "--date", "2026-12-01"])  # a weekday: the community bus runs
    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(">1000m: 1 (50.0%)")


def test_zipped_feed_gives_the_same_answer(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import zipfile

    archive = tmp_path / "feed.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for file in FEED.iterdir():
            z.write(file, file.name)
    points = write(tmp_path / "p.csv", POINTS)
    out = tmp_path / "out.csv"
    argv = ["mobility", "gap", "--points", str(points), "--feed", str(archive), "-o", str(out)]
    assert main([*argv, "--date", TUESDAY]) == 0
    assert capsys.readouterr().out.splitlines()[2] == "<=1000m: 6 (30.0%)"
