"""Scoring one basic checklist (the entry form, one resident's history).

Missing answers (issue 14): a missing answer is not "does not apply". When the answers
present already meet a criterion the person is 事業対象者; when a missing answer could still
turn "not eligible" into "eligible" no determination is made and the missing items that
could change it are named. Missing height or weight leaves item 12 unknown.

:mod:`tsunagu.care.checklist.bulk` computes the same, row by row, with numpy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from tsunagu.care.checklist.rules import (
    ANSWERED_ITEMS,
    BMI_ITEM,
    BMI_LIMIT_DENOMINATOR,
    BMI_LIMIT_NUMERATOR,
    CRITERIA,
    HEIGHT_RANGE_CM,
    ITEM_COUNT,
    ITEMS_BY_NUMBER,
    REASON_SEPARATOR,
    WEIGHT_RANGE_KG,
    Criterion,
)
from tsunagu.core.errors import TsunaguError


class ChecklistError(TsunaguError):
    """An answer or measurement that cannot be scored; ``field`` names it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="checklist")


def _present(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def check_measurements(height_cm: float | None, weight_kg: float | None) -> None:
    """Refuse a height or weight outside the accepted ranges (missing is allowed)."""
    for value, (low, high), field, label, unit in (
        (height_cm, HEIGHT_RANGE_CM, "height_cm", "身長", "cm"),
        (weight_kg, WEIGHT_RANGE_KG, "weight_kg", "体重", "kg"),
    ):
        if not _present(value):
            continue
        assert value is not None
        if not math.isfinite(value) or not low <= value <= high:
            raise ChecklistError(
                f"{label}は {low:g}〜{high:g}{unit} の範囲で入力してください（入力: {value:g}{unit}）。",
                field=field,
            )


def measurement_units(height_cm: float, weight_kg: float) -> tuple[int, int]:
    """Height in 0.01 cm and weight in grams (finer digits rounded half to even, as numpy)."""
    return round(height_cm * 100), round(weight_kg * 1000)


def bmi_from_units(height: int, weight: int) -> tuple[float, int, bool]:
    """(BMI unrounded, BMI in tenths rounded half up, item 12 applies), from
    :func:`measurement_units`; the last two are exact."""
    square = height * height
    bmi = (weight * 100_000) / square  # one correctly rounded division of exact integers
    tenths = (2 * weight * 1_000_000 + square) // (2 * square)
    applies = weight * 100_000 * BMI_LIMIT_DENOMINATOR < BMI_LIMIT_NUMERATOR * square
    return bmi, tenths, applies


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    met: bool | None  # None: missing answers could still decide it either way
    applied: int  # items known to apply
    missing: tuple[int, ...]  # items of this criterion without an answer

    @property
    def name(self) -> str:
        return self.criterion.name


@dataclass(frozen=True)
class ChecklistResult:
    """One scored checklist. ``applies[n - 1]`` is item n (None: not answered)."""

    applies: tuple[bool | None, ...]
    bmi: float | None  # unrounded; item 12 compares this (exactly), not the rounded one
    bmi_tenths: int | None  # BMI × 10, rounded half up, for display
    criteria: tuple[CriterionResult, ...]
    eligible: bool | None  # 事業対象者; None: no determination (see ``missing``)
    missing: tuple[int, ...]  # missing items that could change a "not eligible" result

    @property
    def item12(self) -> bool | None:
        return self.applies[BMI_ITEM - 1]

    @property
    def bmi_display(self) -> str:
        """「18.5」, or 「」 without height and weight."""
        if self.bmi_tenths is None:
            return ""
        return f"{self.bmi_tenths // 10}.{self.bmi_tenths % 10}"

    @property
    def met(self) -> tuple[bool | None, ...]:
        """Criteria 1–7: True met, False not met, None undeterminable."""
        return tuple(c.met for c in self.criteria)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Japanese names of the criteria met (生活機能全般, 運動機能 …)."""
        return tuple(c.name for c in self.criteria if c.met)

    @property
    def reasons_text(self) -> str:
        return REASON_SEPARATOR.join(self.reasons)

    @property
    def unanswered(self) -> tuple[int, ...]:
        """Every item without an answer (including those that do not matter)."""
        return tuple(n for n, value in enumerate(self.applies, start=1) if value is None)


def _criterion(criterion: Criterion, applies: tuple[bool | None, ...]) -> CriterionResult:
    values = [applies[n - 1] for n in criterion.items]
    applied = sum(1 for v in values if v is True)
    missing = tuple(n for n, v in zip(criterion.items, values, strict=True) if v is None)
    if applied >= criterion.threshold:
        met: bool | None = True
    elif applied + len(missing) < criterion.threshold:
        met = False
    else:
        met = None
    return CriterionResult(criterion, met, applied, missing)


def score_checklist(
    answers: Mapping[int, bool | None],
    height_cm: float | None,
    weight_kg: float | None,
) -> ChecklistResult:
    """Score one checklist: ``answers`` maps item numbers (1–25 except 12) to True (はい),
    False (いいえ) or None / absent (not answered); height and weight may be None.

    Raises :class:`ChecklistError` for an unknown item number or a measurement out of range.
    """
    for number in answers:
        if number not in ITEMS_BY_NUMBER or number == BMI_ITEM:
            raise ChecklistError(
                f"質問番号 {number} はありません（1〜25、12 は身長・体重から求めます）。",
                field=f"q{number}",
            )
    check_measurements(height_cm, weight_kg)
    applies: list[bool | None] = [None] * ITEM_COUNT
    for number in ANSWERED_ITEMS:
        answer = answers.get(number)
        if answer is not None:
            applies[number - 1] = bool(answer) is ITEMS_BY_NUMBER[number].applies_when
    bmi: float | None = None
    tenths: int | None = None
    if _present(height_cm) and _present(weight_kg):
        assert height_cm is not None and weight_kg is not None
        bmi, tenths, applies[BMI_ITEM - 1] = bmi_from_units(
            *measurement_units(height_cm, weight_kg)
        )
    frozen = tuple(applies)
    criteria = tuple(_criterion(c, frozen) for c in CRITERIA)
    if any(c.met for c in criteria):
        eligible: bool | None = True
    elif all(c.met is False for c in criteria):
        eligible = False
    else:
        eligible = None
    missing: tuple[int, ...] = ()
    if eligible is None:
        missing = tuple(sorted({n for c in criteria if c.met is None for n in c.missing}))
    return ChecklistResult(frozen, bmi, tenths, criteria, eligible, missing)
