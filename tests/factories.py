"""factory_boy factories for the core models: what a unit or service test needs, built in a
few rows instead of standing on the demo dataset (issue 13 item 9).

Every factory builds rows that pass ``full_clean()`` and never collides with the demo data:
prefecture codes come from 01–39 (the demo's prefectures are 40, 44 and 46), municipality
codes end in 9xx (no demo municipality does), usernames start with ``f-``. Names are
obviously fictional (「テスト市1」).

Users get their role through :func:`staff_of` (a user plus one membership), e.g.::

    town = MunicipalityFactory()
    clerk = staff_of(town)                          # municipality staff of the town
    pref = staff_of(town.prefecture, role=Role.PREFECTURE_STAFF)
    admin = AdminFactory()
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from tsunagu.accounts.models import Membership, Role
from tsunagu.areas.models import District, Municipality, Prefecture
from tsunagu.bodies.models import ConsultativeBody
from tsunagu.core.codes import check_digit
from tsunagu.directory.models import Category, Organisation, Resource
from tsunagu.engagements.models import Engagement, SupportProgram
from tsunagu.programs.instances.models import ProgramInstance
from tsunagu.regional_issues.models import RegionalIssue

# Memberships start long before any frozen clock a test may set.
LONG_AGO = datetime.date(2000, 1, 1)


def _with_check_digit(first_five: str) -> str:
    return first_five + str(check_digit(first_five))


def prefecture_code(n: int) -> str:
    """The n-th factory prefecture code: 01–39, never a demo prefecture (40, 44, 46)."""
    return _with_check_digit(f"{n % 39 + 1:02d}000")


def municipality_code(prefecture: Prefecture, n: int) -> str:
    """The n-th factory municipality code in ``prefecture``: ``PP9NN`` + check digit."""
    return _with_check_digit(f"{prefecture.code[:2]}9{n % 100:02d}")


class PrefectureFactory(DjangoModelFactory):
    class Meta:
        model = Prefecture
        django_get_or_create = ("code",)

    code = factory.Sequence(prefecture_code)
    name = factory.Sequence(lambda n: f"テスト県{n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    prefecture = factory.SubFactory(PrefectureFactory)
    code = factory.LazyAttributeSequence(lambda o, n: municipality_code(o.prefecture, n))
    name = factory.Sequence(lambda n: f"テスト市{n}")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"テスト地区{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"f-user{n}")
    full_name = factory.Sequence(lambda n: f"テスト 利用者{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password("tsunagu-test")


class AdminFactory(UserFactory):
    """A system administrator (superuser with the system_admin membership)."""

    username = factory.Sequence(lambda n: f"f-admin{n}")
    is_staff = True
    is_superuser = True
    membership = factory.RelatedFactory(
        "tests.factories.MembershipFactory",
        factory_related_name="user",
        role=Role.SYSTEM_ADMIN,
        municipality=None,
    )


class MembershipFactory(DjangoModelFactory):
    """Municipality staff of a new municipality unless told otherwise."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.MUNICIPALITY_STAFF
    municipality = factory.SubFactory(MunicipalityFactory)
    prefecture = None
    starts_on = LONG_AGO
    coordinator_layer = factory.LazyAttribute(lambda o: 2 if o.role == Role.COORDINATOR else None)


def staff_of(
    area: Municipality | Prefecture,
    *,
    role: str | None = None,
    username: str | None = None,
    **membership: Any,
) -> Any:
    """A new user with one membership over ``area`` (municipality or prefecture staff by
    default; any other field of the membership by keyword)."""
    user = UserFactory(**({"username": username} if username else {}))
    if isinstance(area, Prefecture):
        MembershipFactory(
            user=user,
            role=role or Role.PREFECTURE_STAFF,
            prefecture=area,
            municipality=None,
            **membership,
        )
    else:
        MembershipFactory(
            user=user, role=role or Role.MUNICIPALITY_STAFF, municipality=area, **membership
        )
    return user


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"テスト団体{n}")
    org_type = "npo"


def _a_category() -> Category:
    """A leaf of the taxonomy the migrations seed (every test database has it)."""
    category = Category.objects.filter(children__isnull=True).order_by("sort_order", "code").first()
    assert category is not None, "the migrations seed the resource categories"
    return category


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    provider = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("provider.municipality")
    category = factory.LazyFunction(_a_category)
    name = factory.Sequence(lambda n: f"テスト活動{n}")


class ProgramInstanceFactory(DjangoModelFactory):
    """A 総合事業 program instance (訪問型サービスB unless told) run by an organisation."""

    class Meta:
        model = ProgramInstance

    provider = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("provider.municipality")
    service_type = "home_b"
    name = factory.Sequence(lambda n: f"テスト実施事業{n}")


class ConsultativeBodyFactory(DjangoModelFactory):
    class Meta:
        model = ConsultativeBody

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"テスト協議体{n}")
    kind = "layer2"


class RegionalIssueFactory(DjangoModelFactory):
    class Meta:
        model = RegionalIssue

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"テスト地域課題{n}")


class SupportProgramFactory(DjangoModelFactory):
    """A ministry program (国の事業); pass owner_kind="prefecture" with owner_prefecture."""

    class Meta:
        model = SupportProgram

    owner_kind = "ministry"
    name = factory.Sequence(lambda n: f"テスト支援事業{n}")
    first_fiscal_year = 2022


class EngagementFactory(DjangoModelFactory):
    class Meta:
        model = Engagement

    program = factory.SubFactory(SupportProgramFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    fiscal_year = 2022
    theme = "移動支援"
