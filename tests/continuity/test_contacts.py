"""The contact log (連絡・訪問の記録) with organisations and people."""

from __future__ import annotations

import datetime

import pytest

from tsunagu.accounts.models import Role
from tsunagu.continuity.contacts.services import interaction_record
from tsunagu.continuity.models import Interaction
from tsunagu.core.errors import PermissionDenied, TsunaguError

pytestmark = pytest.mark.django_db


def test_recording_a_visit_links_the_organisation_and_writes_history(
    make_staff, make_organisation, municipality
):
    staff = make_staff("鹿児島市")
    organisation = make_organisation("鹿児島市")

    interaction = interaction_record(
        municipality=municipality("鹿児島市"),
        occurred_on=datetime.date(2026, 11, 5),
        channel="visit",
        summary="移動支援のモデル地区について会長と相談",
        organisations=[organisation],
        next_step="役員会で説明",
        next_step_on=datetime.date(2026, 12, 1),
        actor=staff,
    )

    assert list(interaction.organisations.all()) == [organisation]
    assert list(interaction.our_side.all()) == [staff]
    assert interaction.history.get().history_change_reason == "continuity.interaction.record"


def test_an_organisation_of_another_municipality_is_refused(
    make_staff, make_organisation, municipality
):
    staff = make_staff("鹿児島市")
    before = Interaction.objects.count()

    with pytest.raises(TsunaguError, match="この市町村の団体ではありません"):
        interaction_record(
            municipality=municipality("鹿児島市"),
            occurred_on=datetime.date(2026, 11, 5),
            channel="phone",
            summary="電話",
            organisations=[make_organisation("出水市")],
            actor=staff,
        )

    assert Interaction.objects.count() == before


def test_staff_of_another_municipality_cannot_record_and_nothing_is_written(
    make_staff, municipality
):
    before = Interaction.objects.count()
    with pytest.raises(PermissionDenied):
        interaction_record(
            municipality=municipality("鹿児島市"),
            occurred_on=datetime.date(2026, 11, 5),
            channel="phone",
            summary="電話",
            their_side_text="デモ 太郎",
            actor=make_staff("出水市", Role.MUNICIPALITY_STAFF),
        )

    assert Interaction.objects.count() == before


def test_the_contact_form_records_and_the_organisation_page_shows_it(
    client, make_staff, make_organisation
):
    staff = make_staff("鹿児島市")
    organisation = make_organisation("鹿児島市")
    client.force_login(staff)

    response = client.post(
        f"/continuity/contacts/new/?organisation={organisation.pk}",
        {
            "occurred_on": "2026-11-05",
            "channel": "meeting",
            "organisations": [organisation.pk],
            "summary": "サロンの立ち上げを相談",
        },
    )

    assert response.status_code == 302
    page = client.get(f"/directory/organisations/{organisation.pk}/").content.decode()
    assert "サロンの立ち上げを相談" in page


def test_another_municipality_does_not_see_the_contact(
    client, make_staff, make_organisation, municipality
):
    from tsunagu.continuity.contacts.selectors import interaction_list_visible_to

    organisation = make_organisation("鹿児島市")
    interaction_record(
        municipality=municipality("鹿児島市"),
        occurred_on=datetime.date(2026, 11, 5),
        channel="visit",
        summary="訪問",
        organisations=[organisation],
        actor=make_staff("鹿児島市"),
    )

    assert not interaction_list_visible_to(user=make_staff("出水市")).exists()
