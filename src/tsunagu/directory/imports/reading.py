"""Reading .xlsx / CSV files into a :class:`Table`, and mapping their columns onto ours."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tsunagu.core import spreadsheet
from tsunagu.core.encoding import decode_spreadsheet_text
from tsunagu.directory.imports.columns import (
    SPECS,
    ImportFileError,
    _header_key,
    column_letter,
    spec_for,
)
from tsunagu.directory.models import (
    ImportMapping,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000  # a small .xlsx can expand to millions of rows (a "zip bomb")


# --- reading files ------------------------------------------------------------------------


@dataclass
class Table:
    """The cells of one sheet: a header row and the data rows under it."""

    file_name: str
    file_format: str  # "xlsx" | "csv"
    headers: list[str]
    header_row: int
    rows: list[tuple[int, tuple[Any, ...]]]  # (row number as Excel shows it, cells)
    encoding: str = ""  # CSV: the encoding used (UTF-8, UTF-8（BOM付き）, Shift_JIS（CP932）)

    def column_label(self, index: int) -> str:
        header = self.headers[index] if index < len(self.headers) else ""
        return f"{column_letter(index)}列: {header}" if header else f"{column_letter(index)}列"


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes (see :func:`tsunagu.core.encoding.decode_spreadsheet_text`)."""
    try:
        return decode_spreadsheet_text(data)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"文字コードを判別できません（{exc.start + 1}バイト目）。"
            "UTF-8 または Shift_JIS（Excel の「CSV（コンマ区切り）」）で保存し直してください。"
        ) from None


def _file_format(file_name: str, data: bytes) -> str:
    suffix = Path(file_name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or suffix == ".xls":
        raise ImportFileError(
            "Excel 97-2003 形式（.xls）は読み込めません。Excel で「Excel ブック（.xlsx）」"
            "または「CSV」形式で保存し直してください。"
        )
    return "csv"


def _clean_headers(raw: Iterable[Any]) -> list[str]:
    headers = [_cell_text(v).replace("\n", " ").strip() for v in raw]
    while headers and not headers[-1]:
        headers.pop()
    seen: dict[str, int] = {}
    unique = []
    for header in headers:
        if header and header in seen:
            seen[header] += 1
            header = f"{header}（{seen[header]}）"
        else:
            seen[header] = 1
        unique.append(header)
    return unique


def read_table(
    source: bytes | str | Path, file_name: str | None = None, *, limit: int | None = None
) -> Table:
    """Read the first sheet (xlsx: the active one) of an .xlsx or CSV file.

    The header row is the first row with any value; entirely empty rows are skipped. Row
    numbers are those Excel shows (a CSV record is one row even with line breaks inside).
    ``limit`` stops after that many data rows (0: the header only, for the mapping page).
    """
    if isinstance(source, str | Path):
        path = Path(source)
        file_name = file_name or path.name
        data = path.read_bytes()
    else:
        data = source
    file_name = file_name or "file"
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"ファイルが大きすぎます（{len(data) // 1024 // 1024} MB）。"
            f"{MAX_FILE_BYTES // 1024 // 1024} MB 以下に分けてください。"
        )
    if not data.strip():
        raise ImportFileError("ファイルが空です。")
    fmt = _file_format(file_name, data)
    if fmt == "xlsx":
        return _read_xlsx(data, file_name, limit=limit)
    return _read_csv(data, file_name, limit=limit)


Numbered = tuple[int, tuple[Any, ...]]


def _header_and_rows(
    numbered: Iterable[tuple[int, Any]],
    *,
    limit: int | None,
    cell: Callable[[Any], Any] | None = None,
) -> tuple[list[str] | None, int, list[Numbered]]:
    """The first non-blank row as headers, then the non-blank rows (``cell`` applied to each
    value), up to ``limit`` rows (0: headers only); more than MAX_ROWS is refused."""
    headers: list[str] | None = None
    header_row = 0
    rows: list[Numbered] = []
    for number, cells in numbered:
        if not any(_present(v) for v in cells):
            continue
        if headers is None:
            headers, header_row = _clean_headers(cells), number
            if limit == 0:
                break
            continue
        rows.append((number, tuple(cells) if cell is None else tuple(cell(c) for c in cells)))
        if limit is not None and len(rows) >= limit:
            break
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                f"行が多すぎます（{MAX_ROWS:,}行まで）。ファイルを分けて取り込んでください。"
            )
    return headers, header_row, rows


