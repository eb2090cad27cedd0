"""The 道路運送法 check and the needs surveys in a real browser.

A coordinator of 直川 answers the guided questions (radio buttons found by their labels),
reads the result, saves it on the service and prints it on A4; the cost calculator works
on a phone; the 直川 survey shows "11 would use at once", takes one more answer sheet and
prints its summary on A4.

Run with ``python -m pytest -m browser tests/browser/test_mobility_legal_surveys.py``.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("TSUNAGU_SCREENSHOTS")  # a folder: save screenshots there for review


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _pdf_pages(page: Any, tmp_path: Any, name: str) -> int:
    if SHOTS:
        page.emulate_media(media="print")
        _shot(page, f"{name}_print")
        page.emulate_media(media="screen")
    path = tmp_path / f"{name}.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    return len(PdfReader(str(path)).pages)


def test_guided_legal_check_saved_on_service_and_printed(
    page: Any, login: Any, tmp_path: Any
) -> None:
    login(page, "naokawa")
    page.goto("/mobility/legal/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("道路運送法の確認")
    page.get_by_label("いつからの運送ですか").fill("令和6年10月1日")
    page.get_by_label(re.compile("ガソリン代など、実際にかかった費用")).check()
    page.get_by_label("ガソリン代（燃料代）").check()
    page.get_by_label(re.compile("保険料（2024年3月1日から")).check()
    page.get_by_label("調整役の人件費や事務費など、運送以外の費用だけに使う").check()
    page.get_by_label(re.compile("自家用車（白ナンバー）")).check()
    page.get_by_label(re.compile("営利を目的としない任意団体")).check()
    page.get_by_label(re.compile("バスやタクシーが使いにくい地域")).check()
    _shot(page, "legal_form")
    page.get_by_role("button", name="結果を見る").click()

    expect(
        page.get_by_role("heading", level=2, name=re.compile("無償運送（実費のみ）"))
    ).to_be_visible()
    expect(page.get_by_text("許可または登録：不要")).to_be_visible()
    expect(page.locator("body")).to_contain_text("法律上の助言ではありません")
    _shot(page, "legal_result")
    assert _pdf_pages(page, tmp_path, "legal") <= 3

    page.get_by_label("保存する移動支援の取組").select_option(
        label="佐伯市：直川地域のボランティア送迎"
    )
    page.get_by_role("button", name="この結果を保存する").click()
    expect(page.get_by_role("status")).to_contain_text("確認の結果を保存しました")
    expect(page.get_by_role("heading", level=1)).to_contain_text("直川地域のボランティア送迎")
    expect(page.locator("body")).to_contain_text("無償運送（実費のみ）")


def test_cost_calculator_on_a_phone(new_page: Any, login: Any) -> None:
    page = new_page(viewport={"width": 375, "height": 740})
    login(page, "saiki-sc")
    page.goto("/mobility/legal/calculator/")
    page.get_by_label("運送の日").fill("2024-10-01")
    page.get_by_label(re.compile("ガソリンの値段")).fill("170")
    page.get_by_label(re.compile("車の燃費")).fill("15")
    page.get_by_label(re.compile("走る距離")).fill("30")
    page.get_by_label(re.compile("駐車場代")).fill("200")
    page.get_by_label(re.compile("一緒に乗って費用を分ける人数")).fill("3")
    page.get_by_role("button", name="計算する").click()
    expect(page.locator(".per-rider")).to_have_text("180円")
    _shot(page, "calculator_phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_survey_summary_entry_and_print(page: Any, login: Any, tmp_path: Any) -> None:
    login(page, "naokawa")
    page.goto("/mobility/surveys/")
    page.get_by_role("link", name="直川地域 高齢者の移動に関するアンケート調査").click()
    headline = page.locator(".survey-headline")
    expect(headline).to_contain_text("すぐに利用したい")
    expect(headline).to_contain_text("11人")
    _shot(page, "survey_summary")

    page.get_by_role("link", name="回答を入力する").first.click()
    page.get_by_label("回答票の番号").fill("101")
    page.get_by_label("地区").select_option(label="直川地域")
    page.get_by_label("すぐに利用したい").check()
    page.get_by_label("買い物").check()
    page.get_by_label("通院").check()
    page.get_by_label("週1〜2回").check()
    page.get_by_label("歩いて行けない").check()
    _shot(page, "survey_response_form")
    page.get_by_role("button", name="保存する", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("回答を1件入力しました")
    page.get_by_role("link", name="直川地域 高齢者の移動に関するアンケート調査").click()
    expect(headline).to_contain_text("12人")
    assert _pdf_pages(page, tmp_path, "survey") <= 4
