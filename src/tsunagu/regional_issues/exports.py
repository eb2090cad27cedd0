"""Excel (.xlsx) exports of regional issues: the issue list and the theme × area heat table.

Headers are Japanese, as the municipal staff who open these files expect. The callers pass
querysets that are already scoped to the user (selectors), so nothing here decides who sees what.
"""

from __future__ import annotations

import datetime
from typing import Any, BinaryIO

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tsunagu.core.spreadsheet import set_cell
from tsunagu.regional_issues.flags import flag_map
from tsunagu.regional_issues.models import ExecutingActor, RegionalIssue

ISSUE_HEADERS = [
    "番号",
    "市町村",
    "課題",
    "段階",
    "テーマ",
    "日常生活圏域",
    "地区",
    "扱う会議体",
    "把握のきっかけ",
    "提起日",
    "提起した団体",
    "実行主体（役割）",
    "対象（誰に・どの地域で）",
    "実行開始日",
    "フラグ",
    "現在の段階になった日",
]
HEAT_NOTE = "1件の課題が複数のテーマ・地域にあてはまるときは、それぞれに数えています。"
HEAT_FILLS = ["FFFFFF", "E8F0FE", "B9CDFB", "6F8FF0", "0031D8"]


def heat_level(count: int, maximum: int) -> int:
    """0 for an empty cell, else 1–4 by the share of the largest cell (for shading only)."""
    if count <= 0 or maximum <= 0:
        return 0
    return min(4, max(1, -(-count * 4 // maximum)))


def _names(items: Any) -> str:
    return "、".join(str(item) for item in items)


def issue_rows(
    issues: QuerySet[RegionalIssue], *, now: datetime.datetime | None = None
) -> list[list[Any]]:
    """One row per issue, in ISSUE_HEADERS order."""
    now = now or timezone.now()
    flags = flag_map(issues, now=now)
    active = ExecutingActor.objects.filter(ended_on__isnull=True).select_related("organisation")
    rows = []
    for issue in issues.select_related(
        "municipality", "body", "raised_by_organisation"
    ).prefetch_related(
        "themes",
        "daily_life_areas",
        "districts",
        Prefetch("executing_actors", queryset=active, to_attr="active_actors"),
    ):
        rows.append(
            [
                issue.pk,
                issue.municipality.name,
                issue.title,
                issue.get_stage_display(),
                _names(issue.themes.all()),
                _names(issue.daily_life_areas.all()),
                _names(issue.districts.all()),
                str(issue.body or ""),
                issue.get_source_kind_display(),
                issue.raised_on,
                str(issue.raised_by_organisation or ""),
                "\n".join(f"{a.organisation}（{a.role}）" for a in issue.active_actors),
                issue.target,
                issue.started_on,
                _names(flags.get(issue.pk, [])),
                timezone.localtime(issue.stage_entered_at).date(),
            ]
        )
    return rows


def _workbook_sheet(title: str) -> tuple[Any, Any]:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    return workbook, sheet


def _header(sheet: Any, row: int, values: list[Any]) -> None:
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="F2F2F2")
    for column, value in enumerate(values, start=1):
        cell = set_cell(sheet, row, column, value)
        cell.font = bold
        cell.fill = grey


def write_issue_list(
    stream: BinaryIO, issues: QuerySet[RegionalIssue], *, now: datetime.datetime | None = None
) -> int:
    """Write the issue list workbook; returns the number of issues written."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    workbook, sheet = _workbook_sheet("地域課題一覧")
    _header(sheet, 1, ISSUE_HEADERS)
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    rows = issue_rows(issues, now=now)
    for index, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = set_cell(sheet, index, column, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a title typed as "=…" stays text, never a formula
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = wrap
    widths = [8, 12, 40, 8, 24, 16, 16, 24, 16, 12, 24, 36, 36, 12, 14, 14]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    workbook.save(stream)
    return len(rows)


def write_heat_table(
    stream: BinaryIO, table: dict[str, Any], *, title: str = "テーマ×地域", area_label: str = "地域"
) -> int:
    """Write the heat table (``selectors.theme_by_area_table`` shape); returns the theme rows."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook, sheet = _workbook_sheet(title)
    set_cell(sheet, 1, 1, f"地域課題の件数（テーマ×{area_label}）").font = Font(bold=True, size=12)
    set_cell(sheet, 2, 1, HEAT_NOTE)
    _header(sheet, 3, [f"テーマ＼{area_label}", *table["columns"]])
    sheet.freeze_panes = "B4"
    for index, row in enumerate(table["rows"], start=4):
        set_cell(sheet, index, 1, row["theme"].name).font = Font(bold=True)
        for column, count in enumerate(row["counts"], start=2):
            cell = set_cell(sheet, index, column, count)
            level = heat_level(count, table["max"])
            cell.fill = PatternFill("solid", fgColor=HEAT_FILLS[level])
            if level == 4:
                cell.font = Font(color="FFFFFF", bold=True)
    sheet.column_dimensions["A"].width = 26
    for column in range(2, len(table["columns"]) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    workbook.save(stream)
    return len(table["rows"])
