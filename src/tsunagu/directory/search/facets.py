"""Facet counts and the total: one grouped pass over the full-text matches, the groups
counted in Python so that each facet counts with every filter but its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q

from tsunagu.directory.models import Category, Eligibility, OrganisationType, SearchEntry, Weekday
from tsunagu.directory.search.filters import _FACET_FILTERS, KINDS, SearchFilters, _Where
from tsunagu.directory.search.results import Facet
from tsunagu.directory.search.sql import _ID, _compiled, _rows, _Source, _Sql

# --- facets ----------------------------------------------------------------------------
#
# Counting is the costly part of a search that matches thousands of entries, so it runs
# as one pass over them: grouped by kind, category and organisation type, with the
# eligibility and weekday bits counted per group. Python then applies the kind, category
# and type filters per group, so that each facet counts with every filter but its own.


@dataclass
class _Group:
    kind: str
    category_id: int | None
    org_type: str
    eligible: bool  # passes the eligibility filter (True when there is none)
    on_weekday: bool  # passes the weekday filter (True when there is none)
    count: int
    eligibility: dict[int, int]
    weekday: dict[int, int]


def _flag(condition: Q | None) -> _Sql:
    """A condition on SearchEntry as a 0/1 column (1 when there is no condition)."""
    if condition is None:
        return _Sql("1")
    where = _compiled(SearchEntry.objects.filter(condition))
    return _Sql(f"CASE WHEN {where.text} THEN 1 ELSE 0 END", where.params)


def _bit_count(column: str, bit: int) -> str:
    """How many rows of a group have ``bit`` set in ``column`` (an integer mask).

    PostgreSQL: a filtered COUNT (a SUM of bigints would be a slow numeric; casting each
    bit costs more than the filter). SQLite: a sum of the shifted bit, with no cast (its
    integers sum as integers).
    """
    if connection.vendor == "postgresql":
        return f'COUNT(*) FILTER (WHERE "{column}" & {1 << bit} <> 0)'
    return f'SUM(("{column}" >> {bit}) & 1)'


def _grouped_counts(
    source: _Source,
    where: _Sql,
    conditions: dict[str, Q],
    eligibility_ids: list[int],
    collect: _Sql | None = None,
) -> tuple[list[_Group], list[int]]:
    """The groups, and the ids of the rows meeting ``collect`` (when given)."""
    eligible, on_weekday = _flag(conditions.get("eligibility")), _flag(conditions.get("weekday"))
    columns = [eligible.text, on_weekday.text, "COUNT(*)"]
    params: tuple[Any, ...] = eligible.params + on_weekday.params
    if collect is None:
        columns.append("NULL")
    elif connection.vendor == "postgresql":
        columns.append(f"array_agg({_ID}) FILTER (WHERE {collect.text})")
        params += collect.params
    else:
        columns.append(f"group_concat(CASE WHEN {collect.text} THEN {_ID} END)")
        params += collect.params
    for pk in eligibility_ids:
        if 0 <= pk < 63:
            columns.append(_bit_count("eligibility_mask", int(pk)))
        else:  # beyond the mask's bits
            columns.append('SUM(CASE WHEN "eligibility_keys" LIKE %s THEN 1 ELSE 0 END)')
            params += (f"% {int(pk)} %",)
    columns += [_bit_count("weekday_mask", day) for day in range(7)]
    condition = source.where(where)
    sql = (
        f'SELECT "kind", "category_id", "org_type", {", ".join(columns)} '
        f"FROM {source.tables} WHERE {condition.text} GROUP BY 1, 2, 3, 4, 5"
    )
    groups = []
    ids: list[int] = []
    for row in _rows(sql, params + condition.params):
        kind, category_id, org_type, eligible_flag, weekday_flag, count, collected, *sums = row
        if isinstance(collected, str):
            ids.extend(int(pk) for pk in collected.split(","))
        elif collected:
            ids.extend(collected)
        groups.append(
            _Group(
                kind=kind,
                category_id=category_id,
                org_type=org_type,
                eligible=bool(eligible_flag),
                on_weekday=bool(weekday_flag),
                count=int(count),
                eligibility={pk: int(n or 0) for pk, n in zip(eligibility_ids, sums, strict=False)},
                weekday={day: int(n or 0) for day, n in enumerate(sums[len(eligibility_ids) :])},
            )
        )
    return groups, ids


def _facets(
    source: _Source,
    where: _Where,
    conditions: dict[str, Q],
    filters: SearchFilters,
    category_ids: set[int],
) -> tuple[tuple[dict[str, list[Facet]], int], list[int] | None]:
    """(Facet counts and the total, the ids of the results when a facet filter leaves out
    some — else None; the caller ranks them when they are few).

    One grouped pass over the results without the facet filters (and without the
    full-text match, which ``source`` adds): the facet filters become group columns (or
    are checked per group), so that each facet is counted with all filters but its own.
    With a facet filter, the pass also collects the ids of the rows it keeps: a few
    results are then ranked from them instead of in another pass over the matches.
    """
    eligibility = list(Eligibility.objects.order_by("sort_order", "code"))
    eligibility_ids = [e.pk for e in eligibility]
    collect = where.facet_filters() if where.facet_filtered else None
    groups, ids = _grouped_counts(
        source, where(*_FACET_FILTERS), conditions, eligibility_ids, collect
    )
    counted = _facets_of(groups, filters, category_ids, eligibility)
    return counted, (ids if collect is not None else None)


def _passes(filters: SearchFilters, category_ids: set[int], group: _Group, *skip: str) -> bool:
    """Whether a group's entries pass the facet filters (but those in ``skip``)."""
    return (
        ("category" in skip or not filters.categories or group.category_id in category_ids)
        and ("org_type" in skip or not filters.org_types or group.org_type in filters.org_types)
        and ("kind" in skip or group.kind in filters.kinds)
        and ("eligibility" in skip or group.eligible)
        and ("weekday" in skip or group.on_weekday)
    )


