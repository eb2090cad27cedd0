"""Export organisations, people and resources to .xlsx and CSV, in the importer's columns.

Only what the user may see is exported (the directory selectors); people's phone and
e-mail only where the user may see contact details. Export then import gives the same
records: values are written the way :mod:`tsunagu.directory.imports` reads them
(choices by their Japanese label, lists one item per line, dates as dates in .xlsx and
ISO 8601 in CSV, weekly patterns as 「毎週水曜 10:00〜12:00」).
"""

from __future__ import annotations

import datetime
import functools
import io
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation

from tsunagu.areas.models import Municipality
from tsunagu.core import spreadsheet
from tsunagu.core.errors import TsunaguError
from tsunagu.directory import selectors
from tsunagu.directory.imports.columns import (
    KIND_ORGANISATION,
    KIND_PERSON,
    KIND_RESOURCE,
    SPECS,
    spec_for,
)
from tsunagu.directory.imports.values import format_session, format_weekly_slot
from tsunagu.directory.models import (
    Category,
    ContactWay,
    FundingBasis,
    OrganisationStatus,
    OrganisationType,
    PersonRole,
    ResourceStatus,
    SogoServiceType,
    Visibility,
)
from tsunagu.directory.permissions import can_see_contact_details

FORMAT_XLSX = "xlsx"
FORMAT_CSV_UTF8 = "csv"  # UTF-8 with BOM: Excel opens it as UTF-8
FORMAT_CSV_SJIS = "csv-sjis"  # Shift_JIS (CP932), for older tools
FORMATS = (FORMAT_XLSX, FORMAT_CSV_UTF8, FORMAT_CSV_SJIS)
FORMAT_LABELS = {
    FORMAT_XLSX: "Excel（.xlsx）",
    FORMAT_CSV_UTF8: "CSV（UTF-8 BOM付き）",
    FORMAT_CSV_SJIS: "CSV（Shift_JIS）",
}
CONTENT_TYPES = {
    FORMAT_XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FORMAT_CSV_UTF8: "text/csv; charset=utf-8",
    FORMAT_CSV_SJIS: "text/csv; charset=shift_jis",
}
FILE_STEMS = {KIND_ORGANISATION: "団体", KIND_PERSON: "連絡先", KIND_RESOURCE: "地域資源"}
MUNICIPALITY_HEADER = "市町村"  # informational: the importer imports into the chosen one


@functools.cache
def _labels(choices: Any) -> dict[str, str]:
    with translation.override("ja"):
        return {code: str(label) for code, label in choices.choices}


def _label(choices: Any, code: str) -> str:
    return _labels(choices).get(code, code) if code else ""


def _names(items: Iterable[Any]) -> str:
    return "\n".join(sorted(str(item) for item in items))


def headers_for(kind: str) -> list[str]:
    return [MUNICIPALITY_HEADER] + [c.header for c in spec_for(kind).columns]


# --- rows ---------------------------------------------------------------------------------


def _category_names() -> dict[int, str]:
    """Category by name, or by code where two categories share a name."""
    categories = list(Category.objects.all())
    counts: dict[str, int] = {}
    for category in categories:
        counts[category.name] = counts.get(category.name, 0) + 1
    return {c.pk: c.name if counts[c.name] == 1 else c.code for c in categories}


def _scoped(queryset: QuerySet[Any], municipality: Municipality | None) -> QuerySet[Any]:
    return queryset.filter(municipality=municipality) if municipality is not None else queryset


