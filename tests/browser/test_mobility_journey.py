"""Mobility in a real browser (issue items 4–9): import a GTFS feed, run the gap analysis, book
two rides by phone entry (keyboard only for the second), plan the day and print a driver sheet.

Run with ``python -m pytest -m browser tests/browser/test_mobility_journey.py``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FEED_DIR = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "tsunagu"
    / "transit"
    / "data"
    / "saiki_synthetic_gtfs"
)
FEED_NAME = "ブラウザ試験のバス"
SERVICE = "直川地域のボランティア送迎"
TRIP_DATE = "令和12年1月8日"  # a Tuesday, when the demo drivers drive


def _label(text: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(text)}")


def _select_containing(select: Any, text: str) -> None:
    """Choose the option whose label contains ``text`` (labels may add the municipality)."""
    label = select.locator("option", has_text=text).first.inner_text()
    select.select_option(label=label)


def _zip_feed(tmp_path: Path) -> Path:
    target = tmp_path / "feed.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in FEED_DIR.glob("*.txt"):
            archive.write(path, path.name)
    return target


def _find_rider(page: Any, kana: str, name: str) -> None:
    page.get_by_label("よみがな・電話番号・会員番号で探す").fill(kana)
    page.get_by_role("button", name="探す", exact=True).click()
    page.get_by_role("link", name=re.compile(re.escape(name))).click()
    expect(page.get_by_role("heading", level=2, name=re.compile(re.escape(name)))).to_be_visible()


def test_feed_gap_booking_plan_and_driver_sheet(page: Any, login: Any, tmp_path: Path) -> None:
    login(page, "saiki-sc")
    page.goto("/mobility/")
    expect(page.get_by_role("heading", level=1)).to_have_text("移動支援")

    # 1. import a GTFS feed
    page.get_by_role("link", name="路線バス・デマンド交通の時刻表（GTFS）").click()
    page.goto("/mobility/transit/import/")
    page.get_by_label(_label("GTFS データ（zip ファイル）")).set_input_files(
        str(_zip_feed(tmp_path))
    )
    page.get_by_label(_label("データ名")).fill(FEED_NAME)
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(FEED_NAME)

    # 2. the gap analysis on the riders' homes
    page.goto("/mobility/")
    page.get_by_role("link", name="交通空白の分析").click()
    _select_containing(page.get_by_label(_label("時刻表データ（GTFS）")), FEED_NAME)
    page.get_by_label("移動支援の利用会員の自宅").check()
    _select_containing(page.get_by_label(_label("移動支援の取組（利用会員）")), SERVICE)
    page.get_by_label(_label("便数を数える日")).fill("令和8年12月1日")
    page.get_by_role("button", name="分析する", exact=True).click()
    expect(page.get_by_role("heading", name="分析の結果")).to_be_visible()
    # the same analysis in the background: the job page opens the kept result when done
    page.get_by_role("button", name="バックグラウンドで分析する").click()
    page.get_by_role("link", name="結果を見る").click()  # or the page's poll opens it when done
    expect(page).to_have_url(re.compile(r"/mobility/gap/job/\d+/$"))
    expect(page.get_by_role("heading", name="分析の結果")).to_be_visible()
    expect(page.locator("#gap-map, .leaflet-container").first).to_be_visible()

    # 3. two rides booked on the phone
    page.goto("/mobility/")
    page.get_by_role("region", name=SERVICE).get_by_role("link", name="電話受付（予約）").click()
    _find_rider(page, "かみなおみ", "上直見 トメ")
    page.get_by_label(_label("利用日")).fill(TRIP_DATE)
    page.get_by_label(_label("目的")).select_option(label="通院")
    page.get_by_label(_label("到着したい時刻")).fill("10:00")
    page.get_by_label("行き先の施設を文字でしぼる").fill("診療所")
    page.get_by_label("行き先の施設", exact=True).select_option(label="直川診療所（デモ）")
    page.get_by_label(_label("付き添いの時間")).fill("30")
    page.get_by_label("帰りの送迎も予約する").check()
    page.get_by_role("button", name="予約を受け付ける").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("予約を受け付けました")
    expect(page.locator(".read-back")).to_contain_text("上直見 トメ")
    expect(page.locator(".read-back")).to_contain_text("10時00分までに着くように")
    expect(page.locator(".read-back")).to_contain_text("帰り")

    # the second one with the keyboard only
    page.get_by_role("link", name="次の電話を受ける").click()
    search = page.get_by_label("よみがな・電話番号・会員番号で探す")
    search.focus()
    page.keyboard.type("よこがわ")
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name=re.compile("横川 ヨシ"))
    link.focus()
    page.keyboard.press("Enter")
    date = page.get_by_label(_label("利用日"))
    date.focus()
    page.keyboard.press("Control+A")  # replace the prefilled date (tomorrow)
    page.keyboard.type(TRIP_DATE)
    page.keyboard.press("Tab")  # 目的: choose 買い物 by typing, as a keyboard user would
    page.keyboard.press("ArrowDown")
    page.get_by_label(_label("迎えの時刻（から）")).fill("13:00")
    page.get_by_label(_label("迎えの時刻（まで）")).fill("13:30")
    facility = page.get_by_label("行き先の施設", exact=True)
    facility.focus()
    facility.select_option(label="直川の農協支店（デモ）")
    page.get_by_role("button", name="予約を受け付ける").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("予約を受け付けました")
    expect(page.locator(".read-back")).to_contain_text("横川 ヨシ")

    # 4. plan the day
    page.get_by_role("link", name="この日の配車計画").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("配車計画（令和12年1月8日）")
    page.get_by_role("button", name="配車計画を作成").click(no_wait_after=True)
    expect(page.get_by_role("status")).to_contain_text("配車計画を作成しました", timeout=30_000)
    expect(page.get_by_role("heading", name="運転者ごとの運行")).to_be_visible()
    expect(page.locator("section.card ol li").first).to_be_visible()

    # 5. print a driver sheet (A4, large text, no site chrome)
    page.get_by_role("link", name=re.compile("送迎表（印刷）")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("送迎表")
    expect(page.locator(".sheet table")).to_contain_text("迎え")
    sheet = page.locator(".sheet").inner_text()
    assert "上直見 トメ" in sheet or "横川 ヨシ" in sheet
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="印刷する")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
