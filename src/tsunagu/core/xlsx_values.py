"""The cell values of a read-only openpyxl worksheet, parsed with expat directly.

``sheet.iter_rows(values_only=True)`` builds an ElementTree element for every cell and an
openpyxl ``Text`` object (through its descriptors) for every inline string; on a 50,000-row
import that was a fifth of the whole import. :func:`sheet_values` reads the same sheet XML
with one expat parser and keeps only what a values-only read needs: the cell's type, style
(for dates), value and inline text. It takes everything else from openpyxl's workbook (shared
strings, date styles, the 1900/1904 epoch), so it yields what ``iter_rows(values_only=True)``
yields after ``reset_dimensions()``: each row as wide as its last cell, ``[]`` for a missing
row, formulas as their cached values (the workbook is opened with ``data_only=True``).
``tests/core/test_xlsx_values.py`` compares both on workbooks with every cell type.

A document type declaration is refused (an .xlsx never has one; entity expansion is how
an XML bomb works).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL, _VALUE = f"{_MAIN} row", f"{_MAIN} c", f"{_MAIN} v"
_INLINE, _TEXT, _RUN = f"{_MAIN} is", f"{_MAIN} t", f"{_MAIN} r"
_CHUNK = 256 * 1024


class XmlRefused(ValueError):
    """The sheet XML declares a document type."""


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _column(reference: str) -> int:
    letters = reference.rstrip("0123456789")
    return column_index_from_string(letters)


class _SheetParser:
    """Expat handlers that collect finished rows as ``(row number, [(column, value), …])``."""

    def __init__(self, shared_strings: Any, epoch: Any, dates: set, durations: set) -> None:
        self.shared_strings = shared_strings
        self.epoch = epoch
        self.dates = dates
        self.durations = durations
        self.rows: list[tuple[int, list[tuple[int, Any]]]] = []
        self.row_number = 0
        self.column = 0
        self.cells: list[tuple[int, Any]] | None = None
        self.cell_type = "n"
        self.style = 0
        self.reference = ""
        # text being collected: the <v> of a cell, or the <t> of its inline string (<is>)
        self.depth = 0  # elements open inside the current cell
        self.collect = False
        self.value: list[str] | None = None  # <v> text, None when the cell has no <v>
        self.inline: list[str] | None = None  # inline string pieces, None without <is>
        self.in_inline = False
        self.in_run = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.cells is None:
            if tag == _ROW:
                number = attrs.get("r")
                if number is None:
                    self.row_number += 1
                else:
                    try:
                        self.row_number = int(number)
                    except ValueError:
                        value = float(number)
                        if not value.is_integer():
                            raise ValueError(f"{number} is not a valid row number") from None
                        self.row_number = int(value)
                self.column = 0
                self.cells = []
            return
        if self.depth == 0:
            if tag != _CELL:
                self.depth = 1  # something else in a row: skipped with its content
                self.reference = ""
                self.cell_type = ""
                return
            self.depth = 1
            self.cell_type = attrs.get("t", "n")
            style = attrs.get("s", 0)
            self.style = int(style) if style else 0
            self.reference = attrs.get("r", "")
            self.value = None
            self.inline = None
            self.in_inline = self.in_run = False
            return
        self.depth += 1
        if not self.cell_type:
            return
        if self.depth == 2:
            if tag == _VALUE and self.value is None:
                self.value = []
                self.collect = True
            elif tag == _INLINE and self.inline is None:
                self.inline = []
                self.in_inline = True
        elif self.in_inline:
            if self.depth == 3 and tag == _TEXT:
                self.collect = True
            elif self.depth == 3 and tag == _RUN:
                self.in_run = True
            elif self.depth == 4 and self.in_run and tag == _TEXT:
                self.collect = True

    def end(self, tag: str) -> None:
        if self.cells is None:
            return
        if self.depth == 0:
            if tag == _ROW:
                self.rows.append((self.row_number, self.cells))
                self.cells = None
            return
        self.depth -= 1
        if self.collect and tag in (_VALUE, _TEXT):
            self.collect = False
        if self.depth == 2 and tag == _RUN:
            self.in_run = False
        if self.depth == 1 and tag == _INLINE:
            self.in_inline = False
        if self.depth == 0 and self.cell_type:
            self.finish_cell()

    def text(self, data: str) -> None:
        if not self.collect:
            return
        if self.in_inline and self.inline is not None:
            self.inline.append(data)
        elif self.value is not None:
            self.value.append(data)

    def finish_cell(self) -> None:
        if self.reference:
            self.column = _column(self.reference)
        else:
            self.column += 1
        kind = self.cell_type
        value: Any = None
        if kind == "inlineStr":
            if self.inline is not None:
                value = "".join(self.inline)
        else:
            text = "".join(self.value) if self.value is not None else ""
            if text:
                value = self.convert(kind, text)
        assert self.cells is not None
        self.cells.append((self.column, value))

    def convert(self, kind: str, text: str) -> Any:
        if kind == "n":
            number = _number(text)
            if self.style in self.dates:
                try:
                    return from_excel(number, self.epoch, timedelta=self.style in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.shared_strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text result), "e" (an error such as #N/A)


def _refuse_doctype(*_args: Any) -> None:
    raise XmlRefused("document type declarations are not allowed")


def sheet_values(workbook: Any, sheet: Any) -> Iterator[tuple[Any, ...] | list[Any]]:
    """Yield the rows of a read-only worksheet as ``iter_rows(values_only=True)`` would after
    ``reset_dimensions()`` (see the module docstring)."""
    handlers = _SheetParser(
        sheet._shared_strings,
        workbook.epoch,
        workbook._date_formats,
        workbook._timedelta_formats,
    )
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = handlers.start
    parser.EndElementHandler = handlers.end
    parser.CharacterDataHandler = handlers.text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    expected = 1
    with sheet._get_source() as source:
        while True:
            chunk = source.read(_CHUNK)
            parser.Parse(chunk, not chunk)
            rows, handlers.rows = handlers.rows, []
            for number, cells in rows:
                # openpyxl yields an empty row for each missing one and skips a row
                # numbered before the one expected
                while expected < number:
                    expected += 1
                    yield []
                if expected <= number:
                    expected += 1
                    yield _widened(cells)
            if not chunk:
                break


def _widened(cells: list[tuple[int, Any]]) -> tuple[Any, ...]:
    if not cells:
        return ()
    width = cells[-1][0]
    values: list[Any] = [None] * width
    for column, value in cells:
        if 1 <= column <= width:
            values[column - 1] = value
    return tuple(values)
