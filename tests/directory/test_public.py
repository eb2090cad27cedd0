"""Public pages (no login): public resources only, a detail page and the large-print list."""

from __future__ import annotations

import pytest
from django.test import Client

from tsunagu.areas.models import District
from tsunagu.directory import services
from tsunagu.directory.models import Category, Resource
from tsunagu.directory.services import OrganisationFields, ResourceFields

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(user_named, municipality):
    """In 香春町: a public group with one public and one partner-only resource, both serving
    the 採銅所地域 district, and a public resource of a partner-only group."""
    admin = user_named("admin")
    kawara = municipality("香春町")
    district = District.objects.get(municipality=kawara, name="採銅所地域")
    public_group = services.organisation_create(
        fields=OrganisationFields(
            name="採銅所ふれあい会（テスト）",
            org_type="volunteer_group",
            municipality=kawara,
            visibility="public",
            phone="0947-11-2222",
        ),
        actor=admin,
    )
    hidden_group = services.organisation_create(
        fields=OrganisationFields(
            name="非公開の会（テスト）",
            org_type="volunteer_group",
            municipality=kawara,
            visibility="partners",
        ),
        actor=admin,
    )

    def resource(name, provider, visibility, **extra):
        return services.resource_create(
            fields=ResourceFields(
                **{
                    "name": name,
                    "provider": provider,
                    "category": Category.objects.get(code=extra.pop("category", "gathering")),
                    "visibility": visibility,
                    "districts": [district],
                    **extra,
                }
            ),
            actor=admin,
        )

    return {
        "district": district,
        "public": resource(
            "ふれあいサロン採銅所",
            public_group,
            "public",
            cost_note="1回100円",
            how_to_apply="当日会場へお越しください",
            schedule_note="毎月第2水曜 10時〜12時",
            weekly_slots=[{"weekday": 2, "week_of_month": 2}],
        ),
        "partners": resource(
            "関係者だけの見守り名簿", public_group, "partners", category="watching"
        ),
        "hidden_provider": resource("非公開団体の公開サロン", hidden_group, "public"),
    }


def test_public_page_opens_without_login(client):
    response = client.get("/public/")
    assert response.status_code == 200
    assert "地域の支えあい・サービスをさがす" in response.content.decode()


def test_public_page_lists_public_resources_but_not_partner_ones(client, records):
    body = client.get("/public/", {"q": "採銅所"}).content.decode()
    assert "ふれあいサロン採銅所" in body
    assert "関係者だけの見守り名簿" not in body
    everything = client.get("/public/").content.decode()
    assert "関係者だけの見守り名簿" not in everything
    assert "非公開団体の公開サロン" not in everything


def test_public_page_shows_public_records_only_even_when_signed_in(client_as, records):
    body = client_as("kawara").get("/public/", {"q": "見守り名簿"}).content.decode()
    assert "関係者だけの見守り名簿" not in body


def test_public_page_lists_no_organisations(client, records):
    body = client.get("/public/", {"q": "ふれあい会"}).content.decode()
    assert "/directory/organisations/" not in body


def test_public_search_filters_by_category(client, records):
    gathering = Category.objects.get(code="gathering")
    watching = Category.objects.get(code="watching")
    assert (
        "ふれあいサロン採銅所"
        in client.get("/public/", {"category": gathering.pk}).content.decode()
    )
    assert (
        "ふれあいサロン採銅所"
        not in client.get("/public/", {"category": watching.pk}).content.decode()
    )


def test_public_resource_page_shows_a_public_resource(client, records):
    resource = records["public"]
    response = client.get(f"/public/resources/{resource.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "ふれあいサロン採銅所" in body
    assert "1回100円" in body
    assert "0947-11-2222" in body  # the provider's phone when the resource has none
    assert "第2水曜" in body


def test_public_resource_page_is_404_for_a_partner_resource(client, records):
    assert client.get(f"/public/resources/{records['partners'].pk}/").status_code == 404
    assert client.get(f"/public/resources/{records['hidden_provider'].pk}/").status_code == 404


def test_print_list_shows_public_resources_of_the_district_in_large_print(client, records):
    response = client.get(f"/public/print/{records['district'].pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "採銅所地域で利用できるサービス・活動" in body
    assert "ふれあいサロン採銅所" in body
    assert "採銅所ふれあい会（テスト）" in body
    assert "当日会場へお越しください" in body
    assert "0947-11-2222" in body
    assert "印刷する" in body
    assert "directory/print.css" in body


def test_print_list_leaves_out_partner_resources(client, records):
    body = client.get(f"/public/print/{records['district'].pk}/").content.decode()
    assert "関係者だけの見守り名簿" not in body
    assert "非公開団体の公開サロン" not in body


def test_print_stylesheet_sets_a4_and_at_least_14pt():
    from django.contrib.staticfiles import finders

    css = open(finders.find("directory/print.css"), encoding="utf-8").read()
    assert "size: A4" in css
    assert "font-size: 14pt" in css
    sizes = [float(v) for v in __import__("re").findall(r"font-size:\s*([\d.]+)pt", css)]
    assert min(sizes) >= 14


def test_print_list_of_an_unknown_district_is_404(client):
    assert client.get("/public/print/999999/").status_code == 404


def test_print_chooser_lists_districts_and_redirects(client, records):
    body = client.get("/public/print/").content.decode()
    assert f"/public/print/{records['district'].pk}/" in body
    response = client.get("/public/print/", {"district": records["district"].pk})
    assert response.status_code == 302
    assert response["Location"] == f"/public/print/{records['district'].pk}/"


def test_signed_in_pages_are_not_public(records):
    client = Client()
    resource = Resource.objects.get(name="ふれあいサロン採銅所")
    for url in (
        "/directory/",
        "/directory/map/",
        "/directory/stale/",
        f"/directory/resources/{resource.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
