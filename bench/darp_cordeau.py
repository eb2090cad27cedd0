#!/usr/bin/env python
"""Benchmark of the ride scheduler on the Cordeau (2006) dial-a-ride instances (issue 6).

Runs ``tsunagu mobility solve-darp`` as a separate process on every instance of the data folder
(default ``../shared/data/darp`` relative to the repository root), so the measured seconds are
the wall clock of the whole command, start-up and model building included. Every solution is
verified by the independent checker of the test suite (``tests/mobility/darp_checker.py``:
time windows, ride time, route duration, capacity, precedence, each request once, cost).

Targets: mean gap to the optimum (``best_known.csv``) ≤ 5 % over the instances with n ≤ 48 at
≤ 30 s each, all solutions feasible; the larger instances run at ≤ 60 s each and are reported.

    .venv/bin/python bench/darp_cordeau.py [--data DIR] [--small-limit 30] [--large-limit 60]
                                           [--only a2-16,a4-48]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "mobility"))

from darp_checker import check  # noqa: E402
from machine import cpu_model  # noqa: E402

TARGET_GAP = 5.0
SMALL_N = 48


def _ortools_version() -> str:
    try:
        import ortools

        return ortools.__version__
    except ImportError:  # pragma: no cover
        return "missing"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "darp"))
    parser.add_argument("--small-limit", type=float, default=30.0, help="seconds for n <= 48")
    parser.add_argument("--large-limit", type=float, default=60.0, help="seconds for n > 48")
    parser.add_argument("--only", default="", help="comma-separated instance names")
    args = parser.parse_args()

    data = Path(args.data)
    best = {}
    with (data / "best_known.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            best[row["instance"]] = float(row["optimal_cost"])
    files = sorted(
        data.glob("a*-*.txt"), key=lambda p: tuple(int(x) for x in p.stem[1:].split("-"))
    )
    if args.only:
        wanted = set(args.only.split(","))
        files = [f for f in files if f.stem in wanted]

    print(f"cpu = {cpu_model()}")
    print(f"cores = {os.cpu_count()}")
    print(f"load_average_1min_at_start = {os.getloadavg()[0]:.2f}")
    print(f"python = {platform.python_version()}")
    print(f"ortools = {_ortools_version()}")
    print(f"data = {data} ({len(files)} instances)")
    print(f"time_limit = {args.small_limit:g} s for n <= {SMALL_N}, {args.large_limit:g} s above")
    header = f"{'instance':<8} {'n':>3} {'cost':>9} {'best':>9} {'gap%':>6} {'sec':>6} feasible"
    print(header, flush=True)

    small_gaps: list[float] = []
    failures: list[str] = []
    for path in files:
        name = path.stem
        n = int(name.split("-")[1])
        limit = args.small_limit if n <= SMALL_N else args.large_limit
        began = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "tsunagu.cli", "mobility", "solve-darp", str(path),
             "--time-limit", str(limit)],
            capture_output=True, text=True, cwd=REPO,
        )  # fmt: skip
        seconds = time.monotonic() - began
        if proc.returncode != 0:
            print(f"{name:<8} {n:>3} ERROR {proc.stderr.strip()[-300:]}", flush=True)
            failures.append(f"{name} failed")
            continue
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        verdict = check(path, result["routes"])
        optimum = best.get(name)
        gap = (verdict.cost - optimum) / optimum * 100 if optimum and verdict.feasible else None
        if n <= SMALL_N:
            small_gaps.append(gap if gap is not None else float("inf"))
        if not verdict.feasible:
            failures.append(f"{name} infeasible: {'; '.join(verdict.violations[:3])}")
        if seconds > limit:
            failures.append(f"{name} took {seconds:.1f} s > {limit:g} s")
        if abs(verdict.cost - result["cost"]) > 1e-6 and verdict.feasible:
            failures.append(f"{name} reported cost {result['cost']} != {verdict.cost}")
        print(
            f"{name:<8} {n:>3} {verdict.cost:>9.2f} {optimum or float('nan'):>9.2f} "
            f"{gap if gap is not None else float('nan'):>6.2f} {seconds:>6.1f} "
            f"{'yes' if verdict.feasible else 'NO'}",
            flush=True,
        )
    mean_small = sum(small_gaps) / len(small_gaps) if small_gaps else float("nan")
    print(f"mean_gap_n_le_{SMALL_N} = {mean_small:.2f} %")
    print(f"instances = {len(files)}, infeasible_or_failed = {len(failures)}")
    if small_gaps and mean_small > TARGET_GAP:
        failures.append(f"mean gap {mean_small:.2f} % > {TARGET_GAP} % on n <= {SMALL_N}")
    if failures:
        print("FAIL: " + " | ".join(failures))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
