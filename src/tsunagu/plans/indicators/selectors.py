"""Reads of indicators for users (scoped through accounts.scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from tsunagu.accounts.scope import (
    can_view,
    municipalities_visible_to,
    prefectures_visible_to,
    scope_q,
)
from tsunagu.areas.models import Municipality, Prefecture
from tsunagu.core.errors import NotFound
from tsunagu.plans.indicators.models import IndicatorYear


def indicators_visible_to(*, user: Any) -> QuerySet[IndicatorYear]:
    return IndicatorYear.objects.filter(
        scope_q(user, municipality_field="municipality", prefecture_field="prefecture")
    ).select_related("municipality", "prefecture")


def indicator_series(*, user: Any, area: Municipality | Prefecture) -> list[IndicatorYear]:
    """One area's rows by year (oldest first); NotFound when the area is not visible."""
    if not can_view(user, area):
        raise NotFound()
    rows = indicators_visible_to(user=user)
    if isinstance(area, Municipality):
        rows = rows.filter(municipality=area)
    else:
        rows = rows.filter(prefecture=area, municipality__isnull=True)
    return list(rows.order_by("year", "id"))


def municipality_get_for_user(*, user: Any, pk: int) -> Municipality:
    municipality = (
        municipalities_visible_to(user).select_related("prefecture").filter(pk=pk).first()
    )
    if municipality is None:
        raise NotFound()
    return municipality


def prefecture_get_for_user(*, user: Any, pk: int) -> Prefecture:
    prefecture = prefectures_visible_to(user).filter(pk=pk).first()
    if prefecture is None:
        raise NotFound()
    return prefecture


@dataclass(frozen=True)
class AreaChoice:
    kind: str  # "m" or "p"
    pk: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}{self.pk}"


def areas_with_indicators_for(*, user: Any) -> list[AreaChoice]:
    """The areas the user sees that have indicator rows (prefectures first)."""
    rows = indicators_visible_to(user=user)
    choices = [
        AreaChoice("p", p.pk, p.name)
        for p in Prefecture.objects.filter(
            pk__in=rows.filter(municipality__isnull=True).values("prefecture")
        ).order_by("code")
    ]
    choices += [
        AreaChoice("m", m.pk, m.name)
        for m in Municipality.objects.filter(
            pk__in=rows.filter(municipality__isnull=False).values("municipality")
        ).order_by("code")
    ]
    return choices


def area_from_key(*, user: Any, key: str) -> Municipality | Prefecture:
    """``m12`` / ``p3`` → the area, if the user may see it (else NotFound)."""
    kind, digits = key[:1], key[1:]
    if not digits.isdigit() or kind not in ("m", "p"):
        raise NotFound()
    if kind == "m":
        return municipality_get_for_user(user=user, pk=int(digits))
    return prefecture_get_for_user(user=user, pk=int(digits))
