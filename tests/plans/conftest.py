"""Fixtures for the plans tests: a plan with a goal and an item in a new municipality (records,
agreements, PDCA), and two municipalities in two prefectures with their staff (figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import MunicipalityFactory, PrefectureFactory, staff_of
from tsunagu.plans.records.services import PlanFields, PlanItemFields, plan_create, plan_item_add


def make_plan(municipality: Any, actor: Any, *, title: str = "テスト夢プラン") -> Any:
    return plan_create(
        municipality=municipality,
        fields=PlanFields(
            kind="community", title=title, first_fiscal_year=2022, last_fiscal_year=2031
        ),
        actor=actor,
    )


def add_item(plan: Any, actor: Any, number: str, title: str, parent: Any = None) -> Any:
    return plan_item_add(
        plan=plan,
        fields=PlanItemFields(number=number, title=title, parent=parent),
        actor=actor,
    )


@pytest.fixture
def town(db: Any) -> Any:
    return MunicipalityFactory()


@pytest.fixture
def other_town(db: Any) -> Any:
    return MunicipalityFactory()


@pytest.fixture
def staff(town: Any) -> Any:
    return staff_of(town)


@pytest.fixture
def other_staff(other_town: Any) -> Any:
    return staff_of(other_town)


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
