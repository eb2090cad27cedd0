from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def attr_cost(year: Any, service_type: str) -> int | None:
    """A money year's cost of one service type (None when not recorded)."""
    return year.cost_of(service_type)
