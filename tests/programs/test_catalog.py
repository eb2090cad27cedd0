"""The 総合事業 catalog: defined once, read by alias, linked from the directory tag."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tsunagu.directory import catalog
from tsunagu.directory.imports.commit import run_import
from tsunagu.directory.imports.reading import read_table
from tsunagu.directory.models import Category, Organisation, Resource, SogoServiceType


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("サービスB（訪問型）", "home_b"),
        ("訪問型サービス・活動B", "home_b"),
        ("訪問B", "home_b"),
        ("ＨＯＭＥ＿Ｂ", "home_b"),
        (" 訪問型サービス　Ｂ ", "home_b"),
        ("通所型サービス・活動C", "day_c"),
        ("サービス・活動C（通所型）", "day_c"),
        ("訪問型サービスD", "home_d"),
        ("介護予防訪問介護相当サービス", "home_equivalent"),
        ("介護予防ケアマネジメント", "care_management"),
        ("介護予防把握事業", "gp_identification"),
        ("地域リハビリテーション活動支援事業", "gp_rehabilitation"),
    ],
)
def test_lookup_finds_the_type_by_any_of_its_names(text, code):
    assert catalog.lookup(text).code == code


@pytest.mark.parametrize(
    "text", ["短期集中予防サービス", "通所型サービス", "", "サービスE（訪問型）"]
)
def test_lookup_refuses_names_that_do_not_name_one_type(text):
    assert catalog.lookup(text) is None


def test_directory_tag_choices_are_the_catalog_with_the_old_codes_and_labels_kept():
    assert SogoServiceType.values == [t.code for t in catalog.CATALOG]
    assert SogoServiceType("home_b").label == "訪問型サービスB"
    assert SogoServiceType("home_d").label == "訪問型サービスD（移動支援）"
    assert SogoServiceType("general_prevention").label == "一般介護予防事業"


def test_general_prevention_has_its_five_parts():
    parts = [t.name for t in catalog.parts_of("general_prevention")]
    assert parts == [
        "介護予防把握事業",
        "介護予防普及啓発事業",
        "地域介護予防活動支援事業",
        "一般介護予防事業評価事業",
        "地域リハビリテーション活動支援事業",
    ]


def test_every_type_keeps_its_2024_name_as_an_alias():
    home_b = catalog.get("home_b")
    assert home_b.name_2024 == "訪問型サービス・活動B"
    assert "訪問型サービス・活動B" in home_b.all_names


def test_directory_import_reads_the_2024_name_and_aliases(user_named, municipality):
    # given a resource file naming the type by its 2024 name and by a short alias
    town = municipality("香春町")
    council = "採銅所地域コミュニティ協議会"
    rows = [
        ["名称", "提供する団体", "分類", "総合事業の類型"],
        ["デモ ゴミ出し支援", council, "買い物支援", "訪問型サービス・活動B"],
        ["デモ 体操教室", council, "買い物支援", "サービスC（通所型）"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    table = read_table(buffer.getvalue().encode("utf-8-sig"), "資源.csv")
    # when
    report = run_import(table, kind="resource", municipality=town, actor=user_named("kawara"))
    # then
    assert report.ok, report.errors
    types = dict(
        Resource.objects.filter(municipality=town, name__startswith="デモ ").values_list(
            "name", "sogo_service_type"
        )
    )
    assert types == {"デモ ゴミ出し支援": "home_b", "デモ 体操教室": "day_c"}


def test_resource_page_links_its_type_to_the_catalog_page(client_as, municipality):
    town = municipality("鹿児島市")
    resource = Resource.objects.create(
        municipality=town,
        provider=Organisation.objects.filter(municipality=town).first(),
        category=Category.objects.first(),
        name="デモ 訪問B",
        sogo_service_type="home_b",
        visibility="public",
    )
    page = client_as("kagoshima").get(reverse("directory:resource_detail", args=[resource.pk]))
    assert f'href="{reverse("programs:catalog-type", args=["home_b"])}"' in page.content.decode()


def test_catalog_pages_are_public_and_grouped():
    page = Client().get(reverse("programs:catalog"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "訪問型サービス（サービス・活動事業）" in text
    assert "訪問型サービス・活動B" in text
    assert "地域リハビリテーション活動支援事業" in text


def test_catalog_type_page_shows_only_resources_in_the_readers_scope(client_as, municipality):
    # given an internal home_b resource in 鹿児島市
    town = municipality("鹿児島市")
    Resource.objects.create(
        municipality=town,
        provider=Organisation.objects.filter(municipality=town).first(),
        category=Category.objects.first(),
        name="デモ 内部の訪問B",
        sogo_service_type="home_b",
        visibility="internal",
    )
    url = reverse("programs:catalog-type", args=["home_b"])
    # then 鹿児島市 staff see it, 久留米市 staff and anonymous readers do not
    assert "デモ 内部の訪問B" in client_as("kagoshima").get(url).content.decode()
    assert "デモ 内部の訪問B" not in client_as("kurume").get(url).content.decode()
    assert "デモ 内部の訪問B" not in Client().get(url).content.decode()


def test_unknown_catalog_type_is_404():
    assert Client().get("/programs/catalog/home_z/").status_code == 404
