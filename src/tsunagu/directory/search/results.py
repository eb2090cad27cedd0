"""What a search returns: :class:`SearchResult` (total, facets, the page's rows) and the
page's records (:class:`SearchHit`), loaded by id on first use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tsunagu.directory.models import Organisation, Resource


@dataclass
class SearchHit:
    kind: str  # "resource" | "organisation"
    obj: Any
    score: float


@dataclass
class Facet:
    key: str
    label: str
    count: int


@dataclass
class SearchResult:
    total: int
    page: int
    per_page: int
    facets: dict[str, list[Facet]]  # "category", "org_type", "eligibility", "weekday", "kind"
    # the page's (kind, organisation_id, resource_id, score); its records are loaded on
    # first use of ``hits`` (a page whose rendering is cached needs none of them)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    public_only: bool = False
    # the index version the result belongs to, when it may be kept (outside a transaction)
    version: int | None = None
    _hits: list[SearchHit] | None = field(default=None, repr=False, compare=False)

    @property
    def hits(self) -> list[SearchHit]:
        if self._hits is None:
            self._hits = _load_hits(self.rows, public_only=self.public_only)
        return self._hits

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        """1-based position of the first hit on this page (0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.hits else 0


# boundaries (GeoJSON) of the scope's areas: never shown in a result list, costly to parse
_AREA_SHAPES = ("municipality__boundary", "prefecture__boundary")


def _load_hits(
    rows: list[tuple[str, int | None, int | None, int]], *, public_only: bool
) -> list[SearchHit]:
    """The page's records, by id, with what the selectors' lists select as well.

    Scope was applied to the entries (visible_q, as the selectors apply it to records).
    Loading through the selectors again would cost a scan of every organisation on SQLite
    (the provider check is a sub-query SQLite runs in full) for no change in the result.
    """
    resource_ids = [r for kind, _, r, _ in rows if kind == "resource"]
    organisation_ids = [o for kind, o, _, _ in rows if kind == "organisation"]
    found: dict[tuple[str, int], Any] = {}
    if resource_ids:
        for obj in (
            Resource.objects.select_related("provider", "category", "municipality", "prefecture")
            .defer(*_AREA_SHAPES)
            .filter(pk__in=resource_ids)
            .order_by()  # the page's order is the search's (a model ordering costs ~2 ms)
        ):
            found[("resource", obj.pk)] = obj
    if organisation_ids:
        for obj in (
            Organisation.objects.select_related("municipality", "prefecture", "parent")
            .defer(*_AREA_SHAPES)
            .filter(pk__in=organisation_ids)
            .order_by()  # the page's order is the search's (a model ordering costs ~2 ms)
        ):
            found[("organisation", obj.pk)] = obj
    hits = []
    for kind, organisation_id, resource_id, score in rows:
        key = (kind, resource_id if kind == "resource" else organisation_id)
        if key in found:
            hits.append(SearchHit(kind, found[key], float(score)))
    return hits
