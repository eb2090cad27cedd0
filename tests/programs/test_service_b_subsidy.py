"""The service B subsidy computation: the threshold on both sides, pro-rata, rounding, words."""

from __future__ import annotations

from tsunagu.programs.service_b.subsidy import compute, percent_text


def test_share_above_threshold_makes_the_whole_cost_eligible_in_the_issues_words() -> None:
    result = compute(users_total=20, users_eligible=12, operating_cost=1_234_000)
    assert result.eligible_amount == 1_234_000
    assert result.text == (
        "利用者20人のうち要支援・事業対象者12人（60%）≥ 50%：運営費 ¥1,234,000 の全額が対象"
    )


def test_share_exactly_at_threshold_makes_the_whole_cost_eligible() -> None:
    result = compute(users_total=20, users_eligible=10, operating_cost=1_000_000)
    assert result.at_or_above
    assert result.eligible_amount == 1_000_000
    assert "（50%）≥ 50%" in result.text


def test_share_below_threshold_is_pro_rata_by_default_in_the_issues_words() -> None:
    result = compute(users_total=20, users_eligible=8, operating_cost=1_234_000)
    assert result.eligible_amount == 493_600
    assert result.text == (
        "利用者20人のうち要支援・事業対象者8人（40%）< 50%："
        "運営費 ¥1,234,000 × 40% = ¥493,600 が対象（按分）"
    )


def test_share_just_below_threshold_is_below_even_if_it_would_round_to_it() -> None:
    # 999/2000 = 49.95% rounds to 50.0% but is below half: compared exactly, shown floored.
    result = compute(users_total=2000, users_eligible=999, operating_cost=2000)
    assert not result.at_or_above
    assert result.eligible_amount == 999
    assert "（49.9%）< 50%" in result.text


def test_pro_rata_amount_is_floored_to_the_yen_and_says_so() -> None:
    # 1,000,001 × 7/15 = 466,667.13… → 466,667
    result = compute(users_total=15, users_eligible=7, operating_cost=1_000_001)
    assert result.eligible_amount == 466_667
    assert "× 7/15（46.6%） = ¥466,667 が対象（按分、円未満切り捨て）" in result.text


def test_pro_rata_never_rounds_up_a_half_yen() -> None:
    # 3 × 1/2 = 1.5 yen → 1
    result = compute(users_total=4, users_eligible=1, operating_cost=6)
    assert result.eligible_amount == 1


def test_rule_none_gives_nothing_below_the_threshold() -> None:
    result = compute(users_total=10, users_eligible=4, operating_cost=500_000, below_rule="none")
    assert result.eligible_amount == 0
    assert "補助の対象外（¥0）" in result.text


def test_fixed_rate_below_the_threshold_is_floored() -> None:
    result = compute(
        users_total=10,
        users_eligible=4,
        operating_cost=100_001,
        below_rule="fixed_rate",
        fixed_rate_percent=30,
    )
    assert result.eligible_amount == 30_000
    assert "定率30% = ¥30,000" in result.text


def test_a_different_threshold_is_used() -> None:
    result = compute(users_total=10, users_eligible=6, operating_cost=1000, threshold_percent=70)
    assert result.eligible_amount == 600
    assert "（60%）< 70%" in result.text


def test_missing_users_give_no_amount_and_say_why() -> None:
    result = compute(users_total=None, users_eligible=None, operating_cost=1000)
    assert result.eligible_amount is None
    assert "計算できません" in result.text


def test_more_eligible_than_users_is_refused() -> None:
    result = compute(users_total=3, users_eligible=4, operating_cost=1000)
    assert result.eligible_amount is None


def test_percent_is_floored_to_one_decimal() -> None:
    assert percent_text(2, 3) == "66.6%"
    assert percent_text(1, 2) == "50%"
