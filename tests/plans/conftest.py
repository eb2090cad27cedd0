"""Fixtures for the plans tests: two municipalities in two prefectures and their staff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import MunicipalityFactory, PrefectureFactory, staff_of

REPORT = Path(__file__).parent / "data" / "report_excerpts.txt"


def squeeze(text: str) -> str:
    """Text without any whitespace (the report's PDF extraction breaks lines and adds spaces)."""
    return "".join(text.split())


@pytest.fixture
def report_text() -> str:
    return squeeze(REPORT.read_text(encoding="utf-8"))


@pytest.fixture
def two_towns(db: Any) -> dict[str, Any]:
    pref_a, pref_b = PrefectureFactory(), PrefectureFactory()
    town_a = MunicipalityFactory(prefecture=pref_a)
    town_b = MunicipalityFactory(prefecture=pref_b)
    return {
        "a": town_a,
        "b": town_b,
        "pref_a": pref_a,
        "staff_a": staff_of(town_a),
        "staff_b": staff_of(town_b),
        "pref_staff_a": staff_of(pref_a),
    }
