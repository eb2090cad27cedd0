"""Directory search: the result cache, the bulk indexing path and the cheaper public page.

The cache is used outside transactions only (``search.cache._may_cache``); every test runs in
pytest-django's transaction, so the cache tests pretend to run outside one. An edit must
never leave a stale result behind: the services replace the index version on each write.
"""

# ruff: noqa: F811  (the town fixtures are imported from test_search)
from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from tsunagu.areas.models import Municipality
from tsunagu.core.sorting import natural_sorted
from tsunagu.core.text import parse_query
from tsunagu.directory import selectors, services
from tsunagu.directory.models import Category, Organisation, Resource, SearchEntry, Visibility
from tsunagu.directory.search import cache as search_cache
from tsunagu.directory.search import documents, ranking, sql
from tsunagu.directory.search import index as search_index
from tsunagu.directory.search import query as search_query
from tsunagu.directory.search.filters import SearchFilters
from tsunagu.directory.search.index import entry_terms, index_new_resources, index_resources
from tsunagu.directory.search.query import search
from tsunagu.directory.search.results import SearchResult
from tsunagu.directory.services import OrganisationFields, ResourceFields
from tsunagu.directory.views.search import area_choices_for

from .test_import import HEADER as IMPORT_HEADER
from .test_import import resource_row
from .test_import import run as run_import
from .test_search import _town_ids, town  # noqa: F401  (fixtures)


@pytest.fixture
def cached(monkeypatch: pytest.MonkeyPatch) -> None:
    """Search as outside a transaction (where the cache is used), from an empty cache."""
    monkeypatch.setattr(search_cache, "_may_cache", lambda: True)
    search_cache._results.clear()
    yield
    search_cache._results.clear()


def _in_town(town: dict[str, Any], query: str, **kwargs: Any) -> SearchResult:
    return search(
        user=town["admin"],
        query=query,
        filters=SearchFilters(area=("municipality", town["municipality"].pk)),
        per_page=100,
        **kwargs,
    )


def _names(result: SearchResult) -> list[str]:
    return [hit.obj.name for hit in result.hits]


def test_a_repeated_search_is_answered_from_the_cache(
    town: dict[str, Any], cached: None, django_assert_max_num_queries: Any
) -> None:
    # given a search made once
    first = _in_town(town, "買い物")
    assert first.total > 0
    # when it is made again, only the page's records are loaded (no counting, no ranking)
    with django_assert_max_num_queries(6) as captured:
        again = _in_town(town, "買い物")
    # then
    assert _names(again) == _names(first)
    assert again.total == first.total and again.facets == first.facets
    assert not any("directory_searchentry" in q["sql"] for q in captured.captured_queries)


def test_an_edit_is_found_at_once_although_the_search_was_cached(
    town: dict[str, Any], cached: None
) -> None:
    # given a cached search that does not find the resource yet
    before = _names(_in_town(town, "ゆうやけ"))
    assert before == []
    resource = next(iter(town["resources"].values()))
    # when its name is changed through the service
    services.resource_update(
        resource=resource, fields=ResourceFields(name="ゆうやけ見守り隊"), actor=town["admin"]
    )
    # then the same search finds it, with the right total
    after = _in_town(town, "ゆうやけ")
    assert _names(after) == ["ゆうやけ見守り隊"]
    assert after.total == 1


def test_an_edit_that_hides_a_resource_removes_it_from_a_cached_public_search(
    town: dict[str, Any], cached: None
) -> None:
    resource = next(r for r in town["resources"].values() if r.visibility == Visibility.PUBLIC)
    name = resource.name

    def public_names() -> list[str]:
        return _names(_in_town(town, name, public_only=True))

    assert name in public_names()
    services.resource_update(
        resource=resource,
        fields=ResourceFields(visibility=Visibility.INTERNAL),
        actor=town["admin"],
    )
    assert name not in public_names()


