"""SQL pieces the searches are written from: WHERE clauses compiled from querysets, the
full-text conditions per database (SQLite FTS5, PostgreSQL tsquery) and the FROM of a pass
over the full-text matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import QuerySet

from tsunagu.core.text import AnyOf, Node, Term, node_terms
from tsunagu.directory.models import SearchEntry

# --- SQL ---------------------------------------------------------------------------------
#
# The searches are a few hand-written SELECTs over SearchEntry alone: Django builds their
# WHERE clause (scope, area and filters, from Q objects), the full-text parts are
# written here per database. (Built as querysets, the grouped counts spent more time in
# Django than in SQLite.)


@dataclass(frozen=True)
class _Sql:
    text: str
    params: tuple[Any, ...] = ()

    def __and__(self, other: _Sql | None) -> _Sql:
        if other is None:
            return self
        return _Sql(f"({self.text}) AND ({other.text})", self.params + other.params)


def _compiled(queryset: QuerySet[SearchEntry]) -> _Sql:
    """The WHERE clause of ``queryset`` (conditions on SearchEntry's own columns)."""
    query = queryset.query
    try:
        text, params = query.get_compiler(connection=connection).compile(query.where)
    except EmptyResultSet:
        return _Sql("1 = 0")
    except FullResultSet:
        return _Sql("1 = 1")
    return _Sql(text or "1 = 1", tuple(params))


def _fts5_expression(node: Node) -> str:
    if isinstance(node, Term):
        return '"' + node.text.replace('"', '""') + '"'
    joiner = " OR " if isinstance(node, AnyOf) else " AND "
    return "(" + joiner.join(_fts5_expression(item) for item in node.items) + ")"


def _tsquery_expression(node: Node) -> str:
    if isinstance(node, Term):
        return "'" + node.text.replace("\\", "\\\\").replace("'", "''") + "'"
    joiner = " | " if isinstance(node, AnyOf) else " & "
    return "(" + joiner.join(_tsquery_expression(item) for item in node.items) + ")"


def _any_term(terms: Iterable[str]) -> Node:
    unique = [Term(t) for t in dict.fromkeys(terms)]
    return unique[0] if len(unique) == 1 else AnyOf(tuple(unique))


def _query_terms(nodes: list[Node]) -> list[str]:
    terms: list[str] = []
    for node in nodes:
        terms.extend(node_terms(node))
    return list(dict.fromkeys(terms))


_ID = '"directory_searchentry"."id"'


def _full_text(column: str, expression_of: Any, node_or_nodes: Any) -> _Sql:
    """Entries whose ``column`` terms match; column: "terms" or "name"."""
    if connection.vendor == "postgresql":
        expression = (expression_of("postgresql", node_or_nodes),)
        if column == "terms":  # a plain condition: the planner combines it with the others
            return _Sql('"directory_searchentry"."terms_tsv" @@ %s::tsquery', expression)
        # a set of ids, looked up once in the GIN index and probed per row (testing the
        # tsvector row by row decompresses it every time: measured several times slower)
        return _Sql(
            f"{_ID} IN (SELECT U0.id FROM directory_searchentry U0 "
            "WHERE U0.name_tsv @@ %s::tsquery)",
            expression,
        )
    if connection.vendor == "sqlite":
        return _Sql(
            f"{_ID} IN (SELECT rowid FROM directory_searchentry_fts "
            "WHERE directory_searchentry_fts MATCH %s)",
            (expression_of("sqlite", node_or_nodes),),
        )
    raise NotImplementedError(f"search is not implemented for {connection.vendor}")


def _all_expression(vendor: str, nodes: list[Node]) -> str:
    if vendor == "postgresql":
        return " & ".join(_tsquery_expression(n) for n in nodes)
    return " AND ".join(_fts5_expression(n) for n in nodes)


def _name_expression(vendor: str, node: Node) -> str:
    if vendor == "postgresql":
        return _tsquery_expression(node)
    return f"name_terms : {_fts5_expression(node)}"


def _matching(nodes: list[Node]) -> _Sql:
    """Entries whose terms match every node (a condition on the entries alone)."""
    return _full_text("terms", _all_expression, nodes)


@dataclass(frozen=True)
class _Source:
    """The FROM clause of a pass over the full-text matches, and its match condition.

    SQLite: the FTS5 matches joined to the entries (an ``id IN (SELECT rowid …)``
    condition first copies every match into a temporary index, then looks each up: a
    third of the cost of counting 30,000 matches). PostgreSQL: the entries, with their
    tsvector condition (the planner joins the GIN index scan itself).
    """

    tables: str
    match: _Sql | None

    def where(self, condition: _Sql) -> _Sql:
        return condition & self.match


_ENTRIES = '"directory_searchentry"'


def _source(nodes: list[Node]) -> _Source:
    if not nodes:
        return _Source(_ENTRIES, None)
    if connection.vendor == "sqlite":
        return _Source(
            f"directory_searchentry_fts JOIN {_ENTRIES} ON {_ID} = directory_searchentry_fts.rowid",
            _Sql("directory_searchentry_fts MATCH %s", (_all_expression("sqlite", nodes),)),
        )
    return _Source(_ENTRIES, _matching(nodes))


def _flat(node: Node) -> bool:
    """A term or a choice of terms: any of its terms in the name means it matches."""
    return isinstance(node, Term) or (
        isinstance(node, AnyOf) and all(isinstance(item, Term) for item in node.items)
    )


def _in_name(terms: Iterable[str]) -> _Sql:
    """Entries whose name has any of ``terms``, as a set of ids to probe per row."""
    return _full_text("name", _name_expression, _any_term(terms))


def _name_condition(terms: Iterable[str]) -> _Sql:
    """The same as a plain condition, where it filters (PostgreSQL then combines the GIN
    index scans of the name and of all the terms)."""
    if connection.vendor == "postgresql":
        return _Sql(
            '"directory_searchentry"."name_tsv" @@ %s::tsquery',
            (_tsquery_expression(_any_term(terms)),),
        )
    return _in_name(terms)


def _name_order() -> str:
    """Names in code-point order on both databases (PostgreSQL's collation may differ)."""
    return '"name" COLLATE "C"' if connection.vendor == "postgresql" else '"name"'


def _rows(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
