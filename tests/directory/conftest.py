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
    from tsunagu.directory.search import cache as search_cache
    from tsunagu.directory.search import columns as search_columns
    from tsunagu.directory.views import public as public_views
    from tsunagu.directory.views import search as search_views

    def clear() -> None:
        search_columns.settle()
        search_cache._results.clear()
        search_columns.clear()
        search_views._hit_items.clear()
        public_views._area_choices.clear()

    clear()
    yield
    clear()
