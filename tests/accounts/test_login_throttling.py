"""Login throttling behind a proxy: the real client's address, and password spraying."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client

from tsunagu.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # every connection comes from nginx on the same machine


@pytest.fixture(autouse=True)
def behind_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TSUNAGU_API_NUM_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 5
    settings.TSUNAGU_LOGIN_ADDRESS_FAILURE_LIMIT = 20


def client_at(address: str) -> Client:
    """A browser at ``address``, seen through the proxy (which appends the address)."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_failures_from_one_address_do_not_lock_the_account_at_another(user_named):
    attacker = client_at("203.0.113.66")
    for _ in range(5):
        login(attacker, "kawara", "wrong-password")
    owner = client_at("198.51.100.7")

    response = login(owner, "kawara", DEMO_PASSWORD)

    assert response.status_code == 302
    assert signed_in(owner)


def test_the_failing_address_is_locked_for_that_account(user_named):
    attacker = client_at("203.0.113.66")
    for _ in range(5):
        login(attacker, "kawara", "wrong-password")

    response = login(attacker, "kawara", DEMO_PASSWORD)

    assert response.status_code == 429
    assert not signed_in(attacker)


def test_failures_are_recorded_with_the_client_address_not_the_proxy(user_named):
    login(client_at("203.0.113.66"), "kawara", "wrong-password")

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.66"]


def test_password_spraying_over_many_usernames_from_one_address_is_blocked(user_named):
    sprayer = client_at("203.0.113.66")
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(User(username=f"sprayed{n}", password=password) for n in range(25))
    answers = [login(sprayer, f"sprayed{n}", "Password1").status_code for n in range(25)]

    response = login(sprayer, "sprayed24", DEMO_PASSWORD)

    assert answers[:19] == [200] * 19  # the form again, with its error
    assert answers[19:] == [429] * 6  # the 20th failure locks the address
    assert response.status_code == 429
    assert not signed_in(sprayer)


def test_spraying_from_one_address_does_not_block_other_addresses(user_named):
    sprayer = client_at("203.0.113.66")
    for number in range(25):
        login(sprayer, f"nobody{number}", "Password1")
    colleague = client_at("198.51.100.7")

    response = login(colleague, "kawara", DEMO_PASSWORD)

    assert response.status_code == 302


def test_fewer_failures_than_the_address_limit_over_many_usernames_are_not_blocked(user_named):
    office = client_at("203.0.113.66")
    for number in range(19):
        login(office, f"typo{number}", "wrong-password")

    response = login(office, "kawara", DEMO_PASSWORD)

    assert response.status_code == 302


def test_the_api_token_endpoint_refuses_a_spraying_address(user_named):
    sprayer = client_at("203.0.113.66")
    for number in range(20):
        login(sprayer, f"nobody{number}", "Password1")

    response = sprayer.post(
        "/api/v1/auth/token",
        {"username": "kawara", "password": DEMO_PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
