from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Run each test in the default language, as a fresh process would, and leave it so.

    A request activates its user's language in this thread and nothing deactivates it, so
    an earlier test that used English would otherwise leak into in-process code here.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass(frozen=True)
class SecondLoad:
    """The demo loader run again over the loaded demo: what it said and what it changed."""

    summary: Any  # tsunagu.demo.loader's summary of the second run
    before: dict[str, int]  # rows of every model, historical tables included
    after: dict[str, int]
    memberships_before: list[tuple[Any, ...]]
    memberships_after: list[tuple[Any, ...]]


@pytest.fixture(scope="session")
def demo_loaded_again(django_db_setup: Any, django_db_blocker: Any) -> SecondLoad:
    """Loading the demo a second time, once per test process (the loader takes seconds and
    three tests check its result), in a transaction that is rolled back."""
    from tests.accounts._helpers import row_counts
    from tsunagu.accounts.models import Membership
    from tsunagu.demo.loader import load_demo

    def memberships() -> list[tuple[Any, ...]]:
        return sorted(
            Membership.objects.values_list("user__username", "role", "prefecture", "municipality")
        )

    with django_db_blocker.unblock(), transaction.atomic():
        translation.activate(settings.LANGUAGE_CODE)
        before, memberships_before = row_counts(), memberships()
        summary = load_demo()
        again = SecondLoad(summary, before, row_counts(), memberships_before, memberships())
        transaction.set_rollback(True)
    return again