def test_a_cached_result_page_shows_an_edit_at_once(
    town: dict[str, Any], cached: None, client_as: Any
) -> None:
    # given a search page whose result items were rendered and kept
    resource = next(r for r in town["resources"].values() if r.description)
    client = client_as("admin")
    area = f"municipality:{town['municipality'].pk}"
    link = reverse("directory:resource_detail", args=[resource.pk])

    def item() -> str:
        page = client.get("/directory/", {"q": resource.name, "area": area}).content.decode()
        return next(li for li in page.split('<li class="hit">') if f'href="{link}"' in li)

    assert resource.description[:20] in item()
    # when the resource's description is edited
    services.resource_update(
        resource=resource,
        fields=ResourceFields(description="説明を書き換えました。"),
        actor=town["admin"],
    )
    # then the same page shows the new text in its item
    assert "説明を書き換えました。" in item()


def test_public_and_staff_pages_keep_their_own_result_items(
    town: dict[str, Any], cached: None, client_as: Any
) -> None:
    # an internal resource shows its visibility badge to staff; the public page never
    # lists it, and a public one carries no badge on either page
    internal = next(r for r in town["resources"].values() if r.visibility != Visibility.PUBLIC)
    client = client_as("admin")
    area = f"municipality:{town['municipality'].pk}"
    staff_page = client.get("/directory/", {"q": internal.name, "area": area}).content
    assert internal.get_visibility_display() in staff_page.decode()
    public_page = client.get("/public/", {"q": internal.name}).content.decode()
    assert f">{internal.name}<" not in public_page


def test_the_public_area_choices_follow_an_edit_although_they_are_kept(
    town: dict[str, Any], cached: None, client: Any
) -> None:
    # given the public page, which offers the areas of municipalities with public resources
    district = town["districts"][0]
    assert f'value="district:{district.pk}"' in client.get("/public/").content.decode()
    # when every resource of the town is made internal
    for resource in Resource.objects.filter(municipality=town["municipality"]):
        services.resource_update(
            resource=resource,
            fields=ResourceFields(visibility=Visibility.INTERNAL),
            actor=town["admin"],
        )
    # then the town's areas are no longer offered
    assert f'value="district:{district.pk}"' not in client.get("/public/").content.decode()


def test_the_cache_is_not_used_inside_a_transaction(town: dict[str, Any]) -> None:
    # pytest-django runs each test in a transaction: nothing is kept
    search_cache._results.clear()
    assert connection.in_atomic_block
    _in_town(town, "買い物")
    assert search_cache._results._cache == {}  # type: ignore[attr-defined]


def test_users_with_different_scopes_do_not_share_cached_results(
    town: dict[str, Any], cached: None, user_named: Any
) -> None:
    resource = next(iter(town["resources"].values()))
    services.resource_update(
        resource=resource,
        fields=ResourceFields(name="ないしょの会", visibility=Visibility.INTERNAL),
        actor=town["admin"],
    )
    filters = SearchFilters(area=("municipality", town["municipality"].pk))
    admin = search(user=town["admin"], query="ないしょ", filters=filters)
    assert [hit.obj.name for hit in admin.hits] == ["ないしょの会"]
    # a municipal user of another town runs the same query after the admin
    other = search(user=user_named("kawara"), query="ないしょ", filters=filters)
    assert other.total == 0 and other.hits == []


def test_one_term_query_ranks_names_first_without_name_sub_queries(town: dict[str, Any]) -> None:
    # 配食 has a single term: every name match scores the same, no per-term look-up needed
    nodes = parse_query("配食")
    score = ranking._score(nodes, named_only=True)
    assert score.params == ()
    assert score.text == str(1 + ranking.NAME_CHUNK_WEIGHT + ranking.NAME_TERM_WEIGHT)
    # several terms: the chunk (any of them) is known, each term is still looked up
    nodes = parse_query("みまもり")
    score = ranking._score(nodes, named_only=True)
    terms = sql._query_terms(nodes)
    assert len(terms) > 1
    assert score.text.startswith(str(1 + ranking.NAME_CHUNK_WEIGHT))
    assert score.text.count("CASE WHEN") == len(terms)


