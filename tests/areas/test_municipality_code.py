"""Correcting a municipality's code goes through a service, recorded with its action kind."""

from __future__ import annotations

import pytest

from tsunagu.accounts.services import system_actor
from tsunagu.areas import services
from tsunagu.areas.models import Municipality
from tsunagu.core.actions import display_reason
from tsunagu.core.codes import check_digit
from tsunagu.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def _free_code(town: Municipality) -> str:
    """A valid code (check digit included) of the town's prefecture that no one uses."""
    for number in range(999, 0, -1):
        stem = f"{town.code[:2]}{number:03d}"
        code = f"{stem}{check_digit(stem)}"
        if not Municipality.objects.filter(code=code).exists():
            return code
    raise AssertionError("no free code in the prefecture")


def test_a_corrected_code_is_saved_with_the_correct_code_action(municipality):
    town = municipality("香春町")
    code = _free_code(town)

    services.municipality_code_correct(municipality=town, code=code, actor=system_actor())

    town.refresh_from_db()
    assert town.code == code
    record = town.history.first()
    assert record.code == code
    assert record.history_change_reason == "areas.municipality.correct_code"
    assert display_reason(record.history_change_reason) == "市町村コードを訂正"


def test_a_municipal_user_may_not_correct_a_code_and_nothing_changes(municipality, user_named):
    town = municipality("香春町")
    before = (town.code, town.history.count())

    with pytest.raises(PermissionDenied):
        services.municipality_code_correct(
            municipality=town, code=_free_code(town), actor=user_named("kawara")
        )

    town.refresh_from_db()
    assert (town.code, town.history.count()) == before
