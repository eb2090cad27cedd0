"""Cost against the 上限額, and the "what if" of moving participants between service types.

Pure functions on integer yen: the pages, the tests and the demo call them with the stored
figures. Nothing here computes a cap (DOMAIN 4.6: the cap is entered, with its basis).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tsunagu.core.errors import TsunaguError


@dataclass(frozen=True)
class CapPosition:
    """Where a year's 総合事業費 stands against its cap (plus 個別協議 when it applies)."""

    cost: int
    cap: int
    consultation: int  # the amount 個別協議 adds (0 when it does not apply)

    @property
    def effective_cap(self) -> int:
        return self.cap + self.consultation

    @property
    def margin(self) -> int:
        """Effective cap − cost: negative when the cost is over the cap."""
        return self.effective_cap - self.cost

    @property
    def over_cap(self) -> bool:
        return self.cost > self.effective_cap

    @property
    def over_basic_cap(self) -> bool:
        """Over the cap as entered, before 個別協議 is added."""
        return self.cost > self.cap

    @property
    def share(self) -> Decimal | None:
        """Cost as a percentage of the effective cap, one decimal."""
        if not self.effective_cap:
            return None
        value = Decimal(self.cost) * 100 / Decimal(self.effective_cap)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cap_position(
    *, cost: int, cap: int, individual_consultation: bool, consultation_amount: int | None
) -> CapPosition:
    """The position of ``cost`` against ``cap``; the 個別協議 amount counts only when it applies."""
    if cost < 0 or cap < 0 or (consultation_amount or 0) < 0:
        raise TsunaguError("金額に負の値は使えません。")
    added = (consultation_amount or 0) if individual_consultation else 0
    return CapPosition(cost=cost, cap=cap, consultation=added)


@dataclass(frozen=True)
class WhatIf:
    """Moving ``participants`` from 従前相当 to B or C, at unit costs the user gives."""

    participants: int
    from_label: str
    to_label: str
    from_unit_cost: int  # yen per participant per year
    to_unit_cost: int
    before: CapPosition

    @property
    def cost_change(self) -> int:
        return self.participants * (self.to_unit_cost - self.from_unit_cost)

    @property
    def after(self) -> CapPosition:
        return CapPosition(
            cost=max(self.before.cost + self.cost_change, 0),
            cap=self.before.cap,
            consultation=self.before.consultation,
        )

    @property
    def assumptions(self) -> list[str]:
        return [
            f"{self.participants:,}人が{self.from_label}から{self.to_label}へ移ると仮定",
            f"1人あたり年間費用: {self.from_label} {self.from_unit_cost:,}円、"
            f"{self.to_label} {self.to_unit_cost:,}円（入力値）",
            "他のサービスの費用と上限額は変わらないと仮定",
            "個別協議による加算額は現在の記録のまま"
            if self.before.consultation
            else "個別協議による加算はないものとして計算",
        ]


def what_if(
    *,
    before: CapPosition,
    participants: int,
    from_label: str,
    to_label: str,
    from_unit_cost: int,
    to_unit_cost: int,
) -> WhatIf:
    if participants < 0 or from_unit_cost < 0 or to_unit_cost < 0:
        raise TsunaguError("人数と単価は0以上の整数で入力してください。")
    return WhatIf(
        participants=participants,
        from_label=from_label,
        to_label=to_label,
        from_unit_cost=from_unit_cost,
        to_unit_cost=to_unit_cost,
        before=before,
    )