# --- bulk indexing ----------------------------------------------------------------------


def test_bulk_created_resources_are_indexed_like_one_by_one(town: dict[str, Any]) -> None:
    # given the terms the services stored for the town's resources
    ids = [r.pk for r in town["resources"].values()]
    entries = SearchEntry.objects.filter(resource_id__in=ids)
    before = {e.resource_id: entry_terms(e) for e in entries}
    names_before = {e.resource_id: e.name for e in entries}
    # when they are indexed again from scratch through the bulk path (with a shared cache)
    SearchEntry.objects.filter(resource_id__in=ids).delete()
    phrases: dict[str, tuple[str, ...]] = {}
    index_resources(ids[:3], phrases=phrases)
    index_resources(ids[3:], phrases=phrases)
    # then every entry holds exactly the same terms
    entries = SearchEntry.objects.filter(resource_id__in=ids)
    assert {e.resource_id: entry_terms(e) for e in entries} == before
    assert {e.resource_id: e.name for e in entries} == names_before
    assert any(key.startswith("\0") for key in phrases)  # short texts were kept whole


def test_new_resources_indexed_in_bulk_hold_the_same_entries(town: dict[str, Any]) -> None:
    # given the entries the services stored for the town's resources
    ids = [r.pk for r in town["resources"].values()]
    columns = [f.attname for f in SearchEntry._meta.concrete_fields if not f.primary_key]

    def entries() -> dict[int, tuple[Any, ...]]:
        return {
            e.resource_id: (*(getattr(e, c) for c in columns), entry_terms(e))
            for e in SearchEntry.objects.filter(resource_id__in=ids)
        }

    before = entries()
    # when they are indexed again as an import's new rows (PostgreSQL streams them with
    # one COPY; in batches of 2 here), reporting progress
    SearchEntry.objects.filter(resource_id__in=ids).delete()
    reported: list[tuple[int, int]] = []
    index_new_resources(ids, batch_size=2, progress=lambda *p: reported.append(p))
    # then every entry is the same, columns and terms
    assert entries() == before
    assert reported[-1] == (len(ids), len(ids))
    assert [done for done, _ in reported] == sorted(done for done, _ in reported)
    # and they are found
    assert _in_town(town, "配食").total >= 1


def test_resource_create_many_indexes_the_new_resources(town: dict[str, Any]) -> None:
    provider = next(iter(town["orgs"].values()))
    created = services.resource_create_many(
        items=[
            ResourceFields(
                name=f"まとめ登録テスト送迎{i}",
                provider=provider,
                category=Category.objects.get(code="mobility"),
                visibility=Visibility.PUBLIC,
            )
            for i in range(3)
        ],
        actor=town["admin"],
    )
    assert SearchEntry.objects.filter(resource__in=created).count() == 3
    assert _in_town(town, "まとめ登録テスト").total == 3


def test_import_is_searchable_at_once_and_indexed_in_its_transaction(
    user_named: Any, municipality: Any
) -> None:
    kawara, kawara_town = user_named("kawara"), municipality("香春町")
    report = run_import(
        [_import_header(), resource_row("ほしぞら送迎クラブ")],
        user=kawara,
        municipality=kawara_town,
    )
    assert report.committed, report.errors
    result = search(user=kawara, query="ほしぞら")
    assert [hit.obj.name for hit in result.hits] == ["ほしぞら送迎クラブ"]


