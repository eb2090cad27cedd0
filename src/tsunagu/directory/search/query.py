""":func:`search`: parse the query, apply scope and filters, then count and page by the
cheapest path (one pass over a few results, the in-process columns, or grouped SQL).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import translation

from tsunagu.core.text import Node, Term, parse_query
from tsunagu.directory.models import Eligibility, SearchEntry
from tsunagu.directory.search import columns as search_columns
from tsunagu.directory.search.cache import _Cached, columns_version
from tsunagu.directory.search.documents import _mask
from tsunagu.directory.search.facets import _facets, _facets_of, _flag, _Group, _passes
from tsunagu.directory.search.filters import (
    _FACET_FILTERS,
    KINDS,
    SearchFilters,
    _area_q,
    _category_ids,
    _conditions,
    _Where,
)
from tsunagu.directory.search.ranking import _page_rows, _ranked, _weights
from tsunagu.directory.search.results import Facet, SearchResult
from tsunagu.directory.search.scope import _visible
from tsunagu.directory.search.sql import (
    _ENTRIES,
    _ID,
    _all_expression,
    _in_name,
    _name_expression,
    _query_terms,
    _rows,
    _source,
    _Sql,
)

# --- small results: one pass -----------------------------------------------------------
#
# Most searches with filters or a rarer word have at most a few hundred results before
# the facet filters. Then one pass reads them all (with their facet values and score),
# and Python counts the facets and ranks the page: the grouped count and the ranking
# would each pass over the full-text matches again. The pass stops after SINGLE_PASS_UP_TO
# rows; a search with more continues with the grouped count (the rows read so far, a
# fraction of the matches, are the only cost of trying).

SINGLE_PASS_UP_TO = 1000  # results before the facet filters
RANK_ALL_UP_TO = 1000  # results ranked all at once (else paged in SQL)


def _single_pass(
    *,
    nodes: list[Node],
    where: _Where,
    conditions: dict[str, Q],
    filters: SearchFilters,
    category_ids: set[int],
) -> tuple[tuple[dict[str, list[Facet]], int], list[tuple[Any, ...]]] | None:
    """(facets and total, every result ranked), or None when there are too many."""
    source = _source(nodes)
    condition = source.where(where(*_FACET_FILTERS))
    eligible, on_weekday = _flag(conditions.get("eligibility")), _flag(conditions.get("weekday"))
    sql = (
        f'SELECT "kind", "category_id", "org_type", "eligibility_keys", "weekday_mask", {_ID}, '
        f"{eligible.text}, {on_weekday.text} FROM {source.tables} WHERE {condition.text} "
        "LIMIT %s"
    )
    params = eligible.params + on_weekday.params + condition.params
    with _no_seq_scan(bool(nodes)):
        rows = _rows(sql, (*params, SINGLE_PASS_UP_TO + 1))
    if len(rows) > SINGLE_PASS_UP_TO:
        return None
    eligibility = list(Eligibility.objects.order_by("sort_order", "code"))
    wanted = {e.pk for e in eligibility}
    groups: dict[tuple[Any, ...], _Group] = {}
    results = []
    for kind, category_id, org_type, keys, days, pk, eligible_flag, weekday_flag in rows:
        key = (kind, category_id, org_type, bool(eligible_flag), bool(weekday_flag))
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(*key, count=0, eligibility={}, weekday={})
        group.count += 1
        for text in keys.split():
            if int(text) in wanted:
                group.eligibility[int(text)] = group.eligibility.get(int(text), 0) + 1
        for weekday in range(7):
            if days >> weekday & 1:
                group.weekday[weekday] = group.weekday.get(weekday, 0) + 1
        if _passes(filters, category_ids, group):
            results.append(pk)
    counted = _facets_of(groups.values(), filters, category_ids, eligibility)
    return counted, _ranked(results, nodes)


@contextmanager
def _no_seq_scan(active: bool) -> Iterator[None]:
    """PostgreSQL: a LIMIT makes its planner expect the rows early in a sequential scan
    (it cannot estimate a full-text match), which then tests every row's tsvector:
    measured 50 ms where the GIN index finds them in 3. Not for the empty query, where a
    sequential scan is right."""
    if not active or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = on")


# --- search ----------------------------------------------------------------------------


def search(
    *,
    user: Any,
    query: str = "",
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = 20,
    public_only: bool = False,
) -> SearchResult:
    """Search the directory as ``user`` sees it (``public_only``: as a resident without login).

    An empty query lists everything visible (with the filters), ordered by name. ``page``
    is clamped to the pages there are.
    """
    filters = filters or SearchFilters()
    filters = replace(filters, kinds=[k for k in KINDS if k in (filters.kinds or KINDS)])
    per_page = max(1, int(per_page))
    nodes = parse_query(query)
    category_ids = _category_ids(filters.categories)

    scope = SearchEntry.objects.filter(_visible(user, public_only=public_only))
    if filters.area is not None:
        scope = scope.filter(_area_q(filters.area))
    if filters.entries is not None:
        scope = scope.filter(filters.entries)
    conditions = _conditions(filters, category_ids)
    named = _in_name(_query_terms(nodes)) if nodes else None
    where = _Where(scope, conditions, filters)

    cached = _Cached.open(where=where(), named=named, nodes=nodes, public_only=public_only)
    # read before _session(), whose transaction (PostgreSQL) would rule the columns out
    version = columns_version()
    columns_wait = _columns_wait()
    with translation.override("ja"):
        return _search(
            cached=cached,
            columns_version=version,
            columns_wait=columns_wait,
            nodes=nodes,
            page=page,
            per_page=per_page,
            public_only=public_only,
            filters=filters,
            category_ids=category_ids,
            conditions=conditions,
            where=where,
            named=named,
        )


@contextmanager
def _session() -> Iterator[None]:
    """PostgreSQL: no parallel workers for these short queries (starting them cost more
    than they saved, measured with the benchmark); set for this transaction only. (No
    transaction on SQLite: its IMMEDIATE transactions would take the write lock.)"""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def _search(
    *,
    cached: _Cached | None,
    columns_version: int | None,
    columns_wait: bool,
    nodes: list[Node],
    page: int,
    per_page: int,
    public_only: bool,
    filters: SearchFilters,
    category_ids: set[int],
    conditions: dict[str, Q],
    where: Any,
    named: _Sql | None,
) -> SearchResult:
    def page_of(total: int) -> int:
        return min(max(1, int(page)), max(1, math.ceil(total / per_page)))

    def large(matches: Any = None) -> _Large | None:
        if columns_version is None:
            return None
        return _large(
            version=columns_version,
            wait=columns_wait,
            matches=matches,
            nodes=nodes,
            where=where,
            filters=filters,
            category_ids=category_ids,
        )

    counted = cached.get("counts") if cached else None
    rows = None
    if counted is not None and cached:
        rows = cached.get(f"page:{page_of(counted[1])}:{per_page}")
    if counted is None or rows is None:
        # only what the cache did not have costs a database session
        with _session():
            # a few results are ranked all at once (and kept so); more are ordered over
            # the columns, or paged in SQL
            ranked = cached.get("ranked") if cached and counted is not None else None
            found = None
            if counted is None or (ranked is None and counted[1] <= RANK_ALL_UP_TO):
                # with the columns at hand, a query matching more than the single pass
                # takes goes to them at once (the single pass would stop in vain)
                ready = columns_version is not None and (
                    columns_wait or search_columns.ready(columns_version)
                )
                matches = _matches(nodes) if nodes and ready else None
                single = None
                if matches is None or matches.size <= SINGLE_PASS_UP_TO:
                    single = _single_pass(
                        nodes=nodes,
                        where=where,
                        conditions=conditions,
                        filters=filters,
                        category_ids=category_ids,
                    )
                if single is not None:
                    counted, ranked = single
                elif (found := large(matches)) is not None:
                    counted = found.counted
                else:
                    counted, ids = _facets(_source(nodes), where, conditions, filters, category_ids)
                    # a few results are ranked from the ids the grouped pass collected
                    small = ids is not None and counted[1] <= RANK_ALL_UP_TO
                    ranked = _ranked(ids, nodes) if small else None
                if cached:
                    cached.set("counts", counted)
                    if ranked is not None:
                        cached.set("ranked", ranked)
            elif ranked is None:
                found = large()
            if found is not None:
                start = (page_of(counted[1]) - 1) * per_page
                rows = found.page(start, per_page)
            elif ranked is not None:
                start = (page_of(counted[1]) - 1) * per_page
                rows = ranked[start : start + per_page]
            else:
                rows = _page_rows(
                    nodes=nodes,
                    page=page_of(counted[1]),
                    per_page=per_page,
                    total=counted[1],
                    where=where,
                    named=named,
                    cached=cached,
                )
            if cached:
                cached.set(f"page:{page_of(counted[1])}:{per_page}", rows)
    facets, total = counted
    page = page_of(total)
    return SearchResult(
        total=total,
        page=page,
        per_page=per_page,
        facets=facets,
        rows=rows,
        public_only=public_only,
        version=columns_version if cached else None,
    )


# --- many results: over in-process columns (.columns) --------------------------------------


def _columns_wait() -> bool:
    """Whether the columns of a new version are read at once, not in the background:
    inside a transaction (the tests), whose rows only this connection sees."""
    return connection.in_atomic_block


@dataclass
class _Large:
    counted: tuple[dict[str, list[Facet]], int]
    cols: search_columns.Columns
    order: Any  # positions in cols (numpy)
    scores: Any  # per position in order, or None for an empty query

    def page(self, start: int, count: int) -> list[tuple[Any, ...]]:
        end = start + count
        scores = None if self.scores is None else self.scores[start:end]
        return search_columns.rows_of(self.cols, self.order[start:end], scores)


_FTS = "directory_searchentry_fts"


def _fts_ids(expression: str) -> Any:
    """Ids of the entries matching an FTS5 ``expression`` (SQLite's index alone)."""
    return search_columns.ids_of("rowid", f"FROM {_FTS} WHERE {_FTS} MATCH %s", (expression,))


def _matches(nodes: list[Node]) -> Any:
    """Ids of the entries whose terms match every node, from the full-text index.

    (PostgreSQL visits each match's row for its id. Testing the row's name tsvector for
    the query terms on the way cost 3-4 µs a row: more than the in-process name terms.)
    """
    if connection.vendor == "sqlite":
        return _fts_ids(_all_expression("sqlite", nodes))
    return search_columns.ids_of(
        '"id"',
        f'FROM {_ENTRIES} WHERE "terms_tsv" @@ %s::tsquery',
        (_all_expression("postgresql", nodes),),
    )


def _large(
    *,
    version: int,
    wait: bool,
    matches: Any,  # ids of the full-text matches (numpy) when already read
    nodes: list[Node],
    where: _Where,
    filters: SearchFilters,
    category_ids: set[int],
) -> _Large | None:
    """Facet counts, total and the order of every result, counted over the columns; None
    when an eligibility id does not fit their bit masks, or the columns of this version
    are still being read (the SQL path answers then)."""
    eligibility = list(Eligibility.objects.order_by("sort_order", "code"))
    eligibility_ids = [e.pk for e in eligibility]
    if not search_columns.fits(eligibility_ids, filters.eligibility):
        return None
    cols = search_columns.columns(version, wait=wait)
    if cols is None:  # being read in the background
        return None
    if nodes and matches is None:
        matches = _matches(nodes)
    scope = where(*_FACET_FILTERS)
    in_scope = search_columns.scope(cols, scope.text, scope.params)
    selection = search_columns.select(
        cols,
        in_scope,
        matches,
        kinds=filters.kinds,
        category_ids=category_ids if filters.categories else None,
        org_types=filters.org_types or None,
        eligibility_bits=_mask(filters.eligibility),  # all fit the mask (checked above)
        weekday_bits=_mask(filters.weekdays),
    )
    groups = [_Group(*row) for row in search_columns.grouped(selection, eligibility_ids)]
    counted = _facets_of(groups, filters, category_ids, eligibility)
    # one look-up per query term; a weight's names are those with any of its terms
    if connection.vendor == "postgresql":
        in_name = {term: search_columns.name_marks(cols, term) for term in _query_terms(nodes)}
    else:  # SQLite finds them in its FTS5 index alone
        in_name = {
            term: cols.marks(_fts_ids(_name_expression("sqlite", Term(term))))
            for term in _query_terms(nodes)
        }
    weights = [
        (np.logical_or.reduce([in_name[term] for term in terms]), weight)
        for terms, weight in _weights(nodes).items()
    ]
    order, scores = search_columns.ordered(selection, weights, scored=bool(nodes))
    return _Large(counted, cols, order, scores)
