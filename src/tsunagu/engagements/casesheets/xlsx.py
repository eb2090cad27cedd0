"""事例表 and 図表3 as .xlsx (openpyxl): the same sections as the PDF, wrapped text, A4 print setup.

Excel does not grow row heights for wrapped text in files it did not lay out itself, so each
row gets a height estimated from its text (full-width characters per line of the column).
"""

from __future__ import annotations

import io
import math
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from tsunagu.core.spreadsheet import set_cell
from tsunagu.engagements.casesheets.builder import NOT_RECORDED, AttentionRow, CaseSheet

FONT_NAME = "游ゴシック"  # Excel's standard Japanese font; others substitute a Japanese font
BODY = Font(name=FONT_NAME, size=10.5)
SMALL = Font(name=FONT_NAME, size=9, color="555555")
BOLD = Font(name=FONT_NAME, size=10.5, bold=True)
SECTION = Font(name=FONT_NAME, size=12, bold=True)
TITLE = Font(name=FONT_NAME, size=15, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="E8EEF6")
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
POINTS_PER_LINE = 16.5


def _display_width(text: str) -> int:
    """Width in half-width units (full-width characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def _height(text: str, column_width: float, font_size: float = 10.5) -> float:
    """Row height (points) for ``text`` wrapped in a column ``column_width`` characters wide."""
    per_line = max(int(column_width * 10.5 / font_size) - 1, 1)
    lines = sum(max(math.ceil(_display_width(line) / per_line), 1) for line in text.split("\n"))
    return max(lines, 1) * POINTS_PER_LINE * font_size / 10.5


def _print_setup(sheet: Worksheet, title: str, *, landscape: bool = False) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P / &N"
    sheet.oddFooter.right.text = title
    sheet.sheet_view.showGridLines = False


class _Writer:
    """Rows of a two-column sheet: A = label / indent, B = text (A:B merged for full-width text)."""

    def __init__(self, sheet: Worksheet, widths: tuple[float, float]) -> None:
        self.sheet = sheet
        self.row = 1
        self.widths = widths
        sheet.column_dimensions["A"].width = widths[0]
        sheet.column_dimensions["B"].width = widths[1]

    def full(self, text: str, font: Font = BODY, *, indent: int = 0) -> None:
        cell = set_cell(self.sheet, self.row, 1, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent)
        self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=2)
        width = sum(self.widths) - indent * 2
        self.sheet.row_dimensions[self.row].height = _height(text, width, font.size or 10.5)
        self.row += 1

    def pair(self, label: str, value: str, *, font: Font = BODY) -> None:
        first = set_cell(self.sheet, self.row, 1, label)
        second = set_cell(self.sheet, self.row, 2, value)
        for cell in (first, second):
            cell.font = font
            cell.alignment = WRAP
        self.sheet.row_dimensions[self.row].height = max(
            _height(label, self.widths[0]), _height(value, self.widths[1])
        )
        self.row += 1

    def blank(self) -> None:
        self.row += 1


def _indent_for(line: str) -> int:
    return (
        2
        if line.startswith(("・", "①", "②", "③", "④", "ⅰ）", "ⅱ）", "ⅲ）", "ⅳ）", "（注）"))
        else 1
    )


def _write_case_sheet(sheet: Worksheet, case: CaseSheet) -> None:
    writer = _Writer(sheet, (16, 84))
    writer.full(case.title, TITLE)
    writer.full(
        f"{case.prefecture_name} {case.municipality_name}（{case.code_label} {case.municipality_code}）"
        f"　作成日 {case.generated_label}",
        SMALL,
    )
    writer.blank()
    writer.full(f"〇 {case.overview_heading}", SECTION)
    overview = case.overview
    for label, value in case.overview_extra:
        writer.pair(f"・{label}", value)
    if overview.has_figures:
        rate = f"{overview.aging_rate}％" if overview.aging_rate is not None else "—"
        if overview.aging_rate_computed:
            rate += "（人口から計算）"
        writer.pair("・人口", f"{overview.population:,}人（{overview.as_of_label}）")
        writer.pair(
            "・高齢者人口",
            f"{overview.population_65_plus:,}人"
            if overview.population_65_plus is not None
            else "—",
        )
        writer.pair("・高齢化率", rate)
        writer.full(f"出典: {overview.source}", SMALL)
    for note in overview.notes:
        writer.full(f"※ {note}", SMALL)
    if case.show_engagements:
        writer.blank()
        writer.full("伴走的支援の記録", BOLD)
    if case.show_engagements and not case.engagements:
        writer.full(NOT_RECORDED)
    for line in case.engagements:
        writer.pair(line.fiscal_year_label, f"{line.program}（{line.program_owner}）")
        writer.pair("テーマ", line.theme)
        writer.pair("訪問日", line.visit_dates_label)
        writer.pair("状態", line.status)
        if line.status_reason:
            writer.pair("停滞の理由", line.status_reason)
        if line.advisors:
            writer.pair("アドバイザー", "、".join(line.advisors))
    for warning in case.warnings:
        writer.full(f"※ {warning}", SMALL)
    for section in case.printable_sections:
        writer.blank()
        writer.full(section.heading, SECTION)
        if section.is_empty:
            writer.full(NOT_RECORDED, indent=1)
            continue
        for part in section.parts:
            if part.heading:
                writer.full(part.heading, BOLD)
            for paragraph in part.paragraphs:
                writer.full(paragraph, indent=_indent_for(paragraph))
    _print_setup(sheet, case.title)


def _write_visits(sheet: Worksheet, case: CaseSheet) -> None:
    headers = ("年度", "回", "訪問日", "主な内容", "庁内の参加部署", "庁外の参加者")
    widths = (12, 5, 16, 36, 30, 44)
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = set_cell(sheet, 1, column, header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = WRAP
        sheet.column_dimensions[cell.column_letter].width = width
    row = 2
    for line in case.engagements:
        for visit in line.visits:
            values = (
                line.fiscal_year_label,
                visit.number,
                visit.date_label,
                visit.focus,
                "\n".join(visit.departments),
                "\n".join(visit.outside),
            )
            height = 0.0
            for column, value in enumerate(values, start=1):
                cell = set_cell(sheet, row, column, value)
                cell.font = BODY
                cell.border = GRID
                cell.alignment = WRAP
                height = max(height, _height(str(value), widths[column - 1]))
            sheet.row_dimensions[row].height = height
            row += 1
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet, f"{case.title} 訪問の記録", landscape=True)


def render_case_sheet_xlsx(case: CaseSheet) -> bytes:
    """The case sheet (sheet 「事例表」) and its visits (sheet 「訪問の記録」) as .xlsx bytes."""
    workbook = Workbook()
    main = workbook.active
    main.title = "事例表"
    _write_case_sheet(main, case)
    _write_visits(workbook.create_sheet("訪問の記録"), case)
    workbook.properties.title = case.title
    workbook.properties.creator = "つなぐ Tsunagu"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ATTENTION_TITLE = "図表3 総合事業等の実施を通じて地域づくりを進める上での留意点"


def render_attention_xlsx(rows: list[AttentionRow]) -> bytes:
    """図表3: one row per municipality (市町・内容), printable on A4 portrait."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "図表3"
    widths = (14, 86)
    sheet.column_dimensions["A"].width = widths[0]
    sheet.column_dimensions["B"].width = widths[1]
    title = set_cell(sheet, 1, 1, ATTENTION_TITLE)
    title.font = SECTION
    sheet.merge_cells("A1:B1")
    for column, header in enumerate(("市町", "内容"), start=1):
        cell = set_cell(sheet, 2, column, header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = Alignment(horizontal="center", vertical="center")
    row = 3
    for item in rows:
        text = "\n".join(line if line.startswith("・") else "　" + line for line in item.paragraphs)
        name = set_cell(sheet, row, 1, item.municipality_name)
        body = set_cell(sheet, row, 2, text)
        for cell in (name, body):
            cell.font = BODY
            cell.border = GRID
            cell.alignment = WRAP
        sheet.row_dimensions[row].height = _height(text, widths[1])
        row += 1
    if not rows:
        set_cell(sheet, 3, 1, NOT_RECORDED).font = BODY
    sheet.print_title_rows = "2:2"
    _print_setup(sheet, "図表3")
    workbook.properties.title = ATTENTION_TITLE
    workbook.properties.creator = "つなぐ Tsunagu"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
