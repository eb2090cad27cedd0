"""Directory search (issue 3, point 4): Japanese variants, filters, facets, scoping, index sync.

The fixture town 試験町 holds its own organisations and resources, written through the
services (so indexed as in production); searches are restricted to it with the area
filter, so the demo data does not change the expected lists. The same expectations run
on SQLite and PostgreSQL (CI runs the suite on both): the same query gives the same
results, in the same order, on either database.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection, transaction

from tsunagu.areas.models import DailyLifeArea, District, Municipality, Prefecture
from tsunagu.core.actions import display_reason
from tsunagu.directory import services
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Organisation,
    OrganisationType,
    Resource,
    SearchEntry,
    Visibility,
)
from tsunagu.directory.search.filters import SearchFilters
from tsunagu.directory.search.index import entry_terms, rebuild_index
from tsunagu.directory.search.query import search
from tsunagu.directory.services import OrganisationFields, ResourceFields


def _category(code: str) -> Category:
    return Category.objects.get(code=code)


def _eligibility(*codes: str) -> list[Eligibility]:
    return list(Eligibility.objects.filter(code__in=codes))


def build_town(admin: Any) -> dict[str, Any]:
    """試験町 (a test municipality) with 2 daily-life areas, 3 districts, 4 organisations
    and 8 resources, written as the system administrator through the services."""
    municipality = Municipality.objects.create(
        prefecture=Prefecture.objects.get(code="400009"), code="409995", name="試験町"
    )
    north = DailyLifeArea.objects.create(municipality=municipality, name="北圏域")
    south = DailyLifeArea.objects.create(municipality=municipality, name="南圏域")
    d1 = District.objects.create(municipality=municipality, name="一区", daily_life_area=north)
    d2 = District.objects.create(municipality=municipality, name="二区", daily_life_area=north)
    d3 = District.objects.create(municipality=municipality, name="三区", daily_life_area=south)

    def org(name: str, org_type: str, **data: Any) -> Organisation:
        return services.organisation_create(
            fields=OrganisationFields(
                **{
                    "name": name,
                    "org_type": org_type,
                    "municipality": municipality,
                    "visibility": Visibility.PUBLIC,
                    **data,
                }
            ),
            actor=admin,
        )

    def res(name: str, provider: Organisation, category: str, **data: Any) -> Resource:
        return services.resource_create(
            fields=ResourceFields(
                **{
                    "name": name,
                    "provider": provider,
                    "category": _category(category),
                    "visibility": Visibility.PUBLIC,
                    **data,
                }
            ),
            actor=admin,
        )

    council = org(
        "試験町社会福祉協議会",
        OrganisationType.SOCIAL_WELFARE_COUNCIL,
        serves_whole_municipality=True,
        description="ボランティアの育成と地域福祉の推進。",
    )
    watchers = org(
        "みまもり隊",
        OrganisationType.VOLUNTEER_GROUP,
        districts=[d1],
        description="住民による声かけの活動。",
    )
    shop = org(
        "ｶﾜｾ商店",  # half-width katakana as typed on old PCs
        OrganisationType.COMPANY,
        districts=[d3],
        description="移動販売車で日用品の買物を支える。",
    )
    school = org(
        "ＡＢＣ自動車学校",  # full-width latin
        OrganisationType.DRIVING_SCHOOL,
        daily_life_areas=[north],
        description="教習車と送迎バスの空き時間を地域に提供。",
    )
    resources = {
        "bus": res(
            "買い物支援バス",
            school,
            "shopping",
            districts=[d1],
            eligibility=_eligibility("age-65"),
            weekly_slots=[{"weekday": 1}],
            description="スーパーまで送迎します。申込は電話で受け付けます。",
        ),
        "garbage": res(
            "ゴミ出し支援",
            watchers,
            "garbage",
            districts=[d1, d2],
            eligibility=_eligibility("living-alone"),
            weekly_slots=[{"weekday": 0}, {"weekday": 3}],
            description="集積所まで運びます。",
        ),
        "meals": res(
            "配食サービス",
            council,
            "meals",
            serves_whole_municipality=True,
            eligibility=_eligibility("age-65", "living-alone"),
            weekly_slots=[{"weekday": 2}],
            description="ひとり暮らしの方に昼食を届け、安否も確認します。",
        ),
        "visits": res(
            "見守り訪問",
            watchers,
            "watching",
            districts=[d2],
            weekly_slots=[{"weekday": 4}],
            description="週に一度、お宅を訪ねて声をかけます。",
        ),
        "salon": res(
            "ふれあいサロン",
            council,
            "gathering",
            districts=[d3],
            weekly_slots=[{"weekday": 2}],
            description="介護予防の体操。サービスC修了後の受皿づくり。",
        ),
        "escort": res(
            "通院の付き添い",
            council,
            "escort",
            daily_life_areas=[south],
            eligibility=_eligibility("support-required"),
            description="通院や買い物への移動支援。申し込みは3日前までに。",
        ),
        "alarm": res(
            "緊急通報装置の貸与",
            council,
            "emergency-alarm",
            serves_whole_municipality=True,
            eligibility=_eligibility("living-alone"),
            description="一人暮らしの高齢者の自宅に装置を置きます。",
        ),
        "cafe": res(
            "オレンジカフェ",
            council,
            "dementia-cafe",
            districts=[d2],
            visibility=Visibility.PARTNERS,
            description="認知症の方と家族のつどい。",
        ),
    }
    return {
        "admin": admin,
        "municipality": municipality,
        "north": north,
        "south": south,
        "districts": (d1, d2, d3),
        "orgs": {"council": council, "watchers": watchers, "shop": shop, "school": school},
        "resources": resources,
    }


@pytest.fixture(autouse=True, params=["one pass", "grouped", "columns"])
def counting(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Any:
    """Every test three times: small results are counted and ranked in one pass over them;
    large ones by a grouped count and a ranking query in SQL (inside a transaction), or
    over the in-process columns (outside one). A limit of 0 forces the large paths here."""
    from tsunagu.directory.search import columns as search_columns
    from tsunagu.directory.search import query as search_query

    if request.param != "one pass":
        monkeypatch.setattr(search_query, "SINGLE_PASS_UP_TO", 0)
    if request.param == "columns":
        settings.SEARCH_COLUMNS_IN_TRANSACTIONS = True  # undone after the test (pytest-django)
        if "beyond_the_bit_mask" not in request.node.name:

            def sql_path(*args: Any, **kwargs: Any) -> None:
                raise AssertionError("the columns' path should have answered")

            # the SQL path for large results must not be what answers in this mode
            monkeypatch.setattr(search_query, "_facets", sql_path)
            monkeypatch.setattr(search_query, "_page_rows", sql_path)
    # columns read in another test's transaction (rolled back since) must not be reused
    search_columns.clear()
    yield request.param
    search_columns.clear()


@pytest.fixture(scope="module")
def _town_ids(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Build 試験町 once for this module, inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (pytest-django's ``db``), so tests may
    change the town freely; the writes through the services take about a second, which
    would otherwise be paid by every test.
    """
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            town = build_town(get_user_model().objects.get(username="admin"))
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield {
        "municipality": town["municipality"].pk,
        "north": town["north"].pk,
        "south": town["south"].pk,
        "districts": [d.pk for d in town["districts"]],
        "orgs": {k: v.pk for k, v in town["orgs"].items()},
        "resources": {k: v.pk for k, v in town["resources"].items()},
    }
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def town(_town_ids: dict[str, Any], db: Any, user_named: Any) -> dict[str, Any]:
    """The town's records, fetched afresh for each test (tests change them)."""
    return {
        "admin": user_named("admin"),
        "municipality": Municipality.objects.get(pk=_town_ids["municipality"]),
        "north": DailyLifeArea.objects.get(pk=_town_ids["north"]),
        "south": DailyLifeArea.objects.get(pk=_town_ids["south"]),
        "districts": tuple(District.objects.get(pk=pk) for pk in _town_ids["districts"]),
        "orgs": {k: Organisation.objects.get(pk=pk) for k, pk in _town_ids["orgs"].items()},
        "resources": {k: Resource.objects.get(pk=pk) for k, pk in _town_ids["resources"].items()},
    }


