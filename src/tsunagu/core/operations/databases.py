"""The vendor-specific half of backup and restore.

A *snapshot* is a file holding the whole database as it was at one instant, read while
users keep writing:

- SQLite: the online backup API (:meth:`sqlite3.Connection.backup`) copies every page in one
  step, inside one read transaction: a consistent copy, and writers are not blocked (WAL).
- PostgreSQL: a ``REPEATABLE READ`` transaction exports its snapshot
  (``pg_export_snapshot()``); ``pg_dump --format=custom --snapshot=…`` dumps exactly that
  state while the same transaction counts the rows and reads the applied migrations, so the
  manifest describes the dump and nothing written meanwhile.

Restoring is the reverse: SQLite's backup API from the snapshot into the target database
(WAL-safe, whatever the target's journal), ``pg_restore --single-transaction`` for
PostgreSQL.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from tsunagu.core.errors import TsunaguError

MIGRATIONS_TABLE = "django_migrations"


@dataclass(frozen=True)
class Snapshot:
    """What was read in the snapshot's own transaction."""

    vendor: str
    server_version: str
    row_counts: dict[str, int]
    migrations: dict[str, list[str]]


def vendor_of(using: str) -> str:
    return connections[using].vendor


def display_url(using: str) -> str:
    """The database's address for messages: never its password."""
    settings = connections[using].settings_dict
    engine = settings["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"sqlite:///{settings['NAME']}"
    user = quote(str(settings.get("USER") or ""))
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    scheme = "postgres" if engine == "postgresql" else engine
    credentials = f"{user}@" if user else ""
    return f"{scheme}://{credentials}{host}{port}/{settings.get('NAME') or ''}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- reading a database (both vendors, through a DB-API cursor) --------------------------


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        " AND schemaname NOT LIKE 'pg_temp%' ORDER BY schemaname, tablename"
    )
    return [name if schema == "public" else f"{schema}.{name}" for schema, name in cursor]


def _qualified(table: str) -> str:
    return ".".join(_quote(part) for part in table.split(".", 1))