def organisation_rows(
    *, user: Any, municipality: Municipality | None = None
) -> Iterator[list[Any]]:
    queryset = _scoped(selectors.organisation_list_visible_to(user=user), municipality)
    queryset = queryset.prefetch_related(
        "daily_life_areas", "districts", "strength_tags", "problem_tags"
    ).order_by("municipality__code", "name_kana", "name", "pk")
    for org in queryset.iterator(chunk_size=2000):
        values = {
            "name": org.name,
            "name_kana": org.name_kana,
            "org_type": _label(OrganisationType, org.org_type),
            "parent": org.parent.name if org.parent_id else "",
            "description": org.description,
            "serves_whole_municipality": "はい" if org.serves_whole_municipality else "いいえ",
            "daily_life_areas": _names(org.daily_life_areas.all()),
            "districts": _names(org.districts.all()),
            "postal_code": org.postal_code,
            "address": org.address,
            "latitude": org.latitude,
            "longitude": org.longitude,
            "phone": org.phone,
            "email": org.email,
            "website": org.website,
            "strengths": org.strengths,
            "strength_tags": _names(org.strength_tags.all()),
            "problems": org.problems,
            "problem_tags": _names(org.problem_tags.all()),
            "status": _label(OrganisationStatus, org.status),
            "founded_on": org.founded_on,
            "visibility": _label(Visibility, org.visibility),
            "last_verified_on": org.last_verified_on,
            "source": org.source,
        }
        yield _ordered(KIND_ORGANISATION, org, values)


def person_rows(*, user: Any, municipality: Municipality | None = None) -> Iterator[list[Any]]:
    today = timezone.localdate()
    current_roles = PersonRole.objects.select_related("organisation").order_by("starts_on", "pk")
    queryset = _scoped(selectors.person_list_visible_to(user=user), municipality)
    queryset = (
        queryset.select_related("municipality")
        .prefetch_related(Prefetch("roles", queryset=current_roles))
        .order_by("municipality__code", "name_kana", "name", "pk")
    )
    for person in queryset.iterator(chunk_size=2000):
        roles = [r for r in person.roles.all() if r.ends_on is None or r.ends_on >= today]
        contact = can_see_contact_details(user, person)
        values = {
            "name": person.name,
            "name_kana": person.name_kana,
            "organisation": "\n".join(r.organisation.name for r in roles),
            "title": "\n".join(r.title for r in roles),
            "phone": person.phone if contact else "",
            "email": person.email if contact else "",
            "preferred_contact": _label(ContactWay, person.preferred_contact),
            "note": person.note,
            "last_verified_on": person.last_verified_on,
        }
        yield _ordered(KIND_PERSON, person, values)


def resource_rows(*, user: Any, municipality: Municipality | None = None) -> Iterator[list[Any]]:
    categories = _category_names()
    queryset = _scoped(selectors.resource_list_visible_to(user=user), municipality)
    queryset = queryset.prefetch_related(
        "eligibility", "daily_life_areas", "districts", "locations", "weekly_slots", "sessions"
    ).order_by("municipality__code", "name_kana", "name", "pk")
    for resource in queryset.iterator(chunk_size=2000):
        values = {
            "name": resource.name,
            "name_kana": resource.name_kana,
            "provider": resource.provider.name,
            "category": categories.get(resource.category_id, ""),
            "description": resource.description,
            "eligibility": "\n".join(
                e.name for e in sorted(resource.eligibility.all(), key=lambda e: e.sort_order)
            ),
            "eligibility_note": resource.eligibility_note,
            "cost_yen": resource.cost_yen,
            "cost_note": resource.cost_note,
            "schedule_note": resource.schedule_note,
            "weekly_slots": "\n".join(
                format_weekly_slot(s)
                for s in sorted(
                    resource.weekly_slots.all(),
                    key=lambda s: (s.weekday, s.week_of_month or 0, s.opens_at or datetime.time()),
                )
            ),
            "sessions": "\n".join(
                format_session(s)
                for s in sorted(
                    resource.sessions.all(), key=lambda s: (s.date, s.opens_at or datetime.time())
                )
            ),
            "serves_whole_municipality": "はい" if resource.serves_whole_municipality else "いいえ",
            "daily_life_areas": _names(resource.daily_life_areas.all()),
            "districts": _names(resource.districts.all()),
            "locations": _names(resource.locations.all()),
            "how_to_apply": resource.how_to_apply,
            "capacity": resource.capacity,
            "status": _label(ResourceStatus, resource.status),
            "funding_basis": _label(FundingBasis, resource.funding_basis),
            "sogo_service_type": _label(SogoServiceType, resource.sogo_service_type),
            "subsidy_name": resource.subsidy_name,
            "visibility": _label(Visibility, resource.visibility),
            "contact_phone": resource.contact_phone,
            "website": resource.website,
            "started_on": resource.started_on,
            "last_verified_on": resource.last_verified_on,
            "source": resource.source,
        }
        yield _ordered(KIND_RESOURCE, resource, values)