def _names(town: dict[str, Any], query: str, **filters: Any) -> list[str]:
    result = search(
        user=town["admin"],
        query=query,
        filters=SearchFilters(area=("municipality", town["municipality"].pk), **filters),
        per_page=100,
    )
    return [hit.obj.name for hit in result.hits]


# (query, expected names in rank order). Matches in the name rank first, then name order.
VARIANTS: list[tuple[str, list[str]]] = [
    # NFKC width folding
    ("ｶﾜｾ", ["ｶﾜｾ商店"]),
    ("カワセ", ["ｶﾜｾ商店"]),
    ("abc", ["ＡＢＣ自動車学校", "買い物支援バス"]),
    ("ＡＢＣ", ["ＡＢＣ自動車学校", "買い物支援バス"]),
    # okurigana and kanji/kana variants through SudachiPy normalised forms
    # (names sort by code point: half-width ｶ comes after the kanji)
    ("買物", ["買い物支援バス", "通院の付き添い", "ｶﾜｾ商店"]),
    ("買い物", ["買い物支援バス", "通院の付き添い", "ｶﾜｾ商店"]),
    ("受け皿", ["ふれあいサロン"]),
    ("受皿", ["ふれあいサロン"]),
    ("申し込み", ["買い物支援バス", "通院の付き添い"]),
    ("申込", ["買い物支援バス", "通院の付き添い"]),
    # (ゴミ出し支援 is for 一人暮らしの方: eligibility names are searchable)
    ("一人暮らし", ["ゴミ出し支援", "緊急通報装置の貸与", "配食サービス"]),
    ("ひとり暮らし", ["ゴミ出し支援", "緊急通報装置の貸与", "配食サービス"]),
    # kanji/katakana/hiragana spellings the normalised form misses
    ("ごみ", ["ゴミ出し支援"]),
    ("ゴミ", ["ゴミ出し支援"]),
    # (ゴミ出し支援 is provided by みまもり隊; 緊急通報装置 is a 見守り category)
    ("見守り", ["みまもり隊", "見守り訪問", "ゴミ出し支援", "緊急通報装置の貸与"]),
    ("みまもり", ["みまもり隊", "見守り訪問", "ゴミ出し支援", "緊急通報装置の貸与"]),
    # one and two characters
    ("移動", ["通院の付き添い", "ｶﾜｾ商店"]),
    ("見守", ["みまもり隊", "見守り訪問", "ゴミ出し支援", "緊急通報装置の貸与"]),
    ("配食", ["配食サービス"]),
    # (付き添い is a child of the category 移動支援・送迎)
    ("送迎", ["買い物支援バス", "通院の付き添い", "ＡＢＣ自動車学校"]),
    ("付添", ["通院の付き添い"]),
    ("家", ["オレンジカフェ"]),
    # several words: all must match (AND), in any field
    ("一人暮らし 配食", ["配食サービス"]),
    ("ゴミ 見守り", ["ゴミ出し支援"]),
    ("社協 配食", []),
    # kana typed for kanji, and a homophone that must not match
    ("はいしょく", ["配食サービス"]),
    ("いどう", ["通院の付き添い", "ｶﾜｾ商店"]),
    ("異動", []),
    # areas and categories are searchable words too
    ("一区 ゴミ", ["ゴミ出し支援"]),
    ("認知症", ["オレンジカフェ"]),
]


