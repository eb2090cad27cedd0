"""Searches with many results, counted and ranked over in-process columns of the entries.

A search whose results are more than ``query.SINGLE_PASS_UP_TO`` (a one-character query
matches a quarter of the directory) cost about 1 µs per full-text match in SQL: every
match was looked up in the entries (SQLite) or its heap row visited (PostgreSQL) to read
its facet values. Here the database gives only what its indexes hold cheaply:

- the ids of the full-text matches (SQLite reads them from the FTS5 index alone;
  PostgreSQL from the GIN index and the heap),
- the ids of the entries the user may see in the chosen area (the scope: the same SQL
  condition as the SQL path, ``permissions.visible_q`` via ``scope._visible``), and
- per query term, the ids of the entries with it in their name (for the score),

and numpy counts the facets and orders the results over :class:`Columns`, a copy of the
entries' facet columns and name order kept per process.

Kept current like the search cache: the columns belong to one index version (the value
in the shared cache that every index write replaces, see ``cache._changed``) and are
read again when it changes, in a background thread with its own connection, while the
SQL path answers (:func:`columns`); the scope of a user (and area) is kept with them, for
at most ``SCOPES_KEPT`` scopes. Reading 120,000 entries takes 0.5-2.5 s of one core,
once per process per index version (bench/directory_search.py prints it). Never used
inside a transaction (which may be rolled back, or see its own writes), nor when an
eligibility id does not fit the mask's bits: the SQL path then answers, with the same
results (tests/directory/test_search.py runs every case through both).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection, connections

logger = logging.getLogger(__name__)

SCOPES_KEPT = 64  # scope masks (user scope x area) per process and version
_KINDS = ("organisation", "resource")  # codes 0, 1 (code-point order: the name order ties)
MASK_BITS = 63
DENSE_KEYS_UP_TO = 1 << 20  # group keys counted in an array of this size at most
SPARSE_IDS_FROM = 8  # ids up to this many times the entries: a direct look-up array


@dataclass
class Columns:
    """The facet columns of every entry, in id order (one index version)."""

    key: tuple[Any, ...]
    ids: np.ndarray  # int64, ascending
    kind: np.ndarray  # int8: index in _KINDS
    category: np.ndarray  # int64, -1 for none
    org_type: np.ndarray  # int32: index in org_types
    org_types: list[str]
    eligibility: np.ndarray  # int64 bit mask (ids 0..62)
    weekday: np.ndarray  # int64 bit mask (0=Mon..6=Sun)
    organisation_id: np.ndarray  # int64, -1 for none
    resource_id: np.ndarray  # int64, -1 for none
    name_rank: np.ndarray  # int64: position in (name in code points, kind, id) order
    scopes: OrderedDict[tuple[Any, ...], np.ndarray] = field(default_factory=OrderedDict)
    names: NameIndex | None = None  # read with the columns (PostgreSQL)
    # the position of each id (-1: none): a direct look-up while the ids are dense (they
    # are sequence values; each rebuild of the index moves them on), else None
    position_of: np.ndarray | None = field(init=False)

    def __post_init__(self) -> None:
        top = int(self.ids[-1]) + 1 if self.ids.size else 0
        if top > SPARSE_IDS_FROM * self.ids.size + 65536:
            self.position_of = None  # looked up by binary search
            return
        self.position_of = np.full(top, -1, dtype=np.int32)
        self.position_of[self.ids] = np.arange(self.ids.size, dtype=np.int32)

    @property
    def size(self) -> int:
        return int(self.ids.size)

    def positions_or_none(self, ids: np.ndarray) -> np.ndarray:
        """The position of each of ``ids``, -1 for one not in these columns."""
        if self.position_of is None:
            found = np.searchsorted(self.ids, ids)  # sparse ids are never none at all
            found[found >= self.size] = 0
            return np.where(self.ids[found] == ids, found, -1).astype(np.int64)
        inside = (ids >= 0) & (ids < self.position_of.size)
        found = np.full(ids.size, -1, dtype=np.int64)
        found[inside] = self.position_of[ids[inside]]
        return found

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Positions of ``ids`` (ids not in these columns, written since, are left out)."""
        if self.position_of is None:
            found = self.positions_or_none(ids)
            return found[found >= 0]
        ids = ids[(ids >= 0) & (ids < self.position_of.size)]
        found = self.position_of[ids].astype(np.int64)
        return found[found >= 0]

    def marks(self, ids: np.ndarray) -> np.ndarray:
        """A boolean per entry: whether its id is among ``ids``."""
        marked = np.zeros(self.size, dtype=bool)
        marked[self.positions(ids)] = True
        return marked


