"""History pages show a version only to those who could have seen it (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tsunagu.core.history import history_entries
from tsunagu.directory.models import Organisation, Visibility
from tsunagu.directory.services import OrganisationFields, organisation_update

SECRET = "内部メモ：代表者の家族の病状について相談中"


@pytest.fixture
def internal_then_public(user_named: Any, municipality: Any) -> Organisation:
    # given a 佐伯市 organisation made internal (by the SC) with a sensitive description,
    # then public again (by the municipal staff) with an ordinary one
    organisation = (
        Organisation.objects.filter(municipality=municipality("佐伯市")).order_by("pk").first()
    )
    assert organisation is not None
    organisation_update(
        organisation=organisation,
        fields=OrganisationFields(visibility=Visibility.INTERNAL, description=SECRET),
        actor=user_named("saiki-sc"),
    )
    organisation.refresh_from_db()
    organisation_update(
        organisation=organisation,
        fields=OrganisationFields(visibility=Visibility.PUBLIC, description="地域の見守り活動"),
        actor=user_named("saiki"),
    )
    organisation.refresh_from_db()
    return organisation


@pytest.mark.parametrize("username", ["kawara", "oita"])
def test_internal_version_is_withheld_from_other_municipalities_and_the_prefecture(
    internal_then_public: Organisation, client_as: Any, user_named: Any, username: str
) -> None:
    url = reverse("directory:organisation_history", args=[internal_then_public.pk])

    response = client_as(username).get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert SECRET not in page
    assert user_named("saiki-sc").display_name not in page
    assert "非公開の版（内容は表示されません）" in page
    assert "地域の見守り活動" in page  # the public version is shown


def test_owner_sees_the_internal_version(
    internal_then_public: Organisation, client_as: Any, user_named: Any
) -> None:
    url = reverse("directory:organisation_history", args=[internal_then_public.pk])

    page = client_as("saiki").get(url).content.decode()

    assert SECRET in page
    assert user_named("saiki-sc").display_name in page


def test_booleans_in_history_read_as_yes_or_no(user_named: Any, municipality: Any) -> None:
    organisation = (
        Organisation.objects.filter(municipality=municipality("佐伯市")).order_by("pk").first()
    )
    assert organisation is not None
    organisation_update(
        organisation=organisation,
        fields=OrganisationFields(
            serves_whole_municipality=not organisation.serves_whole_municipality
        ),
        actor=user_named("saiki"),
    )

    newest = history_entries(organisation, user=user_named("saiki"))[0]

    change = next(c for c in newest.changes if c.field == "serves_whole_municipality")
    assert {change.old, change.new} == {"はい", "いいえ"}


def test_field_mask_hides_what_the_caller_masks(user_named: Any, municipality: Any) -> None:
    organisation = (
        Organisation.objects.filter(municipality=municipality("佐伯市")).order_by("pk").first()
    )
    assert organisation is not None
    organisation_update(
        organisation=organisation,
        fields=OrganisationFields(description=SECRET),
        actor=user_named("saiki"),
    )

    entries = history_entries(
        organisation,
        user=user_named("saiki"),
        field_mask=lambda name, value: "＊＊" if name == "description" else value,
    )

    shown = [str(c.new) for e in entries for c in e.changes] + [
        str(c.old) for e in entries for c in e.changes
    ]
    assert shown
    assert SECRET not in shown
    assert "＊＊" in shown
