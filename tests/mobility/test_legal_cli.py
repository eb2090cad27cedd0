"""``tsunagu mobility legal-check PLAN.json``: JSON on stdout, exit 2 on a bad plan."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tsunagu.cli import main

PLAN: dict[str, Any] = {
    "rider_payment": "actual_costs_only",
    "actual_cost_items": ["fuel", "insurance"],
    "subsidy_covers": "indirect_only",
    "vehicle": "private",
    "operator_type": "nonprofit_association",
    "service_kind": "transit_gap_area",
    "trip_date": "2024-03-01",
}


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_cli_prints_one_json_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["mobility", "legal-check", str(write(tmp_path, PLAN))])
    out = capsys.readouterr().out
    result = json.loads(out)
    assert code == 0
    assert result["category"] == "free_actual_costs"
    assert "法律上の助言" in out  # ensure_ascii=False: Japanese written as is


def test_cli_reads_stdin_in_a_subprocess_without_django() -> None:
    # given a plan on stdin, before the guideline date (insurance not yet an actual cost)
    plan = {**PLAN, "trip_date": "2024-02-29"}
    # when
    proc = subprocess.run(
        [sys.executable, "-m", "tsunagu.cli", "mobility", "legal-check", "-"],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
    )
    # then
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["category"] == "transit_gap_paid"


def test_cli_bad_value_exits_2_naming_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["mobility", "legal-check", str(write(tmp_path, {**PLAN, "vehicle": "truck"}))])
    out = json.loads(capsys.readouterr().out)
    assert code == 2
    assert out["errors"][0]["field"] == "vehicle"
    assert "private, business" in out["errors"][0]["message"]


def test_cli_missing_key_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = dict(PLAN)
    del plan["trip_date"]
    assert main(["mobility", "legal-check", str(write(tmp_path, plan))]) == 2
    assert "trip_date" in capsys.readouterr().err


def test_cli_bad_date_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["mobility", "legal-check", str(write(tmp_path, {**PLAN, "trip_date": "2024-13-01"}))])
        == 2
    )


def test_cli_invalid_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mobility", "legal-check", str(write(tmp_path, "{not json"))]) == 2
    assert "JSON" in json.loads(capsys.readouterr().out)["error"]


def test_cli_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mobility", "legal-check", str(tmp_path / "nope.json")]) == 2


def test_legal_module_imports_without_django() -> None:
    code = (
        "import sys, tsunagu.mobility.legal.check, tsunagu.mobility.legal.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
