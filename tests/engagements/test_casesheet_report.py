"""Case sheets and 図表3 read as the report does (issue 12): its headings, its text, its
citations (section and 事例表, never a file's line numbers), and headings kept with their
text in the PDF."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tsunagu.accounts.services import system_actor
from tsunagu.engagements.casesheets import builder as casesheet
from tsunagu.engagements.casesheets.pdf import render_case_sheet_pdf

pytestmark = pytest.mark.django_db

CODES = {"香春町": "406015", "佐伯市": "442054", "鹿児島市": "462012", "久留米市": "402036",
         "出水市": "462080"}  # fmt: skip
LINE_CITATION = re.compile(r"report\.txt|\d+(–\d+)?行")


def sheet_of(name: str) -> casesheet.CaseSheet:
    user = system_actor()
    municipality = casesheet.municipality_for_case_sheet(user=user, key=name)
    return casesheet.build_case_sheet(user=user, municipality=municipality)


def test_sheets_keep_the_reports_own_section_2_heading() -> None:
    for name in ("香春町", "鹿児島市", "久留米市", "出水市"):
        headings = [s.heading for s in sheet_of(name).sections]
        assert headings[1] == "2 伴走的支援後の取組（取組予定）", name


def test_saiki_sheet_has_its_own_headings() -> None:
    sheet = sheet_of("佐伯市")
    assert [s.heading for s in sheet.sections][:2] == [
        "1 伴走的支援を受けた取組",
        "2 伴走的支援前後の取組（取組予定）",
    ]
    assert [p.heading for p in sheet.sections[0].parts][:2] == [
        "(1) 佐伯市が伴走的支援を受けた理由",
        "(2) 伴走的支援を受けた取組の経緯等",
    ]


def test_attention_row_of_izumi_ends_with_the_reports_text(client_as) -> None:
    [izumi] = [
        row
        for row in casesheet.attention_table_for(user=system_actor())
        if row.municipality_name == "出水市"
    ]
    assert izumi.paragraphs[-1].endswith(
        "それがなければ実効性のある地域づくりは進まないのではないか。"
    )
    assert "県の見解等" not in izumi.text


def test_case_sheets_cite_no_file_lines(client_as) -> None:
    client = client_as("admin")
    for name, code in CODES.items():
        page = client.get(f"/engagements/case-sheets/{code}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "事例表№" in html
        assert not LINE_CITATION.search(html), (name, LINE_CITATION.search(html))
        pdf = client.get(f"/engagements/case-sheets/{code}/pdf/").content
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert not LINE_CITATION.search(text), name
        workbook = load_workbook(
            io.BytesIO(client.get(f"/engagements/case-sheets/{code}/xlsx/").content)
        )
        cells = " ".join(
            str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value
        )
        assert not LINE_CITATION.search(cells), name
    attention = client.get("/engagements/case-sheets/points-of-attention/").content.decode()
    assert not LINE_CITATION.search(attention)


def test_statistics_source_names_the_case_sheet_section() -> None:
    source = sheet_of("鹿児島市").overview.source
    assert source.startswith("事例表№3 鹿児島市")
    assert not LINE_CITATION.search(source)


def _page_ends(pdf: bytes) -> list[str]:
    """The last line of body text of each page (the footer is drawn last, so skip it)."""
    ends = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [
            line for line in lines if not re.fullmatch(r"- \d+ -", line) and "（" not in line[:0]
        ]
        body = [line for line in body if not line.startswith("事例表№")]
        ends.append(body[-1] if body else "")
    return ends


def test_pdf_never_leaves_a_heading_alone_at_the_bottom_of_a_page() -> None:
    # given: the same sheet with more or less text before the sections, so that a heading
    # falls near the bottom of a page in some of them
    sheet = sheet_of("出水市")
    headings = {s.heading for s in sheet.sections} | {
        p.heading for s in sheet.sections for p in s.parts if p.heading
    }
    first = sheet.sections[0]
    checked = 0
    for lines in range(0, 40, 2):
        reasons = dataclasses.replace(first.parts[0], text="\n".join(["あ" * 40] * lines) or "あ")
        variant = dataclasses.replace(
            sheet,
            sections=[
                dataclasses.replace(first, parts=(reasons, *first.parts[1:])),
                *sheet.sections[1:],
            ],
        )
        # when
        ends = _page_ends(render_case_sheet_pdf(variant))
        # then
        assert len(ends) >= 2
        for end in ends[:-1]:
            assert end not in headings, (lines, end)
        checked += 1
    assert checked == 20
