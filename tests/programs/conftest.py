"""Small builders for the programs tests: users with and without the care right, an
organisation, an instance and a resident in a given demo municipality."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tsunagu.accounts.models import Membership, Role
from tsunagu.accounts.services import system_actor
from tsunagu.care.models import Resident
from tsunagu.directory.models import Organisation
from tsunagu.programs.instances.models import ProgramInstance
from tsunagu.programs.instances.services import InstanceFields, instance_create


@pytest.fixture
def staff(db: Any, municipality: Callable[[str], Any]) -> Callable[..., Any]:
    """A municipal staff user of ``name`` (with the care right when ``care``)."""

    def make(name: str, *, care: bool = False, username: str | None = None) -> Any:
        place = municipality(name)
        user = get_user_model().objects.create(
            username=username or f"programs-{place.code}-{int(care)}", full_name="デモ 職員"
        )
        Membership.objects.create(
            user=user,
            role=Role.MUNICIPALITY_STAFF,
            municipality=place,
            title="テスト",
            can_view_care_records=care,
        )
        return user

    return make


@pytest.fixture
def login() -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def provider(db: Any, municipality: Callable[[str], Any]) -> Callable[[str], Organisation]:
    def make(name: str) -> Organisation:
        place = municipality(name)
        organisation, _created = Organisation.objects.get_or_create(
            municipality=place,
            name=f"デモ 支えあい団体（{place.name}）",
            defaults={"org_type": "volunteer_group"},
        )
        return organisation

    return make


@pytest.fixture
def instance(
    db: Any, municipality: Callable[[str], Any], provider: Callable[[str], Organisation]
) -> Callable[..., ProgramInstance]:
    def make(
        name: str, *, service_type: str = "home_b", title: str = "デモ 訪問B"
    ) -> ProgramInstance:
        return instance_create(
            municipality=municipality(name),
            fields=InstanceFields(service_type=service_type, name=title, provider=provider(name)),
            actor=system_actor(),
        )

    return make


@pytest.fixture
def resident(db: Any, municipality: Callable[[str], Any]) -> Callable[[str], Resident]:
    def make(name: str, person: str = "デモ 花子") -> Resident:
        return Resident.objects.create(
            municipality=municipality(name),
            name=person,
            name_kana="でも はなこ",
            birth_date=datetime.date(1940, 1, 1),
            is_synthetic=True,
        )

    return make
