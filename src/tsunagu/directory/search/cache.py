"""The per-process cache of a search's counts and pages, keyed by its SQL and by the index
version that every index write replaces.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection

from tsunagu.core.cache_versions import CacheVersion, may_keep
from tsunagu.core.text import Node
from tsunagu.directory.search.sql import _Sql

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


_index_version = CacheVersion(_VERSION_KEY)


def _changed() -> None:
    """The index changed: cached searches are no longer valid (here and everywhere)."""
    _index_version.changed()


def _version() -> int:
    return _index_version.current()


def kept_version() -> int | None:
    """The index version to key anything derived from the index by, when it may be kept:
    None inside a transaction (see _may_cache)."""
    return _version() if _may_cache() else None


def _may_cache() -> bool:
    """Outside a transaction only: one may be rolled back, and sees its own writes."""
    return may_keep()


def columns_version() -> int | None:
    """The index version the in-process columns may be used for: outside a transaction,
    or inside one when SEARCH_COLUMNS_IN_TRANSACTIONS is on (the tests)."""
    return _version() if (_may_cache() or settings.SEARCH_COLUMNS_IN_TRANSACTIONS) else None


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
