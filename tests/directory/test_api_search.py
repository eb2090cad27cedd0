"""The API searches like the search page (issue 13, item 8): the same engine, filters,
total and order, with no cap on the hits a text query considers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tsunagu.areas.models import District
from tsunagu.directory import services
from tsunagu.directory.models import Category, Eligibility, Organisation, Visibility
from tsunagu.directory.services import OrganisationFields, ResourceFields

DIR = "/api/v1/directory"
WORD = "はなみずき送迎"
MANY = 520  # more than the 500 hits the API used to stop at
PER_PAGE = 20  # the search page's


@pytest.fixture
def many(user_named: Any, municipality: Any) -> dict[str, Any]:
    """520 public resources of two providers in 香春町 whose names hold WORD, with a
    weekday, a category, a district and an eligibility each on a different share."""
    admin = user_named("admin")
    kawara = municipality("香春町")
    providers = [
        services.organisation_create(
            fields=OrganisationFields(
                name=f"{WORD}の会{n}",
                org_type="volunteer_group",
                municipality=kawara,
                visibility=Visibility.PUBLIC,
            ),
            actor=admin,
        )
        for n in (1, 2)
    ]
    shopping = Category.objects.get(code="shopping")
    watching = Category.objects.get(code="watching")
    district = District.objects.filter(municipality=kawara).order_by("pk").first()
    age_65 = Eligibility.objects.get(code="age-65")
    services.resource_create_many(
        items=[
            ResourceFields(
                name=f"{WORD}{i:03d}",
                provider=providers[i % 7 == 0],
                category=watching if i % 3 == 0 else shopping,
                visibility=Visibility.PUBLIC,
                districts=[district] if i % 4 == 0 else [],
                eligibility=[age_65] if i % 5 == 0 else [],
                weekly_slots=[{"weekday": 1}] if i % 2 == 0 else [],
            )
            for i in range(MANY)
        ],
        actor=admin,
    )
    return {
        "providers": providers,
        "watching": watching,
        "district": district,
        "age_65": age_65,
    }


def _page(client: Any, **params: Any) -> tuple[int, list[int]]:
    """The search page's total and first page of resource ids."""
    response = client.get(reverse("directory:search"), {"q": WORD, "kind": "resource", **params})
    assert response.status_code == 200
    result = response.context["result"]
    return result.total, [hit.obj.pk for hit in result.hits]


def _api(client: Any, **params: Any) -> tuple[int, list[int]]:
    response = client.get(f"{DIR}/resources", {"q": WORD, "per_page": PER_PAGE, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    return body["count"], [item["id"] for item in body["items"]]


def test_api_search_counts_and_orders_like_the_search_page_beyond_500_hits(
    client_as: Any, many: dict[str, Any]
) -> None:
    client = client_as("kawara")

    page_total, page_ids = _page(client)
    api_total, api_ids = _api(client)

    assert page_total == MANY  # the providers are organisations, not in kind=resource
    assert api_total == page_total
    assert api_ids == page_ids and len(api_ids) == PER_PAGE
    # the last page too, by the same engine (and past it, nothing)
    last = -(-MANY // PER_PAGE)
    assert _api(client, page=last)[1] == _page(client, page=last)[1]
    assert _api(client, page=last + 1) == (MANY, [])


def test_api_search_filters_give_the_page_totals(client_as: Any, many: dict[str, Any]) -> None:
    client = client_as("kawara")
    district, watching, age_65 = many["district"], many["watching"], many["age_65"]
    cases = {
        "weekday": ({"weekday": 1}, {"weekday": 1}),
        "category": ({"category": watching.pk}, {"category": "watching"}),
        "area": ({"area": f"district:{district.pk}"}, {"district_id": district.pk}),
        "eligibility": ({"eligibility": age_65.pk}, {"eligibility": "age-65"}),
    }

    page = {name: _page(client, **web) for name, (web, _api_params) in cases.items()}
    api = {name: _api(client, **api_params) for name, (_web, api_params) in cases.items()}

    assert api == page
    assert {name: 0 < total < MANY for name, (total, _ids) in api.items()} == dict.fromkeys(
        cases, True
    )


def test_api_only_filters_narrow_a_search_inside_the_engine(
    client_as: Any, many: dict[str, Any]
) -> None:
    client = client_as("kawara")
    second: Organisation = many["providers"][1]  # every 7th resource

    total, ids = _api(client, provider_id=second.pk, per_page=100)

    assert total == len(range(0, MANY, 7))
    assert len(ids) == 75
    assert _api(client, eligibility="no-such-code") == (0, [])
