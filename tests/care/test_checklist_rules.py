"""The basic checklist's rules (DOMAIN.md §4.1) on a table of answer sets."""

from __future__ import annotations

import pytest

from tsunagu.care.checklist.rules import ANSWERED_ITEMS, CRITERIA, ITEMS_BY_NUMBER
from tsunagu.care.checklist.scoring import ChecklistError, score_checklist

# A healthy answer set: no item applies (height 160 cm, 60 kg: BMI 23.4).
HEALTHY = {n: not ITEMS_BY_NUMBER[n].applies_when for n in ANSWERED_ITEMS}
HEIGHT, WEIGHT = 160.0, 60.0


def applying(*numbers: int, base: dict[int, bool | None] | None = None) -> dict:
    """``base`` (default: healthy) with ``numbers`` answered so that they apply."""
    answers = dict(HEALTHY if base is None else base)
    for n in numbers:
        answers[n] = ITEMS_BY_NUMBER[n].applies_when
    return answers


def without(answers: dict, *numbers: int) -> dict:
    return {n: v for n, v in answers.items() if n not in numbers}


N = None
# id: (answers, height, weight, criteria 1–7, eligible, missing items that matter)
TABLE = {
    "healthy": (HEALTHY, HEIGHT, WEIGHT, (0, 0, 0, 0, 0, 0, 0), False, ()),
    # Criterion 1 is never met alone: without item 17, 10 of items 1–20 always meet another.
    "c1: 10 of items 1-20": (
        applying(1, 2, 3, 4, 5, 6, 9, 11, 13, 18),
        HEIGHT,
        WEIGHT,
        (1, 0, 0, 0, 0, 1, 0),
        True,
        (),
    ),
    "c1 not met with 9": (
        applying(1, 2, 3, 4, 5, 6, 11, 13, 19),
        HEIGHT,
        WEIGHT,
        (0, 0, 0, 0, 0, 1, 0),
        True,
        (),
    ),
    "item 17 and 21-25 never count toward c1": (
        applying(1, 2, 3, 4, 5, 17, 21, 11, 13, 14),
        HEIGHT,
        WEIGHT,
        (0, 0, 0, 1, 0, 0, 0),
        True,
        (),
    ),
    "c2 alone: 3 of items 6-10": (
        applying(6, 9, 10),
        HEIGHT,
        WEIGHT,
        (0, 1, 0, 0, 0, 0, 0),
        True,
        (),
    ),
    "c2 not met with 2": (applying(7, 8), HEIGHT, WEIGHT, (0, 0, 0, 0, 0, 0, 0), False, ()),
    "c3 alone: items 11 and 12 (BMI 17.6)": (
        applying(11),
        160.0,
        45.0,
        (0, 0, 1, 0, 0, 0, 0),
        True,
        (),
    ),
    "c3 not met at BMI exactly 18.5 (200 cm, 74 kg)": (
        applying(11),
        200.0,
        74.0,
        (0, 0, 0, 0, 0, 0, 0),
        False,
        (),
    ),
    "c3 not met at BMI exactly 18.5 (160 cm, 47.36 kg)": (
        applying(11),
        160.0,
        47.36,
        (0, 0, 0, 0, 0, 0, 0),
        False,
        (),
    ),
    "c3 met just below 18.5 (160 cm, 47.35 kg)": (
        applying(11),
        160.0,
        47.35,
        (0, 0, 1, 0, 0, 0, 0),
        True,
        (),
    ),
    "c4 alone: 2 of items 13-15": (
        applying(14, 15),
        HEIGHT,
        WEIGHT,
        (0, 0, 0, 1, 0, 0, 0),
        True,
        (),
    ),
    "c5 alone: item 16": (applying(16), HEIGHT, WEIGHT, (0, 0, 0, 0, 1, 0, 0), True, ()),
    "item 17 alone is nothing": (applying(17), HEIGHT, WEIGHT, (0,) * 7, False, ()),
    "c6 alone: item 19": (applying(19), HEIGHT, WEIGHT, (0, 0, 0, 0, 0, 1, 0), True, ()),
    "c7 alone: 2 of items 21-25": (
        applying(22, 25),
        HEIGHT,
        WEIGHT,
        (0, 0, 0, 0, 0, 0, 1),
        True,
        (),
    ),
    "c7 not met with 1": (applying(23), HEIGHT, WEIGHT, (0,) * 7, False, ()),
    "missing answers do not matter when a criterion is met": (
        without(applying(16), 1, 2, 21, 22),
        HEIGHT,
        WEIGHT,
        (0, 0, 0, 0, 1, 0, N),
        True,
        (),
    ),
    "a missing answer that could change the result": (
        without(applying(21), 22),
        HEIGHT,
        WEIGHT,
        (0, 0, 0, 0, 0, 0, N),
        None,
        (22,),
    ),
    "a missing answer that cannot change the result (item 17)": (
        without(HEALTHY, 17),
        HEIGHT,
        WEIGHT,
        (0,) * 7,
        False,
        (),
    ),
    "two missing of c7 could still reach 2": (
        without(HEALTHY, 21, 22),
        HEIGHT,
        WEIGHT,
        (0, 0, 0, 0, 0, 0, N),
        None,
        (21, 22),
    ),
    "one missing of c7 with none applying cannot reach 2": (
        without(HEALTHY, 24),
        HEIGHT,
        WEIGHT,
        (0,) * 7,
        False,
        (),
    ),
    "missing item 16 alone decides c5": (
        without(HEALTHY, 16),
        HEIGHT,
        WEIGHT,
        (0, 0, 0, 0, N, 0, 0),
        None,
        (16,),
    ),
    "missing height leaves item 12 unknown, which matters when item 11 applies": (
        applying(11),
        None,
        WEIGHT,
        (0, 0, N, 0, 0, 0, 0),
        None,
        (12,),
    ),
    "missing weight leaves item 12 unknown, harmless when item 11 does not apply": (
        HEALTHY,
        HEIGHT,
        None,
        (0,) * 7,
        False,
        (),
    ),
    "missing items of several open criteria are all named": (
        without(applying(9, 10, 11), 6, 7, 13),
        None,
        None,
        (0, N, N, 0, 0, 0, 0),
        None,
        (6, 7, 12),
    ),
}