@pytest.mark.parametrize(("query", "expected"), VARIANTS, ids=[q for q, _ in VARIANTS])
def test_query_variants_find_the_same_records_on_either_database(
    town: dict[str, Any], query: str, expected: list[str]
) -> None:
    assert _names(town, query) == expected, connection.vendor


def test_empty_query_lists_everything_visible_by_name(town: dict[str, Any]) -> None:
    names = _names(town, "")
    assert len(names) == 12
    assert names == sorted(names)


def test_name_matches_rank_before_matches_elsewhere(town: dict[str, Any]) -> None:
    result = search(
        user=town["admin"],
        query="支援",
        filters=SearchFilters(area=("municipality", town["municipality"].pk)),
    )
    names = [h.obj.name for h in result.hits]
    scores = [h.score for h in result.hits]
    # 支援 in the name first; then matches through the description or category (生活支援)
    assert names == [
        "ゴミ出し支援",
        "買い物支援バス",
        "緊急通報装置の貸与",
        "見守り訪問",
        "通院の付き添い",
        "配食サービス",
    ]
    assert scores[0] == scores[1] > scores[2] == scores[-1]


def test_more_query_terms_in_the_name_rank_higher(town: dict[str, Any]) -> None:
    admin, provider = town["admin"], town["orgs"]["watchers"]

    def resource(name: str, description: str) -> None:
        services.resource_create(
            fields=ResourceFields(
                name=name,
                provider=provider,
                category=_category("other"),
                visibility=Visibility.PUBLIC,
                description=description,
            ),
            actor=admin,
        )

    resource("見守り支援ネット", "")  # both words in the name
    resource("声かけ支援", "見守りを兼ねます。")  # one in the name
    resource("訪問の会", "見守りと支援。")  # none in the name
    result = search(
        user=admin,
        query="見守り 支援",
        filters=SearchFilters(area=("municipality", town["municipality"].pk)),
    )
    scores = {h.obj.name: h.score for h in result.hits}
    assert result.hits[0].obj.name == "見守り支援ネット"
    assert scores["見守り支援ネット"] > scores["声かけ支援"] > scores["訪問の会"] == 1.0