def test_an_index_failure_leaves_nothing_of_the_import(
    user_named: Any, municipality: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kawara, kawara_town = user_named("kawara"), municipality("香春町")
    before = (Resource.objects.count(), Resource.history.count(), SearchEntry.objects.count())

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("index unavailable")

    # (every indexing path reads the records' sources first: looked up in documents, and
    # in index for the streamed path of new resources on PostgreSQL)
    monkeypatch.setattr(documents, "_resource_sources", broken)
    monkeypatch.setattr(search_index, "_resource_sources", broken)
    with pytest.raises(RuntimeError):
        run_import(
            [_import_header(), resource_row("こわれた索引の会")],
            user=kawara,
            municipality=kawara_town,
        )
    after = (Resource.objects.count(), Resource.history.count(), SearchEntry.objects.count())
    assert after == before


def _import_header() -> list[str]:
    return list(IMPORT_HEADER)


# --- public page ------------------------------------------------------------------------


def test_public_municipality_list_is_those_with_a_public_resource(db: Any) -> None:
    ids = selectors.public_resource_list().values_list("municipality", flat=True)
    expected = list(Municipality.objects.filter(pk__in=ids).order_by("code"))
    assert list(selectors.public_municipality_list()) == expected
    assert expected  # the demo data has public resources


def test_area_choices_list_each_municipalitys_areas_then_districts(db: Any) -> None:
    municipalities = Municipality.objects.filter(districts__isnull=False).distinct()
    choices = area_choices_for(municipalities.order_by("code"))
    assert choices
    for name, options in choices:
        municipality = Municipality.objects.get(name=name)
        areas = natural_sorted(municipality.daily_life_areas.all(), key=lambda a: a.name)
        districts = natural_sorted(municipality.districts.all(), key=lambda d: d.name)
        expected = [f"daily_life_area:{a.pk}" for a in areas]
        expected += [f"district:{d.pk}" for d in districts]
        assert [value for value, _ in options] == expected


def test_public_search_page_links_the_print_chooser(client: Any, db: Any) -> None:
    body = client.get("/public/", {"q": "見守"}).content.decode()
    assert "/public/print/" in body


def test_provider_visibility_still_scopes_cached_public_results(
    town: dict[str, Any], cached: None
) -> None:
    provider: Organisation = next(
        o for o in town["orgs"].values() if o.resources.filter(visibility="public").exists()
    )
    name = provider.resources.filter(visibility="public").first().name
    assert name in _names(_in_town(town, name, public_only=True))
    services.organisation_update(
        organisation=provider,
        fields=OrganisationFields(visibility=Visibility.PARTNERS),
        actor=town["admin"],
    )
    assert name not in _names(_in_town(town, name, public_only=True))


@pytest.mark.parametrize(
    "query", ["支援", "見守り 支援", "ゴミ 見守り", "一人暮らし", "買い物支援", "支援 送迎"]
)
@pytest.mark.parametrize("use_cache", [False, True])
def test_pages_from_name_matches_to_the_rest_are_the_same_in_any_order_and_cached(
    town: dict[str, Any], monkeypatch: pytest.MonkeyPatch, query: str, use_cache: bool
) -> None:
    # Many results are paged as name matches, then the rest by name; how many results
    # match in the name is learnt from the first page or counted when a later page is
    # asked first, and cached with the search.
    monkeypatch.setattr(search_query, "RANK_ALL_UP_TO", 0)
    monkeypatch.setattr(search_query, "SINGLE_PASS_UP_TO", 0)
    if use_cache:
        monkeypatch.setattr(search_cache, "_may_cache", lambda: True)
    search_cache._results.clear()
    filters = SearchFilters(area=("municipality", town["municipality"].pk))
    everything = search(user=town["admin"], query=query, filters=filters, per_page=100)
    expected = [(h.kind, h.obj.pk, h.score) for h in everything.hits]

    def page(n: int) -> list[tuple[str, int, float]]:
        result = search(user=town["admin"], query=query, filters=filters, page=n, per_page=2)
        return [(h.kind, h.obj.pk, h.score) for h in result.hits]

    count = max(1, -(-len(expected) // 2))
    search_cache._results.clear()
    backwards = [page(n) for n in range(count, 0, -1)]  # a later page first
    search_cache._results.clear()
    forwards = [page(n) for n in range(1, count + 1)]
    assert [hit for p in forwards for hit in p] == expected
    assert [hit for p in reversed(backwards) for hit in p] == expected
    search_cache._results.clear()
