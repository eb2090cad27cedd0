"""The basic checklist in a real browser: a staff member with the care right enters a
checklist on the paper-like form (keyboard included) and reads the result with its reasons.

Run with ``python -m pytest -m browser tests/browser/test_care_checklist.py``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PASSWORD = "checklist-pass-1"


def _staff_with_care_right() -> str:
    from tsunagu.accounts.models import Membership, Role, User
    from tsunagu.areas.models import Municipality

    user = User.objects.create(username="care-staff", full_name="テスト 職員")
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.create(
        user=user,
        role=Role.MUNICIPALITY_STAFF,
        municipality=Municipality.objects.get(code="406015"),
        can_view_care_records=True,
    )
    return user.username


def _resident() -> int:
    from tsunagu.areas.models import Municipality
    from tsunagu.care.models import Resident

    return Resident.objects.create(
        municipality=Municipality.objects.get(code="406015"),
        name="テスト 春子",
        name_kana="てすと はるこ",
        is_synthetic=True,
    ).pk


def test_checklist_entered_on_paper_like_form_shows_result_with_reasons(
    page: Any, login: Any
) -> None:
    username = _staff_with_care_right()
    resident_id = _resident()
    login(page, username, PASSWORD)
    page.goto("/care/checklists/")
    page.get_by_role("link", name=re.compile("記録を見る.*テスト 春子")).click()
    page.get_by_role("link", name="新しく記入する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("様式第一")
    assert page.url.endswith(f"/care/checklists/residents/{resident_id}/new/")

    page.get_by_label("記入日").fill("令和6年10月2日")
    # Three motor items apply (運動機能): 6 いいえ, 9 はい, 10 はい — 10 by keyboard.
    page.locator("#question-6").get_by_label("いいえ").check()
    page.locator("#question-9").get_by_label("はい").check()
    page.locator("#question-10").get_by_label("はい").focus()
    page.keyboard.press("Space")
    expect(page.locator("#question-10").get_by_label("はい")).to_be_checked()
    page.locator("#question-16").get_by_label("はい").check()
    page.get_by_label("身長（cm）").fill("160")
    page.get_by_label("体重（kg）").fill("47.36")
    page.get_by_role("button", name="保存して結果を見る").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("基本チェックリストの結果")
    expect(page.locator("#bmi")).to_contain_text("18.5")
    expect(page.locator("#eligibility")).to_contain_text("事業対象者に該当します（運動機能）")
    motor = page.get_by_role("row", name=re.compile("2. 運動機能"))
    expect(motor).to_contain_text("3項目が該当")
    nutrition = page.get_by_role("row", name=re.compile("3. 栄養"))
    expect(nutrition).to_contain_text("非該当")
