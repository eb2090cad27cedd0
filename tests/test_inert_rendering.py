"""Hostile text in every free-text field of every model is inert in every page and export.

Generated from the models: every CharField and TextField a user can type into (editable, no
choices, long enough, not a code, key, address or colour) of every Tsunagu model is set, in
every demo row, to one value holding an HTML injection (``<script>``, an attribute break
``"onmouseover=``) and a spreadsheet formula (``=cmd|' /C calc'!A0``). Then the crawl of
tests/test_crawl.py visits every page, export and API answer as the system administrator:
no HTML page may carry the markup unescaped, no CSV cell may start with the formula, and no
.xlsx cell may be a formula.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat

from tests.test_crawl import crawl_plan
from tsunagu.mobility.models import MobilityService

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"
MARKUP = '<script>alert(1)</script>"onmouseover=alert(2)'
PAYLOAD = FORMULA + MARKUP
# Names of text fields that hold codes, identifiers, addresses or machine formats, not prose.
NOT_PROSE = (
    "code",
    "key",
    "slug",
    "url",
    "uri",
    "email",
    "phone",
    "tel",
    "fax",
    "colour",
    "color",
    "token",
    "secret",
    "password",
    "username",
    "hash",
    "path",
    "file",
    "json",
    "geometry",
    "boundary",
    "timezone",
    "language",
    "postal",
    "_id",
    "ref",
    "number",
    "kana",
    "version",
    "source",
    "checksum",
)


def free_text_fields(model: type[models.Model]) -> list[str]:
    names = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if not field.editable or field.choices or field.unique or field.primary_key:
            continue
        if isinstance(field, models.CharField) and (field.max_length or 0) < len(PAYLOAD) + 12:
            continue
        if isinstance(field, models.EmailField | models.URLField | models.SlugField):
            continue
        if any(part in field.name for part in NOT_PROSE):
            continue
        names.append(field.name)
    return names


def tsunagu_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("tsunagu.")
        and not model._meta.proxy
        and not model.__name__.startswith("Historical")
    ]


def poison_every_free_text_field() -> int:
    """Write the payload into every free-text field of every row; returns the fields changed."""
    changed = 0
    for model in tsunagu_models():
        names = free_text_fields(model)
        if names and model._base_manager.exists():
            # ending in the row's id keeps values unique where a constraint needs it
            value = Concat(Value(PAYLOAD + " "), Cast("pk", models.CharField()))
            model._base_manager.update(**dict.fromkeys(names, value))
            changed += len(names)
    return changed


def test_the_generated_field_list_covers_char_and_text_fields_of_many_models():
    kinds = {
        type(model._meta.get_field(name)).__name__
        for model in tsunagu_models()
        for name in free_text_fields(model)
    }
    models_with_prose = [model for model in tsunagu_models() if free_text_fields(model)]

    assert {"CharField", "TextField"} <= kinds
    assert len(models_with_prose) >= 30


class LiveMarkup(HTMLParser):
    """What of the payload became markup: a script running alert(1), an onmouseover handler.

    Escaped text, and quotes in text nodes (harmless outside a tag), are not findings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # json_script data blocks are not run (and escape "<" themselves)
        kind = (dict(attrs).get("type") or "text/javascript").lower()
        self._in_script = tag == "script" and kind in ("text/javascript", "module")
        if any(name.startswith("onmouseover") for name, _value in attrs):
            self.found.add("an onmouseover attribute")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(1)" in data:
            self.found.add("a <script> running the payload")


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _problems(url: str, response: Any) -> list[str]:
    content_type = response.get("Content-Type", "")
    raw = _body(response)
    found = []
    if "text/html" in content_type:
        live = LiveMarkup()
        live.feed(raw.decode("utf-8", errors="replace"))
        if live.found:
            found.append(f"{url}: {', '.join(sorted(live.found))}")
    elif "csv" in content_type:
        text = raw.decode("utf-8-sig", errors="replace")
        for row in csv.reader(io.StringIO(text)):
            if any(cell.startswith(FORMULA[:4]) for cell in row):
                found.append(f"{url}: CSV cell starts with a formula")
                break
    elif raw.startswith(b"PK") and "sheet" in content_type:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(raw))
        formulas = [
            cell.coordinate
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.data_type == "f"
        ]
        if formulas:
            found.append(f"{url}: .xlsx formula cells {formulas[:3]}")
    return found


def test_hostile_text_in_every_free_text_field_is_inert_on_every_page_and_export(
    client_as: Any, user_named: Any
) -> None:
    assert poison_every_free_text_field() >= 100
    services = list(MobilityService.objects.order_by("pk"))
    urls, _unhandled = crawl_plan(user_named("admin"), services)
    client = client_as("admin")
    problems: list[str] = []
    rendered = 0
    for url in urls:
        try:
            response = client.get(url)
        except Exception:  # a page that fails on the crawl's data is test_crawl's concern
            continue
        if response.status_code != 200:
            continue
        rendered += 1
        problems += _problems(url, response)

    assert problems == [], "\n".join(problems[:30])
    assert rendered >= 100