def _facets_of(
    groups: Iterable[_Group],
    filters: SearchFilters,
    category_ids: set[int],
    eligibility: list[Eligibility],
) -> tuple[dict[str, list[Facet]], int]:
    """Facet counts and the total from the groups of the results without facet filters."""

    def passes(group: _Group, *skip: str) -> bool:
        return _passes(filters, category_ids, group, *skip)

    kind_counts = dict.fromkeys(KINDS, 0)
    category_direct: dict[int, int] = {}
    type_counts: dict[str, int] = {}
    eligibility_counts: dict[int, int] = {}
    weekday_counts: dict[int, int] = {}
    total = 0
    for group in groups:
        if passes(group, "kind"):
            kind_counts[group.kind] += group.count
        if group.kind == "resource" and passes(group, "category") and group.category_id:
            category_direct[group.category_id] = (
                category_direct.get(group.category_id, 0) + group.count
            )
        if passes(group, "org_type"):
            type_counts[group.org_type] = type_counts.get(group.org_type, 0) + group.count
        if group.kind == "resource" and passes(group, "eligibility"):
            for key, n in group.eligibility.items():
                eligibility_counts[key] = eligibility_counts.get(key, 0) + n
        if group.kind == "resource" and passes(group, "weekday"):
            for key, n in group.weekday.items():
                weekday_counts[key] = weekday_counts.get(key, 0) + n
        if passes(group):
            total += group.count

    kind_labels = dict(SearchEntry.Kind.choices)
    facets: dict[str, list[Facet]] = {
        "kind": [
            Facet(kind, str(kind_labels[kind]), kind_counts[kind])
            for kind in KINDS
            if kind_counts[kind] or kind in filters.kinds
        ]
    }
    categories = list(Category.objects.order_by("sort_order", "code"))
    parent_of = {c.pk: c.parent_id for c in categories}
    rolled: dict[int, int] = {}  # a parent category counts its descendants
    for category_id, n in category_direct.items():
        current, seen = category_id, set()
        while current is not None and current not in seen:
            seen.add(current)
            rolled[current] = rolled.get(current, 0) + n
            current = parent_of.get(current)
    facets["category"] = [
        Facet(str(c.pk), c.name, rolled.get(c.pk, 0))
        for c in categories
        if rolled.get(c.pk) or c.pk in filters.categories
    ]
    facets["org_type"] = [
        Facet(value, str(label), type_counts.get(value, 0))
        for value, label in OrganisationType.choices
        if type_counts.get(value) or value in filters.org_types
    ]
    facets["eligibility"] = [
        Facet(str(e.pk), e.name, eligibility_counts.get(e.pk, 0))
        for e in eligibility
        if eligibility_counts.get(e.pk) or e.pk in filters.eligibility
    ]
    facets["weekday"] = [
        Facet(str(day), str(label), weekday_counts.get(day, 0))
        for day, label in Weekday.choices
        if weekday_counts.get(day) or day in filters.weekdays
    ]
    return facets, total
