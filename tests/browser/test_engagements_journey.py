"""Accompanying support in a real browser: record a visit with participants (a department and
outside organisations) and an insight, then read the breadth matrix on the engagement page
and find the insight through the search across engagements.

Run with ``python -m pytest -m browser tests/browser/test_engagements_journey.py``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tsunagu.engagements.commands import EngagementFields, ProgramFields

pytestmark = pytest.mark.browser

INSIGHT = "ブラウザ試験: 移動支援は庁内の複数の課と社協で進める必要があると気づいた"


def _label(text: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(text)}")


@pytest.fixture
def engagement(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    from tsunagu.areas.models import Municipality
    from tsunagu.engagements import services

    admin = get_user_model().objects.get(username="admin")
    program = services.program_create(
        fields=ProgramFields(
            owner_kind="ministry",
            regional_bureau="九州厚生局",
            name="ブラウザ試験の加速化事業",
            first_fiscal_year=2022,
        ),
        actor=admin,
    )
    engagement = services.engagement_create(
        program=program,
        municipality=Municipality.objects.get(name="出水市"),
        fields=EngagementFields(fiscal_year=2022, theme="ブラウザ試験の移動支援"),
        status="in_support",
        at=datetime.date(2022, 10, 1),
        actor=admin,
    )
    return engagement


def test_record_visit_with_participants_and_insight_then_breadth_matrix(
    page: Any, login: Any, live_server: Any, engagement: Any
) -> None:
    login(page, "izumi")
    page.goto(f"{live_server.url}/engagements/")
    expect(page.get_by_role("heading", level=1)).to_have_text("伴走的支援")
    page.get_by_role("link", name="ブラウザ試験の移動支援").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("出水市")
    expect(page.locator(".breadth-summary")).to_contain_text("参加者の記録がありません")

    # a visit with two departments and an outside organisation
    page.get_by_role("link", name="訪問を記録").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("訪問を記録")
    page.get_by_label(_label("訪問日")).fill("令和4年10月6日")
    page.get_by_label(_label("主な内容")).fill("ニーズの把握と共有・関係者の発掘")
    page.get_by_label("1行目の区分").select_option(label="庁内の部署")
    page.get_by_label("1行目の部署名").fill("長寿支援課")
    page.get_by_label("2行目の区分").select_option(label="庁内の部署")
    page.get_by_label("2行目の部署名").fill("地域政策課")
    page.get_by_label("3行目の区分").select_option(label="外部の団体")
    page.get_by_label("3行目の団体名（名簿にない場合）").fill("ブラウザ試験の社協")
    # forgetting the type: the row is named in the error and what was typed stays
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("alert").first).to_contain_text("参加者3行目")
    expect(page.get_by_label("3行目の団体名（名簿にない場合）")).to_have_value("ブラウザ試験の社協")
    page.get_by_label("3行目の団体の種別").select_option(label="社会福祉協議会")
    page.get_by_label("3行目の人数").fill("2")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("status")).to_contain_text("訪問を記録しました。")

    # an insight from that visit
    page.get_by_role("link", name="この訪問の気づきを記録").click()
    page.get_by_label(_label("気づき")).first.fill(INSIGHT)
    page.get_by_label(_label("気づいた人")).fill("市職員")
    page.get_by_label(_label("タグ")).fill("移動支援、庁内連携")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("status")).to_contain_text("気づきを記録しました。")
    expect(page.locator("#insights ~ ul").first).to_contain_text(INSIGHT)

    # the breadth matrix: rows for both departments and the organisation type
    expect(page.locator(".breadth-summary")).to_contain_text("庁内の2部署と外部の1種類の団体が参加")
    matrix = page.get_by_role("table", name=re.compile("関わりの広がり"))
    expect(matrix.get_by_role("row", name=re.compile("長寿支援課"))).to_contain_text("● 1")
    expect(matrix.get_by_role("row", name=re.compile("地域政策課"))).to_contain_text("● 1")
    expect(matrix.get_by_role("row", name=re.compile("社会福祉協議会"))).to_contain_text("● 2")

    # the insight is found across engagements, with 表記ゆれ
    page.goto(f"{live_server.url}/engagements/insights/?q=庁内+社協")
    expect(page.locator(".item-list")).to_contain_text(INSIGHT)
