"""Reads of handovers, scoped to the supervisor's municipalities."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tsunagu.accounts.scope import scope_for
from tsunagu.continuity.models import Handover
from tsunagu.core.errors import NotFound


def handover_list_for(*, user: Any) -> QuerySet[Handover]:
    """Handovers of the municipalities the user runs handovers for (市町村職員), plus their own."""
    scope = scope_for(user)
    handovers = Handover.objects.select_related("leaver", "municipality", "started_by")
    if scope.is_system_admin:
        return handovers
    return handovers.filter(municipality__in=scope.area_editable_municipality_ids)


def handover_get_for(*, user: Any, pk: int) -> Handover:
    handover = handover_list_for(user=user).filter(pk=pk).first()
    if handover is None:
        raise NotFound()
    return handover
