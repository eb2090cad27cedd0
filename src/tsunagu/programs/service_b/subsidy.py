"""The service B subsidy computation, pure (no database): share, threshold, rule, words.

Rule (DOMAIN.md 4.2; 鹿児島市 事例表№3 2(3) and II 2): when 要支援者 or 事業対象者 are at least
``threshold_percent`` of the period's users, the whole operating cost of the B activity is
eligible. Below it, the municipality's rule: pro-rata by the share (the default, unconfirmed
[U]), nothing, or a fixed rate.

- The share is compared exactly (``eligible × 100 ≥ threshold × total``, integers), so 50% is
  "at the threshold" and 49.99…% is below it, whatever the display shows.
- Amounts are integer yen, **floored to the yen** (円未満切り捨て): pro-rata is
  ``cost × eligible // total``, a fixed rate ``cost × rate // 100``.
- The share is shown floored to one decimal (58.3%), never rounded up across the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

PRO_RATA = "pro_rata"
NONE = "none"
FIXED_RATE = "fixed_rate"

ROUNDING_RULE = "補助対象額は円未満切り捨て"


@dataclass(frozen=True)
class Computation:
    users_total: int | None
    users_eligible: int | None
    operating_cost: int
    threshold_percent: int
    rule: str  # "full", PRO_RATA, NONE, FIXED_RATE or "unknown"
    eligible_amount: int | None
    text: str

    @property
    def at_or_above(self) -> bool:
        return self.rule == "full"


def yen(amount: int) -> str:
    return f"¥{amount:,}"


def percent_text(numerator: int, denominator: int) -> str:
    """``numerator / denominator`` as a percentage floored to one decimal: 60%, 58.3%."""
    tenths = numerator * 1000 // denominator
    whole, tenth = divmod(tenths, 10)
    return f"{whole}%" if tenth == 0 else f"{whole}.{tenth}%"


def compute(
    *,
    users_total: int | None,
    users_eligible: int | None,
    operating_cost: int,
    threshold_percent: int = 50,
    below_rule: str = PRO_RATA,
    fixed_rate_percent: int | None = None,
) -> Computation:
    """The eligible amount of ``operating_cost`` (yen) and the computation in words."""
    if operating_cost < 0:
        raise ValueError("operating cost is negative")

    def result(rule: str, amount: int | None, text: str) -> Computation:
        return Computation(
            users_total,
            users_eligible,
            operating_cost,
            threshold_percent,
            rule,
            amount,
            text,
        )

    if not users_total or users_eligible is None:
        return result(
            "unknown", None, "利用者数が入力されていないため、補助対象額を計算できません。"
        )
    if users_eligible > users_total:
        return result(
            "unknown",
            None,
            f"要支援・事業対象者の数（{users_eligible}人）が利用者数（{users_total}人）を"
            "超えているため、計算できません。",
        )
    share = percent_text(users_eligible, users_total)
    head = f"利用者{users_total}人のうち要支援・事業対象者{users_eligible}人（{share}）"
    cost = yen(operating_cost)
    if users_eligible * 100 >= threshold_percent * users_total:
        return result(
            "full",
            operating_cost,
            f"{head}≥ {threshold_percent}%：運営費 {cost} の全額が対象",
        )
    below = f"{head}< {threshold_percent}%："
    if below_rule == NONE:
        return result(NONE, 0, f"{below}基準未満のため補助の対象外（¥0）")
    if below_rule == FIXED_RATE:
        rate = fixed_rate_percent or 0
        amount = operating_cost * rate // 100
        return result(
            FIXED_RATE, amount, f"{below}運営費 {cost} × 定率{rate}% = {yen(amount)} が対象（定率）"
        )
    amount = operating_cost * users_eligible // users_total
    exact = operating_cost * users_eligible % users_total == 0
    note = "（按分）" if exact else "（按分、円未満切り捨て）"
    # A share that is not exact to 0.1% is shown as the fraction actually used.
    factor = (
        share
        if users_eligible * 1000 % users_total == 0
        else (f"{users_eligible}/{users_total}（{share}）")
    )
    return result(PRO_RATA, amount, f"{below}運営費 {cost} × {factor} = {yen(amount)} が対象{note}")