def _read_xlsx(data: bytes, file_name: str, *, limit: int | None) -> Table:
    # Bounded read: a tiny file declaring a huge sheet is refused, not padded out for minutes.
    reader = spreadsheet.read_xlsx_rows(data, file_name, max_rows=MAX_ROWS + 1)  # + header
    try:
        headers, header_row, rows = _header_and_rows(reader, limit=limit)
    except spreadsheet.SpreadsheetError as exc:
        raise ImportFileError(exc.message) from None
    finally:
        reader.close()  # closes the workbook when we stop early
    if not headers:
        raise ImportFileError("見出しの行が見つかりません（シートが空です）。")
    return Table(file_name, "xlsx", headers, header_row, rows)


def _read_csv(data: bytes, file_name: str, *, limit: int | None) -> Table:
    text, encoding = decode_csv_bytes(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Our own export neutralises formula-like cells: read them back as written.
        headers, header_row, rows = _header_and_rows(
            enumerate(reader, start=1), limit=limit, cell=spreadsheet.unneutralise
        )
    except csv.Error as exc:
        raise ImportFileError(f"CSV として読み込めません（{exc}）。") from None
    if not headers:
        raise ImportFileError("見出しの行が見つかりません（ファイルが空です）。")
    return Table(file_name, "csv", headers, header_row, rows, encoding)


def _present(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- column mapping -----------------------------------------------------------------------


def mapping_get(*, user: Any, kind: str) -> dict[str, str]:
    """The mapping (our field → the file's header) the user saved for this kind, if any."""
    if user is None or not getattr(user, "pk", None):
        return {}
    saved = ImportMapping.objects.filter(user=user, kind=kind).first()
    return dict(saved.mapping) if saved else {}


def mapping_save(*, user: Any, kind: str, mapping: dict[str, str]) -> ImportMapping:
    """Remember the user's mapping for the next import of this kind (one per user and kind).

    A user preference rather than a directory record, so no history row is written.
    """
    spec_for(kind)
    known = {c.key for c in SPECS[kind].columns}
    clean = {k: str(v) for k, v in mapping.items() if k in known and v}
    saved, _ = ImportMapping.objects.update_or_create(
        user=user, kind=kind, defaults={"mapping": clean}
    )
    return saved


def auto_mapping(
    kind: str, headers: list[str], saved: dict[str, str] | None = None
) -> dict[str, int]:
    """Pre-fill the mapping: our field → column index.

    The user's saved mapping wins where its header is in this file; then exact header
    names (ours, our field keys), then aliases (Japanese and English). No column is used twice.
    """
    spec = spec_for(kind)
    keys = {_header_key(h): i for i, h in reversed(list(enumerate(headers))) if h}
    exact = {h: i for i, h in reversed(list(enumerate(headers))) if h}
    used: set[int] = set()
    result: dict[str, int] = {}

    def take(key: str, index: int | None) -> None:
        if index is not None and index not in used and key not in result:
            result[key] = index
            used.add(index)

    for key, header in (saved or {}).items():
        if any(c.key == key for c in spec.columns):
            take(key, exact.get(header))
    for column in spec.columns:
        take(column.key, keys.get(_header_key(column.header)))
    for column in spec.columns:
        take(column.key, keys.get(_header_key(column.key)))
    for column in spec.columns:
        for alias in column.aliases:
            take(column.key, keys.get(_header_key(alias)))
    return result


def mapping_by_header(kind: str, headers: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Turn a mapping by header text (as saved, or given by a caller) into column indexes."""
    index = {h: i for i, h in reversed(list(enumerate(headers))) if h}
    known = {c.key for c in spec_for(kind).columns}
    return {k: index[h] for k, h in mapping.items() if k in known and h in index}


def mapping_headers(table: Table, mapping: dict[str, int]) -> dict[str, str]:
    return {k: table.headers[i] for k, i in mapping.items() if i < len(table.headers)}