def _ordered(kind: str, record: Any, values: dict[str, Any]) -> list[Any]:
    municipality = record.municipality.name if record.municipality_id else ""
    return [municipality] + [values[c.key] for c in SPECS[kind].columns]


ROWS = {
    KIND_ORGANISATION: organisation_rows,
    KIND_PERSON: person_rows,
    KIND_RESOURCE: resource_rows,
}


def export_rows(
    *, kind: str, user: Any, municipality: Municipality | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """Headers and rows (Python values) of what ``user`` may see, optionally one municipality."""
    spec_for(kind)
    return headers_for(kind), ROWS[kind](user=user, municipality=municipality)


# --- writers ------------------------------------------------------------------------------


def write_csv(stream: Any, headers: list[str], rows: Iterable[list[Any]], *, encoding: str) -> int:
    """Write CSV bytes to a binary stream: CRLF line ends and quoting as Excel writes them.

    Cells go through the shared neutralising writer (no cell can become a formula).
    Characters Shift_JIS cannot represent (some rare kanji, emoji) become 「?」.
    Returns the number of data rows.
    """
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    count = spreadsheet.write_csv_rows(text, itertools.chain([headers], rows)) - 1
    text.flush()
    text.detach()
    return count


def write_xlsx(stream: Any, headers: list[str], rows: Iterable[list[Any]], *, title: str) -> int:
    """Write a one-sheet workbook (openpyxl write-only mode, for large exports)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            10, min(40, len(header) * 2.2)
        )
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = spreadsheet.write_only_cell(sheet, header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    wrap = Alignment(wrap_text=True, vertical="top")
    count = 0
    for row in rows:
        cells = []
        for value in row:
            cell = spreadsheet.write_only_cell(sheet, value)  # never a formula
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(stream)
    return count


def file_name_for(kind: str, fmt: str, municipality: Municipality | None = None) -> str:
    stem = FILE_STEMS[kind]
    if municipality is not None:
        stem = f"{municipality.name}_{stem}"
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"{stem}_{stamp}.{'xlsx' if fmt == FORMAT_XLSX else 'csv'}"


def write_export(
    stream: Any,
    *,
    kind: str,
    user: Any,
    fmt: str = FORMAT_XLSX,
    municipality: Municipality | None = None,
) -> int:
    """Write the export to a binary stream; returns the number of records."""
    if fmt not in FORMATS:
        raise TsunaguError(f"出力形式「{fmt}」はありません。", field="format")
    headers, rows = export_rows(kind=kind, user=user, municipality=municipality)
    if fmt == FORMAT_XLSX:
        return write_xlsx(stream, headers, rows, title=SPECS[kind].label)
    encoding = "utf-8-sig" if fmt == FORMAT_CSV_UTF8 else "cp932"
    return write_csv(stream, headers, rows, encoding=encoding)


def export_file(
    path: str | Path,
    *,
    kind: str,
    user: Any,
    fmt: str | None = None,
    municipality_code: str | None = None,
) -> int:
    """CLI hook: write an export file. The format follows the suffix (.xlsx, .csv = UTF-8
    with BOM) unless ``fmt`` says otherwise (``csv-sjis`` for Shift_JIS)."""
    path = Path(path)
    if fmt is None:
        fmt = FORMAT_XLSX if path.suffix.lower() == ".xlsx" else FORMAT_CSV_UTF8
    municipality = None
    if municipality_code:
        municipality = Municipality.objects.filter(code=str(municipality_code).strip()).first()
        if municipality is None:
            raise TsunaguError(f"市町村コード「{municipality_code}」の市町村がありません。")
    with path.open("wb") as stream:
        return write_export(stream, kind=kind, user=user, fmt=fmt, municipality=municipality)
