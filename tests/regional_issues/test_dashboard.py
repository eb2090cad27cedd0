"""The regional-issue dashboard (/issues/dashboard/), its .xlsx heat table and the panel on the
main dashboard (/dashboard/).

Issues are raised through the services by each municipality's staff; the pages are read as the
users who would read them (municipality staff, prefecture staff).
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone

from tsunagu.areas.models import District
from tsunagu.bodies import services as body_services
from tsunagu.bodies.services import ActionItemFields, BodyFields
from tsunagu.directory.models import Organisation
from tsunagu.regional_issues import services
from tsunagu.regional_issues.models import IssueStage, Theme
from tsunagu.regional_issues.services import IssueFields

pytestmark = pytest.mark.django_db


def _theme(code: str) -> Theme:
    return Theme.objects.get(code=code)


def _district(name: str) -> District:
    return District.objects.get(name=name)


@pytest.fixture
def kagoshima_issues(municipality, user_named):
    """鹿児島市: mobility twice in 郡山地域, once in 吉野校区; shopping once in 郡山地域."""
    city, staff = municipality("鹿児島市"), user_named("kagoshima")

    def raise_(title, themes, district):
        return services.issue_raise(
            municipality=city,
            fields=IssueFields(
                title=title, themes=[_theme(t) for t in themes], districts=[_district(district)]
            ),
            actor=staff,
        )

    return [
        raise_("バス停まで遠い", ["mobility"], "郡山地域"),
        raise_("買い物と移動の支援", ["mobility", "shopping"], "郡山地域"),
        raise_("通院の足がない", ["mobility"], "吉野校区"),
    ]


def _cell(context, theme_code: str, column: str) -> int:
    table = context["table"]
    row = next(r for r in table["rows"] if r["theme"].code == theme_code)
    return row["counts"][table["columns"].index(column)]


def test_heat_table_counts_issues_by_theme_and_area(client_as, kagoshima_issues):
    response = client_as("kagoshima").get("/issues/dashboard/")
    assert response.status_code == 200
    context = response.context
    assert set(context["table"]["columns"]) == {"郡山地域", "吉野校区"}
    assert _cell(context, "mobility", "郡山地域") == 2
    assert _cell(context, "mobility", "吉野校区") == 1
    assert _cell(context, "shopping", "郡山地域") == 1
    assert _cell(context, "shopping", "吉野校区") == 0
    html = response.content.decode()
    # accessible headers, every number printed, the largest cell shaded darkest
    assert '<th scope="col">郡山地域</th>' in html
    assert 'td class="num heat-4">2</td>' in html
    assert 'td class="num heat-0">0</td>' in html


def test_dashboard_counts_by_stage(client_as, kagoshima_issues, user_named):
    services.issue_change_stage(
        issue=kagoshima_issues[0], to_stage=IssueStage.DISCUSSING, actor=user_named("kagoshima")
    )
    context = client_as("kagoshima").get("/issues/dashboard/").context
    counts = {value: n for value, _label, n in context["stage_counts"]}
    assert counts["identified"] == 2
    assert counts["discussing"] == 1
    assert context["total"] == 3


def test_dashboard_is_scoped_to_the_users_municipalities(client_as, kagoshima_issues):
    context = client_as("kawara").get("/issues/dashboard/").context
    assert context["total"] == 0
    assert context["table"]["columns"] == []
    # a prefecture user sees theme × municipality for the prefecture's municipalities
    pref = client_as("kagoshima-pref").get("/issues/dashboard/").context
    assert pref["municipality"] is None
    assert pref["table"]["columns"] == ["鹿児島市"]
    assert _cell(pref, "mobility", "鹿児島市") == 3
    other = client_as("fukuoka").get("/issues/dashboard/").context
    assert other["total"] == 0


def test_heat_table_export_opens_with_the_expected_rows(client_as, kagoshima_issues):
    from openpyxl import load_workbook

    response = client_as("kagoshima").get("/issues/dashboard/heat.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] and str(r[0]).startswith("テーマ"))
    assert set(header[1:]) == {"郡山地域", "吉野校区"}
    by_theme = {
        r[0]: dict(zip(header[1:], r[1:], strict=True)) for r in rows[rows.index(header) + 1 :]
    }
    assert len(by_theme) == Theme.objects.count()
    assert by_theme["移動・交通"] == {"郡山地域": 2, "吉野校区": 1}
    assert by_theme["買い物"] == {"郡山地域": 1, "吉野校区": 0}


def test_dashboard_lists_unassigned_and_stale_issues_with_a_frozen_clock(
    client_as, kagoshima_issues, user_named, monkeypatch
):
    staff = user_named("kagoshima")
    planning = kagoshima_issues[1]
    for stage in (IssueStage.DISCUSSING, IssueStage.PLANNING):
        planning = services.issue_change_stage(issue=planning, to_stage=stage, actor=staff)
    later = planning.stage_entered_at + datetime.timedelta(days=200)
    monkeypatch.setattr(timezone, "now", lambda: later)
    context = client_as("kagoshima").get("/issues/dashboard/").context
    assert [i.title for i in context["unassigned"]] == ["買い物と移動の支援"]
    assert {i.title for i in context["stale"]} == {i.title for i in kagoshima_issues}
    assert context["stale_count"] == 3


def test_dashboard_lists_overdue_action_items_of_the_municipality(
    client_as, municipality, user_named, kagoshima_issues
):
    staff = user_named("kagoshima")
    body = body_services.body_create(
        municipality=municipality("鹿児島市"),
        fields=BodyFields(name="郡山地域 地域ケア分科会議", kind="care_subcommittee"),
        actor=staff,
    )
    owner = Organisation.objects.filter(municipality__name="鹿児島市").first()
    today = timezone.localdate()
    body_services.action_item_create(
        body=body,
        fields=ActionItemFields(
            title="送迎ボランティアの候補を探す",
            owner_organisation=owner,
            due_on=today - datetime.timedelta(days=3),
            regional_issue=kagoshima_issues[1],
        ),
        actor=staff,
    )
    body_services.action_item_create(
        body=body,
        fields=ActionItemFields(title="来月の議題", owner_organisation=owner, due_on=today),
        actor=staff,
    )
    response = client_as("kagoshima").get("/issues/dashboard/")
    assert [item.title for item in response.context["overdue"]] == ["送迎ボランティアの候補を探す"]
    assert "送迎ボランティアの候補を探す" in response.content.decode()
    assert client_as("kawara").get("/issues/dashboard/").context["overdue_count"] == 0


def test_frequent_themes_of_a_body_over_the_chosen_period(client_as, municipality, user_named):
    city, staff = municipality("鹿児島市"), user_named("kagoshima")
    body = body_services.body_create(
        municipality=city,
        fields=BodyFields(name="第1圏域 地域ケア推進会議", kind="care_promotion"),
        actor=staff,
    )
    today = timezone.localdate()
    for title, themes, days_ago in (
        ("移動1", ["mobility"], 10),
        ("移動2", ["mobility", "shopping"], 20),
        ("古い買い物", ["shopping"], 300),
    ):
        services.issue_raise(
            municipality=city,
            fields=IssueFields(
                title=title,
                body=body,
                themes=[_theme(t) for t in themes],
                raised_on=today - datetime.timedelta(days=days_ago),
            ),
            actor=staff,
        )
    client = client_as("kagoshima")
    recent = client.get(f"/issues/dashboard/?body={body.pk}&period=3").context["frequent"]
    assert [(theme.code, n) for theme, n in recent] == [("mobility", 2), ("shopping", 1)]
    year = client.get(f"/issues/dashboard/?body={body.pk}&period=12").context["frequent"]
    assert dict((theme.code, n) for theme, n in year) == {"mobility": 2, "shopping": 2}
    # a body of another municipality is not offered (the choice is ignored)
    assert client_as("saiki").get(f"/issues/dashboard/?body={body.pk}").context["body"] is None


def test_dashboard_panel_shows_on_the_main_dashboard(client_as, kagoshima_issues, user_named):
    response = client_as("kagoshima").get("/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "地域課題" in html
    assert "/issues/dashboard/" in html
    panel = next(p for p in response.context["panels"] if p.key == "regional_issues.summary")
    assert "地域課題 3件（段階別）" in panel.html
    assert "期限を過ぎた宿題</dt><dd>0件</dd>" in panel.html


def test_dashboard_panel_is_not_shown_without_a_scope(client, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="x-very-long-pass")
    client.force_login(user)
    response = client.get("/dashboard/")
    assert "regional_issues.summary" not in [p.key for p in response.context["panels"]]
