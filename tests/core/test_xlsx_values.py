"""The expat sheet reader yields exactly what openpyxl's values-only read yields."""

from __future__ import annotations

import datetime
import io
import zipfile
from xml.parsers import expat

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from tsunagu.core import spreadsheet
from tsunagu.core.xlsx_values import XmlRefused, sheet_values

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _openpyxl_rows(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.active
    sheet.reset_dimensions()
    rows = list(sheet.iter_rows(values_only=True))
    workbook.close()
    return rows


def _fast_rows(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = list(sheet_values(workbook, workbook.active))
    workbook.close()
    return rows


def _same(data: bytes) -> list:
    expected = _openpyxl_rows(data)
    got = _fast_rows(data)
    assert got == expected
    assert [type(v) for row in got for v in row] == [type(v) for row in expected for v in row]
    return got


def test_cells_written_by_openpyxl(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["名称", "日付", "時刻", "数", "真偽", "式", "長さ"])
    sheet.append(
        [
            "見守り　訪問",
            datetime.date(2024, 4, 1),
            datetime.time(9, 30),
            12,
            True,
            "=1+1",
            datetime.timedelta(hours=30),
        ]
    )
    sheet.append([" 前後に空白 ", datetime.datetime(2025, 1, 2, 3, 4, 5), None, 1.25, False])
    sheet["D7"] = -3  # rows 4-6 missing, a gap in row 7
    sheet["B8"] = CellRichText(["太字", TextBlock(InlineFont(b=True), "と普通")])
    sheet["A9"] = "<&>\"'"
    sheet["C9"] = 1e20
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = _same(buffer.getvalue())
    assert rows[1][:5] == (
        "見守り　訪問",
        datetime.datetime(2024, 4, 1),
        datetime.time(9, 30),
        12,
        True,
    )
    assert rows[3] == []  # a missing row
    assert rows[6] == (None, None, None, -3)
    assert rows[7] == (None, "太字と普通")


def _package(sheet_xml: str, shared: list[str], *, epoch_1904: bool = False) -> bytes:
    """A workbook saved by openpyxl (its styles: 1 = a date, 2 = a duration) with the sheet
    XML and shared strings replaced, as other programs write them."""
    workbook = Workbook()
    workbook.epoch = (
        datetime.datetime(1904, 1, 1) if epoch_1904 else datetime.datetime(1899, 12, 30)
    )
    sheet = workbook.active
    sheet["A1"] = datetime.date(2024, 1, 1)
    sheet["A2"] = datetime.timedelta(hours=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    strings = "".join(f"<si><t xml:space='preserve'>{s}</t></si>" for s in shared)
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = (
                    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
                    f"<sheetData>{sheet_xml}</sheetData></worksheet>"
                ).encode()
            elif item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>",
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            target.writestr(item.filename, content)
        target.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">'
            f"{strings}</sst>",
        )
    return out.getvalue()


def test_cells_as_excel_and_others_write_them():
    sheet = (
        # shared strings, a number with a date style, a duration, an error, a formula's text
        '<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45383</v></c>'
        '<c r="C1" s="2"><v>1.5</v></c><c r="D1" t="e"><v>#N/A</v></c>'
        '<c r="E1" t="str"><f>A1&amp;"x"</f><v>名称x</v></c><c r="F1" t="d"><v>2024-05-06</v></c>'
        "</row>"
        # cells and rows without references, an empty <v/>, an inline string with a
        # phonetic guide (not part of the value) and runs
        '<row><c><v>7</v></c><c t="s"><v>1</v></c><c><v/></c>'
        '<c t="inlineStr"><is><r><t>見</t></r><r><rPr><b/></rPr><t>守り</t></r>'
        '<rPh sb="0" eb="1"><t>ミ</t></rPh></is></c></row>'
        # a row after a gap, then one numbered before it (openpyxl skips it)
        '<row r="5"><c r="C5" t="b"><v>0</v></c><c r="A5"><v>2.5E3</v></c></row>'
        '<row r="4"><c r="A4"><v>9</v></c></row>'
        '<row r="6"/>'
        '<row r="7"><c r="B7" t="inlineStr"><is><t xml:space="preserve"> 空白 </t></is></c>'
        '<c r="C7" t="inlineStr"/><c r="D7" s="1"><v>99999999999</v></c></row>'
    )
    rows = _same(_package(sheet, ["氏名", "ｶﾅ &amp; 記号"]))
    assert rows[0][0] == "氏名"
    assert rows[0][1] == datetime.datetime(2024, 4, 1)
    assert rows[0][3:5] == ("#N/A", "名称x")
    assert rows[1] == (7, "ｶﾅ & 記号", None, "見守り")
    assert rows[6] == (None, " 空白 ", None, "#VALUE!")


def test_the_1904_epoch():
    rows = _same(_package('<row r="1"><c r="A1" s="1"><v>1</v></c></row>', [], epoch_1904=True))
    assert rows == [(datetime.datetime(1904, 1, 2),)]


def test_a_document_type_or_broken_xml_is_refused_with_a_message():
    bomb = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet xmlns="' + MAIN + '"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    data = _package("", [])
    source = zipfile.ZipFile(io.BytesIO(data))
    for content in (bomb, f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c>'):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                body = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    body = content.encode()
                target.writestr(item.filename, body)
        # openpyxl's own look at the sheet (its size) may refuse it first
        with pytest.raises(spreadsheet.SpreadsheetError, match=r"bad\.xlsx: .*読み込めません"):
            list(spreadsheet.read_xlsx_rows(out.getvalue(), "bad.xlsx"))
        with pytest.raises((XmlRefused, expat.ExpatError)):
            list(sheet_values(_FakeWorkbook(), _FakeSheet(content.encode())))


class _FakeWorkbook:
    epoch = datetime.datetime(1899, 12, 30)
    _date_formats: set = set()
    _timedelta_formats: set = set()


class _FakeSheet:
    _shared_strings: list = []

    def __init__(self, xml: bytes) -> None:
        self.xml = xml

    def _get_source(self):
        return io.BytesIO(self.xml)


def test_read_xlsx_rows_uses_it_and_keeps_its_bounds():
    sheet = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 6))
    data = _package(sheet, [])
    assert [cells for _, cells in spreadsheet.read_xlsx_rows(data, "a.xlsx")] == [
        (i,) for i in range(1, 6)
    ]
    with pytest.raises(spreadsheet.SpreadsheetError, match="行が多すぎます"):
        list(spreadsheet.read_xlsx_rows(data, "a.xlsx", max_rows=3))
