"""Signing in and out, passwords, login throttling, language, roles (tsunagu.accounts)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from tests.accounts._helpers import row_counts, row_values
from tsunagu.accounts.models import Membership, Role
from tsunagu.accounts.permissions import scope_for
from tsunagu.accounts.services import membership_grant, user_preferences_update
from tsunagu.core.actions import display_reason
from tsunagu.core.errors import PermissionDenied
from tsunagu.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kawara-Hoken-2025!"


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def login(client: Client, username: str, password: str, **extra: str):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


# ---------------------------------------------------------------------------
# Login and logout
# ---------------------------------------------------------------------------


def test_login_page_for_anonymous_users_is_japanese(client):
    response = client.get("/accounts/login/")
    body = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="ja">' in body
    assert "ログイン" in body
    assert "ユーザー名" in body
    assert "パスワード" in body


def test_login_with_the_demo_password_redirects_to_the_dashboard(client):
    response = login(client, "kawara", DEMO_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert signed_in(client)
    assert client.get("/dashboard/").status_code == 200


def test_login_follows_a_local_next_url(client):
    response = login(client, "kawara", DEMO_PASSWORD, next="/areas/")

    assert response["Location"] == "/areas/"


def test_login_ignores_an_external_next_url(client):
    response = login(client, "kawara", DEMO_PASSWORD, next="https://evil.example/")

    assert response["Location"] == "/dashboard/"


def test_login_with_a_wrong_password_is_refused_with_a_japanese_message(client):
    response = login(client, "kawara", "wrong-password")
    body = response.content.decode()

    assert response.status_code == 200
    assert not signed_in(client)
    assert "ログインできませんでした。" in body
    assert 'value="kawara"' in body


def test_the_system_account_cannot_sign_in(client, user_named):
    system = user_named("system")

    response = login(client, "system", "anything")

    assert not system.is_active
    assert not system.has_usable_password()
    assert response.status_code == 200
    assert not signed_in(client)


def test_logout_is_a_post_and_ends_the_session(client_as):
    client = client_as("kawara")

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert not signed_in(client)
    assert client.get("/dashboard/").status_code == 302


def test_logout_by_get_is_refused_and_keeps_the_session(client_as):
    client = client_as("kawara")

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert signed_in(client)


# ---------------------------------------------------------------------------
# Password change
# ---------------------------------------------------------------------------


def test_password_change_sets_the_new_password_and_keeps_the_user_signed_in(client_as, user_named):
    # given
    client = client_as("kawara")

    # when
    response = client.post(
        "/accounts/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/"
    user = user_named("kawara")
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(DEMO_PASSWORD)
    assert signed_in(client)
    fresh = Client()
    assert login(fresh, "kawara", NEW_PASSWORD)["Location"] == "/dashboard/"


def test_password_change_signs_out_the_users_other_sessions(client_as):
    # given: the same user signed in on another machine
    other_machine = Client()
    assert login(other_machine, "kawara", DEMO_PASSWORD).status_code == 302
    client = client_as("kawara")

    # when
    client.post(
        "/accounts/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    # then
    assert other_machine.get("/dashboard/").status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_password_change_with_a_wrong_old_password_changes_nothing(client_as, user_named):
    client = client_as("kawara")
    before = row_values(user_named("kawara"))

    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert row_values(user_named("kawara")) == before


# ---------------------------------------------------------------------------
# Login throttling (django-axes)
# ---------------------------------------------------------------------------


def test_after_the_failure_limit_even_the_correct_password_is_refused(client):
    # given
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "kawara", "wrong-password")

    # when
    response = login(client, "kawara", DEMO_PASSWORD)

    # then
    assert response.status_code == 429
    assert "ログインが一時的に制限されています" in response.content.decode()
    assert not signed_in(client)


def test_fewer_failures_than_the_limit_do_not_lock_the_account(client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "kawara", "wrong-password")

    response = login(client, "kawara", DEMO_PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_a_lockout_concerns_only_the_username_that_failed(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "kawara", "wrong-password")

    response = login(Client(), "saiki", DEMO_PASSWORD)

    assert response.status_code == 302


# ---------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------


def test_language_switch_saves_english_on_the_user_and_pages_render_in_english(
    client_as, user_named
):
    # given
    client = client_as("kawara")

    # when
    response = client.post("/accounts/language/", {"language": "en", "next": "/areas/"})

    # then
    assert response.status_code == 302
    assert response["Location"] == "/areas/"
    assert user_named("kawara").language == "en"
    assert '<html lang="en">' in client.get("/dashboard/").content.decode()


def test_language_switch_back_to_japanese(client_as, user_named):
    client = client_as("kawara")
    client.post("/accounts/language/", {"language": "en"})

    client.post("/accounts/language/", {"language": "ja"})

    assert user_named("kawara").language == "ja"
    assert '<html lang="ja">' in client.get("/dashboard/").content.decode()


def test_the_saved_language_follows_the_user_to_a_new_session(client_as):
    client_as("kawara").post("/accounts/language/", {"language": "en"})

    body = client_as("kawara").get("/dashboard/").content.decode()

    assert '<html lang="en">' in body


def test_anonymous_language_switch_is_kept_in_a_cookie(client):
    response = client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()


def test_language_switch_refuses_an_unknown_language(client_as, user_named):
    client = client_as("kawara")

    response = client.post("/accounts/language/", {"language": "xx"})

    assert response.status_code == 302
    assert user_named("kawara").language == "ja"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_language_switch_never_redirects_off_site(client_as, next_url):
    response = client_as("kawara").post("/accounts/language/", {"language": "en", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_language_switch_is_post_only(client_as, user_named):
    response = client_as("kawara").get("/accounts/language/", {"language": "en"})

    assert response.status_code == 405
    assert user_named("kawara").language == "ja"


def test_preferences_update_of_another_user_is_refused_and_changes_nothing(user_named):
    saiki = user_named("saiki")
    before = row_values(saiki)

    with pytest.raises(PermissionDenied):
        user_preferences_update(
            user=saiki, language="en", date_style="seireki", actor=user_named("kawara")
        )

    assert row_values(saiki) == before


# ---------------------------------------------------------------------------
# Granting roles (membership_grant)
# ---------------------------------------------------------------------------


def test_municipality_staff_can_grant_a_viewer_role_over_their_municipality(
    user_named, municipality
):
    # given
    newcomer = get_user_model().objects.create_user(username="newcomer", password="x")
    kawara_staff = user_named("kawara")

    # when
    membership = membership_grant(
        user=newcomer,
        role=Role.VIEWER,
        municipality=municipality("香春町"),
        actor=kawara_staff,
    )

    # then
    record = membership.history.first()
    assert record.history_type == "+"
    assert record.history_user == kawara_staff
    assert display_reason(record.history_change_reason) == "役割を付与"
    assert municipality("香春町").pk in scope_for(newcomer).municipality_ids


def test_municipality_staff_cannot_grant_a_role_over_another_municipality(user_named, municipality):
    newcomer = get_user_model().objects.create_user(username="newcomer", password="x")
    before = row_counts()

    with pytest.raises(PermissionDenied):
        membership_grant(
            user=newcomer,
            role=Role.VIEWER,
            municipality=municipality("佐伯市"),
            actor=user_named("kawara"),
        )

    assert row_counts() == before
    assert not Membership.objects.filter(user=newcomer).exists()


def test_only_a_system_administrator_can_grant_system_administrator(user_named):
    newcomer = get_user_model().objects.create_user(username="newcomer", password="x")
    before = row_counts()

    with pytest.raises(PermissionDenied):
        membership_grant(user=newcomer, role=Role.SYSTEM_ADMIN, actor=user_named("fukuoka"))

    assert row_counts() == before


def test_personal_data_read_log_is_read_only_in_the_admin(client_as, user_named):
    from tsunagu.accounts.models import PersonalDataReadLog
    from tsunagu.accounts.services import log_personal_data_read

    admin_user = user_named("admin")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    log_personal_data_read(user=user_named("saiki-sc"), obj=admin_user, purpose="テスト")
    entry = PersonalDataReadLog.objects.get(purpose="テスト")
    client = client_as("admin")

    assert client.get("/admin/accounts/personaldatareadlog/").status_code == 200
    assert client.get("/admin/accounts/personaldatareadlog/add/").status_code == 403
    response = client.post(
        f"/admin/accounts/personaldatareadlog/{entry.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert PersonalDataReadLog.objects.filter(pk=entry.pk).exists()
