"""The map: visible records with coordinates as JSON embedded in the page, a list of the
same records below it, vendored Leaflet, configurable tiles and an offline message."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.template import loader

from tsunagu.directory import services
from tsunagu.directory.models import Category, Organisation
from tsunagu.directory.services import LocationFields, OrganisationFields, ResourceFields

pytestmark = pytest.mark.django_db

OFFLINE = "地図の背景を読み込めません（オフライン）。一覧は下にあります。"


def _json(body: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body)
    assert match, f"no {element_id} in the page"
    return json.loads(match.group(1))


@pytest.fixture
def placed(user_named, municipality):
    """A 香春町 group with coordinates and a resource at a located place; a 佐伯市
    partner-only group with coordinates and a resource without a place."""
    admin = user_named("admin")
    kawara, saiki = municipality("香春町"), municipality("佐伯市")
    kawara_group = services.organisation_create(
        fields=OrganisationFields(
            name="地図テスト 香春の会",
            org_type="volunteer_group",
            municipality=kawara,
            latitude=Decimal("33.668300"),
            longitude=Decimal("130.845000"),
        ),
        actor=admin,
    )
    hall = services.location_create(
        fields=LocationFields(
            name="地図テスト公民館",
            organisation=kawara_group,
            latitude=Decimal("33.700000"),
            longitude=Decimal("130.850000"),
        ),
        actor=admin,
    )
    kawara_salon = services.resource_create(
        fields=ResourceFields(
            name="地図テスト 香春サロン",
            provider=kawara_group,
            category=Category.objects.get(code="gathering"),
            locations=[hall],
        ),
        actor=admin,
    )
    kawara_ride = services.resource_create(
        fields=ResourceFields(
            name="地図テスト 香春送迎",
            provider=kawara_group,
            category=Category.objects.get(code="mobility"),
        ),
        actor=admin,
    )
    saiki_group = services.organisation_create(
        fields=OrganisationFields(
            name="地図テスト 佐伯の会",
            org_type="volunteer_group",
            municipality=saiki,
            visibility="partners",
            latitude=Decimal("32.959600"),
            longitude=Decimal("131.899500"),
        ),
        actor=admin,
    )
    services.resource_create(
        fields=ResourceFields(
            name="地図テスト 佐伯の送迎",
            provider=saiki_group,
            category=Category.objects.get(code="mobility"),
            visibility="partners",
        ),
        actor=admin,
    )
    return {"kawara_group": kawara_group, "salon": kawara_salon, "ride": kawara_ride}


def test_map_page_embeds_the_json_of_visible_records_only(client_as, placed):
    body = client_as("kawara").get("/directory/map/", {"q": "地図テスト"}).content.decode()
    names = {record["name"] for record in _json(body, "map-records")}
    assert {"地図テスト 香春の会", "地図テスト 香春サロン", "地図テスト 香春送迎"} <= names
    assert "地図テスト 佐伯の会" not in names
    assert "地図テスト 佐伯の送迎" not in names
    assert "地図テスト 佐伯" not in body


def test_map_places_a_resource_at_its_location_else_at_its_provider(client_as, placed):
    body = client_as("kawara").get("/directory/map/", {"q": "地図テスト"}).content.decode()
    records = {r["name"]: r for r in _json(body, "map-records")}
    salon = records["地図テスト 香春サロン"]
    assert salon["points"] == [{"lat": 33.7, "lon": 130.85, "place": "地図テスト公民館"}]
    assert salon["url"] == f"/directory/resources/{placed['salon'].pk}/"
    ride = records["地図テスト 香春送迎"]
    assert (ride["points"][0]["lat"], ride["points"][0]["lon"]) == (33.6683, 130.845)
    group = records["地図テスト 香春の会"]
    assert group["url"] == f"/directory/organisations/{placed['kawara_group'].pk}/"


def test_map_is_filtered_like_the_search(client_as, placed):
    body = (
        client_as("kawara")
        .get("/directory/map/", {"q": "地図テスト", "kind": "organisation"})
        .content.decode()
    )
    names = {record["name"] for record in _json(body, "map-records")}
    assert names == {"地図テスト 香春の会"}
    gathering = Category.objects.get(code="gathering")
    body = (
        client_as("kawara")
        .get("/directory/map/", {"q": "地図テスト", "category": gathering.pk})
        .content.decode()
    )
    assert {r["name"] for r in _json(body, "map-records")} == {"地図テスト 香春サロン"}


def test_map_lists_the_same_records_below_the_map_and_those_without_a_place(
    client_as, user_named, placed
):
    services.organisation_create(
        fields=OrganisationFields(
            name="地図テスト 位置なしの会",
            org_type="other",
            municipality=placed["kawara_group"].municipality,
        ),
        actor=user_named("admin"),
    )
    body = client_as("kawara").get("/directory/map/", {"q": "地図テスト"}).content.decode()
    listing = body.split('id="map-list-heading"', 1)[1]
    for name in ("地図テスト 香春の会", "地図テスト 香春サロン", "地図テスト 位置なしの会"):
        assert name in listing
    assert "位置が未登録のため地図にない記録" in listing
    assert "地図テスト 位置なしの会" not in {r["name"] for r in _json(body, "map-records")}


def test_map_page_uses_vendored_leaflet_and_gsi_tiles_with_attribution(client_as):
    body = client_as("kawara").get("/directory/map/").content.decode()
    assert "/static/directory/vendor/leaflet/leaflet.js" in body
    assert "/static/directory/vendor/leaflet/leaflet.css" in body
    assert "/static/directory/map.js" in body
    assert "unpkg" not in body and "cdn" not in body.lower()
    config = _json(body, "map-config")
    assert config["tileUrl"] == "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
    assert "地理院タイル" in config["attribution"]
    assert ">地理院タイル</a>" in body  # also shown as text below the map


def test_map_page_carries_the_offline_message(client_as):
    body = client_as("kawara").get("/directory/map/").content.decode()
    assert f'id="map-offline" class="warning" role="status" hidden>{OFFLINE}</p>' in body
    assert _json(body, "map-config")["offlineMessage"] == OFFLINE


def test_tile_url_comes_from_settings(client_as, settings):
    settings.TILE_URL = "https://tiles.example.jp/{z}/{x}/{y}.png"
    body = client_as("kawara").get("/directory/map/").content.decode()
    assert _json(body, "map-config")["tileUrl"] == "https://tiles.example.jp/{z}/{x}/{y}.png"


def test_vendored_leaflet_and_its_licence_are_present():
    for name in ("leaflet.js", "leaflet.css", "LICENSE", "images/marker-icon.png"):
        assert finders.find(f"directory/vendor/leaflet/{name}"), name
    licence = open(finders.find("directory/vendor/leaflet/LICENSE"), encoding="utf-8").read()
    assert "BSD" in licence or "Redistribution and use" in licence


def test_map_script_handles_tile_errors_and_missing_leaflet():
    # One start-up for every map page (directory, transit feed, gap): tiles, offline notice.
    script = open(finders.find("tsunagu/map.js"), encoding="utf-8").read()
    assert '"tileerror"' in script
    assert 'typeof L !== "undefined"' in script
    for page_script in ("directory/map.js", "transit/feed_map.js", "transit/gap.js"):
        text = open(finders.find(page_script), encoding="utf-8").read()
        assert "TsunaguMap.start(" in text
        assert "tileerror" not in text and "function readJSON" not in text  # not copied


def test_map_pages_load_the_shared_start_up_before_their_own_script():
    for template, own in (
        ("directory/map.html", "directory/map.js"),
        ("transit/feed_detail.html", "transit/feed_map.js"),
        ("transit/_gap_result.html", "transit/gap.js"),  # the result part of transit/gap.html
    ):
        text = loader.get_template(template).template.source
        shared = text.index("{% static 'tsunagu/map.js' %}")
        assert shared < text.index(f"{{% static '{own}' %}}")


def test_public_map_shows_public_records_only_and_links_to_public_pages(client, user_named):
    admin = user_named("admin")
    kawara = Organisation.objects.get(name="採銅所地域コミュニティ協議会").municipality
    group = services.organisation_create(
        fields=OrganisationFields(
            name="公開地図テストの会",
            org_type="volunteer_group",
            municipality=kawara,
            visibility="public",
            latitude=Decimal("33.650000"),
            longitude=Decimal("130.830000"),
        ),
        actor=admin,
    )
    public = services.resource_create(
        fields=ResourceFields(
            name="公開地図テストのサロン",
            provider=group,
            category=Category.objects.get(code="gathering"),
            visibility="public",
        ),
        actor=admin,
    )
    services.resource_create(
        fields=ResourceFields(
            name="公開地図テストの内部資源",
            provider=group,
            category=Category.objects.get(code="gathering"),
            visibility="partners",
        ),
        actor=admin,
    )
    response = client.get("/public/map/", {"q": "公開地図テスト"})
    body = response.content.decode()
    assert response.status_code == 200
    records = _json(body, "map-records")
    assert [r["name"] for r in records] == ["公開地図テストのサロン"]
    assert records[0]["url"] == f"/public/resources/{public.pk}/"
    assert "公開地図テストの内部資源" not in body
