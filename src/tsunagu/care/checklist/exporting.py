"""Excel files of the district figures (survey aggregates, residents' latest checklists)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from tsunagu.care.checklist.rules import CRITERIA
from tsunagu.care.checklist.selectors import DistrictFigures, total_of
from tsunagu.core.spreadsheet import append_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "地区",
    "回答数",
    *(f"{c.number}. {c.name}（人）" for c in CRITERIA),
    *(f"{c.number}. {c.name}（%）" for c in CRITERIA),
    "事業対象者（人）",
    "事業対象者（%）",
    "非該当（人）",
    "判定できず（人）",
]


def _pct(value: float | None) -> Any:
    return None if value is None else round(value, 1)


def _row(figures: DistrictFigures, name: str) -> list[Any]:
    return [
        name,
        figures.respondents,
        *figures.criteria_met,
        *(_pct(figures.share(n)) for n in figures.criteria_met),
        figures.eligible,
        _pct(figures.eligible_share),
        figures.not_eligible,
        figures.undeterminable,
    ]


def figures_xlsx(sheets: list[tuple[str, str, list[DistrictFigures]]]) -> bytes:
    """One sheet per (sheet title, heading, rows), each with a total row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, heading, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        append_row(sheet, [heading])
        sheet["A1"].font = Font(bold=True, size=13)
        append_row(
            sheet, ["割合（%）は回答数に対する該当者の割合。判定できない人は該当に数えていません。"]
        )
        append_row(sheet, HEADER)
        for figures in rows:
            append_row(sheet, _row(figures, figures.name))
        append_row(sheet, _row(total_of(rows), "合計"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
