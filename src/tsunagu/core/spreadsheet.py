"""Spreadsheet boundaries: every CSV/.xlsx cell written, and every uploaded .xlsx read.

Writing: records typed by one municipality end up in another's spreadsheet (public records go
into every export), so no text may turn into a formula when the file is opened. A text cell
beginning with ``=`` ``+`` ``-`` ``@`` TAB or CR is neutralised (OWASP "CSV injection"):

* CSV gets a leading apostrophe (``'=HYPERLINK(…)``), which Excel shows as text;
* .xlsx cells are always typed as strings and carry Excel's own quote prefix (the cell style
  an apostrophe typed by hand produces), so the text reads unchanged and stays text when
  edited. Characters XML cannot hold (C0 controls except TAB, LF, CR) are dropped, so a stray
  ``\\x0b`` never turns the whole download into a 500.

Numbers stay numbers; a lone 「-」 (なし) and plain negative numbers written as text
(``-12.5``) are harmless and kept as they are.

Reading: :func:`read_xlsx_rows` refuses a sheet whose declared or actual size exceeds a bound,
and stops after a time budget, so a 5 KB file declaring ``A1:XFD1048576`` cannot pin a worker;
before openpyxl opens the archive, :func:`check_xlsx_archive` refuses a zip bomb (too much
unpacked in total, or a member unpacking to hundreds of times its packed size).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import ParseError

from django.conf import settings

from tsunagu.core.errors import TsunaguError

__all__ = [
    "SpreadsheetError",
    "append_row",
    "check_xlsx_archive",
    "csv_value",
    "read_xlsx_rows",
    "safe_text",
    "set_cell",
    "unneutralise",
    "write_csv_rows",
    "write_only_cell",
    "xlsx_value",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that only looks like a number (or a lone dash meaning なし) is not a formula.
_HARMLESS = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)*|[-\u2010-\u2015\u2212\u30fc]")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula (or strip its lead)."""
    return text.startswith(_FORMULA_START) and _HARMLESS.fullmatch(text) is None


def safe_text(text: str) -> str:
    """Text for a CSV cell: formula-like text gets the apostrophe Excel shows as text."""
    return "'" + text if is_formula_like(text) else text


def unneutralise(text: str) -> str:
    """Undo :func:`safe_text` when reading back a CSV this app wrote (export → import)."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


def csv_value(value: Any) -> str:
    """One CSV cell: ISO dates, plain decimals, neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    return safe_text(str(value))


def write_csv_rows(
    stream: Any, rows: Iterable[Iterable[Any]], *, lineterminator: str = "\r\n", **kwargs: Any
) -> int:
    """Write rows (header included, if any) with :func:`csv_value` cells; returns the row count.

    ``stream`` is a text stream; extra keyword arguments go to :func:`csv.writer`.
    """
    writer = csv.writer(stream, lineterminator=lineterminator, **kwargs)
    count = 0
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
        count += 1
    return count


def xlsx_value(value: Any) -> Any:
    """A value openpyxl can store: text without XML-illegal characters, Decimal as float."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    return value


def _neutralise(cell: Any, value: Any) -> Any:
    # Whatever openpyxl guessed, text is text: never a formula ("f").
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def set_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """``sheet.cell(row=, column=, value=)`` for a normal worksheet, neutralised."""
    value = xlsx_value(value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    return _neutralise(cell, value)


def write_only_cell(sheet: Any, value: Any) -> Any:
    """A ``WriteOnlyCell`` for write-only workbooks, neutralised."""
    from openpyxl.cell import WriteOnlyCell

    value = xlsx_value(value)
    return _neutralise(WriteOnlyCell(sheet, value=value), value)


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` for a normal worksheet, every cell neutralised."""
    row = sheet._current_row + 1  # what Worksheet.append writes to
    for column, value in enumerate(values, start=1):
        set_cell(sheet, row, column, value)
    sheet._current_row = row  # an empty row still moves the next append down


# --- reading -------------------------------------------------------------------------------


