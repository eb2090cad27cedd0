"""上限額 arithmetic (three kinds, 個別協議), recording, the "what if", scoping."""

from __future__ import annotations

from typing import Any

import pytest

from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.plans.money.arithmetic import cap_position, what_if
from tsunagu.plans.money.models import CapKind, CostCap
from tsunagu.plans.money.selectors import money_years
from tsunagu.plans.money.services import cost_cap_record, service_cost_record


@pytest.mark.parametrize("kind", [k.value for k in CapKind])
def test_each_kind_of_cap_is_compared_as_entered(kind: str) -> None:
    position = cap_position(
        cost=90, cap=100, individual_consultation=False, consultation_amount=None
    )
    assert (position.effective_cap, position.margin, position.over_cap) == (100, 10, False)


def test_cost_over_the_cap_is_over() -> None:
    position = cap_position(
        cost=120, cap=100, individual_consultation=False, consultation_amount=None
    )
    assert position.over_cap and position.margin == -20 and position.share == 120


def test_individual_consultation_adds_its_amount_to_the_cap() -> None:
    position = cap_position(cost=120, cap=100, individual_consultation=True, consultation_amount=30)
    assert position.effective_cap == 130
    assert not position.over_cap and position.over_basic_cap


def test_consultation_amount_is_ignored_when_consultation_does_not_apply() -> None:
    position = cap_position(
        cost=120, cap=100, individual_consultation=False, consultation_amount=30
    )
    assert position.effective_cap == 100 and position.over_cap


def test_what_if_moving_participants_to_b_lowers_the_cost() -> None:
    before = cap_position(
        cost=205_000_000, cap=200_000_000, individual_consultation=False, consultation_amount=None
    )
    scenario = what_if(
        before=before,
        participants=20,
        from_label="通所型サービス（従前相当）",
        to_label="通所型サービスB",
        from_unit_cost=400_000,
        to_unit_cost=100_000,
    )
    assert scenario.cost_change == -6_000_000
    assert scenario.after.cost == 199_000_000 and not scenario.after.over_cap
    assert "20人が通所型サービス（従前相当）から通所型サービスBへ移ると仮定" in scenario.assumptions


def test_what_if_refuses_negative_participants() -> None:
    before = cap_position(cost=1, cap=1, individual_consultation=False, consultation_amount=None)
    with pytest.raises(TsunaguError):
        what_if(
            before=before,
            participants=-1,
            from_label="a",
            to_label="b",
            from_unit_cost=1,
            to_unit_cost=1,
        )


@pytest.mark.django_db
def test_cap_is_stored_with_kind_and_basis_and_history(two_towns: dict) -> None:
    cap = cost_cap_record(
        actor=two_towns["staff_a"],
        municipality=two_towns["a"],
        fiscal_year=2024,
        kind="special",
        amount=5_000_000,
        basis="特例の上限額（町の算定）",
    )
    cap.refresh_from_db()
    assert (cap.kind, cap.amount, cap.basis) == ("special", 5_000_000, "特例の上限額（町の算定）")
    assert cap.history.get().history_change_reason == "plans.cost_cap.record"


@pytest.mark.django_db
def test_consultation_needs_its_amount(two_towns: dict) -> None:
    with pytest.raises(TsunaguError) as error:
        cost_cap_record(
            actor=two_towns["staff_a"],
            municipality=two_towns["a"],
            fiscal_year=2024,
            kind="basic",
            amount=1,
            basis="根拠",
            individual_consultation=True,
        )
    assert error.value.field == "consultation_amount"
    assert not CostCap.objects.filter(municipality=two_towns["a"]).exists()


@pytest.mark.django_db
def test_cap_without_basis_is_refused(two_towns: dict) -> None:
    with pytest.raises(TsunaguError) as error:
        cost_cap_record(
            actor=two_towns["staff_a"],
            municipality=two_towns["a"],
            fiscal_year=2024,
            kind="basic",
            amount=1,
            basis="  ",
        )
    assert error.value.field == "basis"


@pytest.mark.django_db
def test_year_total_sums_service_types_against_cap_plus_consultation(two_towns: dict) -> None:
    town, staff = two_towns["a"], two_towns["staff_a"]
    for service_type, amount in (("home_equivalent", 60), ("day_b", 50)):
        service_cost_record(
            actor=staff,
            municipality=town,
            fiscal_year=2024,
            service_type=service_type,
            amount=amount,
        )
    cost_cap_record(
        actor=staff,
        municipality=town,
        fiscal_year=2024,
        kind="growth",
        amount=100,
        basis="伸びを考慮",
        individual_consultation=True,
        consultation_amount=15,
    )
    [year] = money_years(user=staff, municipality=town)
    assert (year.total, year.position.effective_cap, year.position.margin) == (110, 115, 5)


@pytest.mark.django_db
def test_other_municipality_cannot_record_cost_and_nothing_changes(two_towns: dict) -> None:
    with pytest.raises(PermissionDenied):
        service_cost_record(
            actor=two_towns["staff_b"],
            municipality=two_towns["a"],
            fiscal_year=2024,
            service_type="day_b",
            amount=1,
        )
    assert money_years(user=two_towns["staff_a"], municipality=two_towns["a"]) == []


@pytest.mark.django_db
def test_money_page_of_another_municipality_answers_404(two_towns: dict, client: Any) -> None:
    client.force_login(two_towns["staff_b"])
    assert client.get(f"/plans/money/{two_towns['a'].pk}/").status_code == 404


@pytest.mark.django_db
def test_money_page_prints_the_what_if_assumptions(two_towns: dict, client: Any) -> None:
    town, staff = two_towns["a"], two_towns["staff_a"]
    service_cost_record(
        actor=staff,
        municipality=town,
        fiscal_year=2024,
        service_type="day_equivalent",
        amount=1_000_000,
    )
    cost_cap_record(
        actor=staff, municipality=town, fiscal_year=2024, kind="basic", amount=900_000, basis="基本"
    )
    client.force_login(staff)
    html = client.get(
        f"/plans/money/{town.pk}/",
        {
            "fiscal_year": 2024,
            "origin": "day_equivalent",
            "target": "day_c",
            "participants": 2,
            "from_unit_cost": 300_000,
            "to_unit_cost": 200_000,
        },
    ).content.decode()
    assert "2人が通所型サービス（従前相当）から通所型サービスCへ移ると仮定" in html
    assert "800,000" in html
