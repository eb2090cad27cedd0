"""Large searches over the in-process columns (``search.columns``).

tests/directory/test_search.py runs every search case through the columns too (its
"columns" mode). Here: what only the columns have: reading them in the background while
the SQL path answers, keeping them per index version, and their group counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tsunagu.directory.search import cache as search_cache
from tsunagu.directory.search import columns as search_columns
from tsunagu.directory.search import query as search_query
from tsunagu.directory.search.filters import SearchFilters
from tsunagu.directory.search.query import search
from tsunagu.directory.search.results import SearchResult


@pytest.fixture
def outside_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Search as outside a transaction: results cached, columns read in the background.

    The demo data the searches read is committed (loaded once per test database), so a
    background thread with its own connection sees it; these tests write nothing.
    """
    monkeypatch.setattr(search_cache, "_may_cache", lambda: True)
    monkeypatch.setattr(search_query, "_columns_wait", lambda: False)
    monkeypatch.setattr(search_query, "SINGLE_PASS_UP_TO", 0)  # every search is "large"
    search_cache._results.clear()
    search_columns.clear()
    yield
    search_columns.settle()
    search_cache._results.clear()
    search_columns.clear()


def _summary(result: SearchResult) -> tuple[Any, ...]:
    return (
        result.total,
        [(hit.kind, hit.obj.pk, hit.score) for hit in result.hits],
        result.facets,
    )


@pytest.mark.parametrize("query", ["", "見守り", "緊急通報"])
def test_a_search_answers_while_the_columns_are_read_then_they_give_the_same_result(
    outside_transaction: None,
    user_named: Any,
    municipality: Any,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
) -> None:
    user = user_named("admin")
    filters = SearchFilters(area=("municipality", municipality("香春町").pk))
    # given no columns yet: the SQL path answers, and the columns are read meanwhile
    first = search(user=user, query=query, filters=filters, per_page=5)
    assert first.total > 0
    search_columns.settle(timeout=30)
    assert search_columns.ready(search_cache._version())

    # when the same search is made again (not from the result cache)
    def sql_path(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the columns should answer")

    monkeypatch.setattr(search_query, "_facets", sql_path)
    monkeypatch.setattr(search_query, "_page_rows", sql_path)
    search_cache._results.clear()
    again = search(user=user, query=query, filters=filters, per_page=5)
    # then the columns answer it, with the same counts, order and facets
    assert _summary(again) == _summary(first)
    later = search(user=user, query=query, filters=filters, per_page=5, page=2)
    assert later.page == 2 or later.total <= 5


def test_an_index_write_makes_the_columns_old(outside_transaction: None, user_named: Any) -> None:
    user = user_named("admin")
    search(user=user, query="見守り")
    search_columns.settle(timeout=30)
    version = search_cache._version()
    assert search_columns.ready(version)
    # when the index changes (every index write replaces the version)
    search_cache._changed()
    # then the columns are no longer those of the current version; the next large search
    # is answered by SQL and reads them again
    assert not search_columns.ready(search_cache._version())
    result = search(user=user, query="見守り")
    assert result.total > 0
    search_columns.settle(timeout=30)
    assert search_columns.ready(search_cache._version())


def _columns(rows: list[tuple[Any, ...]]) -> search_columns.Columns:
    """Columns from (id, kind, category, org_type, eligibility mask, weekday mask)."""
    ids, kinds, categories, types, eligibility, weekdays = zip(*rows, strict=True)
    org_types = sorted(set(types))
    n = len(rows)
    return search_columns.Columns(
        key=("test",),
        ids=np.array(ids, dtype=np.int64),
        kind=np.array([search_columns._KINDS.index(k) for k in kinds], dtype=np.int8),
        category=np.array([-1 if c is None else c for c in categories], dtype=np.int64),
        org_type=np.array([org_types.index(t) for t in types], dtype=np.int32),
        org_types=org_types,
        eligibility=np.array(eligibility, dtype=np.int64),
        weekday=np.array(weekdays, dtype=np.int64),
        organisation_id=np.full(n, -1, dtype=np.int64),
        resource_id=np.array(ids, dtype=np.int64),
        name_rank=np.arange(n, dtype=np.int64),
    )


def test_groups_count_each_facet_value_with_the_filters_of_the_others() -> None:
    cols = _columns(
        [
            (3, "resource", 10, "npo", 0b011, 0b0000001),
            (5, "resource", 10, "npo", 0b001, 0b0000011),
            (8, "resource", 11, "council", 0b100, 0b1000000),
            (9, "organisation", None, "council", 0, 0),
        ]
    )
    everyone = np.ones(cols.size, dtype=bool)
    # ids 5, 8, 9 and one id (99) written after the columns were read
    selection = search_columns.select(
        cols,
        everyone,
        np.array([9, 5, 8, 99], dtype=np.int64),
        kinds=["resource", "organisation"],
        category_ids=None,
        org_types=None,
        eligibility_bits=1 << 2,  # only id 8 has eligibility 2
        weekday_bits=0,
    )
    assert sorted(cols.ids[selection.positions].tolist()) == [5, 8, 9]
    assert sorted(cols.ids[selection.positions[selection.kept]].tolist()) == [8]
    groups = {row[:5]: row[5:] for row in search_columns.grouped(selection, [0, 2])}
    assert groups == {
        ("resource", 10, "npo", False, True): (
            1,
            {0: 1, 2: 0},
            {0: 1, 1: 1, **dict.fromkeys(range(2, 7), 0)},
        ),
        ("resource", 11, "council", True, True): (
            1,
            {0: 0, 2: 1},
            {**dict.fromkeys(range(6), 0), 6: 1},
        ),
        ("organisation", None, "council", False, True): (
            1,
            {0: 0, 2: 0},
            dict.fromkeys(range(7), 0),
        ),
    }


def test_eligibility_ids_beyond_the_mask_leave_the_search_to_sql() -> None:
    assert search_columns.fits([1, 2, 62], [])
    assert not search_columns.fits([1, 63], [])
    assert not search_columns.fits([1], [70])


@pytest.mark.parametrize("ids", [[3, 5, 8, 9], [3, 5, 8, 2_000_000]])
def test_ids_are_found_whether_dense_or_sparse(ids: list[int]) -> None:
    # (sequence ids move on with each rebuild of the index: sparse ones are looked up by
    # binary search instead of an array as long as the largest id)
    cols = _columns([(pk, "resource", None, "npo", 0, 0) for pk in ids])
    assert (cols.position_of is None) == (ids[-1] > 1_000_000)
    asked = np.array([ids[3], 4, ids[0], -1, 3_000_000, ids[2]], dtype=np.int64)
    assert cols.positions(asked).tolist() == [3, 0, 2]
    assert cols.positions_or_none(asked).tolist() == [3, -1, 0, -1, -1, 2]
    assert np.flatnonzero(cols.marks(asked)).tolist() == [0, 2, 3]
