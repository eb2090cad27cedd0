"""Ranking and paging: a name's score (the same on both databases), a few results ranked
in Python, and a page of many in SQL (the name matches ranked, then the rest by name).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from tsunagu.core.text import Node, node_terms
from tsunagu.directory.search.cache import _Cached
from tsunagu.directory.search.sql import (
    _ENTRIES,
    _ID,
    _flat,
    _in_name,
    _matching,
    _name_condition,
    _name_order,
    _query_terms,
    _rows,
    _Sql,
)

NAME_CHUNK_WEIGHT = 4  # a query chunk found in the name
NAME_TERM_WEIGHT = 1  # each query term (variant) found in the name


def _weights(nodes: list[Node]) -> dict[tuple[str, ...], int]:
    """What a name earns: per group of terms (a chunk's, or one term), when any is in it."""
    weights: dict[tuple[str, ...], int] = {}  # the same terms tested once (a 1-term chunk)
    for node in nodes:
        key = tuple(node_terms(node))
        weights[key] = weights.get(key, 0) + NAME_CHUNK_WEIGHT
    for term in _query_terms(nodes):
        weights[(term,)] = weights.get((term,), 0) + NAME_TERM_WEIGHT
    return weights


def _score_of(weights: dict[tuple[str, ...], int], name_terms: set[str]) -> int:
    """The score of a name with ``name_terms`` (as ``_score`` computes it in SQL)."""
    return 1 + sum(w for terms, w in weights.items() if any(t in name_terms for t in terms))


def _score(nodes: list[Node], *, named_only: bool = False) -> _Sql:
    """1 + the query's chunks and terms found in the name (the same on both databases).

    Each condition is a sub-query the database runs once (the entries whose name has the
    term), then probes per row: cheaper than reading and matching the names.
    ``named_only``: the rows scored all have some query term in the name, so a condition
    on all the query's terms is true for each of them and costs no sub-query (a
    one-chunk query, one-term queries entirely).
    """
    weights = _weights(nodes)
    every = set(_query_terms(nodes))
    base = 1
    if named_only:
        for terms in [terms for terms in weights if set(terms) == every]:
            base += weights.pop(terms)
    # PostgreSQL tests each row's name tsvector (the rows are read anyway: measured 20 %
    # faster than a sub-query reading every entry with the term in the name); SQLite
    # probes a set of ids from its FTS index.
    test = _name_condition if connection.vendor == "postgresql" else _in_name
    parts = [(test(terms), weight) for terms, weight in weights.items()]
    text = " + ".join(
        [str(base)] + [f"CASE WHEN {sql.text} THEN {w} ELSE 0 END" for sql, w in parts]
    )
    params: tuple[Any, ...] = ()
    for sql, _ in parts:
        params += sql.params
    return _Sql(text, params)


def _ranked(ids: list[int], nodes: list[Node]) -> list[tuple[Any, ...]]:
    """The entries ``ids`` as (kind, organisation_id, resource_id, score), ranked.

    For a few hundred results: their names' terms are read and scored here, by the same
    weights as ``_score`` (whose sub-queries would read every entry with a query term
    in the name, however few the results).
    """
    if not ids:
        return []
    weights = _weights(nodes) if nodes else {}
    if connection.vendor == "postgresql":
        found = _rows(
            'SELECT "id", "kind", "organisation_id", "resource_id", "name", '
            f"{'tsvector_to_array(name_tsv)' if nodes else 'NULL'} "
            f"FROM {_ENTRIES} WHERE {_ID} = ANY(%s)",
            (list(ids),),
        )
    else:
        placeholders = ", ".join(["%s"] * len(ids))
        found = _rows(
            f'SELECT "id", "kind", "organisation_id", "resource_id", "name", '
            f"{'f.name_terms' if nodes else 'NULL'} FROM {_ENTRIES} "
            + ("JOIN directory_searchentry_fts f ON f.rowid = " + _ID + " " if nodes else "")
            + f"WHERE {_ID} IN ({placeholders})",
            tuple(ids),
        )
    scored = []
    for pk, kind, organisation_id, resource_id, name, terms in found:
        if nodes:
            name_terms = set(terms.split() if isinstance(terms, str) else terms or ())
            score = _score_of(weights, name_terms)
        else:
            score = 0
        scored.append((-score, name, kind, pk, organisation_id, resource_id))
    # score descending, then name in code points (as both databases sort it), kind, id
    scored.sort()
    return [(kind, o, r, -neg) for neg, _, kind, _, o, r in scored]


def _page_rows(
    *,
    nodes: list[Node],
    page: int,
    per_page: int,
    total: int,
    where: Any,
    named: _Sql | None,
    cached: _Cached | None,
) -> list[tuple[Any, ...]]:
    """The page's (kind, organisation_id, resource_id, score) rows.

    The order is (score descending, name, kind, id). Only results with a query term in
    the name score above 1, so they are ranked among themselves (the "named" results),
    and the others simply follow by name.
    """
    if not total:
        return []
    offset = (page - 1) * per_page
    if named is None:  # no query: every result in name order
        return [(*row, 0) for row in _by_name(where(), offset, per_page, total)]
    # The named results: the name match (smaller than the full-text match) narrows them
    # first. A query of one chunk of plain terms needs no full-text match besides: a
    # name's terms are among the entry's terms.
    in_name = _name_condition(_query_terms(nodes))
    named_where = in_name & where()
    if not (len(nodes) == 1 and _flat(nodes[0])):
        named_where = named_where & _matching(nodes)
    score = _score(nodes, named_only=True)

    def named_rows(count: int, start: int) -> list[tuple[Any, ...]]:
        return _rows(
            f'SELECT "kind", "organisation_id", "resource_id", {score.text} AS hit_score '
            f"FROM {_ENTRIES} WHERE {named_where.text} "
            f'ORDER BY hit_score DESC, {_name_order()}, "kind", "id" LIMIT %s OFFSET %s',
            score.params + named_where.params + (count, start),
        )

    # How many results are named is counted only when a page needs it: the first page
    # learns it from its own rows when they are fewer than a page.
    named_total = cached.get("named") if cached else None
    rows: list[tuple[Any, ...]] = []
    if named_total is None and offset == 0:
        rows = named_rows(per_page, 0)
        if len(rows) == per_page:
            return rows
        named_total = len(rows)
    elif named_total is None:
        named_total = _rows(
            f"SELECT COUNT(*) FROM {_ENTRIES} WHERE {named_where.text}", named_where.params
        )[0][0]
    if cached:
        cached.set("named", named_total)
    if not rows and offset < named_total:
        rows = named_rows(per_page, offset)
    wanted = per_page - len(rows)
    if wanted > 0:
        rest = where() & _matching(nodes)
        rest = _Sql(f"({rest.text}) AND NOT ({named.text})", rest.params + named.params)
        start = max(0, offset - named_total)
        rows += [(*row, 1) for row in _by_name(rest, start, wanted, total - named_total)]
    return rows


_NAME_INDEX = "directory_searchentry_sort_name"
WALK_NAME_INDEX_FROM = 200  # results; below, sorting them is always cheap


def _by_name(rest: _Sql, start: int, count: int, matching: int) -> list[tuple[Any, ...]]:
    """``count`` of the ``matching`` results ``rest`` from ``start``, in name order.

    When the results are a large share of all entries, walking the name index and
    stopping after ``count`` rows costs far less than sorting them all; when they are
    few, the walk would read most of the table. The planners cannot tell (a full-text
    match has no useful estimate), so the choice is made here: SQLite is told to use the
    index, PostgreSQL to sort a materialised result.
    """
    walk = False
    if matching > WALK_NAME_INDEX_FROM:
        entries = _rows('SELECT MAX("id") FROM "directory_searchentry"', ())[0][0] or 1
        walk = (start + count) * entries / matching < 2 * matching  # entries walked
    select = (
        'SELECT "kind", "organisation_id", "resource_id", "name", "id" '
        'FROM "directory_searchentry"{index} WHERE {where}'
    )
    order = f'ORDER BY {_name_order()}, "kind", "id" LIMIT %s OFFSET %s'
    params = (*rest.params, count, start)
    if connection.vendor == "postgresql" and not walk:
        sql = (
            f"WITH results AS MATERIALIZED ({select.format(index='', where=rest.text)}) "
            f'SELECT "kind", "organisation_id", "resource_id" FROM results {order}'
        )
        return _rows(sql, params)
    index = f" INDEXED BY {_NAME_INDEX}" if connection.vendor == "sqlite" and walk else ""
    sql = f"{select.format(index=index, where=rest.text)} {order}"
    return [row[:3] for row in _rows(sql, params)]