@dataclass
class NameIndex:
    """Which entries have each term in their name: positions grouped by term."""

    codes: dict[str, int]
    offsets: np.ndarray  # int64: the term with code c owns positions[offsets[c]:offsets[c+1]]
    positions: np.ndarray  # int64

    def marks(self, term: str, size: int) -> np.ndarray:
        marked = np.zeros(size, dtype=bool)
        code = self.codes.get(term)
        if code is not None:
            marked[self.positions[self.offsets[code] : self.offsets[code + 1]]] = True
        return marked


def _read_names(cols: Columns, db: Any) -> NameIndex:
    """The name terms of every entry (PostgreSQL's name tsvectors), grouped by term."""
    with db.cursor() as cursor:
        cursor.execute(
            'SELECT "id", array_to_string(tsvector_to_array("name_tsv"), \' \') '
            'FROM "directory_searchentry"'
        )
        rows = cursor.fetchall()
    codes: dict[str, int] = {}
    code_of = codes.setdefault
    flat: list[int] = []
    counts: list[int] = []
    ids: list[int] = []
    for pk, text in rows:
        terms = text.split() if text else []  # terms hold no spaces (core.text)
        flat.extend([code_of(term, len(codes)) for term in terms])
        counts.append(len(terms))
        ids.append(pk)
    # a 16-bit code when the terms allow: numpy sorts those by radix, ten times faster
    term_codes = np.array(flat, dtype=np.uint16 if len(codes) <= 1 << 16 else np.int64)
    positions = np.repeat(cols.positions_or_none(np.array(ids, dtype=np.int64)), counts)
    kept = positions >= 0  # entries written since the columns were read: left out
    term_codes, positions = term_codes[kept], positions[kept]
    order = np.argsort(term_codes, kind="stable")
    offsets = np.zeros(len(codes) + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_codes, minlength=len(codes)), out=offsets[1:])
    return NameIndex(codes, offsets, positions[order])


def name_marks(cols: Columns, term: str) -> np.ndarray:
    """A boolean per entry: whether ``term`` is in its name (PostgreSQL: read with the
    columns; looking a frequent term up in the database visits thousands of rows)."""
    assert cols.names is not None, "PostgreSQL's columns are read with their name index"
    return cols.names.marks(term, cols.size)


_lock = threading.Lock()
_current: dict[str, Columns] = {}  # per database alias: the columns of one version


def clear() -> None:
    """Forget the columns (tests; the benchmark's first-search figure)."""
    with _lock:
        _current.clear()


def id_lists(columns: list[str], rest: str, params: tuple[Any, ...] = ()) -> list[np.ndarray]:
    """Each of the integer ``columns`` of ``SELECT columns rest`` as an int64 array (a
    column's NULLs left out).

    Read as comma-separated texts (group_concat / string_agg): a row per id cost the
    database drivers three to five times as much for 30,000 ids.
    """
    if connection.vendor == "postgresql":
        aggregates = [f"string_agg(({column})::text, ',')" for column in columns]
    else:
        aggregates = [f"group_concat({column})" for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(aggregates)} {rest}", params)
        texts = cursor.fetchone()
    return [
        np.array(text.split(","), dtype=np.int64) if text else np.empty(0, dtype=np.int64)
        for text in texts
    ]


def ids_of(column: str, rest: str, params: tuple[Any, ...] = ()) -> np.ndarray:
    """The integers ``column`` of ``SELECT column rest`` as an int64 array."""
    return id_lists([column], rest, params)[0]