def test_facets_count_results_by_category_type_eligibility_weekday_and_kind(
    town: dict[str, Any],
) -> None:
    result = search(
        user=town["admin"],
        query="",
        filters=SearchFilters(area=("municipality", town["municipality"].pk)),
    )
    facets = {name: {f.label: f.count for f in items} for name, items in result.facets.items()}
    assert facets["kind"] == {"地域資源": 8, "団体・組織": 4}
    # a parent category counts its children: 生活支援 = 見守り(2: 訪問, 装置) + ゴミ + 買い物 + 配食
    assert facets["category"] == {
        "生活支援": 5,
        "見守り・安否確認": 2,
        "緊急通報装置": 1,
        "ゴミ出し支援": 1,
        "買い物支援": 1,
        "配食": 1,
        "移動支援・送迎": 1,
        "付き添い": 1,
        "通いの場・サロン": 2,
        "認知症カフェ": 1,
    }
    assert facets["eligibility"] == {"65歳以上": 2, "要支援": 1, "一人暮らしの方": 3}
    assert facets["weekday"] == {"月曜": 1, "火曜": 1, "水曜": 2, "木曜": 1, "金曜": 1}
    assert facets["org_type"] == {
        "社会福祉協議会": 6,  # the council and its 5 resources
        "ボランティア団体・住民主体の活動団体": 3,
        "民間企業": 1,
        "自動車学校": 2,
    }


def test_a_facet_ignores_its_own_filter_but_applies_the_others(town: dict[str, Any]) -> None:
    result = search(
        user=town["admin"],
        query="",
        filters=SearchFilters(
            area=("municipality", town["municipality"].pk),
            categories=[_category("meals").pk],
            weekdays=[2],
        ),
    )
    assert [h.obj.name for h in result.hits] == ["配食サービス"]
    categories = {f.label: f.count for f in result.facets["category"]}
    assert categories == {"生活支援": 1, "配食": 1, "通いの場・サロン": 1}  # Wednesday's
    weekdays = {f.label: f.count for f in result.facets["weekday"]}
    assert weekdays == {"水曜": 1}  # meals only
    assert {f.key: f.count for f in result.facets["kind"]} == {"resource": 1, "organisation": 0}


def test_category_filter_includes_descendants_and_drops_organisations(
    town: dict[str, Any],
) -> None:
    names = _names(town, "", categories=[_category("watching").pk])
    assert names == ["緊急通報装置の貸与", "見守り訪問"]
    assert len(_names(town, "", categories=[_category("daily-life").pk])) == 5


