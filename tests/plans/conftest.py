"""Builders for the plans tests: a plan with a goal and an item, in a new municipality."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import MunicipalityFactory, staff_of
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
