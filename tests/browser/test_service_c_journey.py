"""Service C (短期集中予防サービス) from checklist to follow-up in a real browser (issue 15).

A 地域包括支援センター staff member of 久留米市 enters a basic checklist for a demo resident,
enrols her in the demo 通所型C course with that checklist as the justification, records a
goal, records her 「つなぎ」 consent, refers her to the demo 通いの場 and graduates her with that
referral as the 受皿 plan. The 通いの場 leader accepts the referral on a phone in two taps and
records, in two taps, that she came — seeing nothing of her care record. Back at the desk,
the staff member records the 3-month follow-up and finds it on the outcome report.

Run with ``python -m pytest -m browser tests/browser/test_service_c_journey.py``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from tsunagu.programs.courses.reports import FIGURES

pytestmark = pytest.mark.browser

KURUME = "402036"
STAFF = "kurume-houkatsu"
RESIDENT = "デモ久留米 春子"  # a demo resident of 久留米市 who is not in the demo course
KAYOI = "デモ久留米 通いの場（架空・デモ）"
LEADER = "test-kayoi-leader"
LEADER_PASSWORD = "kayoi-leader-pass-1"
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
# Large text, as an elderly leader sets it on the phone: every page at 150 %.
LARGE_TEXT = (
    "document.addEventListener('DOMContentLoaded', () => {"
    " document.documentElement.style.fontSize = '150%'; });"
)


def _kayoi_leader() -> Any:
    """Test data: no demo account belongs to the group that runs the demo 通いの場, so its
    leader is made here, an ORGANISATION_MEMBER of that group."""
    from tsunagu.accounts.models import Membership, Role, User
    from tsunagu.directory.models import Resource

    kayoi = Resource.objects.select_related("provider", "municipality").get(name=KAYOI)
    user = User.objects.create(username=LEADER, full_name="テスト 通いの場の世話役")
    user.set_password(LEADER_PASSWORD)
    user.save()
    Membership.objects.create(
        user=user,
        role=Role.ORGANISATION_MEMBER,
        municipality=kayoi.municipality,
        organisation=kayoi.provider,
        title="通いの場の世話役（テスト）",
    )
    return kayoi


def _resident_with_district() -> Any:
    """Test data: the demo gives 久留米市 no districts, so she is placed in one made here, to
    check that the leader is not shown it."""
    from tsunagu.areas.models import District
    from tsunagu.care.models import Resident

    resident = Resident.objects.get(municipality__code=KURUME, name=RESIDENT)
    if resident.district is None:
        resident.district = District.objects.create(
            municipality=resident.municipality, name="テスト校区（架空）"
        )
        resident.save(update_fields=["district"])
    return resident


def _cell(row: Any, figure: str) -> Any:
    return row.locator("td").nth(FIGURES.index(figure))


def test_participant_goes_from_checklist_to_follow_up_through_a_kayoi_no_ba(
    new_page: Any, login: Any
) -> None:
    from tsunagu.demo.courses_loader import COURSE_NAME
    from tsunagu.programs.courses.models import Course

    resident = _resident_with_district()
    course = Course.objects.get(municipality__code=KURUME, name=COURSE_NAME)
    kayoi = _kayoi_leader()
    enrolled_on = course.starts_on + datetime.timedelta(days=14)
    answered_on = enrolled_on - datetime.timedelta(days=7)
    graduated_on = course.ends_on
    today = timezone.localdate()

    # 1. The checklist on the paper-like form, then the enrolment it justifies.
    staff = new_page()
    login(staff, STAFF)
    staff.goto("/care/checklists/")
    staff.get_by_role("link", name=re.compile(f"記録を見る.*{RESIDENT}")).click()
    staff.get_by_role("link", name="新しく記入する").click()
    staff.get_by_label("記入日").fill(answered_on.isoformat())
    for number in (6, 9, 10):  # 運動機能: three items apply
        staff.locator(f"#question-{number}").get_by_label(
            "いいえ" if number == 6 else "はい"
        ).check()
    staff.get_by_role("button", name="保存して結果を見る").click()
    expect(staff.locator("#eligibility")).to_contain_text("事業対象者に該当します（運動機能）")

    staff.goto("/care/courses/")
    staff.get_by_role("link", name=COURSE_NAME).click()
    staff.get_by_role("link", name="参加者を登録").click()
    staff.get_by_label("住民の番号").fill(str(resident.pk))
    staff.get_by_role("button", name="次へ").click()
    staff.get_by_label("参加開始日").fill(enrolled_on.isoformat())
    staff.get_by_label("参加の根拠（基本チェックリスト）").select_option(
        label=f"基本チェックリスト {answered_on}"
    )
    staff.get_by_label("本人の言葉での目標").fill("また一人で買い物に行きたい")
    staff.get_by_role("button", name="保存する").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(RESIDENT)
    participant_url = staff.url

    # 2. A goal; the 「つなぎ」 consent; the referral to the 通いの場, sent; the graduation.
    staff.get_by_role("link", name="目標を追加").click()
    staff.get_by_label("測れる目標").fill("買い物に一人で行ける")
    staff.get_by_role("button", name="保存する").click()
    expect(staff.get_by_text("買い物に一人で行ける")).to_be_visible()

    staff.get_by_role("link", name="住民の詳細").click()
    staff.get_by_role("link", name="同意を記録").click()
    staff.get_by_label("同意の内容").select_option(
        label="地域の活動・サービスへのつなぎ（情報提供）"
    )
    staff.get_by_label("同意日").fill(today.isoformat())
    staff.get_by_role("button", name="保存する").click()
    staff.get_by_role("link", name="地域の活動・サービスにつなぐ").click()
    staff.get_by_role("combobox", name=re.compile("^つなぎ先")).select_option(
        label=f"{KAYOI}（{kayoi.provider.name}）"
    )
    staff.get_by_label("本人の希望（やりたいこと）").fill("体操をして、近所の人と話したい")
    staff.get_by_label("参加に必要な配慮").fill("階段が苦手")
    staff.get_by_role("button", name="作成する").click()
    staff.get_by_role("link", name="送付する").click()
    staff.get_by_role("button", name="送付する").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("送付")

    staff.goto(participant_url)
    staff.get_by_role("link", name="卒業（終了）を記録").click()
    staff.get_by_label("卒業（終了）日").fill(graduated_on.isoformat())
    staff.get_by_label("結果").select_option(label="改善")
    staff.get_by_label("受皿へのつなぎ（送付済みのもの）").select_option(label=f"{KAYOI}（送付）")
    staff.get_by_role("button", name="保存する").click()
    expect(staff.get_by_text("3か月後・6か月後のフォローアップを予定しました")).to_be_visible()

    # 3. The 通いの場 leader, on a phone in large type: accept in two taps, "came" in two.
    phone = new_page(**PHONE)
    phone.context.add_init_script(LARGE_TEXT)
    login(phone, LEADER, LEADER_PASSWORD)
    phone.goto("/care/referrals/inbox/")
    assert phone.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    waiting = phone.get_by_role("region", name=re.compile("お返事を待っています"))
    expect(waiting.get_by_role("heading", name=re.compile(RESIDENT))).to_be_visible()
    waiting.get_by_role("link", name="受け付ける").tap()
    yes = phone.get_by_role("button", name="はい、受け付けます")
    shown = [phone.locator("main").inner_text()]
    assert yes.bounding_box()["height"] >= 44  # a target big enough for an elderly thumb
    yes.tap()
    expect(phone.get_by_role("status")).to_contain_text("受け付けました")
    accepted = phone.get_by_role("region", name=re.compile("受け付けた方"))
    expect(accepted.get_by_role("heading", name=re.compile(RESIDENT))).to_be_visible()
    shown.append(phone.locator("main").inner_text())
    accepted.get_by_role("link", name="来られました").tap()
    phone.get_by_role("button", name="記録する").tap()
    expect(phone.get_by_role("status")).to_contain_text("来られたことを記録しました")
    expect(phone.get_by_text("いま、来られるのを待っている方はいません。")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll

    assert all(RESIDENT in text and "階段が苦手" in text for text in shown)  # what they need
    level = resident.care_levels.order_by("-valid_from").first()
    birth = resident.birth_date
    for private in (
        "チェックリスト",
        level.get_level_display(),
        resident.district.name,
        str(birth.year),
        birth.strftime("%Y-%m-%d"),
        f"{birth.month}月{birth.day}日",
        f"昭和{birth.year - 1925}年",
    ):
        assert not any(private in text for text in shown), private

    # 4. The 3-month follow-up, and the outcome report that counts it.
    staff.goto("/care/courses/follow-ups/")
    three_months = (
        staff.get_by_role("row")
        .filter(has=staff.get_by_role("link", name=RESIDENT))
        .filter(has_text="3か月後")
    )
    expect(three_months).to_contain_text(str(graduated_on + relativedelta(months=3)))
    three_months.get_by_role("link", name=RESIDENT).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("3か月後のフォローアップ")
    staff.get_by_label("受皿に参加し続けている").select_option(label="はい")
    staff.get_by_label(re.compile("^サービス利用者に戻った")).select_option(label="いいえ")
    staff.get_by_role("button", name="保存する").click()
    expect(staff.get_by_text("フォローアップを記録しました。")).to_be_visible()

    staff.goto("/care/courses/outcomes/")
    row = staff.get_by_role("row").filter(has=staff.get_by_role("link", name=COURSE_NAME))
    expect(_cell(row, "participants")).to_have_text("6")  # the demo's five and her
    expect(_cell(row, "started")).to_have_text("2")  # she came, as the demo's first did
    expect(_cell(row, "still_3")).to_have_text("2")
