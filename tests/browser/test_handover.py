"""Handover (引継ぎ) in a real browser (issue 16): 鹿児島市's supervisor completes the demo's
draft handover of the 長寿あんしん相談センター staff member who is being transferred, and on
the effective date the successor finds what changed hands on 「わたしの担当」.

Run with ``python -m pytest -m browser tests/browser/test_handover.py``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from tsunagu.continuity.models import Handover
from tsunagu.demo.continuity_loader import LEAVER, SUCCESSOR

pytestmark = pytest.mark.browser

SUCCESSOR_NAME = "デモ 鹿児島市 長寿あんしん相談センター 職員（後任）"


def test_supervisor_completes_a_handover_and_the_successor_sees_what_changed_hands(
    new_page: Any, login: Any
) -> None:
    handover = Handover.objects.get(leaver__username=LEAVER)
    supervisor = new_page()
    login(supervisor, "kagoshima")
    supervisor.goto("/continuity/handovers/")
    supervisor.get_by_role("link", name=handover.leaver.display_name).click()
    expect(supervisor.get_by_text("完了できない項目")).to_be_visible()

    bulk = supervisor.get_by_role("region", name="まとめて後任を指定")
    bulk.get_by_label(re.compile("^後任")).select_option(label=SUCCESSOR_NAME)
    bulk.get_by_role("button", name="まとめて指定").click()
    expect(supervisor.get_by_text("完了できない項目")).to_have_count(0)
    supervisor.get_by_role("button", name="引継ぎを完了する").click()
    expect(supervisor.locator(".badge").first).to_have_text("完了")

    # On the effective date the successor's page lists what was handed over (the server runs
    # in this process, so the travelled clock is the server's too).
    effective = datetime.datetime.combine(handover.effective_on, datetime.time(9, 0))
    with time_machine.travel(effective + datetime.timedelta(days=1), tick=True):
        successor = new_page(viewport={"width": 390, "height": 844})
        login(successor, SUCCESSOR)
        successor.goto("/continuity/mine/")
        received = successor.get_by_role("region", name="引き継いだもの")
        expect(received).to_contain_text("モデル地域")
        expect(received).to_contain_text(handover.leaver.display_name)
