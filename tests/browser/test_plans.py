"""Plans in a real browser (issue 17 part A): link a regional issue to an item of 香春町's
夢プラン and see it on the plan page, the item gone from the list of items with nothing
behind them.

Run with ``python -m pytest -m browser tests/browser/test_plans.py``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PLAN = "採銅所地域づくり夢プラン"
ISSUE = "町の見守り支援が地域に知られていない"


def test_link_a_regional_issue_to_a_yume_plan_item_and_see_it_on_the_plan_page(
    page: Any, login: Any
) -> None:
    login(page, "kawara")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="計画", exact=True
    ).click()
    page.get_by_role("link", name=PLAN).click()
    uncovered = page.locator("#uncovered-list")
    expect(uncovered).to_contain_text("⑥ 防災")

    page.get_by_role("link", name="⑥に地域課題・取組をつなぐ").click()
    section = page.get_by_role("region", name="地域課題", exact=True)
    section.get_by_label(re.compile("^地域課題")).select_option(label=ISSUE)
    section.get_by_label("どう役立つか").fill("防災の見守りと重なる（ブラウザ試験）")
    section.get_by_role("button", name="地域課題をつなぐ").click()

    item = page.locator("section.card").filter(has=page.get_by_role("heading", name="⑥ 防災"))
    expect(item.get_by_role("link", name=ISSUE)).to_be_visible()
    expect(uncovered).not_to_contain_text("⑥ 防災")

    item.get_by_role("link", name=ISSUE).click()
    expect(page.get_by_role("heading", name="計画とのつながり")).to_be_visible()
    expect(page.get_by_role("link", name=f"{PLAN} ⑥ 防災")).to_be_visible()