def _read(key: tuple[Any, ...], db: Any) -> Columns:
    """The columns of every entry, through the connection ``db``."""
    with db.cursor() as cursor:
        cursor.execute(
            'SELECT "id", "kind", "category_id", "org_type", "eligibility_mask", '
            '"weekday_mask", "organisation_id", "resource_id", "name" '
            'FROM "directory_searchentry" ORDER BY "id"'
        )
        rows = cursor.fetchall()
    n = len(rows)
    ids, kind, category, org_type, eligibility, weekday, organisation, resource, names = (
        zip(*rows, strict=True) if rows else ([],) * 9
    )
    types = sorted(set(org_type))
    type_code = {value: code for code, value in enumerate(types)}
    kind_code = {value: code for code, value in enumerate(_KINDS)}
    # the name order of the SQL path: name in code points (SQLite's BINARY, PostgreSQL's
    # COLLATE "C", Python's str order), then kind, then id
    order = sorted(range(n), key=lambda i: (names[i], kind[i], ids[i]))
    name_rank = np.empty(n, dtype=np.int64)
    name_rank[np.asarray(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)

    def ints(values: Any) -> np.ndarray:
        return np.fromiter((-1 if v is None else v for v in values), dtype=np.int64, count=n)

    made = Columns(
        key=key,
        ids=ints(ids),
        kind=np.fromiter((kind_code[k] for k in kind), dtype=np.int8, count=n),
        category=ints(category),
        org_type=np.fromiter((type_code[t] for t in org_type), dtype=np.int32, count=n),
        org_types=types,
        eligibility=ints(eligibility),
        weekday=ints(weekday),
        organisation_id=ints(organisation),
        resource_id=ints(resource),
        name_rank=name_rank,
    )
    if db.vendor == "postgresql":
        made.names = _read_names(made, db)
    return made


def columns(version: int, *, wait: bool) -> Columns | None:
    """The columns of index ``version``.

    When this process has another version's, they are read again: at once when ``wait``
    (inside a transaction, whose rows only this connection sees: the tests), else in a
    background thread with a connection of its own, and meanwhile None (the caller's SQL
    path answers: a search after an edit never waits for the columns).
    """
    alias = connection.alias
    key = (connection.vendor, connection.settings_dict.get("NAME"), version)
    with _lock:
        found = _current.get(alias)
    if found is not None and found.key == key:
        return found
    if not wait:
        _read_in_background(alias, key)
        return None
    made = _read(key, connection)
    with _lock:
        _current[alias] = made
    return made


def ready(version: int) -> bool:
    """Whether this process has the columns of index ``version``."""
    key = (connection.vendor, connection.settings_dict.get("NAME"), version)
    with _lock:
        found = _current.get(connection.alias)
    return found is not None and found.key == key


_reading: dict[str, threading.Thread] = {}  # per database alias: a background read


def _read_in_background(alias: str, key: tuple[Any, ...]) -> None:
    with _lock:
        running = _reading.get(alias)
        # one at a time; a newer version is read after it (a thread recorded before a
        # fork of the server process is not running in the child)
        if running is not None and running.is_alive():
            return

        def read() -> None:
            db = connections[alias]
            try:
                made = _read(key, db)
                with _lock:
                    _current[alias] = made
            except Exception:  # the SQL path goes on answering; say why
                logger.exception("reading the search columns failed")
            finally:
                db.close()
                with _lock:
                    _reading.pop(alias, None)

        thread = threading.Thread(target=read, name="tsunagu-search-columns", daemon=True)
        _reading[alias] = thread
        thread.start()  # under the lock: not-yet-started reads no second one


def settle(timeout: float | None = None) -> None:
    """Wait for the background reads under way (the benchmark, tests)."""
    with _lock:
        threads = list(_reading.values())
    for thread in threads:
        thread.join(timeout)


def scope(cols: Columns, where_text: str, params: tuple[Any, ...]) -> np.ndarray:
    """A boolean per entry: whether it meets ``where`` (scope and area), kept per version."""
    key = (where_text, params)
    with _lock:
        found = cols.scopes.get(key)
        if found is not None:
            cols.scopes.move_to_end(key)
            return found
    mask = cols.marks(ids_of('"id"', f'FROM "directory_searchentry" WHERE {where_text}', params))
    with _lock:
        cols.scopes[key] = mask
        while len(cols.scopes) > SCOPES_KEPT:
            cols.scopes.popitem(last=False)
    return mask


def fits(eligibility_ids: list[int], filter_ids: list[int]) -> bool:
    """Whether every eligibility id fits the mask's bits (else the SQL path answers)."""
    return all(0 <= int(pk) < MASK_BITS for pk in [*eligibility_ids, *filter_ids])


@dataclass
class Selection:
    """The matches in scope (before the facet filters) and what each facet filter keeps."""

    cols: Columns
    positions: np.ndarray  # int64 positions in cols
    kind_ok: np.ndarray
    category_ok: np.ndarray
    org_type_ok: np.ndarray
    eligible: np.ndarray
    on_weekday: np.ndarray

    @property
    def kept(self) -> np.ndarray:
        return self.kind_ok & self.category_ok & self.org_type_ok & self.eligible & self.on_weekday


def select(
    cols: Columns,
    in_scope: np.ndarray,
    matches: np.ndarray | None,
    *,
    kinds: list[str],
    category_ids: set[int] | None,
    org_types: list[str] | None,
    eligibility_bits: int,
    weekday_bits: int,
) -> Selection:
    """``matches``: ids of the full-text matches (None: every entry, for an empty query);
    ``*_bits``: the bit mask of the eligibility or weekday filter (0: none)."""
    if matches is None:
        positions = np.flatnonzero(in_scope)
    else:
        found = cols.positions(matches)  # the full-text indexes give each id once
        positions = found[in_scope[found]]
    n = positions.size
    kind = cols.kind[positions]
    kind_ok = np.isin(kind, [_KINDS.index(k) for k in kinds])
    if category_ids is None:
        category_ok = np.ones(n, dtype=bool)
    else:
        category_ok = np.isin(cols.category[positions], np.fromiter(category_ids, dtype=np.int64))
    if org_types is None:
        org_type_ok = np.ones(n, dtype=bool)
    else:
        codes = [cols.org_types.index(t) for t in org_types if t in cols.org_types]
        org_type_ok = np.isin(cols.org_type[positions], codes)
    everything = np.ones(n, dtype=bool)
    eligible = (
        (cols.eligibility[positions] & eligibility_bits) != 0 if eligibility_bits else everything
    )
    on_weekday = (cols.weekday[positions] & weekday_bits) != 0 if weekday_bits else everything
    return Selection(cols, positions, kind_ok, category_ok, org_type_ok, eligible, on_weekday)


GroupRow = tuple[str, int | None, str, bool, bool, int, dict[int, int], dict[int, int]]


def grouped(selection: Selection, eligibility_ids: list[int]) -> list[GroupRow]:
    """Rows of (kind, category_id, org_type, eligible, on_weekday, count, eligibility
    counts per id, weekday counts per day): what the SQL path's grouped count returns."""
    cols, positions = selection.cols, selection.positions
    if not positions.size:
        return []
    kind = cols.kind[positions].astype(np.int64)
    category = cols.category[positions]
    org_type = cols.org_type[positions].astype(np.int64)
    types = max(1, len(cols.org_types))
    # one integer per group: category, org_type, kind, eligible, on_weekday
    key = (
        (((category + 1) * types + org_type) * 2 + kind) * 2 + selection.eligible
    ) * 2 + selection.on_weekday
    if int(key.max()) < DENSE_KEYS_UP_TO:  # counted per key value: no sort
        per_key = np.bincount(key)
        unique = np.flatnonzero(per_key)
        counts = per_key[unique]
        inverse, groups = key, per_key.size
    else:
        unique, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        groups = unique.size

    def bit_sums(masks: np.ndarray, bit: int) -> np.ndarray:
        sums = np.bincount(inverse, weights=(masks >> bit) & 1, minlength=groups)
        return sums[unique] if groups != unique.size else sums

    eligibility_sums = {pk: bit_sums(cols.eligibility[positions], pk) for pk in eligibility_ids}
    weekday_sums = {day: bit_sums(cols.weekday[positions], day) for day in range(7)}
    rows: list[GroupRow] = []
    for g, value in enumerate(unique.tolist()):
        on_weekday, value = value & 1, value >> 1
        eligible, value = value & 1, value >> 1
        kind_code, value = value & 1, value >> 1
        type_code, category_plus = value % types, value // types
        rows.append(
            (
                _KINDS[kind_code],
                None if category_plus == 0 else category_plus - 1,
                cols.org_types[type_code] if cols.org_types else "",
                bool(eligible),
                bool(on_weekday),
                int(counts[g]),
                {pk: int(sums[g]) for pk, sums in eligibility_sums.items()},
                {day: int(sums[g]) for day, sums in weekday_sums.items()},
            )
        )
    return rows


def ordered(
    selection: Selection, name_weights: list[tuple[np.ndarray, int]], *, scored: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Positions of the kept results: score descending, then the name order.

    ``name_weights``: (a boolean per entry: its name has some of a weight's terms, the
    weight); the score is 1 + the weights whose terms the name has (0 for an empty
    query, as the SQL path gives it).
    """
    cols = selection.cols
    kept = selection.positions[selection.kept]
    if not scored:
        return kept[np.argsort(cols.name_rank[kept])], None
    score = np.ones(kept.size, dtype=np.int64)
    for marked, weight in name_weights:
        score += weight * marked[kept]
    order = np.lexsort((cols.name_rank[kept], -score))
    return kept[order], score[order]


def rows_of(
    cols: Columns, positions: np.ndarray, scores: np.ndarray | None
) -> list[tuple[str, int | None, int | None, int]]:
    """(kind, organisation_id, resource_id, score) rows, as the SQL path's pages."""
    result = []
    for i, position in enumerate(positions.tolist()):
        organisation = int(cols.organisation_id[position])
        resource = int(cols.resource_id[position])
        result.append(
            (
                _KINDS[int(cols.kind[position])],
                None if organisation < 0 else organisation,
                None if resource < 0 else resource,
                0 if scores is None else int(scores[i]),
            )
        )
    return result
