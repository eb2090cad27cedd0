"""The participation report as .xlsx (every cell through core.spreadsheet)."""

from __future__ import annotations

from typing import BinaryIO

from tsunagu.core.spreadsheet import append_row
from tsunagu.programs.instances.selectors import ParticipationRow

HEADERS = (
    "類型",
    "市町村",
    "地域",
    "実施事業数",
    "利用者数（集計）",
    "要支援1",
    "要支援2",
    "事業対象者",
    "要介護",
    "その他・不明",
    "うち要支援・事業対象者",
    "登録された利用者（実人数）",
    "架空の数値を含む",
)


def write_participation(stream: BinaryIO, rows: list[ParticipationRow], *, title: str) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "類型別・地域別の利用者"
    append_row(sheet, [title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    append_row(sheet, HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(
            sheet,
            [
                row.type_label,
                row.municipality,
                row.area,
                row.instances,
                row.counted,
                row.support_1,
                row.support_2,
                row.program_eligible,
                row.care_needed,
                row.other,
                row.support_or_eligible,
                row.enrolled,
                "はい" if row.synthetic else "",
            ],
        )
    sheet.freeze_panes = "A3"
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["C"].width = 24
    workbook.save(stream)
    return len(rows)
