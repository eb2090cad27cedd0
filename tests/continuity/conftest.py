"""Small factories for the continuity tests: staff of a municipality, an organisation."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from itertools import count
from typing import Any

import pytest

_serial = count(1)


@pytest.fixture
def make_staff(db: Any) -> Callable[..., Any]:
    """A new user with one membership (role, municipality by name) from 2020-01-01."""
    from django.contrib.auth import get_user_model

    from tsunagu.accounts.models import Membership, Role
    from tsunagu.areas.models import Municipality

    def make(municipality: str, role: str = Role.CARE_CENTER_STAFF, **fields: Any) -> Any:
        n = next(_serial)
        user = get_user_model().objects.create(
            username=f"continuity-{n}", full_name=f"デモ 職員{n}", **fields
        )
        Membership.objects.create(
            user=user,
            role=role,
            municipality=Municipality.objects.get(name=municipality),
            starts_on=datetime.date(2020, 1, 1),
        )
        return user

    return make


@pytest.fixture
def make_organisation(db: Any) -> Callable[..., Any]:
    from tsunagu.areas.models import Municipality
    from tsunagu.directory.models import Organisation

    def make(municipality: str, name: str | None = None) -> Any:
        return Organisation.objects.create(
            name=name or f"デモ 町内会{next(_serial)}",
            org_type="neighbourhood_association",
            municipality=Municipality.objects.get(name=municipality),
        )

    return make


@pytest.fixture
def fresh() -> Callable[[Any], Any]:
    """The user read again (memberships and scope as stored now)."""

    def get(user: Any) -> Any:
        return type(user).objects.get(pk=user.pk)

    return get
