"""Reads of stewardship for pages: a user's responsibilities, a record's stewards."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from tsunagu.continuity.models import Stewardship
from tsunagu.continuity.registry import StewardedKind, kind_for_model, kinds


@dataclass(frozen=True)
class Responsibility:
    stewardship: Stewardship
    obj: models.Model
    title: str
    url: str

    @property
    def handed_over(self) -> bool:
        return self.stewardship.handed_over_by_id is not None


def _resolved(
    rows: list[Stewardship], user: Any
) -> list[tuple[StewardedKind, list[Responsibility]]]:
    """Rows grouped by kind, each with its record, only the records ``user`` may see."""
    by_type: dict[int, list[Stewardship]] = defaultdict(list)
    for row in rows:
        by_type[row.content_type_id].append(row)
    groups: list[tuple[StewardedKind, list[Responsibility]]] = []
    for type_rows in by_type.values():
        content_type = type_rows[0].content_type
        model = content_type.model_class()
        kind = kind_for_model(model) if model is not None else None
        if kind is None:
            continue
        objects = model._default_manager.in_bulk({r.object_id for r in type_rows})  # type: ignore[union-attr]
        items = [
            Responsibility(row, obj, kind.title(obj), kind.url(obj))
            for row in type_rows
            if (obj := objects.get(row.object_id)) is not None and kind.can_view(user, obj)
        ]
        if items:
            groups.append((kind, sorted(items, key=lambda i: i.title)))
    order = {k.key(): n for n, k in enumerate(kinds())}
    return sorted(groups, key=lambda g: order.get(g[0].key(), 999))


def responsibilities_of(
    *, user: Any, viewer: Any | None = None
) -> list[tuple[StewardedKind, list[Responsibility]]]:
    """What ``user`` stewards or deputises now or from a coming date, grouped by kind."""
    rows = list(
        Stewardship.objects.filter(user=user)
        .current_or_future()
        .select_related("content_type", "handed_over_by__handover__leaver")
    )
    return _resolved(rows, viewer or user)


def stewards_of(obj: models.Model) -> list[Stewardship]:
    """The record's current and coming 担当/副担当, steward first."""
    today = timezone.localdate()
    rows = Stewardship.objects.of(obj).current_or_future(today).select_related("user")
    return sorted(rows, key=lambda r: (r.role != "steward", r.since, r.user.display_name))


def stewardship_history_of(obj: models.Model) -> list[Stewardship]:
    """Every period anyone held a role for the record, newest first."""
    return list(Stewardship.objects.of(obj).select_related("user").order_by("-since", "role"))
