"""Index writes: entries and their terms (SQLite FTS5 rows, PostgreSQL tsvectors), the
``index_*`` calls after a directory write, bulk indexing of an import and the rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import translation

from tsunagu.core.bulk import copy_rows, db_converter, new_ids
from tsunagu.directory.models import Location, Organisation, Resource, SearchEntry
from tsunagu.directory.search.cache import _changed
from tsunagu.directory.search.documents import (
    _Made,
    _Names,
    _organisation_entries,
    _resource_entries,
    _resource_made,
    _resource_sources,
)


def _write_terms(made: list[_Made], *, fresh: bool = False) -> None:
    """Store the terms of entries (replacing any), on the vendor's full-text side.

    ``fresh``: the entries were just inserted, so there are no old terms to delete.
    """
    if not made:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if not fresh:
                cursor.executemany(
                    "DELETE FROM directory_searchentry_fts WHERE rowid = %s",
                    [(entry.pk,) for entry, _, _ in made],
                )
            cursor.executemany(
                "INSERT INTO directory_searchentry_fts(rowid, name_terms, terms) "
                "VALUES (%s, %s, %s)",
                [(entry.pk, " ".join(name), " ".join(terms)) for entry, name, terms in made],
            )
        elif connection.vendor == "postgresql":
            cursor.executemany(
                "UPDATE directory_searchentry SET name_tsv = array_to_tsvector(%s::text[]), "
                "terms_tsv = array_to_tsvector(%s::text[]) WHERE id = %s",
                [(name, terms, entry.pk) for entry, name, terms in made],
            )
        else:
            raise NotImplementedError(f"search is not implemented for {connection.vendor}")


def _create(made: list[_Made]) -> None:
    """Insert new entries with their terms, many rows per statement (bulk indexing: one
    save and one full-text write per entry cost more than analysing its text)."""
    if not made:
        return
    _insert_with_terms(made)
    if connection.vendor == "sqlite":
        _write_terms(made, fresh=True)  # the insert set the ids on the entries


def entry_terms(entry: SearchEntry) -> list[str]:
    """The stored terms of an entry (for tests and for looking into a search's answer)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tsvector_to_array(terms_tsv) FROM directory_searchentry WHERE id = %s",
                [entry.pk],
            )
            row = cursor.fetchone()
            return list(row[0]) if row else []
        cursor.execute("SELECT terms FROM directory_searchentry_fts WHERE rowid = %s", [entry.pk])
        row = cursor.fetchone()
        return row[0].split() if row else []


_CASCADE_FIELDS = ("name", "visibility", "municipality_id", "prefecture_id", "org_type")


def _replace(made: list[_Made], column: str) -> dict[int, SearchEntry]:
    """Insert or replace entries and their terms; returns the entries as they were."""
    owners = [getattr(entry, column) for entry, _, _ in made]
    before = {
        getattr(entry, column): entry
        for entry in SearchEntry.objects.filter(**{f"{column}__in": owners})
    }
    new, existing = [], []
    for item in made:
        entry = item[0]
        old = before.get(getattr(entry, column))
        if old is None:
            new.append(item)
        else:
            entry.pk = old.pk
            entry.save()
            existing.append(item)
    _write_terms(existing)
    _create(new)
    _changed()
    return before


def index_organisations(ids: Iterable[int]) -> None:
    """(Re)index organisations; when a name, scope or type changed, also their resources
    (which copy them) and, for a new name, their sub-organisations (which carry it)."""
    ids = list(ids)
    if not ids:
        return
    with translation.override("ja"):
        made = _organisation_entries(ids, _Names())
    before = _replace(made, "organisation_id")
    changed, renamed = [], []
    for entry, _, _ in made:
        old = before.get(entry.organisation_id)
        if old is None:
            continue
        if any(getattr(old, name) != getattr(entry, name) for name in _CASCADE_FIELDS):
            changed.append(entry.organisation_id)
        if old.name != entry.name:
            renamed.append(entry.organisation_id)
    if changed:
        index_resources(
            Resource.objects.filter(provider_id__in=changed).values_list("pk", flat=True)
        )
    if renamed:
        index_organisations(
            Organisation.objects.filter(parent_id__in=renamed).values_list("pk", flat=True)
        )