def test_district_filter_finds_what_serves_it(town: dict[str, Any]) -> None:
    d1, _, d3 = town["districts"]
    result = search(
        user=town["admin"], filters=SearchFilters(area=("district", d1.pk)), per_page=100
    )
    # names in code-point order (as sorted() gives): hiragana, katakana, kanji, full-width
    assert [h.obj.name for h in result.hits] == sorted(
        [
            "ゴミ出し支援",
            "みまもり隊",  # listed 一区
            "ＡＢＣ自動車学校",  # active in 北圏域, which holds 一区
            "緊急通報装置の貸与",  # whole municipality
            "試験町社会福祉協議会",  # whole municipality
            "買い物支援バス",
            "配食サービス",  # whole municipality
        ]
    )
    south = search(user=town["admin"], filters=SearchFilters(area=("district", d3.pk)))
    assert {h.obj.name for h in south.hits} == {
        "ｶﾜｾ商店",
        "ふれあいサロン",
        "通院の付き添い",  # serves 南圏域, which holds 三区
        "緊急通報装置の貸与",
        "試験町社会福祉協議会",
        "配食サービス",
    }


def test_daily_life_area_filter_includes_its_districts(town: dict[str, Any]) -> None:
    result = search(
        user=town["admin"],
        query="",
        filters=SearchFilters(area=("daily_life_area", town["north"].pk), kinds=["resource"]),
    )
    assert {h.obj.name for h in result.hits} == {
        "買い物支援バス",
        "ゴミ出し支援",
        "見守り訪問",
        "オレンジカフェ",
        "配食サービス",
        "緊急通報装置の貸与",
    }


def test_eligibility_weekday_and_org_type_filters(town: dict[str, Any]) -> None:
    living_alone = Eligibility.objects.get(code="living-alone").pk
    age = Eligibility.objects.get(code="age-65").pk
    assert _names(town, "", eligibility=[age]) == ["買い物支援バス", "配食サービス"]
    assert _names(town, "", eligibility=[age, living_alone]) == [
        "ゴミ出し支援",
        "緊急通報装置の貸与",
        "買い物支援バス",
        "配食サービス",
    ]
    assert _names(town, "", weekdays=[0, 1]) == ["ゴミ出し支援", "買い物支援バス"]
    assert _names(town, "", org_types=[OrganisationType.DRIVING_SCHOOL]) == [
        "買い物支援バス",
        "ＡＢＣ自動車学校",
    ]
    assert _names(town, "支援", org_types=[OrganisationType.VOLUNTEER_GROUP]) == [
        "ゴミ出し支援",
        "見守り訪問",  # 生活支援 (its parent category)
    ]
    assert _names(town, "", kinds=["organisation"]) == [
        "みまもり隊",
        "試験町社会福祉協議会",
        "ＡＢＣ自動車学校",
        "ｶﾜｾ商店",
    ]


def test_pagination_splits_ordered_results(town: dict[str, Any]) -> None:
    filters = SearchFilters(area=("municipality", town["municipality"].pk))
    everything = _names(town, "")
    pages = [search(user=town["admin"], filters=filters, page=n, per_page=5) for n in (1, 2, 3)]
    assert [p.total for p in pages] == [12, 12, 12]
    assert [p.num_pages for p in pages] == [3, 3, 3]
    assert [len(p.hits) for p in pages] == [5, 5, 2]
    assert [h.obj.name for p in pages for h in p.hits] == everything
    assert (pages[0].has_previous, pages[0].has_next) == (False, True)
    assert (pages[2].has_previous, pages[2].has_next) == (True, False)
    beyond = search(user=town["admin"], filters=filters, page=99, per_page=5)
    assert beyond.page == 3


