"""Case sheet pages, downloads and the CLI: scope (404), edit rights (403), bad input."""

from __future__ import annotations

import argparse
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tsunagu.engagements.casesheets.cli import cmd_case_sheet
from tsunagu.engagements.models import CaseSheetSettings, Engagement

pytestmark = pytest.mark.django_db

KAWARA, SAIKI = "406015", "442054"


def test_list_shows_only_sheets_in_scope(client_as) -> None:
    response = client_as("kawara").get("/engagements/case-sheets/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "香春町の事例表" in body and "佐伯市" not in body


def test_sheet_page_shows_sections_and_downloads(client_as) -> None:
    response = client_as("kawara").get(f"/engagements/case-sheets/{KAWARA}/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("事例表№1（香春町）", "1 伴走的支援を受けた取組等", "42.7％", "文章を編集"):
        assert text in body, text
    assert f"/engagements/case-sheets/{KAWARA}/job/pdf/" in body
    assert f"/engagements/case-sheets/{KAWARA}/job/xlsx/" in body


def test_out_of_scope_sheet_and_downloads_answer_404(client_as) -> None:
    client = client_as("kawara")
    for suffix in ("", "pdf/", "xlsx/", "edit/"):
        assert client.get(f"/engagements/case-sheets/{SAIKI}/{suffix}").status_code == 404


def test_pdf_download_is_a_pdf_with_japanese_text(client_as) -> None:
    response = client_as("saiki").get(f"/engagements/case-sheets/{SAIKI}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "casesheet_442054.pdf" in response["Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "事例表№2（佐伯市）" in text and "直川地域" in text


def test_xlsx_download_is_readable(client_as) -> None:
    response = client_as("saiki").get(f"/engagements/case-sheets/{SAIKI}/xlsx/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["事例表"]["A1"].value == "事例表№2（佐伯市）"


def test_attention_page_and_xlsx_are_scoped(client_as) -> None:
    client = client_as("kagoshima-pref")
    body = client.get("/engagements/case-sheets/points-of-attention/").content.decode()
    assert "鹿児島市" in body and "出水市" in body and "香春町" not in body
    response = client.get("/engagements/case-sheets/points-of-attention.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["図表3"]
    assert [sheet.cell(row=r, column=1).value for r in (3, 4)] == ["鹿児島市", "出水市"]
    assert sheet.cell(row=5, column=1).value is None


def test_prefecture_staff_may_view_but_not_edit(client_as) -> None:
    client = client_as("kagoshima-pref")
    assert client.get("/engagements/case-sheets/462012/").status_code == 200
    engagement = Engagement.objects.get(municipality__code="462012")
    before = engagement.points_of_attention
    response = client.post(
        "/engagements/case-sheets/462012/edit/",
        {f"e{engagement.pk}_points_of_attention": "書き換え"},
    )
    assert response.status_code == 403
    engagement.refresh_from_db()
    assert engagement.points_of_attention == before


def test_advisor_sees_the_advised_sheet_read_only(client_as) -> None:
    client = client_as("advisor")
    page = client.get("/engagements/case-sheets/462080/")
    assert page.status_code == 200 and "文章を編集" not in page.content.decode()
    assert client.get("/engagements/case-sheets/462080/edit/").status_code == 403
    assert client.get("/engagements/case-sheets/462012/").status_code == 404


def test_edit_saves_the_narrative(client_as) -> None:
    client = client_as("kawara")
    engagement = Engagement.objects.get(municipality__code=KAWARA)
    form = client.get(f"/engagements/case-sheets/{KAWARA}/edit/")
    assert form.status_code == 200
    data = {
        "sheet_number": "1",
        "attention_summary": "・情報共有の重要性\n互いの取組を知る。",
        f"e{engagement.pk}_reasons": engagement.reasons,
        f"e{engagement.pk}_background": engagement.background,
        f"e{engagement.pk}_post_support_actions": engagement.post_support_actions,
        f"e{engagement.pk}_points_of_attention": engagement.points_of_attention,
        f"e{engagement.pk}_requests_to_government": "伴走的支援を複数年度受けられるようにしてほしい。\r\n",
    }
    response = client.post(f"/engagements/case-sheets/{KAWARA}/edit/", data)
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.requests_to_government == "伴走的支援を複数年度受けられるようにしてほしい。"
    page = client.get(f"/engagements/case-sheets/{KAWARA}/").content.decode()
    assert "伴走的支援を複数年度受けられるようにしてほしい。" in page
    settings = CaseSheetSettings.objects.get(municipality__code=KAWARA)
    assert settings.attention_summary == "・情報共有の重要性\n互いの取組を知る。"


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client_as) -> None:
    client = client_as("kawara")
    engagement = Engagement.objects.get(municipality__code=KAWARA)
    response = client.post(
        f"/engagements/case-sheets/{KAWARA}/edit/",
        {"sheet_number": "0", f"e{engagement.pk}_points_of_attention": "途中まで書いた文章"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "入力内容を確認してください" in body and "途中まで書いた文章" in body
    engagement.refresh_from_db()
    assert engagement.points_of_attention != "途中まで書いた文章"
    assert CaseSheetSettings.objects.get(municipality__code=KAWARA).sheet_number == 1


# --- CLI -----------------------------------------------------------------------------------


def run_cli(municipality: str, fmt: str, out: str) -> int:
    return cmd_case_sheet(argparse.Namespace(municipality=municipality, format=fmt, out=out))


def test_cli_writes_pdf_by_name_and_xlsx_by_code(tmp_path, capsys) -> None:
    pdf = tmp_path / "izumi.pdf"
    assert run_cli("出水市", "pdf", str(pdf)) == 0
    assert "事例表№5（出水市）を書き出しました" in capsys.readouterr().out
    assert "通所型サービスC" in "".join(p.extract_text() for p in PdfReader(pdf).pages)
    xlsx = tmp_path / "kurume.xlsx"
    assert run_cli("402036", "xlsx", str(xlsx)) == 0
    assert load_workbook(xlsx)["事例表"]["A1"].value == "事例表№4（久留米市）"


def test_cli_unknown_municipality_is_a_japanese_error(tmp_path, capsys) -> None:
    out = tmp_path / "x.pdf"
    assert run_cli("東京市", "pdf", str(out)) == 1
    assert "市町村「東京市」が見つかりません" in capsys.readouterr().err
    assert not out.exists()


def test_cli_missing_output_folder_is_a_japanese_error(tmp_path, capsys) -> None:
    assert run_cli("出水市", "pdf", str(tmp_path / "no" / "x.pdf")) == 1
    assert "出力先のフォルダがありません" in capsys.readouterr().err


def test_cli_ambiguous_name_asks_for_the_code(tmp_path, capsys, prefecture) -> None:
    from tsunagu.areas.models import Municipality

    Municipality.objects.create(prefecture=prefecture("福岡県"), code="409999", name="出水市")
    assert run_cli("出水市", "pdf", str(tmp_path / "x.pdf")) == 1
    assert "市町村コードで指定してください" in capsys.readouterr().err
    assert run_cli("462080", "pdf", str(tmp_path / "x.pdf")) == 0
