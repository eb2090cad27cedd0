"""A user's API tokens, signed-in browsers and calendar addresses: listed and ended one by one."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.accounts._helpers import row_values
from tsunagu.accounts.models import ApiToken, UserSession
from tsunagu.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _tokens_unthrottled(settings):
    settings.TSUNAGU_API_TOKEN_RATE = "1000/min"  # these tests issue many tokens at once


def issue(username: str = "kawara", name: str = "") -> dict:
    response = Client().post(
        f"{API}/auth/token",
        json.dumps({"username": username, "password": DEMO_PASSWORD, "name": name}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def signed_in_browser(username: str = "kawara", agent: str = "Firefox/128") -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# --- API tokens ----------------------------------------------------------------------------


def test_an_issued_token_is_recorded_with_its_name_but_not_the_token_itself(user_named):
    issued = issue(name="集計スクリプト")

    [token] = ApiToken.objects.filter(user=user_named("kawara"))
    assert token.name == "集計スクリプト"
    assert token.key in issued["token"]
    assert issued["token"] not in json.dumps(list(ApiToken.objects.values()), default=str)


def test_a_token_revoked_through_the_api_is_refused_afterwards(user_named):
    issued = issue()
    client = Client(**bearer(issued["token"]))
    [token] = ApiToken.objects.all()

    revoked = client.delete(f"{API}/account/tokens/{token.pk}")
    refused = client.get(f"{API}/auth/me")

    assert revoked.status_code == 204
    assert refused.status_code == 401
    assert "失効" in refused.json()["detail"]


def test_revoking_one_token_leaves_the_others_working(user_named):
    first, second = issue(name="一つ目"), issue(name="二つ目")
    token = ApiToken.objects.get(name="一つ目")

    Client(**bearer(second["token"])).delete(f"{API}/account/tokens/{token.pk}")

    assert Client(**bearer(first["token"])).get(f"{API}/auth/me").status_code == 401
    assert Client(**bearer(second["token"])).get(f"{API}/auth/me").status_code == 200


def test_revoking_writes_a_history_row_naming_the_user(user_named):
    issue()
    token = ApiToken.objects.get()

    client = Client()
    client.force_login(user_named("kawara"))
    client.post(f"/accounts/security/tokens/{token.pk}/revoke/")

    latest = token.history.order_by("-history_id").first()
    assert latest.revoked_at is not None
    assert latest.history_user == user_named("kawara")
    assert latest.history_change_reason == "accounts.api_token.revoke"


def test_the_token_list_shows_only_the_users_working_tokens(user_named):
    mine = issue(name="わたしの")
    issue(username="saiki", name="佐伯の")
    issue(name="失効済み")
    revoked = ApiToken.objects.get(name="失効済み")
    Client(**bearer(mine["token"])).delete(f"{API}/account/tokens/{revoked.pk}")

    listed = Client(**bearer(mine["token"])).get(f"{API}/account/tokens").json()

    assert [token["name"] for token in listed] == ["わたしの"]
    assert listed[0]["last_used_at"] is not None


def test_another_users_token_cannot_be_revoked_and_nothing_changes(user_named):
    mine = issue()
    issue(username="saiki")
    theirs = ApiToken.objects.get(user=user_named("saiki"))
    before = row_values(theirs)

    response = Client(**bearer(mine["token"])).delete(f"{API}/account/tokens/{theirs.pk}")
    page = Client()
    page.force_login(user_named("kawara"))
    page_response = page.post(f"/accounts/security/tokens/{theirs.pk}/revoke/")

    assert response.status_code == 404
    assert page_response.status_code == 404
    assert row_values(theirs) == before


def test_the_security_page_lists_the_working_tokens(client_as):
    issue(name="集計スクリプト")

    page = client_as("kawara").get("/accounts/security/").content.decode()

    assert "集計スクリプト" in page
    assert "失効させる" in page


# --- signed-in browsers --------------------------------------------------------------------


def test_the_security_page_lists_each_signed_in_browser_with_its_device_and_address(user_named):
    signed_in_browser(agent="Firefox/128")
    office = signed_in_browser(agent="Edge/126")

    page = office.get("/accounts/security/").content.decode()

    assert "Firefox/128" in page
    assert "Edge/126" in page
    assert "127.0.0.1" in page
    assert page.count("このブラウザー</strong>") == 1


def test_ending_another_browser_signs_it_out_and_keeps_this_one(user_named):
    home = signed_in_browser(agent="Firefox/128")
    office = signed_in_browser(agent="Edge/126")
    home_entry = UserSession.objects.get(user_agent="Firefox/128")

    office.post(f"/accounts/security/sessions/{home_entry.pk}/end/")

    assert home.get("/accounts/settings/").status_code == 302  # to the login page
    assert office.get("/accounts/settings/").status_code == 200
    assert not UserSession.objects.filter(pk=home_entry.pk).exists()


def test_ending_all_other_browsers_keeps_only_this_one(user_named):
    others = [signed_in_browser(agent=f"Phone/{n}") for n in range(3)]
    office = signed_in_browser(agent="Edge/126")

    office.post("/accounts/security/sessions/end-others/")

    assert [is_signed_in(other) for other in others] == [False, False, False]
    assert is_signed_in(office)
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == ["Edge/126"]


def test_another_users_browser_cannot_be_ended_and_stays_signed_in(user_named):
    theirs = signed_in_browser("saiki", agent="Saiki/1")
    mine = signed_in_browser("kawara", agent="Kawara/1")
    entry = UserSession.objects.get(user_agent="Saiki/1")

    response = mine.post(f"/accounts/security/sessions/{entry.pk}/end/")

    assert response.status_code == 404
    assert is_signed_in(theirs)
    assert UserSession.objects.filter(pk=entry.pk).exists()


def test_signing_out_forgets_the_browser(user_named):
    browser = signed_in_browser()

    browser.post("/accounts/logout/")

    assert not UserSession.objects.exists()


def test_ending_a_browser_is_post_only(user_named):
    browser = signed_in_browser()
    entry = UserSession.objects.get()

    response = browser.get(f"/accounts/security/sessions/{entry.pk}/end/")

    assert response.status_code == 405
    assert UserSession.objects.filter(pk=entry.pk).exists()


# --- calendar addresses --------------------------------------------------------------------


def secret_feed_path(page: str) -> str:
    found = re.search(r"/bodies/feed/[^/\"<\s]+\.ics", page)
    assert found is not None
    return found.group(0)


def test_the_security_page_shows_the_secret_calendar_address(client_as):
    page = client_as("kawara").get("/accounts/security/").content.decode()

    assert Client().get(secret_feed_path(page)).status_code == 200


def test_renewing_the_calendar_address_ends_the_old_one_and_the_new_one_works(client_as):
    client = client_as("kawara")
    old = secret_feed_path(client.get("/accounts/security/").content.decode())

    client.post("/accounts/security/feeds/rotate/")
    new = secret_feed_path(client.get("/accounts/security/").content.decode())

    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_the_last_seen_time_and_address_follow_the_browser(user_named, settings):
    settings.TSUNAGU_API_NUM_PROXIES = 1
    browser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    browser.post("/accounts/login/", {"username": "kawara", "password": DEMO_PASSWORD})
    entry = UserSession.objects.get()
    UserSession.objects.filter(pk=entry.pk).update(
        last_seen_at=entry.last_seen_at.replace(year=2020)
    )
    session = browser.session
    session.pop("tsunagu_seen_at", None)
    session.save()

    browser.get("/accounts/settings/", HTTP_X_FORWARDED_FOR="198.51.100.9")

    entry.refresh_from_db()
    assert entry.last_seen_at.year > 2020
    assert entry.ip_address == "198.51.100.9"
    assert list(UserSession.objects.values_list("ip_address", flat=True)) == ["198.51.100.9"]
