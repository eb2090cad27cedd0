"""The issue form's search-to-add list in a real browser (issue 18): in a city with more
resources than a list can show, staff search by name, tick, search again and save; Enter
searches instead of posting the form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def saiki_city() -> dict[str, Any]:
    from tsunagu.areas.models import Municipality
    from tsunagu.directory.models import Category, Organisation, Resource
    from tsunagu.regional_issues.models import RegionalIssue

    saiki = Municipality.objects.get(name="佐伯市")
    provider = Organisation.objects.filter(municipality=saiki, visibility="public").first()
    category = Category.objects.filter(children__isnull=True).first()
    Resource.objects.bulk_create(
        Resource(
            provider=provider,
            municipality=saiki,
            category=category,
            name=f"ピッカー試験活動{i}",
            name_kana=f"ぴっかーしけんかつどう{i}",
            visibility="public",
        )
        for i in range(210)
    )
    issue = RegionalIssue.objects.filter(municipality=saiki).order_by("pk").first()
    assert issue is not None
    return {"issue": issue}


def test_search_tick_search_again_and_save(page: Any, login: Any, saiki_city: dict) -> None:
    from tsunagu.regional_issues.models import RegionalIssue

    issue = saiki_city["issue"]
    login(page, "saiki")
    page.goto(f"/issues/{issue.pk}/edit/")
    search = page.get_by_label("名前で探して追加")
    expect(search).to_be_visible()
    expect(page.locator('input[name="resources"]')).to_have_count(
        issue.resources.count()
    )  # only the chosen ones, not 200+

    search.fill("ピッカー試験活動17")
    first = page.get_by_label("ピッカー試験活動17", exact=True)
    expect(first).to_be_visible()
    expect(page.get_by_text("11件を表示しています")).to_be_visible()
    first.check()

    search.fill("ぴっかーしけんかつどう205")
    search.press("Enter")  # searches; does not post the form
    expect(page).to_have_url(re.compile(rf"/issues/{issue.pk}/edit/$"))
    second = page.get_by_label("ピッカー試験活動205", exact=True)
    expect(second).to_be_visible()
    expect(page.get_by_label("ピッカー試験活動17", exact=True)).to_be_checked()  # kept
    second.check()

    page.get_by_role("button", name="保存する").click()
    expect(page).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    names = set(RegionalIssue.objects.get(pk=issue.pk).resources.values_list("name", flat=True))
    assert {"ピッカー試験活動17", "ピッカー試験活動205"} <= names


def test_the_search_to_add_list_has_no_serious_axe_violation(
    new_page: Any, login: Any, saiki_city: dict
) -> None:
    from tests.browser.test_axe import _violations

    page = new_page(viewport={"width": 320, "height": 800}, bypass_csp=True)
    login(page, "saiki")
    page.goto(f"/issues/{saiki_city['issue'].pk}/edit/")
    page.get_by_label("名前で探して追加").fill("ピッカー試験活動1")
    expect(page.get_by_text("件のうち20件を表示しています")).to_be_visible()
    assert _violations(page) == []
