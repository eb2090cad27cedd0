"""Small helpers shared by the accounts, areas and demo tests (not collected by pytest)."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.db import connection, models


def row_counts() -> dict[str, int]:
    """The number of rows in the table of every model, historical tables included.

    One query for all ~300 tables (one per model cost ~0.1 s per call, and tests call it
    before and after what must change nothing). Rows are counted in the tables themselves,
    whatever a model's default manager would leave out."""
    tables: dict[str, str] = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            tables.setdefault(model._meta.db_table, model._meta.label)
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*) FROM {quote(table)}" for i, table in enumerate(tables)
    )
    labels = list(tables.values())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {labels[i]: count for i, count in cursor.fetchall()}


def row_values(obj: models.Model) -> dict[str, Any]:
    """The stored column values of ``obj``, read back from the database."""
    return type(obj)._default_manager.filter(pk=obj.pk).values().get()


def area_form_data(area: Any, **changes: Any) -> dict[str, Any]:
    """What the area edit form would post for ``area`` unchanged, with ``changes`` applied."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    data: dict[str, Any] = {
        "name": area.name,
        "name_kana": area.name_kana,
        "boundary": json.dumps(area.boundary) if area.boundary else "",
        "centre_lat": text(area.centre_lat),
        "centre_lon": text(area.centre_lon),
    }
    kind = area.kind
    if kind in ("prefecture", "municipality"):
        data["name_en"] = area.name_en
    if kind in ("daily_life_area", "district"):
        data["note"] = area.note
    if kind == "district":
        data["district_kind"] = area.district_kind
        data["daily_life_area"] = text(area.daily_life_area_id)
    data.update(changes)
    return data
