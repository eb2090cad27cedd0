"""The CSV of ``tsunagu checklist score``: reading answers, writing scored rows.

Input: columns ``id``, ``q1``…``q11``, ``q13``…``q25`` (はい / いいえ; surrounding spaces,
full-width and half-width forms and katakana tolerated; empty = not answered),
``height_cm`` and ``weight_kg`` (empty = not measured); other columns are kept as they are.
UTF-8 with or without BOM, or Shift_JIS (:func:`tsunagu.core.encoding.decode_spreadsheet_text`).

All or nothing: every row is checked before anything is scored, and a file with any bad
cell is refused with the row and column of each problem; the output file is written to a
temporary file and moved into place only when complete, so a failure never leaves a partial
or overwritten OUT file.
"""

from __future__ import annotations

import csv
import datetime
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from io import StringIO  # the standard library's (imports are absolute)
from pathlib import Path

import numpy as np

from tsunagu.care.checklist.bulk import MISSING, NO, YES, BulkResult
from tsunagu.care.checklist.rules import (
    ANSWERED_ITEMS,
    CRITERIA,
    HEIGHT_RANGE_CM,
    ITEM_COUNT,
    WEIGHT_RANGE_KG,
)
from tsunagu.core.encoding import decode_spreadsheet_text
from tsunagu.core.errors import TsunaguError
from tsunagu.core.spreadsheet import read_xlsx_rows, write_csv_rows

ANSWER_COLUMNS: tuple[str, ...] = tuple(f"q{n}" for n in ANSWERED_ITEMS)
REQUIRED_COLUMNS: tuple[str, ...] = ("id", *ANSWER_COLUMNS, "height_cm", "weight_kg")
RESULT_COLUMNS: tuple[str, ...] = (
    "bmi",
    "item12",
    *(f"c{c.number}" for c in CRITERIA),
    "eligible",
    "reasons",
    "missing",
)
OUTPUT_ENCODINGS = {"utf-8": "utf-8", "utf-8-bom": "utf-8-sig"}
MAX_REPORTED_PROBLEMS = 20

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_ANSWERS = {"はい": YES, "いいえ": NO, "": MISSING}


