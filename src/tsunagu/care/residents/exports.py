"""The resident list as .xlsx: the list's minimum columns only (no care level, consent or
contact), every text cell formula-safe (:mod:`tsunagu.core.spreadsheet`). The caller passes
residents it may show and logs each one."""

from __future__ import annotations

import io
from collections.abc import Iterable
from urllib.parse import quote

from openpyxl import Workbook

from tsunagu.care.models import Resident
from tsunagu.core.spreadsheet import append_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["番号", "市町村", "氏名", "よみがな", "地区", "状態", "備考"]


def quoted(text: str) -> str:
    return quote(text)


def resident_rows(residents: Iterable[Resident]) -> list[list[str | int]]:
    return [
        [
            r.pk,
            r.municipality.name,
            r.name,
            r.name_kana,
            r.district.name if r.district_id and r.district else "",
            str(r.get_status_display()),
            "架空（デモ）" if r.is_synthetic else "",
        ]
        for r in residents
    ]


def resident_list_xlsx(residents: Iterable[Resident]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "住民一覧"
    append_row(sheet, HEADERS)
    for row in resident_rows(residents):
        append_row(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
