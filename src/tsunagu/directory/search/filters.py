""":class:`SearchFilters` and their SQL: categories with their descendants, the area served,
the facet filters, and the scope, each compiled once per search (:class:`_Where`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.lookups import GreaterThan

from tsunagu.directory.models import Category, Organisation, Resource, SearchEntry
from tsunagu.directory.search.sql import _compiled, _Sql

KINDS = ("resource", "organisation")
AREA_KINDS = ("municipality", "daily_life_area", "district")


@dataclass
class SearchFilters:
    categories: list[int] = field(default_factory=list)  # Category ids; include descendants
    # ("municipality" | "daily_life_area" | "district", pk): resources serving it (a resource
    # serving its whole municipality counts) and organisations active there
    area: tuple[str, int] | None = None
    eligibility: list[int] = field(default_factory=list)  # Eligibility ids (any of)
    # OrganisationType values (the provider's, for resources)
    org_types: list[str] = field(default_factory=list)
    # 0=Mon..6=Sun: resources with a weekly slot that day (any of)
    weekdays: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=lambda: ["resource", "organisation"])
    # further conditions on the entries, for filters the page does not offer (the API's
    # provider, status, visibility …): part of the search's scope, so counts and pages stay
    # the engine's
    entries: Q | None = None


# --- filters ---------------------------------------------------------------------------


def _category_ids(ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found: set[int] = set()
    frontier = list(wanted)
    while frontier:
        pk = frontier.pop()
        if pk not in found:
            found.add(pk)
            frontier.extend(children.get(pk, []))
    return found


def _serving(through: Any, own: str, **lookup: Any) -> Q:
    """Entries whose record is listed in ``through`` (own: its column, the same name as
    the entry's: resource_id or organisation_id)."""
    return Q(**{f"{own}__in": through.objects.filter(**lookup).values(own)})


def _area_q(area: tuple[str, int] | None) -> Q:
    """Entries serving an area: a resource (or organisation) of the municipality serving
    all of it, or listing the area (a district's daily-life area counts for the district
    and the districts of a daily-life area for it)."""
    from tsunagu.areas.models import DailyLifeArea, District

    if area is None:
        return Q()
    kind, pk = area
    if kind == "municipality":
        return Q(municipality_id=pk)
    if kind == "daily_life_area":
        municipality_id = (
            DailyLifeArea.objects.filter(pk=pk).values_list("municipality_id", flat=True).first()
        )
        if municipality_id is None:
            return Q(pk__in=[])
        condition = Q(serves_whole_municipality=True, municipality_id=municipality_id)
        for model, own in ((Resource, "resource_id"), (Organisation, "organisation_id")):
            condition |= _serving(model.daily_life_areas.through, own, dailylifearea_id=pk)
            condition |= _serving(model.districts.through, own, district__daily_life_area_id=pk)
        return condition
    if kind == "district":
        found = District.objects.filter(pk=pk).values("municipality_id", "daily_life_area_id")
        district = found.first()
        if district is None:
            return Q(pk__in=[])
        condition = Q(serves_whole_municipality=True, municipality_id=district["municipality_id"])
        for model, own in ((Resource, "resource_id"), (Organisation, "organisation_id")):
            condition |= _serving(model.districts.through, own, district_id=pk)
            if district["daily_life_area_id"]:
                condition |= _serving(
                    model.daily_life_areas.through,
                    own,
                    dailylifearea_id=district["daily_life_area_id"],
                )
        return condition
    raise ValueError(f"unknown area kind {kind!r} (expected one of {AREA_KINDS})")


def _any_key(field_name: str, mask_name: str, keys: Iterable[int]) -> Q:
    """Entries with any of ``keys``: a bit test on the mask (keys 0-62), else the text
    of keys (a LIKE per row costs several times the bit test)."""
    bits, condition = 0, Q()
    for key in map(int, keys):
        if 0 <= key < 63:
            bits |= 1 << key
        else:
            condition |= Q(**{f"{field_name}__contains": f" {key} "})
    if bits:
        condition |= Q(GreaterThan(F(mask_name).bitand(bits), 0))
    return condition


def _conditions(filters: SearchFilters, category_ids: set[int]) -> dict[str, Q]:
    """One condition per facet filter (the facets' "own" filters)."""
    conditions: dict[str, Q] = {}
    if filters.categories:
        # organisations have no category: a category filter keeps resources only
        conditions["category"] = Q(category_id__in=category_ids)
    if filters.org_types:
        conditions["org_type"] = Q(org_type__in=filters.org_types)
    if filters.eligibility:
        conditions["eligibility"] = _any_key(
            "eligibility_keys", "eligibility_mask", filters.eligibility
        )
    if filters.weekdays:
        conditions["weekday"] = _any_key("weekday_keys", "weekday_mask", filters.weekdays)
    conditions["kind"] = Q(kind__in=filters.kinds)
    return conditions


_FACET_FILTERS = ("kind", "category", "org_type", "eligibility", "weekday")


class _Where:
    """The SQL conditions of a search without its full-text match: scope and area, and
    each facet filter, each compiled once (compiling the scope's Q costs more than some
    searches). ``where(*skip)``: all of them but the facet filters named."""

    def __init__(
        self, scope: QuerySet[SearchEntry], conditions: dict[str, Q], filters: SearchFilters
    ) -> None:
        self.scope = _compiled(scope)
        self.conditions = {
            name: _compiled(SearchEntry.objects.filter(condition))
            for name, condition in conditions.items()
        }
        # some facet filter leaves out results (the kind filter is always there, and
        # leaves some out only when one kind was chosen)
        self.facet_filtered = any(name != "kind" for name in conditions) or (
            len(filters.kinds) < len(KINDS)
        )

    def __call__(self, *skip: str) -> _Sql:
        combined = self.scope
        for name, sql in self.conditions.items():
            if name not in skip:
                combined = combined & sql
        return combined

    def facet_filters(self) -> _Sql:
        """The facet filters alone (all of them)."""
        combined = _Sql("1 = 1")
        for sql in self.conditions.values():
            combined = combined & sql
        return combined
