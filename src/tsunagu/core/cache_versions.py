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
- one version per table: replaced by **any** write through
  Django's database connections (ORM saves and deletes, bulk writes, queryset updates, raw
  SQL), seen by an execute wrapper on every connection, except writes to the tables in
  :data:`UNWATCHED_MODELS` (sessions, login attempts, jobs' progress, the personal-data read
  log), which no kept page shows; PostgreSQL's ``COPY`` (core/bulk.py) renews its table's
  version itself. :func:`kept_by_tables` keeps a value with the versions of the very tables
  its computation read (seen by the same wrapper), so that a write elsewhere leaves it valid:
  the dashboard keeps each panel this way.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

T = TypeVar("T")


class CacheVersion:
    """A version kept in the shared cache under ``key``."""

    def __init__(self, key: str) -> None:
        self.key = key

    def renew(self) -> None:
        cache.set(self.key, time.time_ns(), timeout=None)

    def changed(
        self, using: BaseDatabaseWrapper | None = None, *, once_per_transaction: bool = False
    ) -> None:
        """What is kept under this version is no longer valid: now, and once more when the
        current transaction commits (registered once per transaction, however many writes).
        ``once_per_transaction``: inside a transaction, renew it now only at the first write
        (the write watcher: other processes see nothing of the transaction before it
        commits; the index version is renewed at every write, the tests' in-process search
        columns read it inside their transaction)."""
        conn = using or connection
        registered = conn.in_atomic_block and any(
            entry[1] == self.renew for entry in conn.run_on_commit
        )
        if not (registered and once_per_transaction):
            self.renew()
        if conn.in_atomic_block and not registered:
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


_TABLE_KEY = "tsunagu:data:table:"
_versions_of_tables: dict[str, CacheVersion] = {}
_reading = threading.local()  # .tables: the set being collected by reading_tables(), or None
_WORD = re.compile(r"[a-z][a-z0-9_]*")


def table_version(table: str) -> CacheVersion:
    version = _versions_of_tables.get(table)
    if version is None:
        version = _versions_of_tables.setdefault(table, CacheVersion(f"{_TABLE_KEY}{table}"))
    return version


def table_written(table: str, using: BaseDatabaseWrapper | None = None) -> None:
    """A table was written: what was kept from it is no longer valid."""
    if table in _unwatched_tables():
        return
    table_version(table).changed(using=using, once_per_transaction=True)


@functools.cache
def _known_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))


def _watch_writes(
    execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is not None:
        table_written(table, using=context["connection"])
    elif isinstance(sql, str) and getattr(_reading, "tables", None) is not None:
        _reading.tables.update(_known_tables().intersection(_WORD.findall(sql)))
    return result


@contextlib.contextmanager
def reading_tables() -> Iterator[set[str]]:
    """Collect the tables that the statements run inside the block read."""
    outer = getattr(_reading, "tables", None)
    tables: set[str] = set()
    _reading.tables = tables
    try:
        yield tables
    finally:
        _reading.tables = outer
        if outer is not None:
            outer.update(tables)


def note_tables_read(tables: set[str] | frozenset[str]) -> None:
    """Count ``tables`` as read by the computation being collected (what it used but read
    earlier in the request, e.g. the user's scope)."""
    collecting = getattr(_reading, "tables", None)
    if collecting is not None:
        collecting.update(tables)


def kept_by_tables(key: str, compute: Callable[[], T], *, seconds: int) -> T:
    """``compute()``, kept under ``key`` until a table it read is written (or ``seconds``).

    The versions kept are those of the tables as they were *before* the computation when it
    read the same tables the last time (a write committed while it ran then makes the next
    reader compute again); a table read for the first time is taken as it is after. Nothing is
    kept inside a transaction.
    """
    if not may_keep():
        return compute()
    entry = cache.get(key)
    before: dict[str, Any] = {}
    if entry is not None:
        value, versions = entry
        before = cache.get_many([f"{_TABLE_KEY}{t}" for t in versions])
        if all(before.get(f"{_TABLE_KEY}{t}") == v for t, v in versions.items()):
            return value
    with reading_tables() as tables:
        value = compute()
    after = cache.get_many([f"{_TABLE_KEY}{t}" for t in tables if f"{_TABLE_KEY}{t}" not in before])
    versions = {}
    for table in tables:
        name = f"{_TABLE_KEY}{table}"
        version = before.get(name, after.get(name))
        versions[table] = version if version is not None else table_version(table).current()
    cache.set(key, (value, versions), seconds)
    return value


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
