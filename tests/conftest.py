"""Shared fixtures.

The demo dataset from the seed report (3 prefectures, 5 municipalities, their figures
and one account per role) is loaded once per test database; each test runs in a
transaction that is rolled back, so tests may change it freely.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing demo passwords with PBKDF2 would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test process keeps its own cache: no files, no sharing between xdist workers.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Resident records are on, as in the demo; tests of the "off" case override it.
    settings.PERSONAL_RECORDS_ENABLED = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from tsunagu.demo.loader import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def user_named(db: Any) -> Callable[[str], Any]:
    """A demo user by username (see tsunagu.demo.loader.DEMO_USERS)."""
    from django.contrib.auth import get_user_model

    def get(username: str) -> Any:
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_as(db: Any, user_named: Callable[[str], Any]) -> Callable[[str], Client]:
    """A test client signed in as the named demo user."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(user_named(username))
        return client

    return make


@pytest.fixture
def municipality(db: Any) -> Callable[[str], Any]:
    """A demo municipality by name (香春町, 佐伯市, 鹿児島市, 久留米市, 出水市)."""
    from tsunagu.areas.models import Municipality

    return lambda name: Municipality.objects.get(name=name)


@pytest.fixture
def prefecture(db: Any) -> Callable[[str], Any]:
    from tsunagu.areas.models import Prefecture

    return lambda name: Prefecture.objects.get(name=name)
