"""Importing indicators from .xlsx or CSV: all rows or none, errors naming file, row and column.

Column mapping (the header row; order does not matter, unknown columns are ignored and
listed). The left-hand names are what Tsunagu's own template writes; the aliases are the
headings used in 地域包括ケア「見える化」システム downloads and municipal tables as far as
they are known — the exact download layout is unconfirmed [U], so add an alias here when a
file uses another heading (the import then says which column it did not recognise).

| column (alias …)                                   | field                       |
|----------------------------------------------------|-----------------------------|
| 市町村コード (保険者番号は不可) / 都道府県コード   | the area (6-digit code)     |
| 年度 (年, 時点) — 2021, 令和3年度, R3               | year                        |
| 出典                                               | source (required)           |
| 65歳以上人口 (第1号被保険者数, 高齢者人口)          | population_65_plus          |
| 要支援1 … 要介護5 (認定者数（要支援1）…)            | support_1 … care_5          |
| 要支援者数 / 認定者数                               | printed totals              |
| 新規認定 要支援1 … (新規認定者数（要支援1）…)       | new_support_1 … new_care_5  |
| 事業対象者数 (事業対象者)                           | program_eligible            |
| 通いの場の参加者数 (通いの場参加者数)               | gathering_participants      |
| 認定率 / 通いの場の参加率 (％, as printed)          | printed rates               |
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from tsunagu.areas.models import Municipality, Prefecture
from tsunagu.core import wareki
from tsunagu.core.encoding import decode_spreadsheet_text
from tsunagu.core.errors import TsunaguError
from tsunagu.core.spreadsheet import read_xlsx_rows
from tsunagu.plans.indicators.models import LEVEL_LABELS
from tsunagu.plans.indicators.services import IndicatorFields, indicator_record

_LEVEL_ALIASES = {
    name: (label, f"認定者数（{label}）", f"認定者数({label})")
    for name, label in LEVEL_LABELS.items()
}
_NEW_ALIASES = {
    f"new_{name}": (f"新規認定 {label}", f"新規認定{label}", f"新規認定者数（{label}）")
    for name, label in LEVEL_LABELS.items()
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "municipality_code": ("市町村コード", "団体コード"),
    "prefecture_code": ("都道府県コード",),
    "year": ("年度", "年", "時点"),
    "source": ("出典",),
    "population_65_plus": ("65歳以上人口", "第1号被保険者数", "高齢者人口"),
    **_LEVEL_ALIASES,
    "support_total_printed": ("要支援者数",),
    "certified_total_printed": ("認定者数", "要介護（要支援）認定者数"),
    **_NEW_ALIASES,
    "program_eligible": ("事業対象者数", "事業対象者"),
    "gathering_participants": ("通いの場の参加者数", "通いの場参加者数"),
    "certification_rate_printed": ("認定率", "認定率（％）"),
    "gathering_rate_printed": ("通いの場の参加率", "通いの場の参加率（％）", "通いの場参加率"),
}
RATE_FIELDS = {"certification_rate_printed", "gathering_rate_printed"}
TEXT_FIELDS = {"municipality_code", "prefecture_code", "year", "source"}


def _key(text: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


_BY_HEADING = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.row}行目" + (f"「{self.column}」列" if self.column else "")
        return f"{self.file} {where}: {self.message}"


class IndicatorImportError(TsunaguError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(
            "取り込めませんでした（1件も登録していません）。" + " / ".join(map(str, problems[:5])),
            field="file",
            code="import",
        )


@dataclass(frozen=True)
class ImportResult:
    rows: int
    ignored_columns: tuple[str, ...]


def _rows(data: bytes, file_name: str) -> list[tuple[int, tuple[Any, ...]]]:
    if file_name.lower().endswith(".xlsx"):
        return list(read_xlsx_rows(data, file_name))
    try:
        text, _label = decode_spreadsheet_text(data)
    except UnicodeDecodeError as error:
        raise IndicatorImportError(
            [
                ImportProblem(
                    file_name, 1, "", f"文字コードを判別できません（{error.start}バイト目）"
                )
            ]
        ) from None
    return [(n, tuple(r)) for n, r in enumerate(csv.reader(io.StringIO(text)), start=1)]


def _count(value: Any) -> int | None:
    text = unicodedata.normalize("NFKC", str(value)).replace(",", "").strip()
    if text == "" or text in ("-", "－", "―"):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not text.isdigit():
        raise ValueError("0以上の整数で入力してください")
    return int(text)


def _rate(value: Any) -> Decimal | None:
    text = unicodedata.normalize("NFKC", str(value)).replace("%", "").strip()
    if not text:
        return None
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise ValueError("数値（％）で入力してください") from None
    if not 0 <= rate <= 100:
        raise ValueError("0〜100 の範囲で入力してください")
    return rate


def indicators_import(*, actor: Any, data: bytes, file_name: str) -> ImportResult:
    """Check every row first, then write them all in one transaction, or none."""
    table = [(n, r) for n, r in _rows(data, file_name) if any(str(v or "").strip() for v in r)]
    if not table:
        raise IndicatorImportError([ImportProblem(file_name, 1, "", "見出しの行がありません")])
    header_number, header = table[0]
    columns: dict[int, str] = {}
    ignored = []
    for index, heading in enumerate(header):
        name = _BY_HEADING.get(_key(heading))
        if name is None:
            if str(heading or "").strip():
                ignored.append(str(heading).strip())
            continue
        columns[index] = name
    missing = [
        label
        for label, needed in (("年度", "year"), ("出典", "source"))
        if needed not in columns.values()
    ]
    if "municipality_code" not in columns.values() and "prefecture_code" not in columns.values():
        missing.insert(0, "市町村コード（または都道府県コード）")
    if missing:
        raise IndicatorImportError(
            [
                ImportProblem(file_name, header_number, m, "この列が見出しにありません")
                for m in missing
            ]
        )
    heading_of = {name: str(header[i]).strip() for i, name in columns.items()}
    municipalities = {m.code: m for m in Municipality.objects.select_related("prefecture")}
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    problems: list[ImportProblem] = []
    planned: list[dict[str, Any]] = []
    for number, values in table[1:]:
        cells = {name: values[i] if i < len(values) else "" for i, name in columns.items()}
        row_problems: list[ImportProblem] = []

        def problem(
            name: str, message: str, number: int = number, sink: list = row_problems
        ) -> None:
            sink.append(ImportProblem(file_name, number, heading_of[name], message))

        fields: dict[str, Any] = {}
        for name, value in cells.items():
            if name in TEXT_FIELDS:
                continue
            try:
                fields[name] = _rate(value) if name in RATE_FIELDS else _count(value)
            except ValueError as error:
                problem(name, f"「{value}」: {error}")
        municipality = prefecture = None
        code = unicodedata.normalize("NFKC", str(cells.get("municipality_code") or "")).strip()
        pref_code = unicodedata.normalize("NFKC", str(cells.get("prefecture_code") or "")).strip()
        if code:
            municipality = municipalities.get(code)
            if municipality is None:
                problem("municipality_code", f"市町村コード「{code}」が登録されていません")
        elif pref_code:
            prefecture = prefectures.get(pref_code)
            if prefecture is None:
                problem("prefecture_code", f"都道府県コード「{pref_code}」が登録されていません")
        else:
            name = "municipality_code" if "municipality_code" in heading_of else "prefecture_code"
            problem(name, "市町村コードか都道府県コードを入力してください")
        year = None
        raw_year = cells.get("year")
        try:
            year = wareki.parse_fiscal_year(
                int(raw_year) if isinstance(raw_year, float) else raw_year
            )
        except (wareki.WarekiError, ValueError) as error:
            problem("year", f"「{raw_year}」: {error}")
        source = str(cells.get("source") or "").strip()
        if not source:
            problem("source", "出典を入力してください")
        if row_problems:
            problems += row_problems
            continue
        planned.append(
            {
                "municipality": municipality,
                "prefecture": prefecture,
                "year": year,
                "source": source,
                "fields": IndicatorFields(**fields),
                "row": number,
            }
        )
    if problems:
        raise IndicatorImportError(problems)
    with transaction.atomic():
        for item in planned:
            row = item.pop("row")
            try:
                indicator_record(
                    actor=actor, note=f"{file_name} {row}行目", via_import=True, **item
                )
            except TsunaguError as error:
                # The transaction rolls back every row written before this one.
                raise IndicatorImportError(
                    [
                        ImportProblem(
                            file_name, row, heading_of.get(error.field or "", ""), error.message
                        )
                    ]
                ) from error
    return ImportResult(rows=len(planned), ignored_columns=tuple(ignored))
