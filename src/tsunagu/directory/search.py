"""Search over organisations and resources: one box, filters, facet counts, ranking.

How it works
------------
Every organisation and resource has one :class:`~tsunagu.directory.models.SearchEntry`
(a narrow row: name, scope, facet values) and, beside it, its pre-tokenised terms
(:func:`tsunagu.core.text.search_terms`: SudachiPy normalised forms, readings, synonyms,
kana/kanji uni- and bigrams), those of its name apart. The database only looks terms up,
never tokenises: SQLite through an FTS5 table, PostgreSQL through tsvectors with GIN
indexes (migration 0003). Neither FTS5's trigram tokenizer nor pg_trgm is used: both
miss one- and two-character Japanese queries.

A query is parsed with the same analysis (:func:`tsunagu.core.text.parse_query`) into
chunks that must all match (AND), each in any of its variants (OR).

Scope: ``permissions.visible_q`` — the condition the selectors
(``resource_list_visible_to``, ``organisation_list_visible_to``, ``public_resource_list``)
are built on — is applied to the entries, which carry copies of the record's and of its
provider's scope (tests/directory/test_search.py checks that search and the selectors
agree for every kind of user). Counting and ranking thousands of matches then reads only
the narrow entries (joining the records, with their descriptions, was 9x slower); the
page's records are loaded by id at the end.

Cost (bench/directory_search.py), per search not in the cache:
- A first pass reads at most SINGLE_PASS_UP_TO results (before the facet filters) with
  their facet values. When there are no more, Python counts the facets and ranks them
  (reading their names' terms): one pass in all, the common case with an area filter or
  a rarer word.
- Otherwise, outside a transaction, numpy counts and orders them over in-process columns
  of every entry (:mod:`tsunagu.directory.search_columns`, read per index version in a
  background thread): the database gives only the ids of the full-text matches, of the
  user's scope (kept per scope and version) and, on SQLite, of the entries with each
  query term in their name. A one-character query such as 見, matching a quarter of
  120,000 entries, then costs ~10 ms on SQLite and ~30 ms on PostgreSQL (which visits
  each match's heap row for its id) instead of 40-90 ms.
- Otherwise (inside a transaction, or while the columns are being read) one grouped
  pass over the full-text matches gives the total and every facet (SQLite joins the
  FTS5 matches to the entries). With a facet filter it also collects the ids it keeps,
  so that a few results are ranked from them without another pass; else the page is
  ranked in SQL over the matches that have a query term in their name, then the others
  follow in name order (a walk of the name index when they are many); how many are
  named is counted only when a later page needs it. These passes cost about 1 µs per
  full-text match on SQLite and 1-2 µs on PostgreSQL.
The counts and each page's ids are then kept per process for
CACHE_SECONDS, keyed by the search's SQL and the index version that every index write
replaces (see "cache" below): paging, refining the filters back and forth and the same
query from colleagues with the same scope cost only the loading of the page's records.

Ranking, the same on both databases: 1 + 4 per query chunk found in the name + 1 per
query term (variant) found in the name; then the name in code-point order, the kind and
the id. Results without the query in the name all score 1, so a page of them is a walk
of the name index, not a sort. Facet counts are "disjunctive": each facet counts with
every filter but its own, so that the other values stay visible once one is chosen.

Keeping the index current: the directory services call :func:`index_record` after every
write of an organisation, resource or location, in the same transaction;
``services.resource_create_many`` indexes its rows in bulk (each distinct phrase analysed
once), and imports theirs with :func:`index_new_resources` (on PostgreSQL one COPY streams
the entries while the text is analysed). Anything that
writes records otherwise must call :func:`index_resources` / :func:`index_organisations`
or :func:`rebuild_index` (``manage.py rebuild_search_index``). Every index write also
replaces the cache version, so no cached search outlives an edit.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.lookups import GreaterThan
from django.utils import translation

from tsunagu.core.bulk import copy_rows, db_converter, new_ids
from tsunagu.core.text import AnyOf, Node, Term, node_terms, parse_query, search_terms
from tsunagu.directory import search_columns
from tsunagu.directory.models import (
    Category,
    Eligibility,
    FundingBasis,
    Location,
    Organisation,
    OrganisationType,
    Resource,
    ResourceStatus,
    SearchEntry,
    SogoServiceType,
    Weekday,
    WeeklySlot,
)
from tsunagu.directory.permissions import visible_q

KINDS = ("resource", "organisation")
AREA_KINDS = ("municipality", "daily_life_area", "district")
NAME_CHUNK_WEIGHT = 4  # a query chunk found in the name
NAME_TERM_WEIGHT = 1  # each query term (variant) found in the name


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


def _name_order() -> str:
    """Names in code-point order on both databases (PostgreSQL's collation may differ)."""
    return '"name" COLLATE "C"' if connection.vendor == "postgresql" else '"name"'


def _rows(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


# --- scope -----------------------------------------------------------------------------

_PROVIDER_FIELDS = {
    "visibility": "provider_visibility",
    "municipality": "provider_municipality",
    "prefecture": "provider_prefecture",
    "pk": "provider",
}


def _on_provider(condition: Q) -> Q:
    """``condition`` written for an organisation, applied to an entry's provider copy."""
    rewritten = Q()
    rewritten.connector = condition.connector
    rewritten.negated = condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            rewritten.children.append(_on_provider(child))
        else:
            lookup, value = child
            name, _, rest = lookup.partition("__")
            rewritten.children.append(
                (_PROVIDER_FIELDS[name] + (f"__{rest}" if rest else ""), value)
            )
    return rewritten


def _visible(user: Any, *, public_only: bool) -> Q:
    """Entries of the records the selectors would give the user (see module docstring)."""
    who = None if public_only else user
    organisations = Q(kind=SearchEntry.Kind.ORGANISATION) & visible_q(
        who, own_organisation_field="organisation"
    )
    resources = (
        Q(kind=SearchEntry.Kind.RESOURCE)
        & visible_q(who, own_organisation_field="provider")
        & _on_provider(visible_q(who, own_organisation_field="pk"))
    )
    if public_only:
        resources &= ~Q(status=ResourceStatus.ENDED)  # as selectors.public_resource_list
    return organisations | resources


def public_resource_entries() -> QuerySet[SearchEntry]:
    """Entries of the resources residents see (those of selectors.public_resource_list)."""
    return SearchEntry.objects.filter(
        _visible(None, public_only=True), kind=SearchEntry.Kind.RESOURCE
    )


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
    """(Facet counts and the total, the results' ids when a facet filter leaves at most
    RANK_ALL_UP_TO of them — else None).

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
    small = collect is not None and counted[1] <= RANK_ALL_UP_TO
    return counted, (ids if small else None)


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


# --- small results: one pass -----------------------------------------------------------
#
# Most searches with filters or a rarer word have at most a few hundred results before
# the facet filters. Then one pass reads them all (with their facet values and score),
# and Python counts the facets and ranks the page: the grouped count and the ranking
# would each pass over the full-text matches again. The pass stops after SINGLE_PASS_UP_TO
# rows; a search with more continues with the grouped count (the rows read so far, a
# fraction of the matches, are the only cost of trying).

SINGLE_PASS_UP_TO = 1000  # results before the facet filters


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


# --- cache -----------------------------------------------------------------------------
#
# The counts (facets, total) and each page's ids are kept per process for a short time,
# keyed by the search's whole SQL (scope, area, filters, query: two users with the same
# scope share it) and by the index *version*, a value in the shared cache that every
# index write replaces (at once, and again when its transaction commits: another process
# may have read the old rows in between). A search always loads its records afresh.
# Nothing is read from or kept in the cache inside a transaction: it may be rolled back,
# and it sees its own uncommitted writes.

CACHE_SECONDS = 120
_VERSION_KEY = "tsunagu:directory-search:version"
_results = LocMemCache(
    "tsunagu-directory-search",
    {"TIMEOUT": CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 2000, "CULL_FREQUENCY": 4}},
)


def _new_version() -> None:
    # a fresh value, not an increment: two writers must never leave the same value
    cache.set(_VERSION_KEY, time.time_ns(), timeout=None)


def _changed() -> None:
    """The index changed: cached searches are no longer valid (here and everywhere)."""
    _new_version()
    if connection.in_atomic_block:
        transaction.on_commit(_new_version)


def _version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:  # never set, or evicted: a new one makes older entries unreachable
        _new_version()
        version = cache.get(_VERSION_KEY, 0)
    return int(version)


def kept_version() -> int | None:
    """The index version to key anything derived from the index by, when it may be kept:
    None inside a transaction (see _may_cache)."""
    return _version() if _may_cache() else None


def _may_cache() -> bool:
    """Outside a transaction only: one may be rolled back, and sees its own writes."""
    return not connection.in_atomic_block


@dataclass
class _Cached:
    key: str

    @classmethod
    def open(
        cls, *, where: _Sql, named: _Sql | None, nodes: list[Node], public_only: bool
    ) -> _Cached | None:
        if not _may_cache():
            return None
        text = repr(
            (
                connection.vendor,
                connection.settings_dict.get("NAME"),
                _version(),
                where,
                named,
                nodes,
                public_only,
            )
        )
        return cls(hashlib.sha256(text.encode()).hexdigest())

    def get(self, part: str) -> Any:
        return _results.get(f"{self.key}:{part}")

    def set(self, part: str, value: Any) -> None:
        _results.set(f"{self.key}:{part}", value)


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
    version = _version() if (_may_cache() or settings.SEARCH_COLUMNS_IN_TRANSACTIONS) else None
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
                    ranked = _ranked(ids, nodes) if ids is not None else None
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


# --- many results: over in-process columns (search_columns) ------------------------------


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


RANK_ALL_UP_TO = 1000  # results
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


# --- indexing --------------------------------------------------------------------------
#
# Documents are read as plain values, many records at a time (a few queries per batch,
# whatever the batch size): building 120,000 entries through model instances and their
# related managers cost more than analysing the text.


class _Names:
    """Names of areas, categories, eligibility: loaded once per indexing run."""

    def __init__(self) -> None:
        from tsunagu.areas.models import DailyLifeArea, District, Municipality, Prefecture

        self.prefecture = dict(Prefecture.objects.values_list("pk", "name"))
        self.municipality = {
            pk: (name, prefecture_id)
            for pk, name, prefecture_id in Municipality.objects.values_list(
                "pk", "name", "prefecture_id"
            )
        }
        self.district = dict(District.objects.values_list("pk", "name"))
        self.daily_life_area = dict(DailyLifeArea.objects.values_list("pk", "name"))
        self.category = {
            pk: (name, parent_id)
            for pk, name, parent_id in Category.objects.values_list("pk", "name", "parent_id")
        }
        self.eligibility = dict(Eligibility.objects.values_list("pk", "name"))
        self.org_type = {value: str(label) for value, label in OrganisationType.choices}
        self.funding = {value: str(label) for value, label in FundingBasis.choices}
        self.sogo = {value: str(label) for value, label in SogoServiceType.choices}
        # analysed phrases, for a bulk run (None: the small process-wide cache)
        self.phrases: dict[str, tuple[str, ...]] | None = None

    def scope(self, municipality_id: int | None, prefecture_id: int | None) -> list[str]:
        names = []
        if municipality_id in self.municipality:
            name, own_prefecture = self.municipality[municipality_id]
            names += [name, self.prefecture.get(own_prefecture, "")]
        if prefecture_id:
            names.append(self.prefecture.get(prefecture_id, ""))
        return names

    def category_path(self, category_id: int | None) -> list[str]:
        names: list[str] = []
        seen: set[int] = set()
        while category_id is not None and category_id in self.category and category_id not in seen:
            seen.add(category_id)
            name, category_id = self.category[category_id]
            names.append(name)
        return names


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for owner, *value in rows:
        grouped.setdefault(owner, []).append(value[0] if len(value) == 1 else tuple(value))
    return grouped


def _terms_of(
    texts: Iterable[str],
    cache: dict[str, tuple[str, ...]] | None,
    *,
    first: Iterable[str] = (),
) -> list[str]:
    """The terms of ``texts`` after ``first`` (terms already known), without duplicates."""
    terms: dict[str, None] = dict.fromkeys(first)
    for text in texts:
        if text:
            terms.update(dict.fromkeys(search_terms(text, cache=cache)))
    return list(terms)


def _keys_text(values: Iterable[int]) -> str:
    keys = sorted(set(values))
    return f" {' '.join(str(k) for k in keys)} " if keys else ""


def _mask(values: Iterable[int]) -> int:
    mask = 0
    for value in values:
        if 0 <= value < 63:
            mask |= 1 << value
    return mask


_ORGANISATION_VALUES = (
    "pk",
    "name",
    "name_kana",
    "org_type",
    "parent__name",
    "description",
    "strengths",
    "problems",
    "address",
    "phone",
    "visibility",
    "status",
    "municipality_id",
    "prefecture_id",
    "serves_whole_municipality",
)


_Made = tuple[SearchEntry, list[str], list[str]]  # entry, its name's terms, all its terms


def _organisation_entries(ids: list[int], names: _Names) -> list[_Made]:
    through = Organisation.districts.through
    districts = _grouped(
        through.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "district_id"
        )
    )
    through = Organisation.daily_life_areas.through
    areas = _grouped(
        through.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "dailylifearea_id"
        )
    )
    tags = _grouped(
        Organisation.strength_tags.through.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "tag__name"
        )
    )
    for owner, tag_names in _grouped(
        Organisation.problem_tags.through.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "tag__name"
        )
    ).items():
        tags.setdefault(owner, []).extend(tag_names)
    entries = []
    for row in Organisation.objects.filter(pk__in=ids).order_by("pk").values(*_ORGANISATION_VALUES):
        pk = row["pk"]
        name_texts = [row["name"], row["name_kana"]]
        name_terms = _terms_of(name_texts, names.phrases)
        terms = _terms_of(
            [
                names.org_type.get(row["org_type"], ""),
                row["parent__name"] or "",
                row["description"],
                row["strengths"],
                row["problems"],
                *tags.get(pk, []),
                row["address"],
                row["phone"],
                *names.scope(row["municipality_id"], row["prefecture_id"]),
                *(names.daily_life_area.get(a, "") for a in areas.get(pk, [])),
                *(names.district.get(d, "") for d in districts.get(pk, [])),
            ],
            names.phrases,
            first=name_terms,
        )
        entry = SearchEntry(
            kind=SearchEntry.Kind.ORGANISATION,
            organisation_id=pk,
            name=row["name"][:200],
            visibility=row["visibility"],
            status=row["status"],
            municipality_id=row["municipality_id"],
            prefecture_id=row["prefecture_id"],
            serves_whole_municipality=row["serves_whole_municipality"],
            org_type=row["org_type"],
        )
        entries.append((entry, name_terms, terms))
    return entries


_RESOURCE_VALUES = (
    "pk",
    "name",
    "name_kana",
    "description",
    "eligibility_note",
    "cost_note",
    "schedule_note",
    "how_to_apply",
    "subsidy_name",
    "funding_basis",
    "sogo_service_type",
    "contact_phone",
    "visibility",
    "status",
    "municipality_id",
    "prefecture_id",
    "serves_whole_municipality",
    "category_id",
    "provider_id",
    "provider__name",
    "provider__visibility",
    "provider__municipality_id",
    "provider__prefecture_id",
    "provider__org_type",
)


def _resource_entries(ids: list[int], names: _Names) -> list[_Made]:
    return list(_resource_made(_resource_sources(ids), names))


@dataclass
class _ResourceSources:
    """What a batch of resources' entries are made of, read from the database."""

    rows: list[dict[str, Any]]
    eligibility: dict[int, list[Any]]
    districts: dict[int, list[Any]]
    areas: dict[int, list[Any]]
    locations: dict[int, list[Any]]
    weekdays: dict[int, list[Any]]


def _resource_sources(ids: list[int]) -> _ResourceSources:
    eligibility = _grouped(
        Resource.eligibility.through.objects.filter(resource_id__in=ids).values_list(
            "resource_id", "eligibility_id"
        )
    )
    districts = _grouped(
        Resource.districts.through.objects.filter(resource_id__in=ids).values_list(
            "resource_id", "district_id"
        )
    )
    areas = _grouped(
        Resource.daily_life_areas.through.objects.filter(resource_id__in=ids).values_list(
            "resource_id", "dailylifearea_id"
        )
    )
    locations = _grouped(
        Resource.locations.through.objects.filter(resource_id__in=ids).values_list(
            "resource_id", "location__name", "location__address"
        )
    )
    weekdays = _grouped(
        WeeklySlot.objects.filter(resource_id__in=ids).values_list("resource_id", "weekday")
    )
    rows = list(Resource.objects.filter(pk__in=ids).order_by("pk").values(*_RESOURCE_VALUES))
    return _ResourceSources(rows, eligibility, districts, areas, locations, weekdays)


def _resource_made(sources: _ResourceSources, names: _Names) -> Iterator[_Made]:
    """The entries of a batch with their terms (the text analysed here: no queries)."""
    eligibility, districts, areas = sources.eligibility, sources.districts, sources.areas
    locations, weekdays = sources.locations, sources.weekdays
    for row in sources.rows:
        pk = row["pk"]
        name_texts = [row["name"], row["name_kana"]]
        name_terms = _terms_of(name_texts, names.phrases)
        terms = _terms_of(
            [
                *names.category_path(row["category_id"]),
                row["provider__name"],
                row["description"],
                *(names.eligibility.get(e, "") for e in eligibility.get(pk, [])),
                row["eligibility_note"],
                row["cost_note"],
                row["schedule_note"],
                row["how_to_apply"],
                row["subsidy_name"],
                names.funding.get(row["funding_basis"], ""),
                names.sogo.get(row["sogo_service_type"], ""),
                row["contact_phone"],
                *(f"{name} {address}" for name, address in locations.get(pk, [])),
                *names.scope(row["municipality_id"], row["prefecture_id"]),
                *(names.daily_life_area.get(a, "") for a in areas.get(pk, [])),
                *(names.district.get(d, "") for d in districts.get(pk, [])),
            ],
            names.phrases,
            first=name_terms,
        )
        entry = SearchEntry(
            kind=SearchEntry.Kind.RESOURCE,
            resource_id=pk,
            name=row["name"][:200],
            visibility=row["visibility"],
            status=row["status"],
            municipality_id=row["municipality_id"],
            prefecture_id=row["prefecture_id"],
            serves_whole_municipality=row["serves_whole_municipality"],
            provider_id=row["provider_id"],
            provider_visibility=row["provider__visibility"],
            provider_municipality_id=row["provider__municipality_id"],
            provider_prefecture_id=row["provider__prefecture_id"],
            category_id=row["category_id"],
            org_type=row["provider__org_type"],
            eligibility_keys=_keys_text(eligibility.get(pk, [])),
            eligibility_mask=_mask(eligibility.get(pk, [])),
            weekday_keys=_keys_text(weekdays.get(pk, [])),
            weekday_mask=_mask(weekdays.get(pk, [])),
        )
        yield entry, name_terms, terms


def _write_terms(made: list[_Made], *, fresh: bool = False) -> None:
    """Store the terms of entries (replacing any), on the vendor's full-text side.

    ``fresh``: the entries were just inserted, so there are no old terms to delete.
    """
    if not made:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if not fresh:
                cursor.executemany(
                    "DELETE FROM directory_searchentry_fts WHERE rowid = %s",
                    [(entry.pk,) for entry, _, _ in made],
                )
            cursor.executemany(
                "INSERT INTO directory_searchentry_fts(rowid, name_terms, terms) "
                "VALUES (%s, %s, %s)",
                [(entry.pk, " ".join(name), " ".join(terms)) for entry, name, terms in made],
            )
        elif connection.vendor == "postgresql":
            cursor.executemany(
                "UPDATE directory_searchentry SET name_tsv = array_to_tsvector(%s::text[]), "
                "terms_tsv = array_to_tsvector(%s::text[]) WHERE id = %s",
                [(name, terms, entry.pk) for entry, name, terms in made],
            )
        else:
            raise NotImplementedError(f"search is not implemented for {connection.vendor}")


def _create(made: list[_Made]) -> None:
    """Insert new entries with their terms, many rows per statement (bulk indexing: one
    save and one full-text write per entry cost more than analysing its text)."""
    if not made:
        return
    _insert_with_terms(made)
    if connection.vendor == "sqlite":
        _write_terms(made, fresh=True)  # the insert set the ids on the entries


def entry_terms(entry: SearchEntry) -> list[str]:
    """The stored terms of an entry (for tests and for looking into a search's answer)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tsvector_to_array(terms_tsv) FROM directory_searchentry WHERE id = %s",
                [entry.pk],
            )
            row = cursor.fetchone()
            return list(row[0]) if row else []
        cursor.execute("SELECT terms FROM directory_searchentry_fts WHERE rowid = %s", [entry.pk])
        row = cursor.fetchone()
        return row[0].split() if row else []


_CASCADE_FIELDS = ("name", "visibility", "municipality_id", "prefecture_id", "org_type")


def _replace(made: list[_Made], column: str) -> dict[int, SearchEntry]:
    """Insert or replace entries and their terms; returns the entries as they were."""
    owners = [getattr(entry, column) for entry, _, _ in made]
    before = {
        getattr(entry, column): entry
        for entry in SearchEntry.objects.filter(**{f"{column}__in": owners})
    }
    new, existing = [], []
    for item in made:
        entry = item[0]
        old = before.get(getattr(entry, column))
        if old is None:
            new.append(item)
        else:
            entry.pk = old.pk
            entry.save()
            existing.append(item)
    _write_terms(existing)
    _create(new)
    _changed()
    return before


def index_organisations(ids: Iterable[int]) -> None:
    """(Re)index organisations; when a name, scope or type changed, also their resources
    (which copy them) and, for a new name, their sub-organisations (which carry it)."""
    ids = list(ids)
    if not ids:
        return
    with translation.override("ja"):
        made = _organisation_entries(ids, _Names())
    before = _replace(made, "organisation_id")
    changed, renamed = [], []
    for entry, _, _ in made:
        old = before.get(entry.organisation_id)
        if old is None:
            continue
        if any(getattr(old, name) != getattr(entry, name) for name in _CASCADE_FIELDS):
            changed.append(entry.organisation_id)
        if old.name != entry.name:
            renamed.append(entry.organisation_id)
    if changed:
        index_resources(
            Resource.objects.filter(provider_id__in=changed).values_list("pk", flat=True)
        )
    if renamed:
        index_organisations(
            Organisation.objects.filter(parent_id__in=renamed).values_list("pk", flat=True)
        )


def index_resources(
    ids: Iterable[int], *, phrases: dict[str, tuple[str, ...]] | None = None
) -> None:
    """(Re)index resources.

    ``phrases``: a dict the caller keeps across calls, for bulk indexing in batches (each
    distinct phrase is analysed once); None uses the small process-wide cache.
    """
    ids = list(ids)
    if not ids:
        return
    with translation.override("ja"):
        names = _Names()
        names.phrases = phrases
        made = _resource_entries(ids, names)
    _replace(made, "resource_id")


def index_new_resources(
    ids: Iterable[int],
    *,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Index resources that have no entry yet (an import's new rows), in bulk.

    PostgreSQL: their records are read first, then one COPY streams the entries while
    their text is analysed, so that the server writes (its GIN indexes most) while
    Python analyses the next rows, on another core. Elsewhere, or when some already have
    an entry: batches through :func:`index_resources`. ``progress(done, total)``.
    """
    ids = list(ids)
    total = len(ids)
    batches = [ids[start : start + batch_size] for start in range(0, total, batch_size)]
    phrases: dict[str, tuple[str, ...]] = {}
    streamed = (
        connection.vendor == "postgresql"
        and bool(ids)
        and not SearchEntry.objects.filter(resource_id__in=ids).exists()
    )
    if not streamed:
        done = 0
        for batch in batches:
            if len(phrases) > PHRASES_KEPT:
                phrases.clear()
            index_resources(batch, phrases=phrases)
            done += len(batch)
            if progress:
                progress(done, total)
        return
    with translation.override("ja"):
        names = _Names()
        names.phrases = phrases
        sources = [_resource_sources(batch) for batch in batches]
        fields, converters = _entry_fields()
        pks = iter(new_ids(connection, SearchEntry._meta.db_table, "id", total))

        def rows() -> Iterator[list[Any]]:
            done = 0
            for source in sources:
                if len(phrases) > PHRASES_KEPT:
                    phrases.clear()
                for made in _resource_made(source, names):
                    yield _copy_row(made, next(pks), fields, converters)
                    done += 1
                if progress:
                    progress(done, total)

        copy_rows(connection, SearchEntry._meta.db_table, _copy_columns(fields), rows())
    _changed()


PHRASES_KEPT = 50_000  # analysed phrases kept by a bulk run (a very large file: bounded)


def index_organisation(org: Organisation) -> None:
    """(Re)index one organisation; call after it or its relations were written."""
    index_organisations([org.pk])


def index_resource(resource: Resource) -> None:
    """(Re)index one resource; call after it or its relations (m2m, schedule) were written."""
    index_resources([resource.pk])


def index_location_resources(location: Location) -> None:
    """Reindex the resources held at a location (its name and address are in their terms)."""
    index_resources(Resource.objects.filter(locations=location).values_list("pk", flat=True))


def index_record(obj: Any) -> None:
    """Reindex whatever a directory write touched (services call this after each write)."""
    if isinstance(obj, Organisation):
        index_organisation(obj)
    elif isinstance(obj, Resource):
        index_resource(obj)
    elif isinstance(obj, Location):
        index_location_resources(obj)


def ensure_index_schema() -> None:
    """Recreate the SQLite side of the index if missing: Django rebuilds a SQLite table to
    alter it, which drops its triggers and indexes (PostgreSQL alters in place)."""
    if connection.vendor != "sqlite":
        return
    import importlib

    migration = importlib.import_module("tsunagu.directory.migrations.0003_search_index")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_FORWARD:
            cursor.execute(statement)


REBUILD_BATCH = 2000


def rebuild_index(*, batch_size: int = REBUILD_BATCH) -> int:
    """Recompute every entry (after bulk loads, or to repair the index). Returns the count."""
    created = 0
    with transaction.atomic(), translation.override("ja"):
        ensure_index_schema()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM directory_searchentry_fts")
            cursor.execute("DELETE FROM directory_searchentry")
        names = _Names()
        names.phrases = {}
        for model, make in (
            (Organisation, _organisation_entries),
            (Resource, _resource_entries),
        ):
            ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), batch_size):
                made = make(ids[start : start + batch_size], names)
                _create(made)
                created += len(made)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO directory_searchentry_fts(directory_searchentry_fts) "
                    "VALUES ('optimize')"
                )
        _changed()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE directory_searchentry")
        else:
            cursor.execute("ANALYZE directory_searchentry")
    return created


