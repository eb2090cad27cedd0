"""Small factories for the resident tests (not collected by pytest)."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model

from tsunagu.accounts.models import Membership, Role
from tsunagu.accounts.scope import forget_scope
from tsunagu.areas.models import Municipality
from tsunagu.care.models import ConsentPurpose, ConsentRecord, Resident


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    municipality = factory.LazyFunction(lambda: Municipality.objects.get(name="香春町"))
    name = factory.Sequence(lambda n: f"テスト住民{n} 花子")
    name_kana = factory.Sequence(lambda n: f"てすとじゅうみん{n} はなこ")
    birth_date = datetime.date(1940, 4, 1)
    contact_name = factory.Sequence(lambda n: f"テスト連絡先{n}")
    contact_phone = "000-0000-9999"
    is_synthetic = True


def consent(resident: Resident, recorded_by: Any, **kwargs: Any) -> ConsentRecord:
    values = {"purpose": ConsentPurpose.CARE_RECORD, "given_on": datetime.date(2024, 4, 1)}
    values.update(kwargs)
    return ConsentRecord.objects.create(resident=resident, recorded_by=recorded_by, **values)


def staff(
    username: str,
    municipality_name: str,
    *,
    care: bool = True,
    personal: bool = False,
    role: str = Role.CARE_CENTER_STAFF,
) -> Any:
    """A user with one municipal membership, with or without the care right."""
    user = get_user_model().objects.create_user(username=username, password="x-long-password")
    Membership.objects.create(
        user=user,
        role=role,
        municipality=Municipality.objects.get(name=municipality_name),
        can_view_care_records=care,
        can_view_personal_data=personal,
    )
    forget_scope(user)
    return user
