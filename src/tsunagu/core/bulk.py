"""Bulk writes below the ORM, for imports and index rebuilds of tens of thousands of rows.

Django's ``bulk_create`` prepares every value through its field and builds a statement
per batch; for the directory's imports that cost more than the database's own work. These
helpers send plain values as they are and, on PostgreSQL, use the server's bulk path
(``COPY … FROM STDIN``) with ids taken from the table's sequence beforehand.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from tsunagu.core.cache_versions import table_written

# Field types whose Python values (str, int, bool, None) go to the database unchanged on
# both backends; anything else goes through the field's get_db_prep_save as Django does.
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)


def db_converter(field: Any, connection: Any) -> Callable[[Any], Any]:
    """How a value of ``field`` goes to the database: as it is when plain, else prepared."""
    kind = field.get_internal_type()
    if kind in PLAIN_TYPES:
        target = field.target_field if kind in ("ForeignKey", "OneToOneField") else field
        if target.get_internal_type() in PLAIN_TYPES:
            return lambda value: value
    prepare = field.get_db_prep_save
    if kind in ("DateField", "DateTimeField", "TimeField"):
        # What get_db_prep_save does for such a value, without its checks and conversions
        # (a tenth of a bulk import's write went there): the backend's adapter, directly.
        # Anything else (a string, a naive datetime, which Django warns about and makes
        # aware) still goes through the field.
        ops = connection.ops
        if kind == "DateField":
            exact, adapt = datetime.date, ops.adapt_datefield_value
        elif kind == "TimeField":
            exact, adapt = datetime.time, ops.adapt_timefield_value
        else:
            exact, adapt = datetime.datetime, ops.adapt_datetimefield_value

        def converted(value: Any) -> Any:
            if value is None:
                return None
            if type(value) is exact and (exact is not datetime.datetime or value.tzinfo):
                return adapt(value)
            return prepare(value, connection)

        return converted
    return lambda value: prepare(value, connection)


def new_ids(connection: Any, table: str, column: str, count: int) -> list[int]:
    """PostgreSQL: ``count`` new ids from the sequence of ``table``.``column``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(
    connection: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """PostgreSQL: ``COPY table (columns) FROM STDIN`` of ``rows``, one statement.

    ``rows`` may be a generator: each row is sent as it comes, so the server writes (and
    updates its indexes) while the caller prepares the next ones.
    """
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    # COPY runs on the driver's own cursor, past the write watcher: say what it wrote
    table_written(table, using=connection)
