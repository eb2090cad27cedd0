"""Residents' first contact (issue 12 §4): a landing page, a way from the login page, a
municipality filter, area names that say whose, a contact on every printed entry and
breadcrumbs that lead somewhere."""

from __future__ import annotations

import re

import pytest

from tsunagu.areas.models import DailyLifeArea, District
from tsunagu.directory import selectors, services
from tsunagu.directory.models import Category, Organisation
from tsunagu.directory.services import OrganisationFields, ResourceFields

pytestmark = pytest.mark.django_db


def test_landing_page_leads_a_resident_to_the_public_directory_and_to_login(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/public/"' in body
    assert "地域の資源を探す" in body
    assert 'href="/accounts/login/"' in body


def test_landing_page_sends_a_signed_in_user_to_the_dashboard(client_as):
    response = client_as("kawara").get("/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_login_page_links_to_the_public_directory(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/public/"' in body


def test_favicon_is_served(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("/static/tsunagu/favicon.ico")


def test_public_area_choices_name_their_municipality(client, municipality):
    kagoshima = municipality("鹿児島市")
    area = DailyLifeArea.objects.get(municipality=kagoshima, name="第1圏域")
    body = client.get("/public/").content.decode()
    assert (
        f'<option value="daily_life_area:{area.pk}">鹿児島市 第1圏域（日常生活圏域）</option>'
        in body
    )
    assert ">圏域: 第1圏域<" not in body


def test_public_page_filters_by_municipality(client, municipality):
    kawara = municipality("香春町")
    expected = selectors.public_resource_list().filter(municipality=kawara).count()
    assert expected  # the demo publishes 香春町 resources
    response = client.get("/public/", {"municipality": kawara.pk})
    assert response.context["result"].total == expected
    body = response.content.decode()
    assert f'<option value="{kawara.pk}" selected>香春町</option>' in body
    # the area choices narrow to the chosen municipality
    assert "鹿児島市 第1圏域" not in body
    assert "香春町 全域" in body


def test_choosing_every_municipality_again_clears_the_municipality_filter(client, municipality):
    kawara = municipality("香春町")
    everything = client.get("/public/").context["result"].total
    response = client.get("/public/", {"municipality": "", "area": f"municipality:{kawara.pk}"})
    assert response.context["result"].total == everything


@pytest.fixture
def contactless(user_named, municipality):
    """A public 香春町 resource serving 採銅所地域, with no phone of its own or its provider's."""
    admin = user_named("admin")
    kawara = municipality("香春町")
    district = District.objects.get(municipality=kawara, name="採銅所地域")
    group = services.organisation_create(
        fields=OrganisationFields(
            name="電話のない会（テスト）",
            org_type="volunteer_group",
            municipality=kawara,
            visibility="public",
        ),
        actor=admin,
    )
    resource = services.resource_create(
        fields=ResourceFields(
            name="電話のないサロン（テスト）",
            provider=group,
            category=Category.objects.get(code="gathering"),
            visibility="public",
            districts=[district],
        ),
        actor=admin,
    )
    return {"district": district, "resource": resource, "municipality": kawara}


def _print_entry(body: str, name: str) -> str:
    start = body.index(f"<h3>{name}</h3>")
    return body[start : body.index("</article>", start)]


def test_print_list_gives_the_care_centre_as_contact_for_an_entry_without_one(client, contactless):
    centre = Organisation.objects.get(
        municipality=contactless["municipality"], org_type="community_care_center"
    )
    assert centre.visibility == "public"
    body = client.get(f"/public/print/{contactless['district'].pk}/").content.decode()
    entry = _print_entry(body, "電話のないサロン（テスト）")
    assert f"連絡先：香春町 {centre.name}（地域包括支援センター）" in entry
    assert "お問い合わせ先は未登録です" not in body


def test_print_list_falls_back_to_the_town_office_without_a_public_care_centre(client, contactless):
    Organisation.objects.filter(
        municipality=contactless["municipality"], org_type="community_care_center"
    ).update(visibility="internal")
    body = client.get(f"/public/print/{contactless['district'].pk}/").content.decode()
    entry = _print_entry(body, "電話のないサロン（テスト）")
    assert re.search(r"連絡先：香春町 \S+（町の窓口）", entry)
    assert "お問い合わせ先は未登録です" not in body


def test_public_resource_page_gives_the_fallback_contact(client, contactless):
    body = client.get(f"/public/resources/{contactless['resource'].pk}/").content.decode()
    assert "連絡先：香春町 " in body
    assert "（地域包括支援センター）" in body


def _breadcrumb_links(body: str) -> list[str]:
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', body, re.S)
    assert nav is not None
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', nav.group(0))]


def test_breadcrumbs_of_another_municipalitys_public_record_lead_somewhere(client_as, municipality):
    # given 香春町 staff reading a public resource of 佐伯市
    resource = selectors.public_resource_list().filter(municipality=municipality("佐伯市")).first()
    assert resource is not None
    client = client_as("kawara")
    body = client.get(f"/directory/resources/{resource.pk}/").content.decode()
    # then every breadcrumb opens, the municipality's one included
    links = _breadcrumb_links(body)
    assert any("佐伯市の地域資源" in body and "public" in link for link in links)
    for link in links:
        assert client.get(link).status_code == 200, link


def test_breadcrumbs_of_an_own_record_lead_to_the_area_page(client_as, municipality):
    kawara = municipality("香春町")
    resource = selectors.public_resource_list().filter(municipality=kawara).first()
    client = client_as("kawara")
    body = client.get(f"/directory/resources/{resource.pk}/").content.decode()
    links = _breadcrumb_links(body)
    assert f"/directory/area/municipality/{kawara.pk}/" in links
    for link in links:
        assert client.get(link).status_code == 200, link