def test_other_municipality_user_does_not_find_partner_only_resources(
    town: dict[str, Any], user_named: Any, municipality: Any
) -> None:
    kawara = user_named("kawara")
    provider = services.organisation_create(
        fields=OrganisationFields(
            name="試験用の見守りネットワーク会",
            org_type=OrganisationType.VOLUNTEER_GROUP,
            municipality=municipality("香春町"),
            visibility=Visibility.PUBLIC,
        ),
        actor=kawara,
    )
    services.resource_create(
        fields=ResourceFields(
            name="試験用の夜間見守り連絡網",
            provider=provider,
            category=_category("watching"),
            visibility=Visibility.PARTNERS,
        ),
        actor=kawara,
    )
    services.resource_create(
        fields=ResourceFields(
            name="試験用の見守り相談会",
            provider=provider,
            category=_category("watching"),
            visibility=Visibility.PUBLIC,
        ),
        actor=kawara,
    )

    def found(user: Any, **kwargs: Any) -> set[str]:
        result = search(user=user, query="試験用 見守り", **kwargs)
        return {h.obj.name for h in result.hits}

    everything = {
        "試験用の見守りネットワーク会",
        "試験用の夜間見守り連絡網",
        "試験用の見守り相談会",
    }
    assert found(kawara) == everything
    assert found(user_named("saiki")) == everything - {"試験用の夜間見守り連絡網"}
    assert found(None, public_only=True) == everything - {"試験用の夜間見守り連絡網"}
    # the partners-only café of 試験町 is not on the public page either
    assert "オレンジカフェ" in {h.obj.name for h in search(user=town["admin"], query="カフェ").hits}
    public = search(user=None, query="カフェ", public_only=True)
    assert "オレンジカフェ" not in {h.obj.name for h in public.hits}


def test_public_only_hides_ended_resources_and_non_public_records(town: dict[str, Any]) -> None:
    services.resource_update(
        resource=town["resources"]["meals"],
        fields=ResourceFields(status="ended"),
        actor=town["admin"],
    )
    signed_in = _names(town, "配食")
    public = search(
        user=None,
        query="配食",
        filters=SearchFilters(area=("municipality", town["municipality"].pk)),
        public_only=True,
    )
    assert signed_in == ["配食サービス"]
    assert public.hits == []


def test_renamed_resource_is_found_by_its_new_name_only(town: dict[str, Any]) -> None:
    # given
    resource = town["resources"]["salon"]
    history_before = resource.history.count()
    # when
    services.resource_update(
        resource=resource, fields=ResourceFields(name="いきいき体操教室"), actor=town["admin"]
    )
    # then
    assert _names(town, "体操教室") == ["いきいき体操教室"]
    assert _names(town, "ふれあい") == []
    assert resource.history.count() == history_before + 1
    assert display_reason(resource.history.first().history_change_reason) == "地域資源を変更"


def test_created_records_are_indexed_in_the_same_transaction(town: dict[str, Any]) -> None:
    before = SearchEntry.objects.count()
    resource = services.resource_create(
        fields=ResourceFields(
            name="買物代行",
            provider=town["orgs"]["shop"],
            category=_category("shopping"),
            visibility=Visibility.PUBLIC,
            eligibility=_eligibility("care-required"),
        ),
        actor=town["admin"],
    )
    assert SearchEntry.objects.count() == before + 1
    assert "要介護" in entry_terms(SearchEntry.objects.get(resource=resource))
    assert _names(town, "買い物 代行") == ["買物代行"]
    created = resource.history.get(history_type="+")
    assert display_reason(created.history_change_reason) == "地域資源を登録"
    assert created.history_user == town["admin"]


def test_changed_relations_and_provider_name_are_reindexed(town: dict[str, Any]) -> None:
    admin = town["admin"]
    d3 = town["districts"][2]
    services.resource_update(
        resource=town["resources"]["bus"], fields=ResourceFields(districts=[d3]), actor=admin
    )
    assert _names(town, "三区 バス") == ["買い物支援バス"]
    services.organisation_update(
        organisation=town["orgs"]["school"],
        fields=OrganisationFields(name="試験自動車教習所"),
        actor=admin,
    )
    assert _names(town, "教習所 送迎") == ["試験自動車教習所", "買い物支援バス"]
    assert _names(town, "ＡＢＣ") == []


