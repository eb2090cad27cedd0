"""Riders ↔ residents: one person, one consent history, no data crossing (issue 14 item 2)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.care.factories import ResidentFactory, staff
from tsunagu.accounts.models import Role
from tsunagu.care.models import ConsentPurpose, ConsentRecord, Resident
from tsunagu.core.errors import PermissionDenied
from tsunagu.mobility.models import MobilityService, Rider
from tsunagu.mobility.rides import services
from tsunagu.mobility.rides.consent import rider_consent_on

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


def _saiki_rider() -> Rider:
    return Rider.objects.filter(service__municipality__name="佐伯市").order_by("pk").first()


def _saiki_resident() -> Resident:
    return ResidentFactory(
        municipality=MobilityService.objects.filter(municipality__name="佐伯市")
        .first()
        .municipality,
        name="リンク 花子",
        contact_name="リンク用の秘密の連絡先",
    )


def _both(username: str = "both") -> object:
    return staff(username, "佐伯市", care=True, personal=True, role=Role.MUNICIPALITY_STAFF)


def test_link_needs_both_rights_and_changes_nothing_otherwise() -> None:
    rider, resident = _saiki_rider(), _saiki_resident()
    only_riders = staff("riders-only", "佐伯市", care=False, personal=True)
    only_care = staff("care-only", "佐伯市", care=True, personal=False)
    for actor in (only_riders, only_care):
        with pytest.raises(PermissionDenied):
            services.rider_link_resident(rider=rider, resident=resident, actor=actor)
    rider.refresh_from_db()
    assert rider.resident_id is None


def test_link_with_both_rights_writes_history() -> None:
    rider, resident = _saiki_rider(), _saiki_resident()
    services.rider_link_resident(rider=rider, resident=resident, actor=_both())
    rider.refresh_from_db()
    assert rider.resident_id == resident.pk
    latest = rider.history.order_by("-history_date", "-pk").first()
    assert latest.history_change_reason == "mobility.rider.link_resident"


def test_linked_rider_consent_comes_from_resident_mobility_consent() -> None:
    rider, resident = _saiki_rider(), _saiki_resident()
    actor = _both()
    Rider.objects.filter(pk=rider.pk).update(consent_on=datetime.date(2020, 1, 1))
    services.rider_link_resident(rider=rider, resident=resident, actor=actor)
    rider.refresh_from_db()
    assert rider_consent_on(rider, DAY) is None  # the resident has no 移動支援 consent
    ConsentRecord.objects.create(
        resident=resident, purpose=ConsentPurpose.CARE_RECORD, given_on=DAY, recorded_by=actor
    )
    assert rider_consent_on(rider, DAY) is None  # another purpose does not count
    mobility = ConsentRecord.objects.create(
        resident=resident,
        purpose=ConsentPurpose.MOBILITY,
        given_on=datetime.date(2025, 4, 1),
        recorded_by=actor,
    )
    assert rider_consent_on(rider, DAY) == datetime.date(2025, 4, 1)
    mobility.withdrawn_on = datetime.date(2025, 5, 1)
    mobility.save()
    assert rider_consent_on(rider, DAY) is None


def test_rider_page_shows_only_that_a_link_exists(client_as) -> None:
    rider, resident = _saiki_rider(), _saiki_resident()
    services.rider_link_resident(rider=rider, resident=resident, actor=_both())
    body = client_as("saiki-sc").get(reverse("mobility:rider_detail", args=[rider.pk]))
    text = body.content.decode()
    assert body.status_code == 200
    assert "結び付いています" in text
    assert resident.name not in text and resident.contact_name not in text


def test_resident_page_never_shows_rider_data() -> None:
    rider, resident = _saiki_rider(), _saiki_resident()
    user = _both()
    services.rider_link_resident(rider=rider, resident=resident, actor=user)
    client = Client()
    client.force_login(user)
    text = client.get(reverse("care:resident_detail", args=[resident.pk])).content.decode()
    for secret in (rider.address, rider.phone, rider.needs, rider.mobility_aids, rider.note):
        if secret:
            assert secret not in text
    assert "利用会員" not in text


def test_link_page_is_404_for_a_user_with_only_the_riders_right(client_as) -> None:
    rider = _saiki_rider()
    response = client_as("saiki-sc").get(reverse("mobility:rider_resident_link", args=[rider.pk]))
    assert response.status_code == 404
