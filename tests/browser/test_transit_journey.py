"""Transit in a real browser: the synthetic 佐伯市 feed on the map with a day's departures,
then the coexistence check with a requests CSV and its .xlsx export.

Run with ``python -m pytest -m browser tests/browser/test_transit_journey.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REQUESTS_CSV = (
    "番号,出発地緯度,出発地経度,目的地緯度,目的地経度,日付,出発可能時刻,出発期限,メモ\n"
    "1,32.8752,131.7652,32.8930,131.7935,2026-12-01,7:30,9:00,通院\n"
    "2,33.0500,131.6000,32.9597,131.9003,2026-12-01,8:00,12:00,\n"
)


def test_feed_map_and_coexistence(page: Any, login: Any, tmp_path: Path) -> None:
    login(page, "saiki")
    page.goto("/mobility/transit/")
    page.get_by_role("link", name="佐伯市コミュニティバス・デマンドバス（合成データ）").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("合成データ")
    page.get_by_label(re.compile("^日付")).fill("令和8年12月1日")
    page.get_by_role("button", name="この日の便を表示").click()
    expect(page.get_by_role("heading", name="令和8年12月1日の運行")).to_be_visible()
    # every stop with coordinates is a marker; demand stops are square pins marked 予
    expect(page.locator("#transit-map .stop-pin")).to_have_count(21)
    expect(page.locator("#transit-map .stop-pin-demand")).to_have_count(4)
    # the table alternative carries the same figures
    row = page.locator(
        "table.stop-table tr", has=page.get_by_role("rowheader", name=re.compile("^佐伯駅前"))
    )
    expect(row.locator("td.num")).to_have_text("12")

    page.get_by_role("link", name="公共交通との共存を確かめる").click()
    csv_path = tmp_path / "依頼.csv"
    csv_path.write_text(REQUESTS_CSV, encoding="utf-8")
    page.get_by_label(re.compile("^移動の依頼")).set_input_files(str(csv_path))
    page.get_by_role("button", name="確かめる").click()
    expect(page.locator(".result-summary")).to_contain_text("2 件の依頼のうち 1 件（50.0%）")
    expect(page.get_by_text("要予約")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel（.xlsx）で保存").click()
    assert info.value.suggested_filename == "coexistence.xlsx"
