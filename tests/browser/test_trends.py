"""A municipality's trend chart with its table, reached from the main menu (issue 17).

Run with ``python -m pytest -m browser tests/browser/test_trends.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_izumi_trend_chart_has_its_table_beside_it(page: Any, login: Any) -> None:
    login(page, "izumi")
    page.get_by_role("link", name="指標・財政").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("指標・財政")
    page.get_by_role("link", name="出水市の指標の推移").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("出水市の指標の推移")
    section = page.get_by_role("region", name="65歳以上人口").or_(
        page.locator("section", has=page.get_by_role("heading", name="65歳以上人口", exact=True))
    )
    chart = section.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(1)
    table = section.get_by_role("table")
    expect(table.get_by_role("cell", name="16,581")).to_be_visible()
    expect(table.get_by_role("cell", name="17,426")).to_be_visible()
    expect(table.get_by_role("cell", name="平成29年（総合事業開始年）")).to_be_visible()
    # On a phone the table follows the chart instead of standing beside it.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(table).to_be_visible()