def _insert_with_terms(made: list[_Made], rows_per_statement: int = 400) -> None:
    """Insert entries and set their ids. PostgreSQL: one COPY with their tsvectors (see
    ``_copy_with_terms``). SQLite: many rows per INSERT (what bulk_create does, without
    building a statement through the ORM per batch); the caller then writes the FTS5
    rows."""
    if connection.vendor == "postgresql":
        _copy_with_terms(made)
        return
    fields, converters = _entry_fields()
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(made), rows_per_statement):
            chunk = made[start : start + rows_per_statement]
            params: list[Any] = []
            for entry, _, _ in chunk:
                params += [
                    convert(getattr(entry, f.attname))
                    for f, convert in zip(fields, converters, strict=True)
                ]
            # a multi-row INSERT … RETURNING gives the ids in the VALUES order (Django's
            # bulk_create relies on it as well)
            cursor.execute(
                f"INSERT INTO directory_searchentry ({columns}) "
                f"VALUES {', '.join([row] * len(chunk))} RETURNING id",
                params,
            )
            for (entry, _, _), (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                entry.pk = pk
                entry._state.adding = False


def _tsvector_literal(terms: list[str]) -> str:
    """Terms as tsvector input text: each quoted, quotes doubled, backslashes escaped."""
    return " ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)


def _entry_fields() -> tuple[list[Any], list[Callable[[Any], Any]]]:
    """SearchEntry's columns but the id, and how each value goes to the database (plain
    values as they are: preparing each through its field was a fifth of bulk indexing)."""
    fields = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key]
    return fields, [db_converter(f, connection) for f in fields]


