"""The demo plans and role agreement (issue 17 part A) as the seed report prints them."""

from __future__ import annotations

from typing import Any

import pytest

from tsunagu.demo.loader import LoadSummary, system_actor
from tsunagu.demo.plans_loader import load_plans
from tsunagu.plans.agreements.models import AgreedRole, RoleAgreement
from tsunagu.plans.records.models import Plan, PlanItem, PlanItemLink
from tsunagu.plans.records.selectors import plan_coverage

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Plan, PlanItem, PlanItemLink, RoleAgreement, AgreedRole)
    )


def test_yume_plan_has_the_six_fields_and_the_ten_year_period() -> None:
    plan = Plan.objects.get(title="採銅所地域づくり夢プラン")

    assert plan.period_label == "令和4年度〜令和13年度"
    assert [i.number for i in plan.items.order_by("sort_order")] == ["①", "②", "③", "④", "⑤", "⑥"]
    assert "令和3年3月" in plan.description and "令和4年1月" in plan.description


def test_naokawa_plan_was_adopted_in_reiwa_5_march_and_serves_the_bus_stop_issue() -> None:
    plan = Plan.objects.get(title="直川地域まちづくり計画")

    assert plan.adopted_label == "令和5年3月"
    coverage = plan_coverage(plan)
    assert [i.number for i in coverage.uncovered] == ["ⅰ", "ⅲ"]


def test_saiki_welfare_plan_is_the_fourth_term_of_reiwa_6_march() -> None:
    plan = Plan.objects.get(title="第4期佐伯市地域福祉計画・地域福祉活動計画")

    assert (plan.term_label, plan.adopted_label) == ("第4期", "令和6年3月")


def test_kurume_agreement_lists_the_four_departments_as_printed() -> None:
    agreement = RoleAgreement.objects.get(municipality__name="久留米市")

    assert [r.label for r in agreement.roles.all()] == [
        "地域福祉課",
        "介護保険課",
        "長寿支援課",
        "健康福祉部総務",
    ]
    assert agreement.agreed_on is None
    assert "推定" in agreement.vision


def test_loading_plans_twice_changes_nothing() -> None:
    before = _counts()
    summary = LoadSummary()

    load_plans(system_actor(), summary)

    assert _counts() == before
    assert (summary.created, summary.unchanged) == (0, 4)


def test_kawara_staff_see_the_yume_plan_page_with_items_with_nothing_behind(
    client_as: Any,
) -> None:
    plan = Plan.objects.get(title="採銅所地域づくり夢プラン")

    page = client_as("kawara").get(f"/plans/{plan.pk}/").content.decode()

    assert "住民を対象とした健康相談（採銅所地域）" in page
    assert "何もつながっていない項目" in page and "⑥ 防災" in page


def test_kurume_staff_cannot_open_the_yume_plan(client_as: Any) -> None:
    plan = Plan.objects.get(title="採銅所地域づくり夢プラン")

    assert client_as("kurume").get(f"/plans/{plan.pk}/").status_code == 404
