"""The shared spreadsheet boundary: neutralised cells on the way out, bounded reads on the way in."""

from __future__ import annotations

import csv
import datetime
import io
import re
import time
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tsunagu.core import spreadsheet
from tsunagu.directory.imports.columns import ImportFileError
from tsunagu.directory.imports.reading import read_table


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x/","y")', '\'=HYPERLINK("http://x/","y")'),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tタブ", "'\tタブ"),
        ("\r改行", "'\r改行"),
        ("- 箇条書き", "'- 箇条書き"),
        ("-", "-"),  # 「なし」
        ("—", "—"),
        ("-12.5", "-12.5"),  # a negative number written as text is still a number
        ("+81", "+81"),
        ("見守り=安心", "見守り=安心"),
        ("", ""),
        (-3, "-3"),
        (Decimal("-1.50"), "-1.50"),
        (datetime.date(2024, 10, 2), "2024-10-02"),
        (None, ""),
    ],
)
def test_csv_value_neutralises_formula_like_text_only(value, expected) -> None:
    assert spreadsheet.csv_value(value) == expected


def test_neutralised_csv_reads_back_as_written() -> None:
    for text in ("=1+1", "-1+1", "@x", "-", "普通の文字"):
        assert spreadsheet.unneutralise(spreadsheet.safe_text(text)) == text


def test_csv_writer_neutralises_every_cell() -> None:
    buffer = io.StringIO()
    count = spreadsheet.write_csv_rows(buffer, [["名前", "数"], ["=1+1", -5], ["@A1", 3]])
    assert count == 3
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert rows == [["名前", "数"], ["'=1+1", "-5"], ["'@A1", "3"]]
    assert buffer.getvalue().endswith("\r\n")


def test_xlsx_cells_are_text_never_formulas_and_drop_illegal_characters() -> None:
    book = Workbook()
    sheet = book.active
    spreadsheet.append_row(sheet, ["=1+1\n2行目", "-1+1", -5, Decimal("2.5"), "-"])
    spreadsheet.append_row(sheet, [])
    spreadsheet.set_cell(sheet, 3, 1, "縦タブ\x0bと\x01制御文字")
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    back = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert back["A1"].value == "=1+1\n2行目"
    assert back["A1"].data_type == "s"
    assert back["A1"].quotePrefix and back["B1"].quotePrefix
    assert back["C1"].value == -5 and back["D1"].value == 2.5
    assert back["E1"].value == "-" and not back["E1"].quotePrefix
    assert back["A2"].value is None
    assert back["A3"].value == "縦タブと制御文字"


def _crafted_xlsx(dimension: str, far_cell: str) -> bytes:
    """A tiny workbook whose sheet declares a huge size and holds one far cell."""
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "種別"])
    sheet.append(["見守りの会", "ボランティア"])
    source = io.BytesIO()
    book.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', xml)
                row = int(re.sub(r"[A-Z]", "", far_cell))
                xml = xml.replace(
                    "</sheetData>",
                    f'<row r="{row}"><c r="{far_cell}" t="inlineStr"><is><t>x</t></is></c></row>'
                    "</sheetData>",
                )
                data = xml.encode()
            dst.writestr(item, data)
    return out.getvalue()


def test_xlsx_declaring_a_huge_sheet_is_refused_at_once() -> None:
    data = _crafted_xlsx("A1:XFD12000", "XFD12000")
    assert len(data) < 10_000
    started = time.monotonic()
    with pytest.raises(ImportFileError) as caught:
        read_table(data, "団体一覧.xlsx")
    assert time.monotonic() - started < 1.0
    message = caught.value.message
    assert "団体一覧.xlsx" in message
    assert "12,000行 × 16,384列" in message
    assert "200列" in message


def test_xlsx_with_a_far_cell_but_no_huge_declaration_is_refused_quickly() -> None:
    # The declaration lies small; the far cell is found while reading, without padding rows.
    data = _crafted_xlsx("A1:B2", "XFD300000")
    started = time.monotonic()
    with pytest.raises(ImportFileError, match=r"団体一覧\.xlsx"):
        read_table(data, "団体一覧.xlsx")
    assert time.monotonic() - started < 5.0


def test_read_time_is_bounded() -> None:
    book = Workbook()
    sheet = book.active
    for i in range(50):
        sheet.append([f"行{i}"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(spreadsheet.SpreadsheetError, match="時間がかかりすぎる"):
        list(spreadsheet.read_xlsx_rows(buffer.getvalue(), "a.xlsx", max_seconds=0))


def test_ordinary_xlsx_is_read_within_the_bounds() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "種別"])
    sheet.append(["見守りの会", "ボランティア"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "団体.xlsx")
    assert table.headers == ["名称", "種別"]
    assert [cells for _, cells in table.rows] == [("見守りの会", "ボランティア")]
