"""Excel files of needs surveys: the summary for the council's meeting, the blank template
for entering answer sheets, and the answer sheets themselves (editors only; same columns as
the template, so the file can be corrected and imported again)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tsunagu.core import wareki
from tsunagu.core.spreadsheet import set_cell
from tsunagu.mobility.models import NeedsSurvey, SurveyResponse
from tsunagu.mobility.surveys.importing import COLUMNS, SurveyColumn
from tsunagu.mobility.surveys.selectors import DESTINATIONS, SurveySummary

HEADER_FILL = PatternFill("solid", fgColor="DDE4F7")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_row(sheet: Any, row: int, values: Iterable[str]) -> None:
    for col, value in enumerate(values, start=1):
        cell = set_cell(sheet, row, col, value)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP


def _date(value: Any) -> str:
    return wareki.format_date(value, "wareki") if value else ""


# --- summary for the council ---------------------------------------------------------------


def summary_xlsx(summary: SurveySummary) -> bytes:
    """The summary: an overview sheet, one table and bar chart per question, and by district."""
    survey = summary.survey
    workbook = Workbook()
    overview = workbook.active
    overview.title = "調査の概要"
    set_cell(overview, 1, 1, survey.title)
    overview["A1"].font = TITLE
    period = " 〜 ".join(p for p in (_date(survey.conducted_from), _date(survey.conducted_to)) if p)
    rows = [
        ("市町村", survey.municipality.name),
        ("実施団体", survey.conducted_by.name if survey.conducted_by else ""),
        ("関係する取組", survey.service.name if survey.service else ""),
        ("対象地区", "、".join(d.name for d in survey.districts.all())),
        ("調査期間", period or "不明"),
        ("配布数", survey.distributed if survey.distributed is not None else "不明"),
        ("回答者数（人）", summary.total.respondents),
        ("回答票の数", summary.total.sheets),
        ("すぐに利用したい（人）", summary.total.would_use_now),
        ("将来利用したい（人）", summary.total.would_use_later),
        ("備考", survey.note),
        ("出典・情報源", survey.source),
    ]
    for index, (label, value) in enumerate(rows, start=3):
        set_cell(overview, index, 1, label).font = BOLD
        set_cell(overview, index, 2, value).alignment = WRAP
    if summary.weighted:
        set_cell(
            overview,
            len(rows) + 4,
            1,
            "一部の回答は集計値（同じ回答をした人数）として入力されています。",
        )
    overview.column_dimensions["A"].width = 24
    overview.column_dimensions["B"].width = 80

    sheet = workbook.create_sheet("設問ごとの集計")
    set_cell(sheet, 1, 1, f"{survey.title}：設問ごとの集計（回答者 {summary.total.respondents}人）")
    sheet["A1"].font = TITLE
    row = 3
    for question in summary.questions():
        set_cell(sheet, row, 1, question["heading"]).font = BOLD
        _header_row(sheet, row + 1, ("選択肢", "人数", "割合（%）"))
        first = row + 2
        for offset, bar in enumerate(question["bars"]):
            set_cell(sheet, first + offset, 1, bar.label)
            set_cell(sheet, first + offset, 2, bar.count)
            set_cell(sheet, first + offset, 3, bar.percent)
        last = first + len(question["bars"]) - 1
        chart = BarChart()
        chart.type = "bar"
        chart.style = 10
        chart.title = question["heading"]
        chart.legend = None
        chart.y_axis.title = "人数"
        chart.add_data(
            Reference(sheet, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
        chart.height = max(4.5, 1.0 * len(question["bars"]) + 2)
        chart.width = 14
        sheet.add_chart(chart, f"E{row}")
        row = max(last + 3, row + int(chart.height * 2) + 2)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 10

    by_district = workbook.create_sheet("地区別")
    set_cell(by_district, 1, 1, f"{survey.title}：地区別の集計（人）")
    by_district["A1"].font = TITLE
    headers = [
        "地区",
        "回答者数",
        "すぐに利用したい",
        "将来利用したい",
        *[f"行き先：{label}" for _k, label in DESTINATIONS],
        "バス停まで歩いて行けない",
        "電話で予約できない",
    ]
    _header_row(by_district, 3, headers)
    line = 4
    for item in summary.district_rows():
        values = [
            item["label"],
            item["respondents"],
            item["now"],
            item["later"],
            *item["destinations"],
            item["cannot_walk"],
            item["no_phone"],
        ]
        for col, value in enumerate(values, start=1):
            set_cell(by_district, line, col, value)
        line += 1
    total = summary.total
    totals = [
        "合計",
        total.respondents,
        total.would_use_now,
        total.would_use_later,
        *[total.destinations.get(k, 0) for k, _l in DESTINATIONS],
        total.walk.get("cannot", 0),
        total.phone.get("no", 0),
    ]
    for col, value in enumerate(totals, start=1):
        set_cell(by_district, line, col, value).font = BOLD
    by_district.column_dimensions["A"].width = 20
    for col in range(2, len(headers) + 1):
        by_district.column_dimensions[get_column_letter(col)].width = 14
    by_district.freeze_panes = "B4"
    return _save(workbook)


# --- template and answer sheets -------------------------------------------------------------


def _allowed_values(column: SurveyColumn) -> list[str]:
    if column.type == "choice":
        return [str(label) for _v, label in column.choices.choices]
    if column.type in {"bool", "bool_null"}:
        return ["はい", "いいえ"]
    return []


def _column_help(column: SurveyColumn) -> str:
    if column.type == "choice":
        return (
            "次から選ぶ: " + "、".join(_allowed_values(column)) + "（空欄は「わからない・無回答」）"
        )
    if column.type == "bool":
        return "「はい」または空欄（○ でも可）"
    if column.type == "bool_null":
        return "「はい」「いいえ」、わからないときは空欄"
    if column.type == "district":
        return "市町村に登録されている地区の名前"
    if column.type == "int":
        return column.help or "1以上の整数"
    return column.help or "自由に記入"


def _answer_sheet(workbook: Workbook, *, rows: int) -> Any:
    sheet = workbook.active
    sheet.title = "回答"
    _header_row(sheet, 1, [c.header for c in COLUMNS])
    sheet.freeze_panes = "B2"
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(30, len(column.header) * 2 + 2))
        allowed = _allowed_values(column)
        if allowed:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(allowed) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="選択肢にない値です",
                error="一覧から選んでください。",
            )
            validation.add(f"{letter}2:{letter}{max(rows, 1000) + 1}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = 36
    return sheet


def _guide_sheet(workbook: Workbook) -> None:
    guide = workbook.create_sheet("記入のしかた")
    set_cell(guide, 1, 1, "記入のしかた（1行に回答票1枚。氏名や住所は書かないでください）")
    guide["A1"].font = TITLE
    _header_row(guide, 3, ("見出し", "書き方"))
    for index, column in enumerate(COLUMNS, start=4):
        set_cell(guide, index, 1, column.header).font = BOLD
        set_cell(guide, index, 2, _column_help(column)).alignment = WRAP
    guide.column_dimensions["A"].width = 32
    guide.column_dimensions["B"].width = 90


def template_xlsx() -> bytes:
    """The blank answer-entry sheet (header row + drop-down lists) and how to fill it in."""
    workbook = Workbook()
    _answer_sheet(workbook, rows=0)
    _guide_sheet(workbook)
    return _save(workbook)


def _cell_value(column: SurveyColumn, response: SurveyResponse) -> Any:
    value = getattr(response, column.key)
    if column.type == "choice":
        return str(column.choices(value).label) if value else ""
    if column.type in {"bool", "bool_null"}:
        return (
            ""
            if value is None
            else ("はい" if value else "いいえ" if column.type == "bool_null" else "")
        )
    if column.type == "district":
        return value.name if value is not None else ""
    return value


def responses_xlsx(survey: NeedsSurvey, responses: Iterable[SurveyResponse]) -> bytes:
    """The answer sheets in the template's columns (personal data: editors only)."""
    workbook = Workbook()
    items = list(responses)
    sheet = _answer_sheet(workbook, rows=len(items))
    for row, response in enumerate(items, start=2):
        for col, column in enumerate(COLUMNS, start=1):
            set_cell(sheet, row, col, _cell_value(column, response))
    _guide_sheet(workbook)
    return _save(workbook)