class ChecklistFileError(TsunaguError):
    """The file cannot be scored; ``problems`` lists each bad cell (row and column named)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_REPORTED_PROBLEMS]
        more = len(problems) - len(shown)
        message = "\n".join(shown) + (f"\n…ほか {more} 件" if more > 0 else "")
        super().__init__(message, field="file", code="checklist_file")


@dataclass(frozen=True)
class ChecklistTable:
    """The rows of a checklist CSV: the cells as read (for the output) and the codes."""

    header: list[str]  # kept input columns, as written in the file
    cells: list[list[str]]  # per row, the kept input cells
    answers: np.ndarray  # n × 25 of 1 / 0 / -1 (column 12 unused)
    height_cm: np.ndarray  # NaN = missing
    weight_kg: np.ndarray
    lines: tuple[int, ...] = ()  # per row, its line (row) number in the file

    def column(self, name: str) -> list[str]:
        """The cells of a kept input column by its (normalised) name, one per row."""
        names = [_normalise(n).lower() for n in self.header]
        index = names.index(name)
        return [row[index] for row in self.cells]


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _where(file_name: str, line: int, record: int, column: str) -> str:
    return f"{file_name}: {line}行目（データの{record}件目）の列「{column}」"


def read_checklist_csv(data: bytes, file_name: str) -> ChecklistTable:
    """Parse and check a whole file; raises :class:`ChecklistFileError` on any bad cell."""
    try:
        text, _encoding = decode_spreadsheet_text(data)
    except UnicodeDecodeError as exc:
        raise ChecklistFileError(
            [
                f"{file_name}: 文字コードを判別できません（{exc.start + 1}バイト目）。"
                "UTF-8 または Shift_JIS の CSV で保存してください。"
            ]
        ) from None
    records = csv.reader(StringIO(text, newline=""))
    try:
        raw_header = next(records)
    except StopIteration:
        raise ChecklistFileError(
            [f"{file_name}: 空のファイルです（見出しの行がありません）。"]
        ) from None
    return parse_checklist_rows(raw_header, enumerate(records, start=2), file_name)


def parse_checklist_rows(
    raw_header: list[str],
    numbered_rows: Iterable[tuple[int, list[str]]],
    file_name: str,
    *,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
) -> ChecklistTable:
    """Check and code the rows of a checklist table read from CSV or .xlsx.

    ``numbered_rows`` yields (line number in the file, cells as text); ``required`` are the
    columns that must be present (the answer and measurement columns always are). Raises
    :class:`ChecklistFileError` listing every bad cell with its file, row and column.
    """
    names = [_normalise(name).lower() for name in raw_header]
    problems: list[str] = []
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            problems.append(f"{file_name}: 1行目（見出し）に列「{name}」が2回あります。")
        seen.add(name)
    absent = [c for c in dict.fromkeys((*required, *REQUIRED_COLUMNS[1:])) if c not in seen]
    if absent:
        problems.append(
            f"{file_name}: 1行目（見出し）に列「{'」「'.join(absent)}」がありません。"
            f"必要な列: {', '.join(dict.fromkeys((*required, *REQUIRED_COLUMNS[1:])))}"
        )
    if problems:
        raise ChecklistFileError(problems)
    position = {name: i for i, name in enumerate(names)}
    # A previous output given as input: its result columns are recomputed, not repeated.
    kept = [i for i, name in enumerate(names) if name not in RESULT_COLUMNS]
    answer_at = [(position[f"q{n}"], n - 1, f"q{n}") for n in ANSWERED_ITEMS]

    answers: list[list[int]] = []
    heights: list[float] = []
    weights: list[float] = []
    cells: list[list[str]] = []
    lines: list[int] = []
    answer_codes: dict[str, int | None] = {}  # raw cell → code (surveys repeat few values)
    record = 0
    for line, row in numbered_rows:
        if not any(cell.strip() for cell in row):
            continue  # a blank line is not a checklist
        record += 1
        if len(row) > len(names):
            problems.append(
                f"{file_name}: {line}行目（データの{record}件目）: 値が見出しより多くあります"
                f"（見出し {len(names)} 列、この行 {len(row)} 列）。"
            )
            continue
        row = row + [""] * (len(names) - len(row))
        codes = [MISSING] * ITEM_COUNT
        for index, column, name in answer_at:
            raw = row[index]
            code = answer_codes.get(raw)
            if code is None and raw not in answer_codes:
                key = _normalise(raw).translate(_KATAKANA_TO_HIRAGANA)
                code = answer_codes[raw] = _ANSWERS.get(key)
            if code is None:
                problems.append(
                    f"{_where(file_name, line, record, name)}: 「{raw}」は回答として読めません。"
                    "「はい」「いいえ」のどちらか、未回答なら空欄にしてください。"
                )
            else:
                codes[column] = code
        measured: list[float] = []
        for name, (low, high), label, unit in (
            ("height_cm", HEIGHT_RANGE_CM, "身長", "cm"),
            ("weight_kg", WEIGHT_RANGE_KG, "体重", "kg"),
        ):
            raw = row[position[name]]
            value = _normalise(raw)
            if not value:
                measured.append(float("nan"))
                continue
            if not _NUMBER.fullmatch(value):
                problems.append(
                    f"{_where(file_name, line, record, name)}: 「{raw}」は数値として読めません"
                    f"（{label}を {unit} 単位の数字で、測っていなければ空欄にしてください）。"
                )
                measured.append(float("nan"))
                continue
            number = float(value)
            if not low <= number <= high:
                problems.append(
                    f"{_where(file_name, line, record, name)}: {label} {value}{unit} は"
                    f" {low:g}〜{high:g}{unit} の範囲にありません。"
                )
            measured.append(number)
        answers.append(codes)
        heights.append(measured[0])
        weights.append(measured[1])
        cells.append([row[i] for i in kept])
        lines.append(line)
    if problems:
        raise ChecklistFileError(problems)
    return ChecklistTable(
        header=[raw_header[i] for i in kept],
        cells=cells,
        answers=np.array(answers, dtype=np.int8).reshape(len(answers), ITEM_COUNT),
        height_cm=np.array(heights, dtype=np.float64),
        weight_kg=np.array(weights, dtype=np.float64),
        lines=tuple(lines),
    )


def _flag(values: np.ndarray) -> list[str]:
    """1 / 0 / -1 codes as 「1」「0」「」."""
    return [("", "0", "1")[v + 1] for v in values.tolist()]


def scored_rows(table: ChecklistTable, result: BulkResult) -> list[list[str]]:
    """Header and rows of the output: the input columns, then :data:`RESULT_COLUMNS`."""
    bmi = ["" if t < 0 else f"{t // 10}.{t % 10}" for t in result.bmi_tenths.tolist()]
    columns = [bmi, _flag(result.item12)]
    columns += [_flag(result.criteria[:, k]) for k in range(len(CRITERIA))]
    columns += [_flag(result.eligible), result.reasons_text(), result.missing_text()]
    rows = [[*table.header, *RESULT_COLUMNS]]
    for cells, extra in zip(table.cells, zip(*columns, strict=True), strict=True):
        rows.append([*cells, *extra])
    return rows


def write_csv_atomically(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> None:
    """Write ``rows`` with the formula-safe writer to ``path`` only once all are written."""
    directory = path.resolve().parent
    handle = tempfile.NamedTemporaryFile(
        "w", encoding=encoding, newline="", dir=directory, prefix=f".{path.name}.", delete=False
    )
    try:
        with handle:
            write_csv_rows(handle, rows)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


# --- uploads (the import and the survey pages): CSV or .xlsx -------------------------------


def _cell_text(value: object) -> str:
    """An .xlsx cell as the text a CSV would hold (160.0 → 「160」, dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def read_checklist_upload(
    data: bytes, file_name: str, *, required: tuple[str, ...]
) -> ChecklistTable:
    """A checklist table from an uploaded .xlsx (first sheet, bounded reading of
    :func:`tsunagu.core.spreadsheet.read_xlsx_rows`) or CSV (UTF-8 / BOM / Shift_JIS)."""
    if not file_name.lower().endswith(".xlsx"):
        try:
            text, _encoding = decode_spreadsheet_text(data)
        except UnicodeDecodeError as exc:
            raise ChecklistFileError(
                [
                    f"{file_name}: 文字コードを判別できません（{exc.start + 1}バイト目）。"
                    "UTF-8 または Shift_JIS の CSV、または Excel（.xlsx）で保存してください。"
                ]
            ) from None
        records = csv.reader(StringIO(text, newline=""))
        header = next(records, None)
        numbered: Iterable[tuple[int, list[str]]] = enumerate(records, start=2)
    else:
        rows = read_xlsx_rows(data, file_name)
        first = next(rows, None)
        header = None if first is None else [_cell_text(v) for v in first[1]]
        numbered = ((n, [_cell_text(v) for v in cells]) for n, cells in rows)
    if header is None:
        raise ChecklistFileError([f"{file_name}: 空のファイルです（見出しの行がありません）。"])
    return parse_checklist_rows(header, numbered, file_name, required=required)
