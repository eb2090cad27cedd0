"""Per-address rate limits on the pages anyone may open, and on the public API behind the
proxy (issue 18, item 6): ``TSUNAGU_PUBLIC_RATE_LIMIT`` requests per client address, then a
Japanese 429 page with Retry-After; signed-in users are not limited by it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.core.test_proxy import FROM_NGINX, production_behind_proxy, serve  # noqa: F401
from tests.factories import UserFactory
from tsunagu.areas.models import District
from tsunagu.core.ratelimit import check_rate
from tsunagu.directory.models import Resource

pytestmark = pytest.mark.django_db

LANDING = "/"
SEARCH = "/public/"


@pytest.fixture(autouse=True)
def _fresh_counters() -> Iterator[None]:
    # The counters live in the cache, which outlives each test's transaction.
    cache.clear()
    yield
    cache.clear()


def anonymous(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def statuses(client: Client, path: str, times: int) -> list[int]:
    return [client.get(path).status_code for _ in range(times)]


def public_pages(municipality: Any) -> list[str]:
    """Every page anyone may open, with real rows for the pages about one row."""
    kawara = municipality("香春町")
    district = District.objects.filter(municipality=kawara).order_by("pk").first()
    resource = Resource.objects.order_by("pk").first()
    assert district is not None and resource is not None
    return [
        LANDING,
        SEARCH,
        "/public/map/",
        f"/public/resources/{resource.pk}/",
        "/public/print/",
        f"/public/print/{district.pk}/",
        "/public/bodies/certified/",
    ]


def test_the_request_after_the_limit_is_refused_and_another_address_is_not(settings) -> None:
    settings.TSUNAGU_PUBLIC_RATE_LIMIT = "3/min"
    first, second = anonymous("198.51.100.1"), anonymous("198.51.100.2")

    assert statuses(first, SEARCH, 4) == [200, 200, 200, 429]
    assert statuses(second, SEARCH, 1) == [200]
    assert statuses(first, LANDING, 1) == [429]  # one bucket for all public pages


def test_the_429_page_is_in_japanese_and_says_when_to_come_back(settings) -> None:
    settings.TSUNAGU_PUBLIC_RATE_LIMIT = "1/min"
    client = anonymous("198.51.100.3")
    client.get(SEARCH)

    response = client.get(SEARCH)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "アクセスが集中しています" in page
    assert f"{response['Retry-After']} 秒ほど待ってから" in page
    assert '<html lang="ja"' in page


@pytest.mark.parametrize("limit, allowed", [("2/min", 2), ("5/min", 5), ("4/hour", 4)])
def test_the_limit_is_read_from_the_setting(settings, limit: str, allowed: int) -> None:
    settings.TSUNAGU_PUBLIC_RATE_LIMIT = limit
    client = anonymous("198.51.100.4")

    assert statuses(client, SEARCH, allowed + 1) == [200] * allowed + [429]


def test_off_turns_the_limit_off(settings) -> None:
    settings.TSUNAGU_PUBLIC_RATE_LIMIT = "off"

    assert set(statuses(anonymous("198.51.100.5"), SEARCH, 12)) == {200}


def test_a_rate_that_cannot_be_read_is_refused_with_a_clear_message() -> None:
    assert check_rate("TSUNAGU_PUBLIC_RATE_LIMIT", "120/m") == "120/m"
    with pytest.raises(ImproperlyConfigured, match="120/min"):
        check_rate("TSUNAGU_PUBLIC_RATE_LIMIT", "120 per minute")


def test_signed_in_users_are_not_limited(settings) -> None:
    settings.TSUNAGU_PUBLIC_RATE_LIMIT = "2/min"
    client = anonymous("198.51.100.6")
    client.force_login(UserFactory())

    assert set(statuses(client, SEARCH, 5)) == {200}


def test_every_public_page_is_limited(settings, municipality) -> None:
    settings.TSUNAGU_PUBLIC_RATE_LIMIT = "1/min"
    pages = public_pages(municipality)

    seen = {
        path: statuses(anonymous(f"198.51.100.{100 + n}"), path, 2) for n, path in enumerate(pages)
    }

    assert seen == {path: [200, 429] for path in pages}


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def test_every_view_of_the_public_url_namespaces_carries_the_limit() -> None:
    """A public page added later without ``@public_page`` fails here."""
    public = [
        (namespace, pattern)
        for namespace, pattern in _patterns(get_resolver())
        if namespace in {"public", "bodies_public"} or (not namespace and pattern.name == "home")
    ]

    assert len(public) >= 7
    for namespace, pattern in public:
        assert getattr(pattern.callback, "public_rate_limited", False), (namespace, pattern.name)


def test_behind_the_proxy_each_real_client_has_its_own_bucket(settings) -> None:
    settings.TSUNAGU_API_NUM_PROXIES = 1
    settings.TSUNAGU_PUBLIC_RATE_LIMIT = "2/min"
    via_nginx = Client(REMOTE_ADDR="127.0.0.1")

    def get(forwarded_for: str) -> int:
        return via_nginx.get(SEARCH, HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert [get("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert get("203.0.113.2") == 200  # another resident behind the same proxy
    # A client cannot escape its bucket by sending its own X-Forwarded-For: nginx appends
    # the address it saw, and that one is read.
    assert get("10.9.9.9, 203.0.113.1") == 429


def test_the_public_api_limits_the_real_client_address_through_waitress(
    production_behind_proxy,  # noqa: F811
    serve,  # noqa: F811
    settings,
) -> None:
    """Through ``tsunagu serve``'s waitress with the trusted proxy: the API's per-address
    limit counts each resident behind nginx on their own, not the proxy's address."""
    settings.TSUNAGU_API_ANON_RATE = "2/min"
    server = serve()
    path = "/api/v1/programs/catalog"

    def get(client: str) -> int:
        return server.get(path, {**FROM_NGINX, "X-Forwarded-For": client}).status

    assert [get("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert get("203.0.113.8") == 200
    assert get("10.0.0.1, 203.0.113.7") == 429  # a made-up address in front is not read