def _row_counts(cursor: Any, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_qualified(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor: Any, vendor: str) -> dict[str, list[str]]:
    if MIGRATIONS_TABLE not in _tables(cursor, vendor):
        return {}
    cursor.execute(f"SELECT app, name FROM {MIGRATIONS_TABLE} ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def row_counts(using: str) -> dict[str, int]:
    """Rows per table of the database ``using`` now (after a restore, say)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return _row_counts(cursor, connection.vendor)


def table_names(using: str) -> list[str]:
    connection = connections[using]
    with connection.cursor() as cursor:
        return _tables(cursor, connection.vendor)


# -- snapshots ------------------------------------------------------------------------------


def take_snapshot(using: str, destination: Path) -> Snapshot:
    """Write a consistent copy of the database ``using`` to ``destination``."""
    vendor = vendor_of(using)
    if vendor == "sqlite":
        return _sqlite_snapshot(using, destination)
    if vendor == "postgresql":
        return _postgresql_snapshot(using, destination)
    raise TsunaguError(f"このデータベース（{vendor}）のバックアップには対応していません。")


def _sqlite_snapshot(using: str, destination: Path) -> Snapshot:
    connection = connections[using]
    connection.ensure_connection()
    if connection.in_atomic_block:
        # Inside a transaction of this connection (a test, say) the backup API would wait for
        # it forever: the image of the database as this connection sees it, at once.
        destination.write_bytes(connection.connection.serialize())
    copy = sqlite3.connect(destination)
    try:
        if not connection.in_atomic_block:
            # pages=-1 (the default): every page in one step, i.e. in one read transaction.
            connection.connection.backup(copy)
        cursor = copy.cursor()
        snapshot = Snapshot(
            vendor="sqlite",
            server_version=sqlite3.sqlite_version,
            row_counts=_row_counts(cursor, "sqlite"),
            migrations=_migrations(cursor, "sqlite"),
        )
        # A self-contained file: no -wal beside it, readable by any SQLite.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    return snapshot


@contextmanager
def _raw_connection(using: str) -> Iterator[Any]:
    """A DB-API connection of its own (not Django's, which may be inside a transaction)."""
    connection = connections[using]
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        yield raw
    finally:
        raw.close()


def _server_major(cursor: Any) -> int:
    cursor.execute("SHOW server_version_num")
    return int(cursor.fetchone()[0]) // 10000


def _postgresql_snapshot(using: str, destination: Path) -> Snapshot:
    with _raw_connection(using) as raw:
        raw.autocommit = False
        raw.rollback()  # the next statement opens the transaction
        cursor = raw.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, server_version = cursor.fetchone()
        major = _server_major(cursor)
        # Dumped while this transaction holds the snapshot open.
        _run(
            [
                pg_tool("pg_dump", major),
                "--format=custom",
                f"--snapshot={snapshot_id}",
                "--no-password",
                f"--file={destination}",
            ],
            using,
        )
        snapshot = Snapshot(
            vendor="postgresql",
            server_version=str(server_version),
            row_counts=_row_counts(cursor, "postgresql"),
            migrations=_migrations(cursor, "postgresql"),
        )
        raw.rollback()
    return snapshot


# -- PostgreSQL client tools ------------------------------------------------------------------


def _tool_major(binary: str) -> int | None:
    output = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, check=False
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else None


def pg_tool(name: str, server_major: int) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version (or newer, never older).

    Looked for in ``TSUNAGU_PG_BIN_DIR``, then Debian's ``/usr/lib/postgresql/<major>/bin``,
    then on the ``PATH``.
    """
    candidates = []
    if os.environ.get("TSUNAGU_PG_BIN_DIR"):
        candidates.append(Path(os.environ["TSUNAGU_PG_BIN_DIR"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin/{name}"))
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    found = []
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            major = _tool_major(str(candidate))
            found.append(f"{candidate}（{major}）")
            if major is not None and major >= server_major:
                return str(candidate)
    raise TsunaguError(
        f"PostgreSQL {server_major} に対応する {name} が見つかりません"
        f"（見つかったもの: {', '.join(found) or 'なし'}）。"
        f"postgresql-client-{server_major} をインストールするか、"
        f"TSUNAGU_PG_BIN_DIR にその bin ディレクトリを指定してください。"
    )


def _libpq_environment(using: str) -> dict[str, str]:
    settings = connections[using].settings_dict
    env = dict(os.environ)
    mapping = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),  # in the environment, never on the command line
        "PGDATABASE": settings.get("NAME"),
    }
    options = settings.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            mapping[variable] = str(options[option])
    env.update({key: str(value) for key, value in mapping.items() if value})
    return env


def _run(command: list[str], using: str) -> None:
    result = subprocess.run(
        command, env=_libpq_environment(using), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise TsunaguError(
            f"{Path(command[0]).name} が失敗しました（終了コード {result.returncode}）: "
            + (detail[-1] if detail else "")
        )


# -- restoring ---------------------------------------------------------------------------------


def restore_snapshot(using: str, snapshot_file: Path, *, replace: bool) -> None:
    """Load ``snapshot_file`` into the database ``using`` (empty, unless ``replace``)."""
    vendor = vendor_of(using)
    connection = connections[using]
    connection.close()
    if vendor == "sqlite":
        target = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
        source = sqlite3.connect(snapshot_file)
        try:
            # Replaces every page of the target in one step (its old tables included).
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    with _raw_connection(using) as raw:
        major = _server_major(raw.cursor())
        if replace:
            # One transaction (opened by the SHOW above), committed before pg_restore runs.
            cursor = raw.cursor()
            for table in _tables(cursor, "postgresql"):
                cursor.execute(f"DROP TABLE IF EXISTS {_qualified(table)} CASCADE")
            cursor.execute(
                "SELECT sequence_schema, sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema NOT IN ('pg_catalog', 'information_schema')"
            )
            for schema, name in cursor.fetchall():
                cursor.execute(f"DROP SEQUENCE IF EXISTS {_qualified(f'{schema}.{name}')}")
            raw.commit()
    _run(
        [
            pg_tool("pg_restore", major),
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(snapshot_file),
        ],
        using,
    )


# -- a streaming replica: the reads that may lag -----------------------------------------------

# ``TSUNAGU_REPLICA_DATABASE_URL`` adds this alias (settings.py): a PostgreSQL hot standby fed
# by streaming replication from the primary. It may be behind the primary by the replication
# lag (usually under a second, more while it replays a large import), so only reads that may
# show slightly old data are sent there, each named in the code with :func:`using_replica`.
REPLICA = "replica"


def lagging_reads() -> str:
    """The alias for reads that may lag: the replica when one is configured, else the
    primary (one database: nothing lags)."""
    return REPLICA if REPLICA in connections.settings else DEFAULT_DB_ALIAS


def using_replica(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """``queryset`` read from the replica, when there is one: for heavy read-only reports
    and exports whose user does not need the last second's writes. Rows read so are never
    written back: :class:`PrimaryRouter` sends every write to the primary."""
    return queryset.using(lagging_reads())


class PrimaryRouter:
    """Writes always to the primary, even of a row read from the replica; the replica is
    never migrated (it replays the primary's changes); reads go where the code says
    (:func:`using_replica`), else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return None  # the queryset's own alias, or the instance's, or default

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # one database, two ways of reading it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
