"""The bulk (numpy) path agrees with the single-record path on every row."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagu.care.checklist.bulk import score_bulk
from tsunagu.care.checklist.rules import ANSWERED_ITEMS, ITEM_COUNT
from tsunagu.care.checklist.scoring import ChecklistError, ChecklistResult, score_checklist

# Pairs whose BMI is exactly 18.5 (kg / m², in exact arithmetic), and just around it.
BMI_18_5 = [(200.0, 74.0), (160.0, 47.36), (180.0, 59.94), (150.0, 41.625), (170.0, 53.465)]
NEAR_18_5 = [(160.0, 47.35), (160.0, 47.37), (200.0, 73.99), (200.0, 74.01)]

answer = st.sampled_from([True, False, None])
measurement = st.one_of(
    st.sampled_from(BMI_18_5 + NEAR_18_5),
    st.tuples(
        st.one_of(st.none(), st.integers(8000, 25000).map(lambda h: h / 100)),
        st.one_of(st.none(), st.integers(20000, 250000).map(lambda w: w / 1000)),
    ),
)
record = st.tuples(st.lists(answer, min_size=24, max_size=24), measurement)


def _code(value: bool | None) -> int:
    return -1 if value is None else int(value)


def _as_arrays(records: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    answers = np.full((len(records), ITEM_COUNT), -1, dtype=np.int8)
    heights = np.full(len(records), np.nan)
    weights = np.full(len(records), np.nan)
    for row, (values, (height, weight)) in enumerate(records):
        for number, value in zip(ANSWERED_ITEMS, values, strict=True):
            answers[row, number - 1] = _code(value)
        heights[row] = np.nan if height is None else height
        weights[row] = np.nan if weight is None else weight
    return answers, heights, weights


def _single(values: list, height: float | None, weight: float | None) -> ChecklistResult:
    return score_checklist(dict(zip(ANSWERED_ITEMS, values, strict=True)), height, weight)


@settings(max_examples=300, deadline=None)
@given(st.lists(record, min_size=1, max_size=40))
def test_bulk_and_single_agree_on_every_row(records: list) -> None:
    result = score_bulk(*_as_arrays(records))
    reasons = result.reasons_text()
    missing = result.missing_text()
    assert len(result) == len(records)
    for row, (values, (height, weight)) in enumerate(records):
        single = _single(values, height, weight)
        assert result.applies[row].tolist() == [_code(v) for v in single.applies]
        assert result.criteria[row].tolist() == [_code(v) for v in single.met]
        assert int(result.eligible[row]) == _code(single.eligible)
        assert int(result.item12[row]) == _code(single.item12)
        assert result.missing[row].nonzero()[0].tolist() == [n - 1 for n in single.missing]
        assert missing[row] == ",".join(str(n) for n in single.missing)
        assert reasons[row] == single.reasons_text
        if single.bmi is None:
            assert np.isnan(result.bmi[row])
            assert result.bmi_tenths[row] == -1
        else:
            assert result.bmi[row] == single.bmi  # the same float, not merely close
            assert int(result.bmi_tenths[row]) == single.bmi_tenths


def test_bmi_exactly_18_5_does_not_apply_in_either_path() -> None:
    answers = np.zeros((len(BMI_18_5), ITEM_COUNT), dtype=np.int8)
    heights = np.array([h for h, _ in BMI_18_5])
    weights = np.array([w for _, w in BMI_18_5])
    result = score_bulk(answers, heights, weights)
    assert result.item12.tolist() == [0] * len(BMI_18_5)
    assert result.bmi_tenths.tolist() == [185] * len(BMI_18_5)
    assert [score_checklist({}, h, w).item12 for h, w in BMI_18_5] == [False] * len(BMI_18_5)


def test_bulk_refuses_a_bad_code_naming_the_row() -> None:
    answers = np.zeros((3, ITEM_COUNT), dtype=np.int8)
    answers[1, 4] = 2
    with pytest.raises(ChecklistError, match="2件目"):
        score_bulk(answers, np.full(3, 160.0), np.full(3, 60.0))


def test_bulk_ignores_the_item_12_column() -> None:
    answers = np.zeros((1, ITEM_COUNT), dtype=np.int8)
    answers[0, 11] = 7  # not an answer: item 12 comes from height and weight
    result = score_bulk(answers, np.array([160.0]), np.array([45.0]))
    assert result.item12.tolist() == [1]


def test_bulk_refuses_a_measurement_out_of_range_naming_the_row() -> None:
    answers = np.zeros((2, ITEM_COUNT), dtype=np.int8)
    with pytest.raises(ChecklistError, match="2件目: 身長") as raised:
        score_bulk(answers, np.array([160.0, 1600.0]), np.array([60.0, 60.0]))
    assert raised.value.field == "height_cm"
