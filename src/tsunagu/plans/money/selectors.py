"""Reads of the 総合事業's money for users: one municipality's years."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tsunagu.accounts.scope import can_view, municipalities_visible_to
from tsunagu.areas.models import Municipality
from tsunagu.core.errors import NotFound
from tsunagu.plans.money.arithmetic import CapPosition, cap_position
from tsunagu.plans.money.models import CostCap, GrantReceipt, ServiceCost


@dataclass
class MoneyYear:
    fiscal_year: int
    costs: list[ServiceCost] = field(default_factory=list)
    cap: CostCap | None = None
    grants: list[GrantReceipt] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.amount for c in self.costs)

    @property
    def grant_total(self) -> int:
        return sum(g.amount for g in self.grants)

    @property
    def position(self) -> CapPosition | None:
        if self.cap is None:
            return None
        return cap_position(
            cost=self.total,
            cap=self.cap.amount,
            individual_consultation=self.cap.individual_consultation,
            consultation_amount=self.cap.consultation_amount,
        )

    @property
    def is_synthetic(self) -> bool:
        rows = [*self.costs, *self.grants, *([self.cap] if self.cap else [])]
        return any(r.is_synthetic for r in rows)

    def cost_of(self, service_type: str) -> int | None:
        return next((c.amount for c in self.costs if c.service_type == service_type), None)


def money_years(*, user: Any, municipality: Municipality) -> list[MoneyYear]:
    """The municipality's years with costs, cap or grants, oldest first; NotFound out of scope."""
    if not can_view(user, municipality):
        raise NotFound()
    years: dict[int, MoneyYear] = defaultdict(lambda: MoneyYear(0))
    for cost in ServiceCost.objects.filter(municipality=municipality):
        years[cost.fiscal_year].costs.append(cost)
    for cap in CostCap.objects.filter(municipality=municipality):
        years[cap.fiscal_year].cap = cap
    for grant in GrantReceipt.objects.filter(municipality=municipality):
        years[grant.fiscal_year].grants.append(grant)
    result = []
    for year in sorted(years):
        years[year].fiscal_year = year
        result.append(years[year])
    return result


def municipalities_with_money_for(*, user: Any) -> list[Municipality]:
    ids = set(ServiceCost.objects.values_list("municipality", flat=True)) | set(
        CostCap.objects.values_list("municipality", flat=True)
    )
    return list(municipalities_visible_to(user).filter(pk__in=ids))
