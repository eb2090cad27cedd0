"""The main dashboard names the regional issues of each stage (issue 12: a bare 「準備 1」
told staff nothing)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tsunagu.areas.models import District
from tsunagu.regional_issues import panels, services
from tsunagu.regional_issues.models import IssueStage, Theme
from tsunagu.regional_issues.services import IssueFields

pytestmark = pytest.mark.django_db


@pytest.fixture
def issues(municipality, user_named):
    """鹿児島市: one more 把握 issue than the panel names, and one 検討 issue."""
    city, staff = municipality("鹿児島市"), user_named("kagoshima")
    district = District.objects.get(municipality=city, name="郡山地域")

    def raise_(title):
        return services.issue_raise(
            municipality=city,
            fields=IssueFields(
                title=title, themes=[Theme.objects.get(code="mobility")], districts=[district]
            ),
            actor=staff,
        )

    identified = [raise_(f"把握段階の課題{n}") for n in range(panels.STAGE_LIST_LIMIT + 1)]
    discussed = raise_("検討段階の課題")
    services.issue_change_stage(issue=discussed, to_stage=IssueStage.DISCUSSING, actor=staff)
    return {"identified": identified, "discussing": discussed}


def test_dashboard_names_each_stages_issues_with_links(client_as, issues):
    body = client_as("kagoshima").get("/dashboard/").content.decode()
    discussed = issues["discussing"]
    assert f'href="{reverse("regional_issues:detail", args=[discussed.pk])}"' in body
    assert "検討段階の課題" in body
    assert f"把握（{panels.STAGE_LIST_LIMIT + 1}件）" in body
    assert "検討（1件）" in body


def test_dashboard_names_a_few_issues_per_stage_then_how_many_more(client_as, issues):
    body = client_as("kagoshima").get("/dashboard/").content.decode()
    named = [i for i in issues["identified"] if i.title in body]
    assert len(named) == panels.STAGE_LIST_LIMIT
    assert "ほか 1件（把握の一覧）" in body
    assert f'href="{reverse("regional_issues:list")}?stage=identified"' in body
    assert "ほか 0件" not in body


def test_dashboard_queries_do_not_grow_with_issues_or_stages(client_as, issues, user_named):
    """Counts and the named issues of every stage come from a fixed number of queries (issue
    18: one query per stage, and the lists' prefetches per evaluation, made the dashboard
    slow), so more issues in more stages cost no more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("kagoshima")
    client.get("/dashboard/")  # sessions, caches
    with CaptureQueriesContext(connection) as before:
        assert client.get("/dashboard/").status_code == 200
    staff = user_named("kagoshima")
    city = issues["discussing"].municipality
    for stage in (IssueStage.DISCUSSING, IssueStage.PLANNING):
        for n in range(4):
            issue = services.issue_raise(
                municipality=city,
                fields=IssueFields(title=f"追加の課題{stage}{n}", themes=[]),
                actor=staff,
            )
            services.issue_change_stage(issue=issue, to_stage=IssueStage.DISCUSSING, actor=staff)
            if stage == IssueStage.PLANNING:
                services.issue_change_stage(issue=issue, to_stage=stage, actor=staff)
    with CaptureQueriesContext(connection) as after:
        body = client.get("/dashboard/").content.decode()
    assert "企画（4件）" in body and "検討（5件）" in body
    assert len(after.captured_queries) == len(before.captured_queries)


def test_dashboard_names_the_most_recently_updated_issues_of_each_stage(client_as, issues):
    oldest, *newer = issues["identified"]
    body = client_as("kagoshima").get("/dashboard/").content.decode()
    assert oldest.title not in body  # the first raised is the least recently updated
    assert all(issue.title in body for issue in newer)
