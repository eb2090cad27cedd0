"""The dashboard's directory figures, kept in the shared cache per scope until the next write.

Counting every visible organisation and resource (other municipalities' public records
included) scans most of both tables: with 100,000 resources it was the slowest part of the
dashboard (issue 18). The four figures depend only on the user's scope and the day, so users
with the same scope share them; they are keyed by a *version* in the shared cache that every
save or delete of an organisation or resource replaces (signals, connected in ``plugin``),
and by the search index version, which every bulk write (imports) replaces. Nothing is read
from or kept in the cache inside a transaction: it may be rolled back, and it sees its own
uncommitted writes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from tsunagu.accounts.scope import scope_key
from tsunagu.core.cache_versions import CacheVersion, may_keep

COUNTS_SECONDS = 600  # a bound; any directory write ends them sooner
version = CacheVersion("tsunagu:directory-counts:version")


def changed(**_signal: Any) -> None:
    """An organisation or resource was written: the kept figures are no longer valid."""
    version.changed()


def may_cache() -> bool:
    return may_keep()


def directory_counts_kept(*, user: Any, today: datetime.date | None = None) -> dict[str, int]:
    """:func:`selectors.directory_counts_for`, from the cache when nothing was written since."""
    from tsunagu.directory import selectors
    from tsunagu.directory.search.cache import kept_version

    today = today or timezone.localdate()
    if not may_cache():
        return selectors.directory_counts_for(user=user, today=today)
    key = (
        f"tsunagu:directory-counts:{version.current()}:{kept_version()}:{today.isoformat()}"
        f":{scope_key(user)}"
    )
    counts = cache.get(key)
    if counts is None:
        counts = selectors.directory_counts_for(user=user, today=today)
        cache.set(key, counts, COUNTS_SECONDS)
    return counts
