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
import hashlib
import time
from dataclasses import fields
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from tsunagu.accounts.permissions import scope_for

COUNTS_SECONDS = 600  # a bound; any directory write ends them sooner
_VERSION_KEY = "tsunagu:directory-counts:version"


def _new_version() -> None:
    cache.set(_VERSION_KEY, time.time_ns(), timeout=None)  # a fresh value, not an increment


def changed(**_signal: Any) -> None:
    """An organisation or resource was written: the kept figures are no longer valid (now, and
    again when the transaction commits: another process may have counted in between)."""
    _new_version()
    if connection.in_atomic_block and not any(
        entry[1] is _new_version for entry in connection.run_on_commit
    ):  # once per transaction, however many rows it writes
        transaction.on_commit(_new_version)


def _version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:  # never set, or evicted: a new one makes older entries unreachable
        _new_version()
        version = cache.get(_VERSION_KEY, 0)
    return int(version)


def may_cache() -> bool:
    return not connection.in_atomic_block


def _scope_key(user: Any) -> str:
    scope = scope_for(user)
    parts = []
    for field in fields(scope):
        value = getattr(scope, field.name)
        parts.append(sorted(value) if isinstance(value, frozenset) else value)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def directory_counts_kept(*, user: Any, today: datetime.date | None = None) -> dict[str, int]:
    """:func:`selectors.directory_counts_for`, from the cache when nothing was written since."""
    from tsunagu.directory import selectors
    from tsunagu.directory.search.cache import kept_version

    today = today or timezone.localdate()
    if not may_cache():
        return selectors.directory_counts_for(user=user, today=today)
    key = (
        f"tsunagu:directory-counts:{_version()}:{kept_version()}:{today.isoformat()}"
        f":{_scope_key(user)}"
    )
    counts = cache.get(key)
    if counts is None:
        counts = selectors.directory_counts_for(user=user, today=today)
        cache.set(key, counts, COUNTS_SECONDS)
    return counts