def _codes(values: tuple[bool | None, ...]) -> tuple[int | None, ...]:
    return tuple(None if v is None else int(v) for v in values)


@pytest.mark.parametrize("case", list(TABLE), ids=list(TABLE))
def test_checklist_table(case: str) -> None:
    answers, height, weight, criteria, eligible, missing = TABLE[case]
    result = score_checklist(answers, height, weight)
    assert _codes(result.met) == criteria
    assert result.eligible is eligible
    assert result.missing == missing
    met_names = tuple(c.name for c, m in zip(CRITERIA, criteria, strict=True) if m == 1)
    assert result.reasons == met_names


def test_bmi_exactly_18_5_is_not_item_12_and_is_shown_with_one_decimal() -> None:
    result = score_checklist(HEALTHY, 160.0, 47.36)
    assert result.item12 is False
    assert result.bmi_display == "18.5"
    assert result.bmi == pytest.approx(18.5)


def test_bmi_display_rounds_half_up_and_keeps_unrounded_value() -> None:
    # 170 cm, 53.3 kg: BMI 18.4429… → 18.4 shown, item 12 applies (18.44 < 18.5)
    result = score_checklist(HEALTHY, 170.0, 53.3)
    assert result.bmi_display == "18.4"
    assert result.item12 is True
    # 200 cm, 73.8 kg: BMI 18.45 exactly (a float rounding would show 18.4)
    assert score_checklist(HEALTHY, 200.0, 73.8).bmi_display == "18.5"


def test_reasons_name_the_met_criteria_in_japanese() -> None:
    result = score_checklist(applying(6, 7, 8, 21, 22), HEIGHT, WEIGHT)
    assert result.reasons_text == "運動機能・うつ"


def test_unanswered_lists_every_missing_item_but_missing_only_those_that_matter() -> None:
    result = score_checklist(without(applying(16), 3, 17), None, None)
    assert result.eligible is True
    assert result.unanswered == (3, 12, 17)
    assert result.missing == ()


def test_nothing_answered_is_no_determination_naming_all_items_but_17() -> None:
    result = score_checklist({}, None, None)
    assert result.eligible is None
    assert result.missing == tuple(n for n in range(1, 26) if n != 17)


@pytest.mark.parametrize(
    ("height", "weight", "field", "words"),
    [
        (79.9, 50.0, "height_cm", "身長は 80〜250cm"),
        (251.0, 50.0, "height_cm", "身長は 80〜250cm"),
        (160.0, 19.5, "weight_kg", "体重は 20〜250kg"),
        (160.0, 300.0, "weight_kg", "体重は 20〜250kg"),
    ],
)
def test_measurements_out_of_range_are_refused_in_japanese(height, weight, field, words) -> None:
    with pytest.raises(ChecklistError) as raised:
        score_checklist(HEALTHY, height, weight)
    assert raised.value.field == field
    assert words in raised.value.message


def test_item_12_cannot_be_answered_directly() -> None:
    with pytest.raises(ChecklistError, match="12"):
        score_checklist({12: True}, HEIGHT, WEIGHT)


def test_criteria_are_described_in_words() -> None:
    assert [c.describe() for c in CRITERIA] == [
        "No.1〜16・No.18〜20 のうち10項目以上に該当",
        "No.6〜10 のうち3項目以上に該当",
        "No.11・12 のすべてに該当",
        "No.13〜15 のうち2項目以上に該当",
        "No.16 に該当",
        "No.18〜20 のうち1項目以上に該当",
        "No.21〜25 のうち2項目以上に該当",
    ]
