"""The .xlsx of a 交付申請 / 実績報告 (one sheet, municipality format) and of the status report.

Every cell goes through :func:`tsunagu.core.spreadsheet.set_cell` (formula-safe). Callers pass
records already read through the selectors, so nothing here decides who sees what.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from tsunagu.core.spreadsheet import set_cell
from tsunagu.programs.service_b import subsidy
from tsunagu.programs.service_b.models import AccountScope, SubsidyApplication
from tsunagu.programs.service_b.selectors import StatusRow, accounts_of, computation_of

STATUS_HEADERS = [
    "市町村",
    "団体",
    "状況",
    "期間",
    "利用者数",
    "要支援・事業対象者",
    "割合",
    "書類",
    "書類の状況",
    "サービスBの運営費（円）",
    "補助対象額（円）",
    "計算",
]


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def application_xlsx(application: SubsidyApplication) -> bytes:
    """One sheet: group, period, users and share, computation in words, B vs other accounts,
    requirements."""
    period = application.period
    group = period.group
    computation = computation_of(application)
    accounts = accounts_of(application)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = application.get_kind_display()
    bold = Font(bold=True)
    row = 1

    def put(*values: Any, strong: bool = False) -> None:
        nonlocal row
        for column, value in enumerate(values, start=1):
            cell = set_cell(sheet, row, column, value)
            if strong:
                cell.font = bold
        row += 1

    put(f"支えあい活動（サービス・活動B）補助金 {application.get_kind_display()}", strong=True)
    if application.is_synthetic:
        put("※ デモ用の架空の数値です")
    row += 1
    put("市町村", group.municipality.name)
    put("団体名", group.name)
    put("サービス・活動の類型", group.get_service_kind_display())
    put("期間", period.label)
    put("書類の状況", application.get_status_display())
    if application.return_reason:
        put("差し戻しの理由", application.return_reason)
    row += 1
    put("利用者", strong=True)
    put("利用者数（人）", period.users_total)
    put("うち要支援者・事業対象者（人）", period.users_eligible)
    if period.users_total:
        put("割合", subsidy.percent_text(period.users_eligible or 0, period.users_total))
    put("人数の根拠", "住民の記録から集計" if period.counted_from_residents else "入力された人数")
    row += 1
    put("補助対象額の計算", strong=True)
    put("計算", computation.text)
    put("補助対象額（円）", computation.eligible_amount)
    put("端数の扱い", subsidy.ROUNDING_RULE)
    row += 1
    for scope, title in (
        (AccountScope.SERVICE_B, "サービスBの会計（補助の対象）"),
        (AccountScope.OTHER, "団体のその他の活動の会計（補助の対象外）"),
    ):
        put(title, strong=True)
        put("収支", "費目", "金額（円）", "備考", strong=True)
        for line in application.account_lines.all():
            if line.scope == scope:
                put(line.get_direction_display(), line.item, line.amount, line.note)
        if scope == AccountScope.SERVICE_B:
            put("収入合計", "", accounts.b_income)
            put("支出合計（運営費）", "", accounts.b_expense)
        else:
            put("収入合計", "", accounts.other_income)
            put("支出合計", "", accounts.other_expense)
        row += 1
    put("要件の確認", strong=True)
    put("要件", "確認", "備考", strong=True)
    for check in application.requirement_checks.all():
        met = {True: "はい", False: "いいえ", None: "未確認"}[check.met]
        put(check.requirement.text, met, check.note)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 16
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    return _bytes(workbook)


def status_rows(rows: list[StatusRow]) -> list[list[Any]]:
    out = []
    for item in rows:
        period, application, computation = item.period, item.application, item.computation
        share = ""
        if period is not None and period.users_total:
            share = subsidy.percent_text(period.users_eligible or 0, period.users_total)
        out.append(
            [
                item.group.municipality.name,
                item.group.name,
                item.group.get_status_display(),
                period.label if period else "",
                period.users_total if period else None,
                period.users_eligible if period else None,
                share,
                application.get_kind_display() if application else "",
                application.get_status_display() if application else "",
                computation.operating_cost if computation else None,
                computation.eligible_amount if computation else None,
                computation.text if computation else "",
            ]
        )
    return out


def status_xlsx(rows: list[StatusRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "補助の状況"
    for column, header in enumerate(STATUS_HEADERS, start=1):
        set_cell(sheet, 1, column, header).font = Font(bold=True)
    for r, values in enumerate(status_rows(rows), start=2):
        for column, value in enumerate(values, start=1):
            set_cell(sheet, r, column, value)
    return _bytes(workbook)


__all__ = ["application_xlsx", "status_rows", "status_xlsx"]
