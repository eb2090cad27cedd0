"""Case sheets (事例表) in a real browser: find the sheet, edit its narrative, download PDF and
Excel, and see it on a smartphone.

Run with ``python -m pytest -m browser tests/browser/test_casesheet_journey.py``.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

REQUEST = "伴走的支援を、取組に一定のめどが立つまで続けて受けられるようにしてほしい。"


def _made_by_a_job(page: Any, button_name: str) -> tuple[str, bytes]:
    """Press the sheet's button: a background job makes the file, its page offers it."""
    sheet_url = page.url
    page.get_by_role("button", name=button_name).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^ダウンロード")).click()
    download = info.value
    with open(download.path(), "rb") as handle:
        content = handle.read()
    page.goto(sheet_url)
    return download.suggested_filename, content


def test_find_edit_and_download_the_case_sheet(page: Any, login: Any) -> None:
    login(page, "kawara")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto("/engagements/case-sheets/")
    expect(page.get_by_role("heading", level=1)).to_have_text("事例表")
    page.get_by_role("link", name="香春町の事例表", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("事例表№1（香春町）")
    expect(page.get_by_role("heading", name="〇 香春町の概要")).to_be_visible()
    expect(page.get_by_text("9,995人（令和6年10月1日時点）")).to_be_visible()
    expect(page.get_by_role("heading", name="(1) 伴走的支援を受けた理由")).to_be_visible()

    # the narrative: write section 4 (empty in the report's 事例表№1)
    page.get_by_role("link", name="文章を編集").click()
    page.get_by_label("4 地域づくりを進める上での国等への意見・要望").fill(REQUEST)
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("status")).to_contain_text("事例表の内容を保存しました")
    expect(
        page.get_by_role("heading", name="4 地域づくりを進める上での国等への意見・要望")
    ).to_be_visible()
    expect(page.get_by_text(REQUEST)).to_be_visible()

    name, content = _made_by_a_job(page, "PDFを作成")
    assert name == "事例表№1（香春町）.pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "事例表№1（香春町）" in text and REQUEST in text

    name, content = _made_by_a_job(page, "Excel（.xlsx）を作成")
    assert name.endswith(".xlsx")
    values = [
        c.value
        for row in load_workbook(io.BytesIO(content))["事例表"].iter_rows()
        for c in row
        if c.value
    ]
    assert REQUEST in values


def test_case_sheet_on_a_smartphone_and_the_attention_table(new_page: Any, login: Any) -> None:
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(page, "kagoshima-pref")
    page.goto("/engagements/case-sheets/")
    page.get_by_role("link", name="鹿児島市の事例表", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("事例表№3（鹿児島市）")
    # no horizontal scrolling of the page itself on a phone
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    expect(page.get_by_role("link", name="文章を編集")).to_have_count(0)  # view only
    page.goto("/engagements/case-sheets/points-of-attention/")
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader")).to_have_text(["鹿児島市", "出水市"])
