#!/usr/bin/env python
"""Benchmark of the basic checklist's bulk scoring (issue 14, performance).

Builds 1,000,000 synthetic checklists (seeded: each answer はい/いいえ with a per-row
tendency, about 3 % of answers and 5 % of heights/weights missing, some rows at BMI exactly
18.5), then times ``tsunagu.care.checklist.bulk.score_bulk`` — a warm-up, then the median of
``--repeat`` runs — and the single-record ``score_checklist`` on ``--single`` rows for
comparison. Finally both paths are compared on a sample of ``--sample`` rows (every item,
criterion, result, BMI and missing item).

Usage: python bench/checklist_bulk.py [--rows N] [--repeat N] [--single N] [--sample N]
Target: bulk ≥ 100,000 checklists per second; the two paths agree on every sampled row.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from machine import print_machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tsunagu.care.checklist.bulk import score_bulk  # noqa: E402
from tsunagu.care.checklist.rules import ANSWERED_ITEMS, ITEM_COUNT  # noqa: E402
from tsunagu.care.checklist.scoring import score_checklist  # noqa: E402

TARGET_ROWS_PER_S = 100_000


def _line(name: str, value: float | str, unit: str = "") -> None:
    text = f"{value:,.0f}" if isinstance(value, float) else str(value)
    print(f"{name} = {text}{' ' + unit if unit else ''}", flush=True)


def synthetic(rows: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    frailty = rng.beta(1.2, 4.0, rows)[:, None]  # most people answer healthily
    healthy_answer = np.array(
        [0 if n in {9, 10, 11, 13, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25} else 1
         for n in range(1, ITEM_COUNT + 1)],
        dtype=np.int8,
    )  # fmt: skip
    flip = rng.random((rows, ITEM_COUNT)) < frailty
    answers = np.where(flip, 1 - healthy_answer, healthy_answer).astype(np.int8)
    answers[rng.random((rows, ITEM_COUNT)) < 0.03] = -1
    answers[:, 11] = -1  # item 12 comes from height and weight
    height = np.round(rng.normal(155.0, 8.0, rows).clip(130.0, 195.0), 1)
    weight = np.round((rng.normal(22.0, 3.2, rows).clip(14.0, 35.0) * (height / 100) ** 2), 1)
    exact = rng.random(rows) < 0.01  # BMI exactly 18.5
    height[exact], weight[exact] = 160.0, 47.36
    height[rng.random(rows) < 0.05] = np.nan
    weight[rng.random(rows) < 0.05] = np.nan
    return answers, height, weight


def _single(answers: np.ndarray, height: np.ndarray, weight: np.ndarray, row: int):
    values = {
        n: (None if answers[row, n - 1] < 0 else bool(answers[row, n - 1])) for n in ANSWERED_ITEMS
    }
    h, w = float(height[row]), float(weight[row])
    return score_checklist(values, None if np.isnan(h) else h, None if np.isnan(w) else w)


def _code(value: bool | None) -> int:
    return -1 if value is None else int(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--single", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20250514)
    args = parser.parse_args()

    print_machine(numpy=np.__version__)
    answers, height, weight = synthetic(args.rows, args.seed)
    _line("rows", f"{args.rows}")
    _line(
        "answers_missing_share",
        f"{float((answers[:, np.arange(ITEM_COUNT) != 11] < 0).mean()):.3f}",
    )

    score_bulk(answers[:10_000], height[:10_000], weight[:10_000])  # warm-up
    times: list[float] = []
    result = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = score_bulk(answers, height, weight)
        times.append(time.perf_counter() - started)
    assert result is not None
    median = statistics.median(times)
    bulk_rate = args.rows / median
    _line("bulk.runs", ", ".join(f"{t:.3f}" for t in times), "s")
    _line("bulk.median", f"{median:.3f}", "s")
    _line("bulk.rows_per_s", bulk_rate, "rows/s")
    started = time.perf_counter()
    result.reasons_text()
    result.missing_text()
    _line("bulk.texts", f"{time.perf_counter() - started:.3f}", "s")
    _line("eligible_share", f"{float((result.eligible == 1).mean()):.3f}")
    _line("undetermined_share", f"{float((result.eligible == -1).mean()):.3f}")

    single_rows = min(args.single, args.rows)
    started = time.perf_counter()
    for row in range(single_rows):
        _single(answers, height, weight, row)
    single_rate = single_rows / (time.perf_counter() - started)
    _line("single.rows_per_s", single_rate, "rows/s")
    _line("bulk_over_single", f"{bulk_rate / single_rate:.1f}", "×")

    rng = np.random.default_rng(args.seed + 1)
    sample = rng.choice(args.rows, size=min(args.sample, args.rows), replace=False)
    reasons = result.reasons_text()
    missing = result.missing_text()
    disagreements = 0
    for row in sample.tolist():
        single = _single(answers, height, weight, row)
        same = (
            result.applies[row].tolist() == [_code(v) for v in single.applies]
            and result.criteria[row].tolist() == [_code(v) for v in single.met]
            and int(result.eligible[row]) == _code(single.eligible)
            and reasons[row] == single.reasons_text
            and missing[row] == ",".join(str(n) for n in single.missing)
            and int(result.bmi_tenths[row])
            == (-1 if single.bmi_tenths is None else single.bmi_tenths)
        )
        disagreements += not same
    _line("agreement_sample", f"{len(sample)}")
    _line("agreement_disagreements", f"{disagreements}")

    failures: list[str] = []
    if bulk_rate < TARGET_ROWS_PER_S:
        failures.append(f"bulk {bulk_rate:,.0f} rows/s < {TARGET_ROWS_PER_S:,} rows/s")
    if disagreements:
        failures.append(f"{disagreements} of {len(sample)} sampled rows differ between paths")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures), flush=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
