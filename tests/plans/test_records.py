from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import ProgramInstanceFactory, RegionalIssueFactory
from tests.plans.conftest import add_item, make_plan
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.plans.records.models import PlanItemLink
from tsunagu.plans.records.selectors import plan_coverage, plan_get_for_user
from tsunagu.plans.records.services import plan_item_link_add

pytestmark = pytest.mark.django_db


def test_plan_create_records_history(town: Any, staff: Any) -> None:
    plan = make_plan(town, staff)
    assert plan.history.first().history_change_reason == "plans.plan.create"
    assert plan.period_label == "令和4年度〜令和13年度"


def test_coverage_lists_items_with_nothing_behind_them(town: Any, staff: Any) -> None:
    plan = make_plan(town, staff)
    goal = add_item(plan, staff, "①", "支援・交流・支え合い")
    covered = add_item(plan, staff, "①-1", "健康相談", parent=goal)
    bare = add_item(plan, staff, "②", "遊び・学び")
    plan_item_link_add(
        item=covered, kind="issue", target=RegionalIssueFactory(municipality=town), actor=staff
    )

    coverage = plan_coverage(plan_get_for_user(user=staff, pk=plan.pk))

    assert coverage.uncovered == [bare]
    assert coverage.goals[0].behind == 1
    assert len(coverage.goals[0].children[0].links) == 1


def test_item_cannot_nest_two_levels(town: Any, staff: Any) -> None:
    plan = make_plan(town, staff)
    goal = add_item(plan, staff, "1", "目標")
    item = add_item(plan, staff, "1-1", "項目", parent=goal)

    with pytest.raises(TsunaguError):
        add_item(plan, staff, "1-1-1", "さらに下", parent=item)


def test_link_add_records_history(town: Any, staff: Any) -> None:
    item = add_item(make_plan(town, staff), staff, "1", "目標")
    issue = RegionalIssueFactory(municipality=town)

    link = plan_item_link_add(item=item, kind="issue", target=issue, actor=staff, note="移動")

    assert link.history.first().history_change_reason == "plans.link.add"
    assert list(issue.plan_links.all()) == [link]


def test_link_to_another_municipalitys_issue_is_refused(
    town: Any, other_town: Any, staff: Any
) -> None:
    item = add_item(make_plan(town, staff), staff, "1", "目標")

    with pytest.raises(TsunaguError):
        plan_item_link_add(
            item=item,
            kind="issue",
            target=RegionalIssueFactory(municipality=other_town),
            actor=staff,
        )

    assert not PlanItemLink.objects.filter(item=item).exists()


def test_other_municipality_staff_cannot_link(town: Any, staff: Any, other_staff: Any) -> None:
    item = add_item(make_plan(town, staff), staff, "1", "目標")

    with pytest.raises(PermissionDenied):
        plan_item_link_add(
            item=item,
            kind="issue",
            target=RegionalIssueFactory(municipality=town),
            actor=other_staff,
        )

    assert not PlanItemLink.objects.filter(item=item).exists()


def test_plan_page_is_not_found_for_another_municipality(
    town: Any, staff: Any, other_staff: Any
) -> None:
    plan = make_plan(town, staff)
    client = Client()
    client.force_login(other_staff)

    assert client.get(f"/plans/{plan.pk}/").status_code == 404


def test_link_page_posts_a_link_and_the_issue_page_shows_the_plan(town: Any, staff: Any) -> None:
    plan = make_plan(town, staff, title="まちの夢プラン")
    item = add_item(plan, staff, "⑤", "交通支援")
    issue = RegionalIssueFactory(municipality=town, title="バス停までの移動")
    client = Client()
    client.force_login(staff)

    response = client.post(
        f"/plans/items/{item.pk}/links/new/",
        {"kind": "issue", "issue-kind": "issue", "issue-target": issue.pk, "issue-note": ""},
    )

    assert response.status_code == 302
    assert PlanItemLink.objects.filter(item=item, issue=issue).exists()
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "バス停までの移動" in page
    issue_page = client.get(f"/issues/{issue.pk}/").content.decode()
    assert "まちの夢プラン ⑤ 交通支援" in issue_page


def test_link_page_does_not_offer_another_municipalitys_issue(
    town: Any, other_town: Any, staff: Any
) -> None:
    item = add_item(make_plan(town, staff), staff, "1", "目標")
    RegionalIssueFactory(municipality=other_town, title="よその町の課題")
    client = Client()
    client.force_login(staff)

    assert "よその町の課題" not in client.get(f"/plans/items/{item.pk}/links/new/").content.decode()


def test_a_program_instance_serves_a_plan_item_and_its_page_shows_the_plan(
    town: Any, staff: Any
) -> None:
    # given a plan item and a 総合事業 program instance of the same municipality
    plan = make_plan(town, staff, title="第9期介護保険事業計画")
    item = add_item(plan, staff, "3", "生活支援の担い手")
    program = ProgramInstanceFactory(provider__municipality=town, name="支えあい活動（買い物）")
    client = Client()
    client.force_login(staff)

    # when it is linked from the plan item's link page
    response = client.post(
        f"/plans/items/{item.pk}/links/new/",
        {"kind": "program", "program-kind": "program", "program-target": program.pk},
    )

    # then the link exists with its history, and both pages show it
    assert response.status_code == 302
    link = PlanItemLink.objects.get(item=item, program=program)
    assert link.history.first().history_change_reason == "plans.link.add"
    assert "支えあい活動（買い物）" in client.get(f"/plans/{plan.pk}/").content.decode()
    program_page = client.get(f"/programs/{program.pk}/").content.decode()
    assert "第9期介護保険事業計画 3 生活支援の担い手" in program_page


def test_a_program_instance_of_another_municipality_cannot_be_linked(
    town: Any, other_town: Any, staff: Any
) -> None:
    item = add_item(make_plan(town, staff), staff, "1", "目標")
    elsewhere = ProgramInstanceFactory(provider__municipality=other_town, name="よその町の事業")
    client = Client()
    client.force_login(staff)

    assert "よその町の事業" not in client.get(f"/plans/items/{item.pk}/links/new/").content.decode()
    with pytest.raises(TsunaguError):
        plan_item_link_add(item=item, kind="program", target=elsewhere, actor=staff)
    assert not PlanItemLink.objects.filter(program=elsewhere).exists()