def test_denied_update_changes_neither_record_nor_index(
    town: dict[str, Any], user_named: Any
) -> None:
    from tsunagu.core.errors import PermissionDenied

    resource = town["resources"]["bus"]
    entry_before = entry_terms(SearchEntry.objects.get(resource=resource))
    with pytest.raises(PermissionDenied):
        services.resource_update(
            resource=resource, fields=ResourceFields(name="乗っ取り"), actor=user_named("saiki")
        )
    resource.refresh_from_db()
    assert resource.name == "買い物支援バス"
    assert entry_terms(SearchEntry.objects.get(resource=resource)) == entry_before


def test_rebuild_index_restores_the_same_results(town: dict[str, Any]) -> None:
    before = {q: _names(town, q) for q in ("見守", "買物", "一人暮らし", "")}
    SearchEntry.objects.all().delete()
    assert _names(town, "見守") == []
    count = rebuild_index()
    assert count == Organisation.objects.count() + Resource.objects.count()
    assert {q: _names(town, q) for q in before} == before


def test_rebuild_search_index_command(town: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "検索索引を作り直しました" in out.getvalue()
    assert _names(town, "配食") == ["配食サービス"]


def test_punctuation_only_query_lists_everything(town: dict[str, Any]) -> None:
    assert _names(town, "・・！") == _names(town, "")


def test_dated_sessions_do_not_disturb_the_index(town: dict[str, Any]) -> None:
    services.resource_update(
        resource=town["resources"]["salon"],
        fields=ResourceFields(sessions=[{"date": datetime.date(2025, 5, 14)}]),
        actor=town["admin"],
    )
    assert _names(town, "受皿") == ["ふれあいサロン"]


@pytest.mark.parametrize(
    "username", ["admin", "kawara", "saiki", "kawara-council", "kurume-viewer", "fukuoka", None]
)
def test_search_sees_exactly_what_the_selectors_give(
    town: dict[str, Any], user_named: Any, username: str | None
) -> None:
    from tsunagu.directory import selectors

    user = user_named(username) if username else None
    result = search(user=user, per_page=10_000)
    found = {(h.kind, h.obj.pk) for h in result.hits}
    expected = {
        ("resource", pk)
        for pk in selectors.resource_list_visible_to(user=user).values_list("pk", flat=True)
    }
    expected |= {
        ("organisation", pk)
        for pk in selectors.organisation_list_visible_to(user=user).values_list("pk", flat=True)
    }
    assert found == expected
    assert result.total == len(expected)
    public = search(user=user, per_page=10_000, public_only=True)
    expected_public = {
        ("resource", pk) for pk in selectors.public_resource_list().values_list("pk", flat=True)
    }
    expected_public |= {
        ("organisation", pk)
        for pk in selectors.organisation_list_visible_to(user=None).values_list("pk", flat=True)
    }
    assert {(h.kind, h.obj.pk) for h in public.hits} == expected_public


def test_provider_visibility_change_reaches_its_resources(
    town: dict[str, Any], user_named: Any
) -> None:
    saiki = user_named("saiki")
    assert _names_as(saiki, town, "ゴミ") == ["ゴミ出し支援"]
    services.organisation_update(
        organisation=town["orgs"]["watchers"],
        fields=OrganisationFields(visibility=Visibility.PARTNERS),
        actor=town["admin"],
    )
    assert _names_as(saiki, town, "ゴミ") == []  # its provider is no longer visible to 佐伯市
    assert _names(town, "ゴミ") == ["ゴミ出し支援"]


def test_schedule_change_updates_the_weekday_filter(town: dict[str, Any]) -> None:
    assert _names(town, "", weekdays=[6]) == []
    services.resource_update(
        resource=town["resources"]["salon"],
        fields=ResourceFields(weekly_slots=[{"weekday": 6}]),
        actor=town["admin"],
    )
    assert _names(town, "", weekdays=[6]) == ["ふれあいサロン"]
    assert _names(town, "サロン", weekdays=[2]) == []


def _names_as(user: Any, town: dict[str, Any], query: str) -> list[str]:
    result = search(
        user=user,
        query=query,
        filters=SearchFilters(area=("municipality", town["municipality"].pk)),
        per_page=100,
    )
    return [hit.obj.name for hit in result.hits]


@pytest.mark.parametrize("rank_all_up_to", [1000, 0])
def test_pages_of_a_query_continue_from_name_matches_to_other_matches(
    town: dict[str, Any], monkeypatch: pytest.MonkeyPatch, rank_all_up_to: int
) -> None:
    # many results are paged as name matches then the rest by name (0 forces that here)
    from tsunagu.directory.search import query as search_query

    monkeypatch.setattr(search_query, "RANK_ALL_UP_TO", rank_all_up_to)
    filters = SearchFilters(area=("municipality", town["municipality"].pk))
    everything = search(user=town["admin"], query="支援", filters=filters, per_page=100)
    pages = [
        search(user=town["admin"], query="支援", filters=filters, page=n, per_page=2)
        for n in (1, 2, 3)
    ]
    assert [h.obj.pk for p in pages for h in p.hits] == [h.obj.pk for h in everything.hits]
    assert [h.score for p in pages for h in p.hits] == [h.score for h in everything.hits]


@pytest.mark.parametrize("query", ["", "支援", "見守"])
def test_walking_the_name_index_gives_the_same_pages(
    town: dict[str, Any], monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    from tsunagu.directory.search import query as search_query
    from tsunagu.directory.search import ranking

    filters = SearchFilters(area=("municipality", town["municipality"].pk))

    def pages() -> list[str]:
        return [
            h.obj.name
            for n in (1, 2, 3, 4)
            for h in search(
                user=town["admin"], query=query, filters=filters, page=n, per_page=3
            ).hits
        ]

    sorted_pages = pages()
    monkeypatch.setattr(search_query, "RANK_ALL_UP_TO", 0)
    assert pages() == sorted_pages
    monkeypatch.setattr(ranking, "WALK_NAME_INDEX_FROM", 0)
    assert pages() == sorted_pages


def test_eligibility_and_weekday_facets_each_ignore_only_their_own_filter(
    town: dict[str, Any],
) -> None:
    living_alone = Eligibility.objects.get(code="living-alone").pk
    result = search(
        user=town["admin"],
        filters=SearchFilters(
            area=("municipality", town["municipality"].pk),
            eligibility=[living_alone],
            weekdays=[0],
        ),
    )
    assert [h.obj.name for h in result.hits] == ["ゴミ出し支援"]  # alone and on Mondays
    # eligibility counts: Monday's resources (ゴミ出し支援 only)
    assert {f.label: f.count for f in result.facets["eligibility"]} == {"一人暮らしの方": 1}
    # weekday counts: resources for people living alone (ゴミ出し支援 Mon/Thu, 配食 Wed)
    assert {f.label: f.count for f in result.facets["weekday"]} == {
        "月曜": 1,
        "水曜": 1,
        "木曜": 1,
    }


def test_eligibility_beyond_the_bit_mask_is_counted_and_filtered(
    town: dict[str, Any],
) -> None:
    late = Eligibility.objects.create(pk=500, code="test-late", name="試験用の対象者")
    services.resource_update(
        resource=town["resources"]["cafe"],
        fields=ResourceFields(eligibility=[late]),
        actor=town["admin"],
    )
    assert _names(town, "", eligibility=[late.pk]) == ["オレンジカフェ"]
    result = search(
        user=town["admin"], filters=SearchFilters(area=("municipality", town["municipality"].pk))
    )
    assert {f.label: f.count for f in result.facets["eligibility"]}["試験用の対象者"] == 1


def test_the_columns_switch_is_a_setting_not_a_module_flag() -> None:
    from django.conf import settings as django_settings

    from tsunagu.directory.search import cache, columns, query

    for module in (cache, columns, query):
        assert not hasattr(module, "COLUMNS_IN_TRANSACTIONS")
    assert django_settings.SEARCH_COLUMNS_IN_TRANSACTIONS in (True, False)
