"""Exports never carry a formula: one municipality's text is inert in another's spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from tsunagu.directory import exporting, services
from tsunagu.directory.models import Organisation
from tsunagu.directory.services import OrganisationFields

HOSTILE = [
    '=HYPERLINK("http://evil.example/","開く")',
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\tタブで始まる",
    "\r改行で始まる",
    "=1+1\n2行目",  # a newline once made the formula check be skipped in .xlsx
]


@pytest.fixture
def hostile_orgs(user_named, municipality):
    """Public records of 佐伯市 with hostile names, seen by every municipality's export."""
    saiki = user_named("saiki")
    town = municipality("佐伯市")
    orgs = []
    for index in range(len(HOSTILE)):
        org = services.organisation_create(
            fields=OrganisationFields(
                name=f"テスト団体{index}",
                org_type="volunteer_group",
                visibility="public",
                municipality=town,
            ),
            actor=saiki,
        )
        orgs.append(org)
    # Stored text as a bad import or an old API left it (bypassing today's validation).
    for org, name in zip(orgs, HOSTILE, strict=True):
        Organisation.objects.filter(pk=org.pk).update(name=name, description="縦タブ\x0bと\x01")
    Organisation.objects.filter(pk=orgs[0].pk).update(phone="-")  # 「なし」 stays readable
    return orgs


def export(user, fmt: str) -> bytes:
    buffer = io.BytesIO()
    exporting.write_export(buffer, kind="organisation", user=user, fmt=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("fmt", "encoding"), [("csv", "utf-8-sig"), ("csv-sjis", "cp932")])
def test_csv_export_neutralises_formula_like_cells(user_named, hostile_orgs, fmt, encoding):
    text = export(user_named("kawara"), fmt).decode(encoding)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    names = {row[1] for row in rows[1:]}
    for name in HOSTILE:
        assert "'" + name in names
        assert name not in names
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row)
    lone_dash = [row for row in rows if row[1] == "'" + HOSTILE[0]]
    assert len(lone_dash) == 1
    assert "-" in lone_dash[0]  # a lone dash is kept as it is


def test_xlsx_export_has_no_formula_and_no_500_on_control_characters(
    user_named, hostile_orgs, client_as
):
    from openpyxl import load_workbook

    data = export(user_named("kawara"), "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(data)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for name in HOSTILE:
        cell = cells[name.replace("\r", "\n")]  # XML reads a stored CR back as LF
        assert cell.data_type == "s"
        assert cell.quotePrefix  # Excel's own "typed with an apostrophe"
    assert "縦タブと" in cells  # illegal XML characters dropped, the rest kept

    response = client_as("kawara").get(
        "/directory/io/export/", {"kind": "organisation", "fmt": "xlsx"}
    )
    assert response.status_code == 200
