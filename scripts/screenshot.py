#!/usr/bin/env python3
"""Take the documentation screenshots from a running Tsunagu demo.

It starts nothing itself: run the demo first, then point this script at it::

    cd "$(mktemp -d)" && tsunagu demo --port 8765 &
    python scripts/screenshot.py --base-url http://127.0.0.1:8765

It signs in as a demo user (kawara by default) through the login form in headless
Chromium (Debian's /usr/bin/chromium via Playwright; no browser download) and writes

    docs/screenshots/dashboard.png         dashboard, 1280x800 viewport
    docs/screenshots/area.png              香春町's area page, full page, 1280 wide
    docs/screenshots/dashboard-mobile.png  dashboard, full page, 375 wide
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "tsunagu-demo"  # tsunagu.demo.loader.DEMO_PASSWORD (not imported: no Django here)
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SWITCH_BUTTON = {"ja": "日本語", "en": "English"}  # the header button that switches *to* it


def wait_for_health(base_url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{base_url}/healthz did not answer 200 within {timeout:.0f} s")
        time.sleep(0.5)


def settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")


def login(page: Any, username: str, password: str, language: str) -> None:
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    # By id: the labels are in the language the browser asks for.
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/dashboard/")
    # The language is saved on the user: put it back if an earlier visit changed it.
    if page.locator("html").get_attribute("lang") != language:
        page.get_by_role("button", name=SWITCH_BUTTON[language], exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", language)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--username", default="kawara")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--area", default="香春町", help="area whose page to capture")
    parser.add_argument("--language", choices=sorted(SWITCH_BUTTON), default="ja")
    parser.add_argument("--wait", type=float, default=30, help="seconds to wait for /healthz")
    args = parser.parse_args(argv)
    base_url = args.base_url.rstrip("/")

    from playwright.sync_api import sync_playwright

    wait_for_health(base_url, args.wait)
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    locale = "ja-JP" if args.language == "ja" else "en-US"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            desktop = browser.new_context(
                base_url=base_url, locale=locale, viewport={"width": 1280, "height": 800}
            )
            page = desktop.new_page()
            login(page, args.username, args.password, args.language)
            settle(page)
            written.append(args.out / "dashboard.png")
            page.screenshot(path=written[-1])

            page.locator(".card").get_by_role("link", name=args.area, exact=True).click()
            page.wait_for_url("**/areas/**")
            settle(page)
            written.append(args.out / "area.png")
            page.screenshot(path=written[-1], full_page=True)

            mobile = browser.new_context(
                base_url=base_url,
                locale=locale,
                viewport={"width": 375, "height": 740},
                storage_state=desktop.storage_state(),  # same session, no second login
            )
            page = mobile.new_page()
            page.goto("/dashboard/")
            settle(page)
            written.append(args.out / "dashboard-mobile.png")
            page.screenshot(path=written[-1], full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth") - 375
            if overflow > 1:
                print(f"warning: the 375px dashboard scrolls sideways by {overflow}px")
        finally:
            browser.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
