"""Consultative bodies and regional issues in a real browser (issue 4).

A new body with a member, a meeting with attendance, an action item, a decision and
minutes, printed on A4; an issue raised at a meeting, held at the 準備 gate until it has an
executing actor, a target and a district, then counted on both dashboards.

Run with ``python -m pytest -m browser tests/browser``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BODY = "ブラウザ試験の支えあい会議"
MEMBER = "香春町社会福祉協議会"
ACTION = "買い物の困りごとを老人クラブで聞き取る"
DECISION = "次回までに聞き取りの結果をまとめる"
NEXT_MEETING = "令和9年1月21日（木）14時から 採銅所公民館"
MINUTES_ROWS = ("日時", "場所", "出席者", "議題", "内容", "決定事項", "次回予定")
DEMO_BODY = "定例会（採銅所地域）"  # with its held meeting 「第1回」
ISSUE = "坂の上の集落から店まで行けない"
ACTOR = "まちづくり課"
DISTRICT = "採銅所地域"


def _label(text: str) -> re.Pattern[str]:
    """A form label that starts with ``text`` (required fields add a 「必須」 badge)."""
    return re.compile(f"^{re.escape(text)}")


def _saved(page: Any, message: str) -> None:
    expect(page.get_by_role("status")).to_contain_text(message)


def _nav(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name=name, exact=True
    ).click()


def test_body_member_meeting_attendance_action_item_and_printed_minutes(
    page: Any, login: Any
) -> None:
    from django.utils import timezone

    login(page, "kawara")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    _nav(page, "会議体")
    page.get_by_role("link", name="会議体を登録").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("会議体の登録")
    page.get_by_label(_label("名称")).fill(BODY)
    page.get_by_label(_label("種類")).select_option(label="第2層協議体")
    page.get_by_role("button", name="保存する").click()
    _saved(page, "会議体を登録しました。")
    expect(page.get_by_role("heading", level=1)).to_have_text(BODY)

    page.get_by_role("link", name="構成員を追加").click()
    page.get_by_label("団体・組織", exact=True).select_option(label=MEMBER)
    page.get_by_role("button", name="保存する", exact=True).click()
    _saved(page, "構成員を追加しました。")
    expect(page.get_by_role("region", name="構成員", exact=True)).to_contain_text(MEMBER)

    page.get_by_role("link", name="会議を登録", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("会議の登録")
    day = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label(_label("開催日")).fill(day.isoformat())
    page.get_by_label(_label("開始時刻")).fill("14:00")
    page.get_by_label(_label("終了時刻")).fill("15:30")
    page.get_by_label(_label("場所")).fill("採銅所公民館")
    page.get_by_label(_label("議題")).fill("買い物の困りごと")
    page.get_by_role("button", name="保存する").click()
    _saved(page, "会議を登録しました。")
    expect(page).to_have_url(re.compile(r"/bodies/meetings/\d+/$"))

    page.get_by_role("link", name="出席を記録").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("出席の記録")
    page.get_by_role("checkbox", name=re.compile(f"^{MEMBER} 出席")).check()
    page.get_by_role("button", name="出席を保存する").click()
    _saved(page, "出席を記録しました（出席 1）。")
    attendance = page.get_by_role("region", name="出席者", exact=True)
    expect(attendance).to_contain_text("出席（1）")
    expect(attendance).to_contain_text(MEMBER)

    page.get_by_role("link", name="宿題を追加").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("宿題の登録")
    page.get_by_label(_label("内容")).fill(ACTION)
    page.get_by_label(_label("担当団体・部署")).select_option(label="老人クラブ")
    page.get_by_role("button", name="保存する", exact=True).click()
    _saved(page, "宿題を登録しました。")
    actions = page.get_by_role("region", name="宿題", exact=True)
    expect(actions).to_contain_text(ACTION)
    expect(actions).to_contain_text("老人クラブ")

    page.get_by_role("textbox", name=_label("決定事項")).fill(DECISION)
    page.get_by_role("button", name="決定事項を追加").click()
    _saved(page, "決定事項を追加しました。")

    page.get_by_role("link", name="議事録を書く・直す").click()
    page.get_by_label(_label("内容（議事録）")).fill("## 聞き取り\n- 店まで遠いという声が多い")
    page.get_by_label(_label("次回予定")).fill(NEXT_MEETING)
    page.get_by_label("この会議を「開催済み」にする").check()
    page.get_by_role("button", name="保存する").click()
    _saved(page, "議事録を保存しました。")

    page.get_by_role("link", name="議事録を印刷（A4）").click()
    expect(page).to_have_url(re.compile(r"/bodies/meetings/\d+/print/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{BODY} 議事録")
    for heading in MINUTES_ROWS:
        expect(page.get_by_role("rowheader", name=heading, exact=True)).to_be_visible()

    def row(name: str) -> Any:
        return page.get_by_role("row", name=re.compile(f"^{name}"))

    expect(row("場所")).to_contain_text("採銅所公民館")
    expect(row("出席者")).to_contain_text(MEMBER)
    expect(row("議題")).to_contain_text("買い物の困りごと")
    expect(row("内容").get_by_role("heading", name="聞き取り")).to_be_visible()
    expect(row("決定事項")).to_contain_text(DECISION)
    expect(row("宿題")).to_contain_text(ACTION)
    expect(row("次回予定")).to_contain_text(NEXT_MEETING)
    expect(page.get_by_role("button", name="印刷する")).to_be_visible()


def test_issue_from_a_meeting_waits_at_the_preparing_gate_then_shows_on_dashboards(
    page: Any, login: Any
) -> None:
    from tsunagu.regional_issues.models import IssueStage, RegionalIssue

    login(page, "kawara")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    _nav(page, "会議体")
    page.get_by_role("link", name=DEMO_BODY).click()
    past = page.get_by_role("listitem").filter(has_text="第1回")
    past.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第1回")

    page.get_by_role("link", name="この会議から地域課題を登録").click()
    expect(page).to_have_url(re.compile(r"/issues/new/\?.*meeting=\d+"))
    expect(page.get_by_role("heading", level=1)).to_have_text("地域課題の登録")
    page.get_by_label(_label("課題")).fill(ISSUE)
    page.get_by_role("group", name=_label("テーマ")).get_by_label("買い物", exact=True).check()
    page.get_by_role("button", name="保存する").click()
    _saved(page, "地域課題を登録しました。")
    expect(page.get_by_role("heading", level=1)).to_have_text(ISSUE)
    expect(page.locator(".badge-stage")).to_have_text("段階: 把握")
    overview = page.locator("dl.details").first
    expect(overview).to_contain_text(DEMO_BODY)  # 扱う会議体
    expect(overview).to_contain_text("第1回")  # 把握のきっかけ
    issue_pk = int(re.search(r"/issues/(\d+)/$", page.url).group(1))

    # 準備 without an executing actor (nor a target): refused, the stage unchanged.
    page.get_by_role("link", name="段階を変更").click()
    page.get_by_label("準備", exact=True).check()
    page.get_by_role("button", name="段階を変更する").click()
    refusal = page.locator("section.gate-refusal")
    expect(refusal.get_by_role("heading")).to_have_text("「準備」にはまだ進めません")
    expect(refusal).to_contain_text("実行主体")
    expect(refusal).to_contain_text("段階は変わっていません。")
    expect(page.locator("main")).to_contain_text("いまの段階は「把握」です。")
    assert RegionalIssue.objects.get(pk=issue_pk).stage == IssueStage.IDENTIFIED

    # Follow the refusal's links; each comes back to the stage page.
    refusal.get_by_role("link", name="実行主体を登録する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("実行主体の登録")
    page.get_by_label(_label("団体")).select_option(label=ACTOR)
    page.get_by_label(_label("役割")).fill("店までの送迎の調整")
    page.get_by_role("button", name="登録する").click()
    _saved(page, "実行主体を登録しました。")
    expect(page).to_have_url(re.compile(rf"/issues/{issue_pk}/stage/$"))

    page.get_by_label("準備", exact=True).check()
    page.get_by_role("button", name="段階を変更する").click()
    expect(refusal).not_to_contain_text("実行主体")  # now only the target is missing
    expect(refusal).to_contain_text("対象の地域")
    refusal.get_by_role("link", name="対象と対象の地域を入力する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域課題の編集")
    page.get_by_label(_label("対象（誰に・どの地域で）")).fill("坂の上に住む、車のない高齢者")
    page.get_by_role("group", name=_label("地区")).get_by_label(DISTRICT).check()
    page.get_by_role("button", name="保存する").click()
    _saved(page, "保存しました。")
    # (the browser keeps the link's #id_target across the redirects)
    expect(page).to_have_url(re.compile(rf"/issues/{issue_pk}/stage/(#.*)?$"))

    page.get_by_label("準備", exact=True).check()
    page.get_by_role("button", name="段階を変更する").click()
    _saved(page, "段階を「把握」から「準備」に変更しました。")
    expect(page).to_have_url(re.compile(rf"/issues/{issue_pk}/(#.*)?$"))
    expect(page.locator(".badge-stage")).to_have_text("段階: 準備")
    expect(page.get_by_role("row", name=re.compile(ACTOR))).to_contain_text("店までの送迎の調整")

    # The issues dashboard counts it under 準備, and the count links to it.
    page.goto("/issues/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("地域課題ダッシュボード")
    stages = page.get_by_role("region", name="段階別の件数", exact=True)
    stages.get_by_role("row", name=re.compile("^準備")).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/issues/\?.*stage=preparing"))
    expect(page.get_by_role("link", name=ISSUE)).to_be_visible()

    # So does the panel on the main dashboard.
    _nav(page, "ダッシュボード")
    # It names the issue under 準備 (not a bare count) and links the stage's list.
    panel = page.get_by_role("region", name="地域課題", exact=True)
    preparing = panel.get_by_role("link", name=re.compile(r"^準備（\d+件）$"))
    expect(preparing).to_have_attribute("href", re.compile(r"stage=preparing"))
    expect(panel.get_by_role("link", name=ISSUE)).to_be_visible()
    preparing.click()
    expect(page.get_by_role("link", name=ISSUE)).to_be_visible()
