"""Bulk writes below the ORM (tsunagu.core.bulk): values as the database receives them,
and on PostgreSQL ids from the sequence and a COPY of the rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from tsunagu.core.bulk import copy_rows, db_converter, new_ids
from tsunagu.directory.models import Category, Resource


def test_plain_values_go_as_they_are_and_others_are_prepared_by_their_field() -> None:
    name = db_converter(Resource._meta.get_field("name"), connection)
    provider = db_converter(Resource._meta.get_field("provider"), connection)
    verified = db_converter(Resource._meta.get_field("last_verified_on"), connection)
    marker = object()  # (a plain converter does not even look at the value)
    assert name(marker) is marker
    assert provider(marker) is marker
    prepared = verified(datetime.date(2025, 5, 14))
    assert prepared == Resource._meta.get_field("last_verified_on").get_db_prep_save(
        datetime.date(2025, 5, 14), connection
    )


@pytest.mark.django_db
def test_date_and_time_values_are_adapted_as_their_field_prepares_them() -> None:
    from django.utils import timezone

    from tsunagu.directory.models import HistoricalResource, WeeklySlot

    aware = timezone.now()
    cases = [
        (Resource._meta.get_field("last_verified_on"), datetime.date(2025, 5, 14)),
        (Resource._meta.get_field("last_verified_on"), datetime.datetime(2025, 5, 14, 23, 30)),
        (Resource._meta.get_field("last_verified_on"), "2025-05-14"),
        (Resource._meta.get_field("last_verified_on"), None),
        (HistoricalResource._meta.get_field("history_date"), aware),
        (HistoricalResource._meta.get_field("history_date"), aware.astimezone(datetime.UTC)),
        (Resource._meta.get_field("created_at"), "2025-05-14 10:00:00+09:00"),
        (WeeklySlot._meta.get_field("opens_at"), datetime.time(9, 30)),
        (WeeklySlot._meta.get_field("opens_at"), "09:30"),
    ]
    for field, value in cases:
        assert db_converter(field, connection)(value) == field.get_db_prep_save(
            value, connection
        ), (field.name, value)
    naive = datetime.datetime(2025, 5, 14, 10, 0)  # Django warns and makes it aware: as before
    field = Resource._meta.get_field("created_at")
    with pytest.warns(RuntimeWarning):
        converted = db_converter(field, connection)(naive)
    with pytest.warns(RuntimeWarning):
        assert converted == field.get_db_prep_save(naive, connection)


@pytest.mark.django_db
def test_copy_rows_writes_the_rows_with_ids_from_the_sequence() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's bulk path; SQLite writes multi-row INSERTs")
    table = Category._meta.db_table
    ids = new_ids(connection, table, "id", 2)
    assert len(set(ids)) == 2
    assert not Category.objects.filter(pk__in=ids).exists()

    def rows():  # a generator: rows are sent as they come
        for pk, code in zip(ids, ["bulk-a", "bulk-b"], strict=True):
            yield [pk, code, f"一括{code}", "", "", 900]

    copy_rows(
        connection, table, ["id", "code", "name", "name_en", "description", "sort_order"], rows()
    )
    assert dict(Category.objects.filter(pk__in=ids).values_list("pk", "code")) == dict(
        zip(ids, ["bulk-a", "bulk-b"], strict=True)
    )
