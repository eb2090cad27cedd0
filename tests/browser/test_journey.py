"""A municipality officer's first visit, in a real browser (headless Chromium).

Run with ``python -m pytest -m browser tests/browser``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_login_dashboard_language_area_history_logout(page: Any, login: Any) -> None:
    login(page, "kawara")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    card = page.locator(".card", has=page.get_by_role("link", name="香春町", exact=True))
    expect(card).to_contain_text("9,995")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.get_by_role("button", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("button", name="English")).to_be_visible()

    page.get_by_role("link", name="香春町", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("香春町")
    page.locator(".actions").get_by_role("link", name="履歴", exact=True).click()
    expect(page).to_have_url(re.compile(r"/areas/municipality/\d+/history/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("履歴")

    page.get_by_role("button", name="ログアウト").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_label("ユーザー名")).to_be_visible()
    expect(page.get_by_role("button", name="ログアウト")).to_have_count(0)


def test_failed_login_shows_japanese_error(page: Any, login: Any) -> None:
    login(page, "kawara", "wrong-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("ログインできませんでした。")
    expect(alert).to_contain_text("正しいユーザー名とパスワードを入力してください")


def test_keyboard_alone_signs_in(page: Any) -> None:
    from tsunagu.demo.loader import DEMO_PASSWORD

    page.goto("/accounts/login/")
    username = page.get_by_label("ユーザー名")
    for _ in range(10):
        if username.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(username).to_be_focused()
    page.keyboard.type("kawara")
    page.keyboard.press("Tab")
    expect(page.get_by_label("パスワード")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def _first_tab_reaches_skip_link(page: Any) -> None:
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused(timeout=1_000)
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_skip_link_is_first_tab_stop_on_dashboard(page: Any, login: Any) -> None:
    login(page, "kawara")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    _first_tab_reaches_skip_link(page)


def test_skip_link_is_first_tab_stop_on_login_page(page: Any) -> None:
    page.goto("/accounts/login/")
    _first_tab_reaches_skip_link(page)


def _scroll_width(page: Any) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_dashboard_fits_a_375px_screen(new_page: Any, login: Any) -> None:
    page = new_page(viewport={"width": 375, "height": 740})
    login(page, "kawara")
    expect(page.get_by_role("link", name="香春町", exact=True)).to_be_visible()
    assert _scroll_width(page) <= 375 + 1


def test_area_page_fits_a_375px_screen(new_page: Any, login: Any) -> None:
    page = new_page(viewport={"width": 375, "height": 740})
    login(page, "kawara")
    page.get_by_role("link", name="香春町", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("香春町")
    assert _scroll_width(page) <= 375 + 1


def test_other_municipality_is_not_found(page: Any, login: Any, municipality: Any) -> None:
    saiki = municipality("佐伯市")
    login(page, "kawara")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    response = page.goto(f"/areas/municipality/{saiki.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("ページが見つかりません")
    expect(page.locator("body")).not_to_contain_text("佐伯市")
