"""Scoring many basic checklists at once (surveys such as the ニーズ調査, CSV imports).

The same rules as :func:`tsunagu.care.checklist.scoring.score_checklist`, vectorised with
numpy: one row per checklist, codes instead of Python objects. Heights and weights are
compared in the same integer units (0.01 cm, 1 g), so both paths agree on every row,
BMI exactly 18.5 included (``tests/care/test_checklist_bulk.py`` checks it).

Codes: answers 1 = はい, 0 = いいえ, -1 = not answered; results 1 / 0 / -1 (unknown).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tsunagu.care.checklist.rules import (
    BMI_ITEM,
    BMI_LIMIT_DENOMINATOR,
    BMI_LIMIT_NUMERATOR,
    CRITERIA,
    HEIGHT_RANGE_CM,
    ITEM_COUNT,
    ITEMS,
    REASON_SEPARATOR,
    WEIGHT_RANGE_KG,
)
from tsunagu.care.checklist.scoring import ChecklistError

YES, NO, MISSING = 1, 0, -1
_BMI_COLUMN = BMI_ITEM - 1
# The answer that makes each item apply (item 12's column is not an answer).
_APPLYING_ANSWER = np.array(
    [YES if item.applies_when else NO for item in ITEMS], dtype=np.int8
).reshape(1, ITEM_COUNT)


@dataclass(frozen=True)
class BulkResult:
    """Per row: ``applies`` (n, 25), ``criteria`` (n, 7) and ``eligible`` (n,) as 1/0/-1;
    ``bmi`` unrounded (NaN when unknown), ``bmi_tenths`` (-1 when unknown); ``missing``
    (n, 25) marks the unanswered items that could change a "not eligible" result."""

    applies: np.ndarray
    bmi: np.ndarray
    bmi_tenths: np.ndarray
    criteria: np.ndarray
    eligible: np.ndarray
    missing: np.ndarray

    def __len__(self) -> int:
        return int(self.eligible.shape[0])

    @property
    def item12(self) -> np.ndarray:
        return self.applies[:, _BMI_COLUMN]

    def reasons_text(self) -> list[str]:
        """Per row the met criteria in Japanese joined with ・ (「運動機能・うつ」)."""
        met = self.criteria == YES
        bits = np.zeros(len(self), dtype=np.int16)
        for k in range(len(CRITERIA)):
            bits |= met[:, k].astype(np.int16) << k
        table = _reason_table()
        return [table[b] for b in bits.tolist()]

    def missing_text(self) -> list[str]:
        """Per row the item numbers that could change the result, joined with ,."""
        texts = [""] * len(self)
        rows, columns = np.nonzero(self.missing)
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            texts[row] = f"{texts[row]},{column + 1}" if texts[row] else str(column + 1)
        return texts


@lru_cache(maxsize=1)
def _reason_table() -> tuple[str, ...]:
    return tuple(
        REASON_SEPARATOR.join(c.name for k, c in enumerate(CRITERIA) if bits >> k & 1)
        for bits in range(1 << len(CRITERIA))
    )


def _rows(items: tuple[int, ...]) -> slice | list[int]:
    """Item numbers as a selector of the item-major arrays: a slice (a view) when consecutive."""
    if list(items) == list(range(items[0], items[-1] + 1)):
        return slice(items[0] - 1, items[-1])
    return [n - 1 for n in items]


def _check(answers: np.ndarray, height: np.ndarray, weight: np.ndarray) -> None:
    if answers.ndim != 2 or answers.shape[1] != ITEM_COUNT:
        raise ChecklistError(f"回答は {ITEM_COUNT} 列の表にしてください（{answers.shape}）。")
    if not np.issubdtype(answers.dtype, np.integer):
        raise ChecklistError("回答は整数（1・0・-1）の表にしてください。")
    n = answers.shape[0]
    if height.shape != (n,) or weight.shape != (n,):
        raise ChecklistError("身長・体重の件数が回答の件数と一致しません。")
    wrong = (answers < MISSING) | (answers > YES)
    wrong[:, _BMI_COLUMN] = False
    if wrong.any():
        raise ChecklistError(
            f"{np.nonzero(wrong.any(axis=1))[0][0] + 1}件目: 回答は 1（はい）・0（いいえ）・"
            "-1（未回答）のいずれかにしてください。"
        )
    for values, (low, high), field, label, unit in (
        (height, HEIGHT_RANGE_CM, "height_cm", "身長", "cm"),
        (weight, WEIGHT_RANGE_KG, "weight_kg", "体重", "kg"),
    ):
        with np.errstate(invalid="ignore"):
            wrong = np.isinf(values) | (values < low) | (values > high)
        bad = np.nonzero(wrong)[0]
        if bad.size:
            raise ChecklistError(
                f"{bad[0] + 1}件目: {label}は {low:g}〜{high:g}{unit} の範囲で入力してください"
                f"（入力: {values[bad[0]]:g}{unit}）。",
                field=field,
            )


def score_bulk(answers: np.ndarray, height_cm: np.ndarray, weight_kg: np.ndarray) -> BulkResult:
    """Score ``answers`` (n × 25 of 1 / 0 / -1; column 12 is ignored, item 12 comes from
    height and weight) with ``height_cm`` and ``weight_kg`` (NaN = missing).

    Raises :class:`ChecklistError` naming the first bad row (1-based) for a code other than
    1/0/-1 or a measurement out of range.
    """
    answers = np.asarray(answers)
    height = np.asarray(height_cm, dtype=np.float64)
    weight = np.asarray(weight_kg, dtype=np.float64)
    _check(answers, height, weight)
    n = answers.shape[0]
    # Item-major (25 × n): every item is one contiguous row, so the criteria are sums of
    # whole rows instead of reductions along a short axis (several times faster).
    by_item = np.ascontiguousarray(answers.T, dtype=np.int8)

    applies = (by_item == _APPLYING_ANSWER.T).view(np.int8)  # bool → 0/1 without a copy
    applies[by_item == MISSING] = MISSING

    # Item 12 from height and weight, in exact integer units (see rules.py).
    known = ~(np.isnan(height) | np.isnan(weight))
    height_units = np.rint(np.where(known, height, 100.0) * 100).astype(np.int64)  # 0.01 cm
    weight_g = np.rint(np.where(known, weight, 0.0) * 1000).astype(np.int64)
    square = height_units * height_units
    bmi = np.where(known, (weight_g * 100_000) / square, np.nan)
    tenths = np.where(known, (2 * weight_g * 1_000_000 + square) // (2 * square), -1)
    thin = weight_g * 100_000 * BMI_LIMIT_DENOMINATOR < BMI_LIMIT_NUMERATOR * square
    applies[_BMI_COLUMN] = np.where(known, thin, MISSING)

    is_applied = applies == YES
    is_missing = applies == MISSING
    criteria = np.empty((len(CRITERIA), n), dtype=np.int8)
    for k, criterion in enumerate(CRITERIA):
        rows = _rows(criterion.items)
        applied = is_applied[rows].sum(axis=0, dtype=np.int8)
        unknown = is_missing[rows].sum(axis=0, dtype=np.int8)
        met = np.full(n, MISSING, dtype=np.int8)
        met[applied + unknown < criterion.threshold] = NO
        met[applied >= criterion.threshold] = YES
        criteria[k] = met

    any_met = (criteria == YES).any(axis=0)
    all_not = (criteria == NO).all(axis=0)
    eligible = np.full(n, MISSING, dtype=np.int8)
    eligible[all_not] = NO
    eligible[any_met] = YES

    # Missing items matter only when no determination was made, and only for the
    # criteria still open.
    missing = np.zeros((ITEM_COUNT, n), dtype=bool)
    undecided = eligible == MISSING
    if undecided.any():
        for k, criterion in enumerate(CRITERIA):
            open_rows = undecided & (criteria[k] == MISSING)
            rows = _rows(criterion.items)
            missing[rows] |= is_missing[rows] & open_rows
    # Row-major views for the caller (one row per checklist).
    return BulkResult(
        applies=applies.T,
        bmi=bmi,
        bmi_tenths=tenths.astype(np.int32),
        criteria=criteria.T,
        eligible=eligible,
        missing=missing.T,
    )
