"""The 道路運送法 check (DOMAIN.md §4.3), row by row: every category, the 2024-03-01
boundary, every operator class, the subsidy cases and input errors. Pure: no database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tsunagu.mobility.legal import check as legal
from tsunagu.mobility.legal.check import LegalPlanError, check_plan, cost_share

BASE: dict[str, Any] = {
    "rider_payment": "none",
    "actual_cost_items": [],
    "subsidy_covers": "none",
    "vehicle": "private",
    "operator_type": "nonprofit_association",
    "service_kind": "welfare_members",
    "trip_date": "2024-10-01",
}


def plan(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def run(**changes: Any) -> dict[str, Any]:
    return check_plan(plan(**changes))


# --- rule 1: free -------------------------------------------------------------------------


@pytest.mark.parametrize("payment", ["none", "voluntary_thanks", "goods"])
@pytest.mark.parametrize("subsidy", ["none", "indirect_only"])
def test_nothing_thanks_or_goods_without_transport_subsidy_is_free(
    payment: str, subsidy: str
) -> None:
    result = run(rider_payment=payment, subsidy_covers=subsidy, operator_type="company")
    assert result["category"] == "free"
    assert result["permit_or_registration_required"] is False
    assert result["needs_human_review"] is False
    assert result["rule"] == 1


def test_free_rule_wins_even_for_business_vehicle_of_a_for_profit_operator() -> None:
    result = run(vehicle="business", operator_type="individual", service_kind="general")
    assert result["category"] == "free"


def test_free_ride_mentions_ignored_cost_items() -> None:
    result = run(actual_cost_items=["driver_pay"])
    assert result["category"] == "free"
    assert any("実費のみ" in r for r in result["reasons"])


# --- rule 2: actual costs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "day"),
    [
        (["fuel"], "2024-02-29"),
        (["fuel", "tolls", "parking"], "2024-02-29"),
        (["fuel", "tolls", "parking"], "2006-10-01"),
        (["fuel", "tolls", "parking", "insurance", "vehicle_rental"], "2024-03-01"),
        (["insurance"], "2024-03-01"),
        (["vehicle_rental"], "2030-01-01"),
    ],
)
def test_allowed_actual_costs_are_free(items: list[str], day: str) -> None:
    result = run(rider_payment="actual_costs_only", actual_cost_items=items, trip_date=day)
    assert result["category"] == "free_actual_costs"
    assert result["permit_or_registration_required"] is False
    assert result["rule"] == 2


def test_actual_costs_with_empty_list_is_free_with_items_none() -> None:
    result = run(rider_payment="actual_costs_only", actual_cost_items=[])
    assert result["category"] == "free_actual_costs"
    assert any("実費の項目: なし" in r for r in result["reasons"])


@pytest.mark.parametrize("item", ["insurance", "vehicle_rental"])
def test_insurance_or_rental_before_2024_03_01_makes_the_ride_paid(item: str) -> None:
    before = run(
        rider_payment="actual_costs_only", actual_cost_items=["fuel", item], trip_date="2024-02-29"
    )
    after = run(
        rider_payment="actual_costs_only", actual_cost_items=["fuel", item], trip_date="2024-03-01"
    )
    assert before["category"] == "welfare_paid"
    assert before["rule"] == 3
    assert any("2024年3月1日から" in r for r in before["reasons"])
    assert after["category"] == "free_actual_costs"


@pytest.mark.parametrize("item", ["driver_pay", "depreciation", "other"])
@pytest.mark.parametrize("day", ["2024-02-29", "2024-03-01"])
def test_driver_pay_depreciation_other_are_never_actual_costs(item: str, day: str) -> None:
    result = run(
        rider_payment="actual_costs_only",
        actual_cost_items=["fuel", item],
        trip_date=day,
        service_kind="transit_gap_area",
    )
    assert result["category"] == "transit_gap_paid"
    assert any("[U]" in r and "実費に含まれない" in r for r in result["reasons"])


def test_allowed_items_by_date() -> None:
    assert legal.allowed_actual_cost_items(dt.date(2024, 2, 29)) == ("fuel", "tolls", "parking")
    assert "insurance" in legal.allowed_actual_cost_items(dt.date(2024, 3, 1))
    assert "vehicle_rental" in legal.allowed_actual_cost_items(dt.date(2024, 3, 1))


# --- subsidies ----------------------------------------------------------------------------


@pytest.mark.parametrize("payment", ["none", "voluntary_thanks", "goods", "actual_costs_only"])
def test_subsidy_for_transport_makes_it_paid_with_human_review(payment: str) -> None:
    result = run(rider_payment=payment, actual_cost_items=["fuel"], subsidy_covers="transport")
    assert result["category"] == "welfare_paid"
    assert result["needs_human_review"] is True
    assert result["permit_or_registration_required"] is True
    assert any("補助金" in r for r in result["reasons"])


def test_subsidy_for_transport_with_private_company_needs_permit_and_review() -> None:
    result = run(subsidy_covers="transport", operator_type="company")
    assert (result["category"], result["needs_human_review"]) == ("needs_permit", True)


def test_indirect_subsidy_does_not_make_it_paid() -> None:
    result = run(subsidy_covers="indirect_only")
    assert result["category"] == "free"
    assert result["needs_human_review"] is False


@pytest.mark.parametrize("payment", ["fare", "ride_linked_fee"])
def test_paid_without_subsidy_does_not_need_review(payment: str) -> None:
    assert run(rider_payment=payment)["needs_human_review"] is False


# --- rule 3: paid -------------------------------------------------------------------------


@pytest.mark.parametrize("operator", ["taxi_operator", "bus_operator"])
@pytest.mark.parametrize("kind", ["welfare_members", "transit_gap_area", "general"])
def test_business_vehicle_of_licensed_operator_is_licensed_business(
    operator: str, kind: str
) -> None:
    result = run(
        rider_payment="fare", vehicle="business", operator_type=operator, service_kind=kind
    )
    assert result["category"] == "licensed_business"
    assert result["permit_or_registration_required"] is True
    assert any("すでに" in r for r in result["requirements"] + result["reasons"])


@pytest.mark.parametrize(
    "operator", sorted(set(legal.OPERATOR_TYPES) - {"taxi_operator", "bus_operator"})
)
def test_business_vehicle_of_other_operator_needs_permit(operator: str) -> None:
    result = run(rider_payment="fare", vehicle="business", operator_type=operator)
    assert result["category"] == "needs_permit"
    assert result["permit_or_registration_required"] is True


NONPROFITS = [
    "municipality",
    "npo",
    "general_association",
    "social_welfare_corporation",
    "medical_corporation",
    "authorized_neighborhood_association",
    "agricultural_cooperative",
    "consumer_cooperative",
    "chamber_of_commerce",
    "workers_cooperative",
    "nonprofit_association",
]


@pytest.mark.parametrize("operator", NONPROFITS)
def test_private_car_nonprofit_members_is_welfare_paid(operator: str) -> None:
    result = run(rider_payment="fare", operator_type=operator, service_kind="welfare_members")
    assert result["category"] == "welfare_paid"
    assert result["permit_or_registration_required"] is True
    text = " ".join(result["requirements"])
    for needed in ("協議", "第二種", "大臣認定", "11人未満", "会員名簿", "8割"):
        assert needed in text, needed


@pytest.mark.parametrize("operator", NONPROFITS)
def test_private_car_nonprofit_transit_gap_is_transit_gap_paid(operator: str) -> None:
    result = run(
        rider_payment="ride_linked_fee", operator_type=operator, service_kind="transit_gap_area"
    )
    assert result["category"] == "transit_gap_paid"
    assert result["permit_or_registration_required"] is True
    assert any("第79条" in r for r in result["requirements"])


@pytest.mark.parametrize("operator", NONPROFITS)
def test_private_car_nonprofit_general_needs_permit(operator: str) -> None:
    result = run(rider_payment="fare", operator_type=operator, service_kind="general")
    assert result["category"] == "needs_permit"
    assert any("登録できません" in r for r in result["reasons"])


@pytest.mark.parametrize("operator", ["company", "individual", "taxi_operator", "bus_operator"])
@pytest.mark.parametrize("kind", ["welfare_members", "transit_gap_area", "general"])
def test_private_car_for_profit_needs_permit(operator: str, kind: str) -> None:
    result = run(rider_payment="fare", operator_type=operator, service_kind=kind)
    assert result["category"] == "needs_permit"
    assert any("第78条第3号" in r for r in result["requirements"])


def test_private_car_scheme_offered_only_from_2024_04_08() -> None:
    before = run(rider_payment="fare", operator_type="individual", trip_date="2024-04-07")
    after = run(rider_payment="fare", operator_type="individual", trip_date="2024-04-08")
    assert not any("自家用車活用事業" in r for r in before["requirements"])
    assert any("自家用車活用事業" in r for r in after["requirements"])


def test_every_operator_type_is_classified() -> None:
    assert set(legal.OPERATOR_TYPES) == legal.NONPROFIT_OPERATORS | legal.FOR_PROFIT_OPERATORS
    assert not legal.NONPROFIT_OPERATORS & legal.FOR_PROFIT_OPERATORS


# --- sources and disclaimer ---------------------------------------------------------------


def test_sources_and_disclaimer_on_every_answer() -> None:
    result = run()
    assert set(result) >= {
        "category",
        "permit_or_registration_required",
        "needs_human_review",
        "requirements",
        "reasons",
        "sources",
        "disclaimer",
    }
    joined = " ".join(result["sources"])
    for needed in ("第2条第3項", "第78条", "第79条", "2024年3月1日"):
        assert needed in joined
    assert "法律上の助言ではありません" in result["reasons"][-1]
    assert "法律上の助言ではありません" in result["disclaimer"]


def test_2006_notice_only_for_trips_before_2024_03_01() -> None:
    before = " ".join(run(trip_date="2024-02-29")["sources"])
    after = " ".join(run(trip_date="2024-03-01")["sources"])
    assert "2006年9月29日" in before
    assert "2006年9月29日" not in after
    assert "ガイドライン" in after


def test_permit_categories_cite_article_4() -> None:
    assert any("第4条" in s for s in run(rider_payment="fare", operator_type="company")["sources"])


# --- input errors -------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(legal.PLAN_KEYS))
def test_missing_key_is_an_error_naming_it(key: str) -> None:
    data = plan()
    del data[key]
    with pytest.raises(LegalPlanError) as caught:
        check_plan(data)
    assert [p.field for p in caught.value.problems] == [key]
    assert key in caught.value.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("rider_payment", "cash"),
        ("subsidy_covers", "all"),
        ("vehicle", "truck"),
        ("operator_type", "temple"),
        ("service_kind", "tourists"),
        ("rider_payment", 3),
    ],
)
def test_unknown_value_names_key_and_allowed_values(key: str, value: Any) -> None:
    with pytest.raises(LegalPlanError) as caught:
        check_plan(plan(**{key: value}))
    message = caught.value.problems[0].message
    assert key in message and "使える値" in message
    for allowed in legal.CHOICES[key]:
        assert allowed in message


@pytest.mark.parametrize("items", [["fuel", "snacks"], "fuel", [1]])
def test_bad_cost_items_are_errors(items: Any) -> None:
    with pytest.raises(LegalPlanError) as caught:
        check_plan(plan(actual_cost_items=items))
    assert caught.value.problems[0].field == "actual_cost_items"


@pytest.mark.parametrize("day", ["2024-02-30", "2024/03/01", "yesterday", "", 20240301, "2024-3-1"])
def test_bad_date_is_an_error(day: Any) -> None:
    with pytest.raises(LegalPlanError) as caught:
        check_plan(plan(trip_date=day))
    assert caught.value.problems[0].field == "trip_date"


def test_plan_must_be_an_object() -> None:
    with pytest.raises(LegalPlanError):
        check_plan([BASE])


def test_null_value_counts_as_missing() -> None:
    with pytest.raises(LegalPlanError) as caught:
        check_plan(plan(vehicle=None))
    assert caught.value.problems[0].field == "vehicle"


def test_extra_keys_are_reported_not_used() -> None:
    result = check_plan(plan(name="直川"))
    assert result["category"] == "free"
    assert any("name" in r for r in result["reasons"])


# --- cost sharing ---------------------------------------------------------------------------


def test_cost_share_splits_actual_costs_rounding_down() -> None:
    # 170 yen/L × 30 km ÷ 15 km/L = 340 yen fuel, + 200 parking = 540, 3 riders → 180 each.
    share = cost_share(
        fuel_price_yen_per_l=170,
        fuel_economy_km_per_l=15,
        distance_km=30,
        parking_yen=200,
        riders=3,
        trip_date=dt.date(2024, 10, 1),
    )
    assert (share.fuel_cost, share.per_ride, share.per_rider) == (340, 540, 180)
    assert share.warnings == ()


def test_cost_share_never_rounds_above_actual_cost() -> None:
    share = cost_share(
        fuel_price_yen_per_l="174.9",
        fuel_economy_km_per_l="13.3",
        distance_km="17.2",
        riders=3,
        trip_date=dt.date(2024, 10, 1),
    )
    exact = 174.9 * 17.2 / 13.3
    assert share.per_ride == int(exact)
    assert share.per_rider * 3 <= exact


def test_cost_share_insurance_only_from_2024_03_01() -> None:
    kwargs = {"fuel_price_yen_per_l": 150, "fuel_economy_km_per_l": 10, "distance_km": 10}
    before = cost_share(**kwargs, insurance_yen_per_ride=50, trip_date=dt.date(2024, 2, 29))
    after = cost_share(**kwargs, insurance_yen_per_ride=50, trip_date=dt.date(2024, 3, 1))
    assert (before.per_ride, after.per_ride) == (150, 200)
    assert before.warnings and "保険料" in before.warnings[0]


def test_cost_share_warns_when_planned_charge_exceeds_actual_costs() -> None:
    kwargs = {
        "fuel_price_yen_per_l": 170,
        "fuel_economy_km_per_l": 17,
        "distance_km": 20,
        "riders": 2,
        "trip_date": dt.date(2024, 10, 1),
    }
    assert cost_share(**kwargs, planned_charge_per_rider=100).warnings == ()
    warned = cost_share(**kwargs, planned_charge_per_rider=101)
    assert warned.warnings and "超えます" in warned.warnings[0]


def test_cost_share_rejects_bad_numbers() -> None:
    with pytest.raises(LegalPlanError):
        cost_share(
            fuel_price_yen_per_l=170,
            fuel_economy_km_per_l=0,
            distance_km=5,
            trip_date=dt.date.today(),
        )
    with pytest.raises(LegalPlanError):
        cost_share(
            fuel_price_yen_per_l=170,
            fuel_economy_km_per_l=10,
            distance_km=5,
            riders=0,
            trip_date=dt.date.today(),
        )
