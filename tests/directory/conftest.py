"""Fixtures for the directory tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_search_caches() -> Iterator[None]:
    """Each test starts without kept searches, columns or rendered results.

    They are keyed by the index version, which a rolled-back test may have replaced
    after reading its own (rolled-back) rows; outside tests nothing is read or kept
    inside a transaction.
    """
    from tsunagu.directory import search, search_columns, views, views_public

    def clear() -> None:
        search_columns.settle()
        search._results.clear()
        search_columns.clear()
        views._hit_items.clear()
        views_public._area_choices.clear()

    clear()
    yield
    clear()
