"""The factories build valid rows that never collide with the demo dataset."""

from __future__ import annotations

import pytest

from tests import factories as f
from tsunagu.accounts.models import Role
from tsunagu.accounts.scope import scope_for
from tsunagu.core.codes import validate_local_government_code

pytestmark = pytest.mark.django_db

DEMO_PREFECTURE_HEADS = {"40", "44", "46"}


@pytest.mark.parametrize(
    "factory",
    [
        f.PrefectureFactory,
        f.MunicipalityFactory,
        f.DistrictFactory,
        f.UserFactory,
        f.MembershipFactory,
        f.OrganisationFactory,
        f.ResourceFactory,
        f.ConsultativeBodyFactory,
        f.RegionalIssueFactory,
        f.SupportProgramFactory,
        f.EngagementFactory,
    ],
)
def test_each_factory_builds_a_row_that_passes_full_clean(factory) -> None:
    row = factory()
    row.full_clean(exclude=["password"])
    assert type(row)._default_manager.filter(pk=row.pk).exists()


def test_factory_codes_are_valid_and_never_a_demo_prefecture() -> None:
    codes = [f.prefecture_code(n) for n in range(100)]
    for code in codes:
        validate_local_government_code(code)
    assert {c[:2] for c in codes}.isdisjoint(DEMO_PREFECTURE_HEADS)
    town = f.MunicipalityFactory()
    validate_local_government_code(town.code)
    assert town.code[:2] == town.prefecture.code[:2]


def test_two_municipalities_get_distinct_codes() -> None:
    first, second = f.MunicipalityFactory.create_batch(2)
    assert first.code != second.code


def test_staff_of_a_municipality_sees_and_edits_only_that_municipality() -> None:
    town, other = f.MunicipalityFactory.create_batch(2)
    clerk = f.staff_of(town)
    scope = scope_for(clerk)
    assert town.pk in scope.area_editable_municipality_ids
    assert other.pk not in scope.area_editable_municipality_ids


def test_staff_of_a_prefecture_is_prefecture_staff() -> None:
    prefecture = f.PrefectureFactory()
    officer = f.staff_of(prefecture)
    membership = officer.memberships.get()
    assert (membership.role, membership.prefecture, membership.municipality) == (
        Role.PREFECTURE_STAFF,
        prefecture,
        None,
    )


def test_admin_factory_is_a_system_admin() -> None:
    admin = f.AdminFactory()
    assert scope_for(admin).is_system_admin
    assert admin.check_password("tsunagu-test")


def test_resource_belongs_to_its_providers_municipality() -> None:
    resource = f.ResourceFactory()
    assert resource.municipality == resource.provider.municipality