class SpreadsheetError(TsunaguError):
    """An uploaded spreadsheet is too large or unreadable; the message names the file."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file", code="spreadsheet")


def _limit(name: str, default: float) -> Any:
    return getattr(settings, name, default)


def max_rows_default() -> int:
    return int(_limit("TSUNAGU_SPREADSHEET_MAX_ROWS", 200_000))


def max_columns_default() -> int:
    return int(_limit("TSUNAGU_SPREADSHEET_MAX_COLUMNS", 200))


def max_seconds_default() -> float:
    return float(_limit("TSUNAGU_SPREADSHEET_MAX_SECONDS", 30.0))


def _too_large(file_name: str, what: str, max_rows: int, max_columns: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"{file_name}: {what}。読み込めるのは {max_rows:,}行 × {max_columns:,}列 までです。"
        "使っていない行や列を削除するか、ファイルを分けてください。"
    )


def max_xlsx_uncompressed_bytes() -> int:
    return int(_limit("TSUNAGU_XLSX_MAX_UNCOMPRESSED_BYTES", 512 * 1024 * 1024))


# Sheet XML compresses 5–30 times; a member more than this many times smaller than it
# claims to unpack to (and past 1 MB unpacked) is a zip bomb, not a spreadsheet.
MAX_XLSX_RATIO = 200
MAX_XLSX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024


def check_xlsx_archive(data: bytes, file_name: str) -> None:
    """Refuse an .xlsx (a zip) that would unpack to too much, before openpyxl opens it.

    The sizes are the archive's own declarations: Python's zipfile never unpacks a member
    past its declared size, so a member that lies only comes out short (and fails its CRC).
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: read_xlsx_rows answers "cannot be read as .xlsx"
    limit = max_xlsx_uncompressed_bytes()
    total = sum(member.file_size for member in members)
    ratio = max(
        (
            member.file_size / max(member.compress_size, 1)
            for member in members
            if member.file_size > _RATIO_FLOOR
        ),
        default=0,
    )
    if len(members) > MAX_XLSX_MEMBERS or total > limit or ratio > MAX_XLSX_RATIO:
        raise SpreadsheetError(
            f"{file_name}: 展開すると大きくなりすぎるため読み込めません"
            f"（展開後 {total / 1024 / 1024:,.0f} MB、圧縮率 {ratio:,.0f} 倍。"
            f"上限は {limit / 1024 / 1024:,.0f} MB・{MAX_XLSX_RATIO} 倍です）。"
            "Excel で開いて保存し直すか、CSV で保存して取り込んでください。"
        )


def read_xlsx_rows(
    data: bytes,
    file_name: str,
    *,
    max_rows: int | None = None,
    max_columns: int | None = None,
    max_seconds: float | None = None,
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield ``(row number, values)`` of the first sheet of an .xlsx, within bounds.

    Refuses (:class:`SpreadsheetError`) a sheet that declares more rows or columns than allowed,
    a row past the row bound or with a value past the column bound, a file that cannot be read
    as .xlsx, and a read taking longer than ``max_seconds``. Rows are as wide as their last
    cell (the declared width is not padded out), trailing columns past the bound are dropped
    when empty.
    """
    from openpyxl import load_workbook

    max_rows = max_rows_default() if max_rows is None else max_rows
    max_columns = max_columns_default() if max_columns is None else max_columns
    max_seconds = max_seconds_default() if max_seconds is None else max_seconds
    started = time.monotonic()
    check_xlsx_archive(data, file_name)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, ParseError) as exc:
        # ParseError: openpyxl reads the sheet's XML for its size (a truncated sheet)
        raise SpreadsheetError(
            f"{file_name}: Excel ファイル（.xlsx）として読み込めません（{type(exc).__name__}）。"
            "ファイルが壊れていないか、パスワードが掛かっていないか確認してください。"
        ) from None
    try:
        sheet = workbook.active or workbook.worksheets[0]
        declared_rows, declared_columns = sheet.max_row, sheet.max_column
        rows_over = (declared_rows or 0) > max_rows
        if rows_over or (declared_columns or 0) > max_columns:
            raise _too_large(
                file_name,
                f"{'行' if rows_over else '列'}が多すぎます（シートの大きさが"
                f" {declared_rows or 0:,}行 × {declared_columns or 0:,}列 と記録されています）",
                max_rows,
                max_columns,
            )
        # Do not pad every row out to the declared width: rows are read as they are stored.
        sheet.reset_dimensions()
        for number, cells in enumerate(_values(workbook, sheet, file_name), start=1):
            if number > max_rows:
                raise _too_large(
                    file_name,
                    f"行が多すぎます（{max_rows:,}行を超えています）",
                    max_rows,
                    max_columns,
                )
            if len(cells) > max_columns:
                if any(v is not None and v != "" for v in cells[max_columns:]):
                    raise _too_large(
                        file_name,
                        f"列が多すぎます（{number}行目に {max_columns:,}列より右の値があります）",
                        max_rows,
                        max_columns,
                    )
                cells = cells[:max_columns]
            if time.monotonic() - started > max_seconds:
                raise SpreadsheetError(
                    f"{file_name}: 読み込みに時間がかかりすぎるため中止しました"
                    f"（{max_seconds:g}秒まで、{number:,}行目まで読みました）。"
                    "ファイルを分けるか、CSV で保存して取り込んでください。"
                )
            yield number, cells
    finally:
        workbook.close()


def _values(workbook: Any, sheet: Any, file_name: str) -> Iterator[Any]:
    """The sheet's rows of values (:mod:`tsunagu.core.xlsx_values`: what openpyxl's
    ``iter_rows(values_only=True)`` gives, several times faster); a sheet whose XML
    cannot be read is refused with a message, not a server error."""
    from xml.parsers import expat

    from tsunagu.core.xlsx_values import sheet_values

    try:
        yield from sheet_values(workbook, sheet)
    except (expat.ExpatError, ValueError, IndexError, KeyError, zipfile.BadZipFile) as exc:
        raise SpreadsheetError(
            f"{file_name}: シートの内容を読み込めません（{type(exc).__name__}）。"
            "Excel で開いて保存し直すか、CSV で保存して取り込んでください。"
        ) from None
