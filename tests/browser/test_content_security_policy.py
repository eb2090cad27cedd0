"""Pages keep working under the strict Content-Security-Policy (issue 18, item 6).

Run with ``python -m pytest -m browser tests/browser/test_content_security_policy.py``. The
``new_page`` fixture fails any test whose pages Chromium refused something on.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_computed_colours_are_drawn_without_style_attributes(page: Any, login: Any) -> None:
    from tsunagu.transit.models import Feed

    feed = Feed.objects.order_by("pk").first()
    login(page, "admin")
    page.goto(f"/mobility/transit/{feed.pk}/")
    swatches = page.locator("[data-colour]")
    expect(swatches.first).to_be_attached()

    colours = swatches.evaluate_all("els => els.map(e => e.style.backgroundColor)")

    assert colours
    assert all(colour.startswith("rgb(") for colour in colours)


def test_a_print_button_opens_the_print_dialog(page: Any, login: Any) -> None:
    login(page, "kawara")
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto("/mobility/legal/calculator/")

    page.locator("[data-print]").first.click()

    assert page.evaluate("window.__printed") == 1
