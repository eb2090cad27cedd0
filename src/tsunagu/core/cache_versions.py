"""Versions in the shared cache, under which derived figures and pages are kept.

A figure computed from stored rows (a count, a search's page, a dashboard panel) may be
kept in the cache under a *version* that every write of those rows replaces: a reader asks
for the current version and finds nothing kept under an older one. The version is a fresh
value (``time.time_ns()``), never an increment, so two writers never leave the same value;
a write inside a transaction replaces it at once and again when the transaction commits
(another process may have read the old rows in between). Nothing is read or kept inside a
transaction: it may be rolled back, and it sees its own uncommitted writes.

Two kinds of version use this:

- :class:`CacheVersion`: a named version that the owner replaces with :meth:`changed` (the
  directory's counts on a directory write, the search index on an index write);
- :data:`data_version`: replaced by **any** write through Django's database connections
  (ORM saves and deletes, bulk writes, queryset updates, raw SQL), seen by an execute
  wrapper on every connection, except writes to the tables in :data:`UNWATCHED_MODELS`
  (sessions, login attempts, jobs' progress, the personal-data read log), which no kept
  page shows. What a page derives from "everything" (the dashboard) is kept under it.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper


class CacheVersion:
    """A version kept in the shared cache under ``key``."""

    def __init__(self, key: str) -> None:
        self.key = key

    def renew(self) -> None:
        cache.set(self.key, time.time_ns(), timeout=None)

    def changed(self, using: BaseDatabaseWrapper | None = None) -> None:
        """What is kept under this version is no longer valid: now, and once more when the
        current transaction commits (registered once per transaction, however many writes)."""
        conn = using or connection
        self.renew()
        if conn.in_atomic_block and not any(entry[1] == self.renew for entry in conn.run_on_commit):
            transaction.on_commit(self.renew, using=conn.alias)

    def current(self) -> int:
        version = cache.get(self.key)
        if version is None:  # never set, or evicted: a new one makes older entries unreachable
            self.renew()
            version = cache.get(self.key, 0)
        return int(version)

    def kept(self) -> int | None:
        """The version to key kept values by, or None inside a transaction (keep nothing)."""
        return self.current() if may_keep() else None


def may_keep() -> bool:
    """Outside a transaction only: one may be rolled back, and sees its own writes."""
    return not connection.in_atomic_block


# --- any write --------------------------------------------------------------------------

data_version = CacheVersion("tsunagu:data:version")

# Tables written on every request or by the machinery, which no kept page shows.
UNWATCHED_MODELS = (
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "axes.AccessAttemptExpiration",
    "accounts.UserSession",
    "accounts.PersonalDataReadLog",
    "core.Job",
    "django_tasks_database.DBTaskResult",
)
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?([\w.]+)', re.IGNORECASE)


@functools.cache
def _unwatched_tables() -> frozenset[str]:
    from django.apps import apps

    tables = set()
    for label in UNWATCHED_MODELS:
        try:
            tables.add(apps.get_model(label)._meta.db_table)
        except (LookupError, ValueError):  # an app that is not installed here
            continue
    return frozenset(tables)


def written_table(sql: Any) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes, else None."""
    if not isinstance(sql, str) or sql.lstrip()[:1] not in ("I", "U", "D", "i", "u", "d"):
        return None
    match = _WRITE.match(sql)
    return match[1] if match else None


def _watch_writes(
    execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is not None and table not in _unwatched_tables():
        data_version.changed(using=context["connection"])
    return result


def watch_writes(
    sender: Any = None, connection: BaseDatabaseWrapper | None = None, **_: Any
) -> None:
    """Install the write watcher on a connection (``connection_created``; idempotent)."""
    if connection is not None and _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch every database connection, those open now and those opened later."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    connection_created.connect(watch_writes, dispatch_uid="tsunagu-data-version")
    for conn in connections.all(initialized_only=True):
        watch_writes(connection=conn)