def _copy_columns(fields: list[Any]) -> list[str]:
    """The columns of a COPY of entries: the id, the fields, then the tsvectors."""
    return ["id", *(f.column for f in fields), "name_tsv", "terms_tsv"]


def _copy_row(
    made: _Made, pk: int, fields: list[Any], converters: list[Callable[[Any], Any]]
) -> list[Any]:
    entry, name, terms = made
    entry.pk = pk
    entry._state.adding = False
    return [
        pk,
        *(
            convert(getattr(entry, f.attname))
            for f, convert in zip(fields, converters, strict=True)
        ),
        _tsvector_literal(name),
        _tsvector_literal(terms),
    ]


def _copy_with_terms(made: list[_Made]) -> None:
    """PostgreSQL: ids from the table's sequence, then one COPY of the rows with their
    tsvectors as text (a multi-row INSERT passing the terms as arrays spent more time in
    the driver, quoting arrays and splitting the statement, than the server did)."""
    fields, converters = _entry_fields()
    pks = new_ids(connection, SearchEntry._meta.db_table, "id", len(made))
    copy_rows(
        connection,
        SearchEntry._meta.db_table,
        _copy_columns(fields),
        (_copy_row(item, pk, fields, converters) for item, pk in zip(made, pks, strict=True)),
    )


__all__ = [
    "Facet",
    "SearchFilters",
    "SearchHit",
    "SearchResult",
    "entry_terms",
    "index_new_resources",
    "index_organisation",
    "index_organisations",
    "index_record",
    "index_resource",
    "index_resources",
    "public_resource_entries",
    "rebuild_index",
    "search",
]
