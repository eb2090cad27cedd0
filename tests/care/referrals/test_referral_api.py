"""Referral API: the sender's shape for the care right, the receiver's narrow shape for its
organisation's members, 404 for everyone else, every read logged."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.care.factories import staff
from tests.care.referrals.conftest import written
from tests.care.referrals.helpers import (
    accepted,
    draft,
    member_of,
    read_purposes,
    reasons,
    sent,
    world,
)
from tests.factories import OrganisationFactory
from tsunagu.care.models import CareLevel, CareLevelRecord
from tsunagu.care.referrals.models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db
BASE = "/api/v1/care/referrals"
SECRET_NOTE = "送り手だけのメモ（APIの試験）"
RECEIVER_KEYS = {
    "id",
    "resident_name",
    "contact_phone",
    "wishes",
    "accessibility_needs",
    "care_level",
    "status",
    "status_label",
    "decline_reason",
    "sent_on",
    "answered_on",
    "started_on",
    "ended_on",
    "destination",
    "organisation",
    "organisation_id",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sender_list_and_detail_include_the_note_and_log() -> None:
    w = world()
    referral = sent(w, note=SECRET_NOTE)
    listing = _client(w.sender).get(BASE).json()
    assert [i["id"] for i in listing["items"]] == [referral.pk]
    detail = _client(w.sender).get(f"{BASE}/{referral.pk}").json()
    assert detail["note"] == SECRET_NOTE
    assert detail["resident"]["id"] == w.resident.pk
    assert read_purposes(w.sender, w.resident)[-2:] == [
        "つなぎの一覧を表示（API）",
        "つなぎの詳細を表示（API）",
    ]


def test_receiver_inbox_answers_only_the_allowed_fields_and_logs() -> None:
    w = world()
    CareLevelRecord.objects.create(resident=w.resident, level=CareLevel.CARE_2)
    referral = sent(w, note=SECRET_NOTE)
    answer = _client(w.receiver).get(f"{BASE}/inbox").json()
    (item,) = answer["items"]
    assert item["id"] == referral.pk
    assert set(item) <= RECEIVER_KEYS
    assert item["care_level"] is None
    text = json.dumps(answer, ensure_ascii=False)
    assert SECRET_NOTE not in text and "要介護2" not in text and "1940" not in text
    assert read_purposes(w.receiver, w.resident) == ["つなぎの受付（API）"]


def test_receiver_sees_the_care_level_only_when_shared() -> None:
    w = world()
    CareLevelRecord.objects.create(resident=w.resident, level=CareLevel.CARE_2)
    referral = sent(w, share_care_level=True)
    item = _client(w.receiver).get(f"{BASE}/inbox/{referral.pk}").json()
    assert item["care_level"] == "要介護2"


def test_receiver_cannot_read_the_sender_endpoints() -> None:
    w = world()
    referral = sent(w)
    client = _client(w.receiver)
    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}/{referral.pk}").status_code == 404


def test_receiver_accepts_declines_and_records_the_start() -> None:
    w = world()
    first = sent(w)
    second = sent(w)
    client = _client(w.receiver)
    assert client.post(f"{BASE}/inbox/{first.pk}/accept").json()["status"] == "accepted"
    started = client.post(
        f"{BASE}/inbox/{first.pk}/start",
        {"started_on": "2025-06-10"},
        content_type="application/json",
    ).json()
    assert started["status"] == "started" and started["started_on"] == "2025-06-10"
    declined = client.post(
        f"{BASE}/inbox/{second.pk}/decline", {"reason": "定員"}, content_type="application/json"
    ).json()
    assert declined["decline_reason"] == "定員"
    assert reasons(Referral.objects.get(pk=first.pk))[-1] == "care.referral.start"


def test_a_wrong_transition_answers_a_japanese_400() -> None:
    w = world()
    referral = accepted(w)
    answer = _client(w.receiver).post(f"{BASE}/inbox/{referral.pk}/accept")
    assert answer.status_code == 400
    assert "「受付」のつなぎは受付できません" in answer.json()["detail"]


def test_decline_without_a_reason_is_422() -> None:
    w = world()
    referral = sent(w)
    answer = _client(w.receiver).post(
        f"{BASE}/inbox/{referral.pk}/decline", {"reason": ""}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert written().get().status == ReferralStatus.SENT


@pytest.mark.parametrize("path", ["", "/accept"])
def test_another_organisation_and_staff_without_the_right_get_404_and_nothing_changes(path) -> None:
    w = world()
    referral = sent(w)
    other = member_of(OrganisationFactory(municipality=w.organisation.municipality), "other")
    outsider = staff("no-care", "香春町", care=False, personal=True)
    for user in (other, outsider):
        client = _client(user)
        url = f"{BASE}/inbox/{referral.pk}{path}"
        answer = client.post(url) if path else client.get(url)
        assert answer.status_code == 404
        assert read_purposes(user, w.resident) == []
    assert written().get().status == ReferralStatus.SENT


def test_a_draft_is_404_for_the_receiver() -> None:
    w = world()
    referral = draft(w)
    assert _client(w.receiver).get(f"{BASE}/inbox/{referral.pk}").status_code == 404
    assert _client(w.receiver).get(f"{BASE}/inbox").json()["items"] == []


def test_sender_api_is_scoped_to_the_municipality() -> None:
    kawara = world("香春町", "k")
    kagoshima = world("鹿児島市", "g")
    sent(kawara)
    theirs = sent(kagoshima)
    client = _client(kawara.sender)
    assert theirs.pk not in [i["id"] for i in client.get(BASE).json()["items"]]
    assert client.get(f"{BASE}/{theirs.pk}").status_code == 404
    assert read_purposes(kawara.sender, kagoshima.resident) == []


def test_api_is_404_when_personal_records_are_off(settings) -> None:
    w = world()
    sent(w)
    settings.PERSONAL_RECORDS_ENABLED = False
    answer = _client(w.receiver).get(f"{BASE}/inbox")
    assert answer.status_code == 404
    assert "無効" in answer.json()["detail"]
