"""The issue form's organisation and resource choice in a city: searched and added, not a
list of thousands of checkboxes (issue 18), scoped exactly like the full list."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionalIssueFactory,
    ResourceFactory,
    staff_of,
)
from tsunagu.directory.models import Resource
from tsunagu.regional_issues.models import RegionalIssue

pytestmark = pytest.mark.django_db

CITY_SIZE = 205  # over the picker's full-list maximum (200)


def _resources(municipality, count: int, prefix: str = "テスト活動") -> list[Resource]:
    provider = OrganisationFactory(municipality=municipality)
    first = ResourceFactory(provider=provider)
    rows = [
        Resource(
            provider=provider,
            municipality=municipality,
            category=first.category,
            name=f"{prefix}{i}",
            name_kana=f"てすとかつどう{i}",
        )
        for i in range(count - 1)
    ]
    return [first, *Resource.objects.bulk_create(rows)]


@pytest.fixture
def city():
    municipality = MunicipalityFactory()
    resources = _resources(municipality, CITY_SIZE)
    issue = RegionalIssueFactory(municipality=municipality)
    issue.resources.add(resources[5])
    staff = staff_of(municipality)
    client = Client()
    client.force_login(staff)
    return {"municipality": municipality, "resources": resources, "issue": issue, "client": client}


def _checkboxes(html: str, name: str) -> list[tuple[str, bool]]:
    found = re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)"([^>]*)>', html)
    return [(value, " checked" in rest) for value, rest in found]


def _pick(client: Client, municipality, query: str, ticked=(), field: str = "resources"):
    return client.get(
        f"/issues/pick/{municipality.pk}/{field}/",
        {f"{field}__q": query, field: [str(pk) for pk in ticked]},
    )


def test_a_city_form_shows_the_chosen_resources_and_a_search_box(city):
    response = city["client"].get(f"/issues/{city['issue'].pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    linked = city["resources"][5]
    assert _checkboxes(html, "resources") == [(str(linked.pk), True)]
    pick_url = f"/issues/pick/{city['municipality'].pk}/resources/"
    assert f'hx-get="{pick_url}"' in html
    assert 'name="resources__q"' in html
    assert "名前かよみがなの一部で探して" in html
    assert "全件の一覧から選ぶ" in html and "all=1" in html
    assert "htmx" in html  # the script that runs the search


def test_the_whole_list_on_request(city):
    html = city["client"].get(f"/issues/{city['issue'].pk}/edit/?all=1").content.decode()
    boxes = _checkboxes(html, "resources")
    assert len(boxes) == CITY_SIZE
    assert [value for value, checked in boxes if checked] == [str(city["resources"][5].pk)]
    assert 'name="resources__q"' not in html


def test_a_town_keeps_the_plain_list():
    town = MunicipalityFactory()
    resources = _resources(town, 3)
    issue = RegionalIssueFactory(municipality=town)
    client = Client()
    client.force_login(staff_of(town))
    html = client.get(f"/issues/{issue.pk}/edit/").content.decode()
    assert {value for value, _ in _checkboxes(html, "resources")} == {str(r.pk) for r in resources}
    assert 'name="resources__q"' not in html


def test_search_offers_matches_after_the_ticked_ones(city):
    ticked = city["resources"][5]
    # full-width digits and a space are normalised (NFKC) before matching
    response = _pick(city["client"], city["municipality"], " テスト活動１２ ", ticked=[ticked.pk])
    html = response.content.decode()
    assert response.status_code == 200
    boxes = _checkboxes(html, "resources")
    assert boxes[0] == (str(ticked.pk), True)
    names = re.findall(r"> (テスト活動\d+)</label>", html)
    expected = {f"テスト活動{n}" for n in [12, *range(120, 130)]}
    assert set(names[1:]) == expected
    assert all(not checked for _, checked in boxes[1:])
    assert "11件を表示しています" in html


def test_search_says_when_there_are_more_matches_than_shown(city):
    html = _pick(city["client"], city["municipality"], "テスト活動").content.decode()
    assert len(_checkboxes(html, "resources")) == 20
    assert f"{CITY_SIZE}件のうち20件を表示しています" in html


def test_search_by_reading_and_nothing_found(city):
    html = _pick(city["client"], city["municipality"], "てすとかつどう199").content.decode()
    assert re.findall(r"> (テスト活動\d+)</label>", html) == ["テスト活動199"]
    html = _pick(city["client"], city["municipality"], "存在しない名前").content.decode()
    assert _checkboxes(html, "resources") == []
    assert "当てはまるものはありません" in html


def test_search_never_offers_another_municipality_s_rows(city):
    other = MunicipalityFactory()
    theirs = _resources(other, 3, prefix="テスト活動")
    html = _pick(
        city["client"], city["municipality"], "テスト活動", ticked=[theirs[0].pk]
    ).content.decode()
    offered = {value for value, _ in _checkboxes(html, "resources")}
    assert offered and not offered & {str(r.pk) for r in theirs}
    # nor can one search another municipality's directory through its address
    assert _pick(city["client"], other, "テスト活動").status_code in (403, 404)


def test_search_needs_the_right_to_edit_the_municipality_s_issues(city):
    stranger = Client()
    stranger.force_login(staff_of(MunicipalityFactory()))
    assert _pick(stranger, city["municipality"], "テスト").status_code == 404
    anonymous = _pick(Client(), city["municipality"], "テスト")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert _pick(city["client"], city["municipality"], "x", field="themes").status_code == 404


def test_a_searched_resource_is_saved_with_the_form(city):
    issue, added = city["issue"], city["resources"][150]
    client = city["client"]
    form = client.get(f"/issues/{issue.pk}/edit/").context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, "") and not isinstance(value, list)
    }
    data.update(
        title=issue.title,
        raised_on="2026-11-01",
        source_kind="other",
        resources=[str(city["resources"][5].pk), str(added.pk)],
        resources__q="テスト活動150",  # the search box's value is posted and ignored
    )
    response = client.post(f"/issues/{issue.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(RegionalIssue.objects.get(pk=issue.pk).resources.all()) == {
        city["resources"][5],
        added,
    }


def test_a_resource_of_another_municipality_is_refused_and_the_form_keeps_the_choice(city):
    issue = city["issue"]
    theirs = _resources(MunicipalityFactory(), 1)[0]
    data = {
        "title": "題名を変えた",
        "raised_on": "2026-11-01",
        "source_kind": "other",
        "resources": [str(city["resources"][7].pk), str(theirs.pk)],
    }
    response = city["client"].post(f"/issues/{issue.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "errorlist" in html
    assert 'value="題名を変えた"' in html
    assert (str(city["resources"][7].pk), True) in _checkboxes(html, "resources")
    assert RegionalIssue.objects.get(pk=issue.pk).title != "題名を変えた"


def test_odd_ticked_ids_are_ignored_not_an_error(city):
    ticked = city["resources"][5]
    odd = ["9" * 30, "-1", "１２", "abc", str(ticked.pk)]
    response = city["client"].get(
        f"/issues/pick/{city['municipality'].pk}/resources/",
        {"resources__q": "テスト活動1", "resources": odd},
    )
    assert response.status_code == 200
    assert _checkboxes(response.content.decode(), "resources")[0] == (str(ticked.pk), True)