def index_resources(
    ids: Iterable[int], *, phrases: dict[str, tuple[str, ...]] | None = None
) -> None:
    """(Re)index resources.

    ``phrases``: a dict the caller keeps across calls, for bulk indexing in batches (each
    distinct phrase is analysed once); None uses the small process-wide cache.
    """
    ids = list(ids)
    if not ids:
        return
    with translation.override("ja"):
        names = _Names()
        names.phrases = phrases
        made = _resource_entries(ids, names)
    _replace(made, "resource_id")


def index_new_resources(
    ids: Iterable[int],
    *,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Index resources that have no entry yet (an import's new rows), in bulk.

    PostgreSQL: their records are read first, then one COPY streams the entries while
    their text is analysed, so that the server writes (its GIN indexes most) while
    Python analyses the next rows, on another core. Elsewhere, or when some already have
    an entry: batches through :func:`index_resources`. ``progress(done, total)``.
    """
    ids = list(ids)
    total = len(ids)
    batches = [ids[start : start + batch_size] for start in range(0, total, batch_size)]
    phrases: dict[str, tuple[str, ...]] = {}
    streamed = (
        connection.vendor == "postgresql"
        and bool(ids)
        and not SearchEntry.objects.filter(resource_id__in=ids).exists()
    )
    if not streamed:
        done = 0
        for batch in batches:
            if len(phrases) > PHRASES_KEPT:
                phrases.clear()
            index_resources(batch, phrases=phrases)
            done += len(batch)
            if progress:
                progress(done, total)
        return
    with translation.override("ja"):
        names = _Names()
        names.phrases = phrases
        sources = [_resource_sources(batch) for batch in batches]
        fields, converters = _entry_fields()
        pks = iter(new_ids(connection, SearchEntry._meta.db_table, "id", total))

        def rows() -> Iterator[list[Any]]:
            done = 0
            for source in sources:
                if len(phrases) > PHRASES_KEPT:
                    phrases.clear()
                for made in _resource_made(source, names):
                    yield _copy_row(made, next(pks), fields, converters)
                    done += 1
                if progress:
                    progress(done, total)

        copy_rows(connection, SearchEntry._meta.db_table, _copy_columns(fields), rows())
    _changed()


PHRASES_KEPT = 50_000  # analysed phrases kept by a bulk run (a very large file: bounded)


def index_organisation(org: Organisation) -> None:
    """(Re)index one organisation; call after it or its relations were written."""
    index_organisations([org.pk])


def index_resource(resource: Resource) -> None:
    """(Re)index one resource; call after it or its relations (m2m, schedule) were written."""
    index_resources([resource.pk])


def index_location_resources(location: Location) -> None:
    """Reindex the resources held at a location (its name and address are in their terms)."""
    index_resources(Resource.objects.filter(locations=location).values_list("pk", flat=True))


def index_record(obj: Any) -> None:
    """Reindex whatever a directory write touched (services call this after each write)."""
    if isinstance(obj, Organisation):
        index_organisation(obj)
    elif isinstance(obj, Resource):
        index_resource(obj)
    elif isinstance(obj, Location):
        index_location_resources(obj)


def ensure_index_schema() -> None:
    """Recreate the SQLite side of the index if missing: Django rebuilds a SQLite table to
    alter it, which drops its triggers and indexes (PostgreSQL alters in place)."""
    if connection.vendor != "sqlite":
        return
    import importlib

    migration = importlib.import_module("tsunagu.directory.migrations.0003_search_index")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_FORWARD:
            cursor.execute(statement)


REBUILD_BATCH = 2000


def rebuild_index(
    *,
    batch_size: int = REBUILD_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every entry (after bulk loads, or to repair the index). Returns the count.

    ``progress(done, total)`` is called after each batch of records (the background job's
    progress bar); everything is one transaction, so an interrupted rebuild leaves the old
    index as it was and can simply be run again."""
    created = 0
    with transaction.atomic(), translation.override("ja"):
        ensure_index_schema()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM directory_searchentry_fts")
            cursor.execute("DELETE FROM directory_searchentry")
        names = _Names()
        names.phrases = {}
        batches = [
            (make, list(model.objects.order_by("pk").values_list("pk", flat=True)))
            for model, make in (
                (Organisation, _organisation_entries),
                (Resource, _resource_entries),
            )
        ]
        total = sum(len(ids) for _make, ids in batches)
        done = 0
        for make, ids in batches:
            for start in range(0, len(ids), batch_size):
                chunk = ids[start : start + batch_size]
                made = make(chunk, names)
                _create(made)
                created += len(made)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO directory_searchentry_fts(directory_searchentry_fts) "
                    "VALUES ('optimize')"
                )
        _changed()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE directory_searchentry")
        else:
            cursor.execute("ANALYZE directory_searchentry")
    return created


def _insert_with_terms(made: list[_Made], rows_per_statement: int = 400) -> None:
    """Insert entries and set their ids. PostgreSQL: one COPY with their tsvectors (see
    ``_copy_with_terms``). SQLite: many rows per INSERT (what bulk_create does, without
    building a statement through the ORM per batch); the caller then writes the FTS5
    rows."""
    if connection.vendor == "postgresql":
        _copy_with_terms(made)
        return
    fields, converters = _entry_fields()
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(made), rows_per_statement):
            chunk = made[start : start + rows_per_statement]
            params: list[Any] = []
            for entry, _, _ in chunk:
                params += [
                    convert(getattr(entry, f.attname))
                    for f, convert in zip(fields, converters, strict=True)
                ]
            # a multi-row INSERT … RETURNING gives the ids in the VALUES order (Django's
            # bulk_create relies on it as well)
            cursor.execute(
                f"INSERT INTO directory_searchentry ({columns}) "
                f"VALUES {', '.join([row] * len(chunk))} RETURNING id",
                params,
            )
            for (entry, _, _), (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                entry.pk = pk
                entry._state.adding = False


def _tsvector_literal(terms: list[str]) -> str:
    """Terms as tsvector input text: each quoted, quotes doubled, backslashes escaped."""
    return " ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)


def _entry_fields() -> tuple[list[Any], list[Callable[[Any], Any]]]:
    """SearchEntry's columns but the id, and how each value goes to the database (plain
    values as they are: preparing each through its field was a fifth of bulk indexing)."""
    fields = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key]
    return fields, [db_converter(f, connection) for f in fields]


