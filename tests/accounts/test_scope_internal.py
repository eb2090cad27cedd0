"""「内部」 means internal to the record's own scope (lead engineer's decision, issue 12/13).

A municipality's internal records are seen by that municipality's staff roles only — not by
the prefecture's staff, not by other municipalities — on the detail page, in lists, in
search and in history alike, because all of them read the one rule in accounts.scope.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tsunagu.accounts.scope import (
    municipalities_editable_to,
    municipalities_visible_to,
    record_visible,
    scope_for,
    visible_q,
)
from tsunagu.directory.models import Organisation, Visibility
from tsunagu.directory.search.filters import SearchFilters
from tsunagu.directory.search.query import search
from tsunagu.directory.selectors import organisation_list_visible_to
from tsunagu.directory.services import OrganisationFields, organisation_update

NAME = "ないしょ見守り連絡会"


@pytest.fixture
def internal_organisation(user_named: Any, municipality: Any) -> Organisation:
    # given a 佐伯市 organisation made internal by 佐伯市's staff
    organisation = (
        Organisation.objects.filter(municipality=municipality("佐伯市")).order_by("pk").first()
    )
    assert organisation is not None
    organisation_update(
        organisation=organisation,
        fields=OrganisationFields(visibility=Visibility.INTERNAL, name=NAME),
        actor=user_named("saiki"),
    )
    organisation.refresh_from_db()
    return organisation


def _found(user: Any, organisation: Organisation) -> list[str]:
    result = search(
        user=user,
        query=NAME,
        filters=SearchFilters(area=("municipality", organisation.municipality_id)),
    )
    return [hit.obj.name for hit in result.hits]


def test_prefecture_staff_do_not_see_a_municipal_internal_organisation(
    internal_organisation: Organisation, client_as: Any, user_named: Any
) -> None:
    oita = user_named("oita")
    url = reverse("directory:organisation_detail", args=[internal_organisation.pk])

    assert client_as("oita").get(url).status_code == 404
    assert not organisation_list_visible_to(user=oita).filter(pk=internal_organisation.pk).exists()
    assert NAME not in _found(oita, internal_organisation)
    # the prefecture still reads the municipality's other records
    assert internal_organisation.municipality_id in scope_for(oita).municipality_ids
    assert internal_organisation.municipality_id not in scope_for(oita).internal_municipality_ids


def test_the_municipality_sees_its_internal_organisation(
    internal_organisation: Organisation, client_as: Any, user_named: Any
) -> None:
    saiki = user_named("saiki")
    url = reverse("directory:organisation_detail", args=[internal_organisation.pk])

    assert client_as("saiki").get(url).status_code == 200
    assert organisation_list_visible_to(user=saiki).filter(pk=internal_organisation.pk).exists()
    assert _found(saiki, internal_organisation)[0] == NAME


def test_another_municipality_does_not_see_it(
    internal_organisation: Organisation, client_as: Any
) -> None:
    url = reverse("directory:organisation_detail", args=[internal_organisation.pk])

    assert client_as("kawara").get(url).status_code == 404


@pytest.mark.parametrize(("username", "visible"), [("saiki", True), ("oita", False)])
def test_the_one_rule_for_rows_and_for_one_row_agree(
    internal_organisation: Organisation, user_named: Any, username: str, visible: bool
) -> None:
    user = user_named(username)
    in_query = Organisation.objects.filter(
        visible_q(user, own_organisation_field="pk"), pk=internal_organisation.pk
    ).exists()
    one_row = record_visible(
        user,
        visibility=internal_organisation.visibility,
        municipality_id=internal_organisation.municipality_id,
        prefecture_id=internal_organisation.prefecture_id,
        own_organisation_id=internal_organisation.pk,
    )
    assert (in_query, one_row) == (visible, visible)


def test_history_of_the_prefecture_withholds_the_internal_version(
    internal_organisation: Organisation, client_as: Any, user_named: Any
) -> None:
    # given the record is public again, its past internal version stays the municipality's
    organisation_update(
        organisation=internal_organisation,
        fields=OrganisationFields(visibility=Visibility.PUBLIC, name="見守り連絡会"),
        actor=user_named("saiki"),
    )
    url = reverse("directory:organisation_history", args=[internal_organisation.pk])

    assert NAME not in client_as("oita").get(url).content.decode()
    assert NAME in client_as("saiki").get(url).content.decode()


def test_municipality_choices_come_from_the_scope(user_named: Any, municipality: Any) -> None:
    saiki, oita = user_named("saiki"), user_named("oita")

    assert list(municipalities_editable_to(saiki)) == [municipality("佐伯市")]
    assert municipality("佐伯市") in municipalities_visible_to(oita)
    assert not municipalities_editable_to(oita).exists()
