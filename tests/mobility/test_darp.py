"""Cordeau DARP: parser, CLI output, and the independent checker itself."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests.mobility.darp_checker import check
from tsunagu.mobility.scheduling.cli import cmd_solve_darp
from tsunagu.mobility.scheduling.cordeau import CordeauFormatError, node_routes, parse, read
from tsunagu.mobility.scheduling.solver import solve

# 2 vehicles, 4 requests, T=480, Q=2, L=30; requests 1 and 3 have windows on the pick-up,
# 2 and 4 on the drop-off (as in Cordeau's instances: one 15-minute window per request).
SMALL = """2 4 480 2 30
0 0.0 0.0 0 0 0 480
1 2.0 1.0 2 1 60 75
2 -3.0 2.0 2 1 0 1440
3 4.0 -2.0 2 1 100 115
4 -1.0 -4.0 2 1 0 1440
5 6.0 3.0 2 -1 0 1440
6 -7.0 5.0 2 -1 90 105
7 8.0 -6.0 2 -1 0 1440
8 -2.0 -9.0 2 -1 150 165
9 0.0 0.0 0 0 0 480
"""


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.txt"
    path.write_text(SMALL)
    return path


def _run_cli(
    path: Path, capsys: pytest.CaptureFixture[str], limit: float = 1.0
) -> tuple[int, str, str]:
    code = cmd_solve_darp(argparse.Namespace(instance=str(path), time_limit=limit))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_parser_reads_header_nodes_and_euclidean_travel() -> None:
    instance = parse(SMALL, "small")
    assert (instance.vehicles, instance.requests, instance.max_ride) == (2, 4, 30.0)
    problem = instance.problem
    assert len(problem.vehicles) == 2 and len(problem.requests) == 4
    assert problem.travel[0][1] == pytest.approx(5**0.5)
    first = problem.requests[0]
    assert (first.pickup_location, first.dropoff_location) == (1, 5)
    assert first.pickup_window == (60.0, 75.0) and first.load == {"seats": 1}
    assert problem.vehicles[0].max_duration_min == 480.0
    assert problem.vehicles[0].capacity == {"seats": 2}


def test_cli_prints_one_json_line_with_cost_routes_seconds(
    small_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run_cli(small_file, capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(result) == {"cost", "routes", "seconds"}
    assert isinstance(result["cost"], float) and 0 < result["seconds"] <= 1.5
    verdict = check(small_file, result["routes"])
    assert verdict.feasible, verdict.violations
    assert result["cost"] == pytest.approx(verdict.cost, abs=1e-9)
    assert sorted(n for r in result["routes"] for n in r) == list(range(1, 9))


def test_cli_bad_number_names_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(SMALL.replace("3 4.0 -2.0 2 1 100 115", "3 4.0 abc 2 1 100 115"))
    code, out, err = _run_cli(path, capsys)
    assert code == 1 and out == ""
    assert "5 行目" in err and "3 列目" in err and "abc" in err


def test_cli_truncated_file_and_missing_file_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "short.txt"
    path.write_text("\n".join(SMALL.splitlines()[:6]))
    code, _, err = _run_cli(path, capsys)
    assert code == 1 and "10 行必要" in err
    code, _, err = _run_cli(tmp_path / "none.txt", capsys)
    assert code == 1 and "ファイルがありません" in err


def test_parser_refuses_wrong_node_number_and_unbalanced_load() -> None:
    with pytest.raises(CordeauFormatError, match="3 行目: 地点番号は 1"):
        parse(SMALL.replace("1 2.0 1.0 2 1 60 75", "7 2.0 1.0 2 1 60 75"))
    with pytest.raises(CordeauFormatError, match="降車の人数"):
        parse(SMALL.replace("5 6.0 3.0 2 -1 0 1440", "5 6.0 3.0 2 -2 0 1440"))


A2_16 = Path(__file__).resolve().parent / "files" / "cordeau_a2-16.txt"


def test_a2_16_is_solved_feasibly_close_to_optimum() -> None:
    instance = read(A2_16)
    solution = solve(instance.problem, 3.0)
    verdict = check(A2_16, node_routes(instance, solution))
    assert verdict.feasible, verdict.violations
    assert solution.unserved == []
    assert verdict.cost == pytest.approx(solution.cost)
    assert verdict.cost <= 294.2480 * 1.05


# The checker must itself catch every kind of violation, or the benchmark proves nothing.


def _feasible_routes(small_file: Path) -> list[list[int]]:
    instance = read(small_file)
    return node_routes(instance, solve(instance.problem, 0.5))


def test_checker_accepts_solver_routes_and_recomputes_cost(small_file: Path) -> None:
    routes = _feasible_routes(small_file)
    verdict = check(small_file, routes)
    assert verdict.feasible
    assert verdict.cost > 0


def test_checker_refuses_missing_and_duplicate_requests(small_file: Path) -> None:
    assert "request 4 not served completely" in check(small_file, [[1, 5], [2, 6, 3, 7]]).violations
    dup = check(small_file, [[1, 5, 1, 5], [2, 6, 3, 7, 4, 8]]).violations
    assert any("visited twice" in v for v in dup)


def test_checker_refuses_delivery_before_pickup(small_file: Path) -> None:
    verdict = check(small_file, [[5, 1], [2, 6, 3, 7, 4, 8]])
    assert any("before its pickup" in v for v in verdict.violations)


def test_checker_refuses_split_request(small_file: Path) -> None:
    verdict = check(small_file, [[1], [5, 2, 6, 3, 7, 4, 8]])
    assert any("different routes" in v for v in verdict.violations)


def test_checker_refuses_capacity_overflow(small_file: Path) -> None:
    verdict = check(small_file, [[1, 2, 3, 5, 6, 7], [4, 8]])
    assert any("load 3 > Q=2" in v for v in verdict.violations)


def test_checker_refuses_missed_time_window(small_file: Path) -> None:
    # Request 3 must be picked up by 115 but the drop-off of 4 is not before 150.
    verdict = check(small_file, [[1, 5, 2, 6], [4, 8, 3, 7]])
    assert any("node 3 reached" in v for v in verdict.violations)


def test_checker_refuses_ride_time_over_limit(tmp_path: Path) -> None:
    # Same instance with L = 5: the drop-off of 2 is far from its pick-up (more than 5).
    path = tmp_path / "short_ride.txt"
    path.write_text(SMALL.replace("2 4 480 2 30", "2 4 480 2 5", 1))
    verdict = check(path, [[1, 5, 3, 7], [2, 6, 4, 8]])
    assert any("ride time over L=5" in v for v in verdict.violations), verdict.violations


def test_checker_refuses_route_duration_over_limit(tmp_path: Path) -> None:
    path = tmp_path / "short_day.txt"
    path.write_text(SMALL.replace("2 4 480 2 30", "2 4 60 2 30", 1))
    verdict = check(path, [[1, 5, 3, 7], [2, 6, 4, 8]])
    assert any("route duration over T=60" in v for v in verdict.violations), verdict.violations