def _copy_columns(fields: list[Any]) -> list[str]:
    """The columns of a COPY of entries: the id, the fields, then the tsvectors."""
    return ["id", *(f.column for f in fields), "name_tsv", "terms_tsv"]


def _copy_row(
    made: _Made, pk: int, fields: list[Any], converters: list[Callable[[Any], Any]]
) -> list[Any]:
    entry, name, terms = made
    entry.pk = pk
    entry._state.adding = False
    return [
        pk,
        *(
            convert(getattr(entry, f.attname))
            for f, convert in zip(fields, converters, strict=True)
        ),
        _tsvector_literal(name),
        _tsvector_literal(terms),
    ]


def _copy_with_terms(made: list[_Made]) -> None:
    """PostgreSQL: ids from the table's sequence, then one COPY of the rows with their
    tsvectors as text (a multi-row INSERT passing the terms as arrays spent more time in
    the driver, quoting arrays and splitting the statement, than the server did)."""
    fields, converters = _entry_fields()
    pks = new_ids(connection, SearchEntry._meta.db_table, "id", len(made))
    copy_rows(
        connection,
        SearchEntry._meta.db_table,
        _copy_columns(fields),
        (_copy_row(item, pk, fields, converters) for item, pk in zip(made, pks, strict=True)),
    )
