"""Referral pages: the sender's list, detail and forms (care right, reads logged), the
receiver's inbox (only its referrals, only the allowed fields, two taps), 404 otherwise."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
from tests.factories import OrganisationFactory, ResourceFactory
from tsunagu.areas.models import Municipality
from tsunagu.care.models import CareLevel, CareLevelRecord
from tsunagu.care.referrals import services
from tsunagu.care.referrals.models import ReferralStatus

pytestmark = pytest.mark.django_db
SECRET_NOTE = "送り手だけのメモ（ページの試験）"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sender_list_shows_the_municipality_referrals_and_logs_each() -> None:
    w = world()
    referral = sent(w)
    page = _client(w.sender).get(reverse("care_referrals:referral_list"))
    assert page.status_code == 200
    assert f"#{referral.pk}" in page.content.decode()
    assert read_purposes(w.sender, w.resident)[-1] == "つなぎの一覧を表示"


def test_sender_list_filters_stalled_referrals() -> None:
    w = world()
    old = sent(w)  # sent on 2025-06-02, long ago
    fresh = draft(w)
    page = _client(w.sender).get(reverse("care_referrals:referral_list"), {"stalled": "on"})
    text = page.content.decode()
    assert f'"/care/referrals/{old.pk}/"' in text
    assert f'"/care/referrals/{fresh.pk}/"' not in text


def test_sender_detail_shows_the_note_and_history_and_logs() -> None:
    w = world()
    referral = sent(w, note=SECRET_NOTE)
    page = _client(w.sender).get(reverse("care_referrals:referral_detail", args=[referral.pk]))
    text = page.content.decode()
    assert SECRET_NOTE in text
    assert "つなぎを送付" in text  # the history's action label
    assert read_purposes(w.sender, w.resident)[-1] == "つなぎの詳細を表示"


def test_resident_page_links_to_a_new_referral_and_lists_referrals() -> None:
    w = world()
    referral = sent(w)
    page = _client(w.sender).get(reverse("care:resident_detail", args=[w.resident.pk]))
    text = page.content.decode()
    assert reverse("care_referrals:referral_create", args=[w.resident.pk]) in text
    assert reverse("care_referrals:referral_detail", args=[referral.pk]) in text


def test_new_referral_form_offers_only_the_municipality_places_and_creates() -> None:
    w = world()
    elsewhere = ResourceFactory(
        provider=OrganisationFactory(municipality=Municipality.objects.get(name="鹿児島市")),
        name="鹿児島のサロン",
    )
    url = reverse("care_referrals:referral_create", args=[w.resident.pk])
    client = _client(w.sender)
    form = client.get(url).content.decode()
    assert w.place.name in form
    assert elsewhere.name not in form
    answer = client.post(
        url, {"destination": f"resource:{w.place.pk}", "wishes": "お茶会に行きたい"}
    )
    referral = written().get()
    assert answer.status_code == 302
    assert referral.wishes == "お茶会に行きたい"
    assert referral.status == ReferralStatus.DRAFT


def test_send_page_without_consent_shows_the_japanese_error() -> None:
    w = world()
    w.resident.consents.all().delete()
    referral = draft(w)
    answer = _client(w.sender).post(reverse("care_referrals:referral_send", args=[referral.pk]))
    assert answer.status_code == 200
    assert "同意が記録されていないため" in answer.content.decode()
    assert written().get().status == ReferralStatus.DRAFT


@pytest.mark.parametrize(
    "name",
    ["referral_detail", "referral_history", "referral_send", "referral_stop", "referral_accept"],
)
def test_sender_pages_are_404_for_the_receiver_and_staff_without_the_right(name) -> None:
    w = world()
    referral = sent(w)
    outsider = staff("no-care", "香春町", care=False, personal=True)
    url = reverse(f"care_referrals:{name}", args=[referral.pk])
    for user in (w.receiver, outsider):
        assert _client(user).get(url).status_code == 404
        assert _client(user).post(url, {"reason": "x"}).status_code == 404
        assert read_purposes(user, w.resident) == []
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_sender_list_is_404_without_the_care_right() -> None:
    w = world()
    assert _client(w.receiver).get(reverse("care_referrals:referral_list")).status_code == 404


def test_inbox_shows_sent_referrals_with_phone_first_and_logs() -> None:
    w = world()
    referral = sent(w, accessibility_needs="階段が苦手")
    page = _client(w.receiver).get(reverse("care_referrals:inbox"))
    text = page.content.decode()
    assert page.status_code == 200
    assert w.resident.name in text
    assert 'href="tel:00011112222"' in text
    assert "階段が苦手" in text
    assert reverse("care_referrals:inbox_accept", args=[referral.pk]) in text
    assert read_purposes(w.receiver, w.resident) == ["つなぎの受付"]


def test_inbox_hides_drafts_stopped_and_other_organisations_referrals() -> None:
    w = world()
    waiting = draft(w, wishes="下書きの希望")
    stopped = sent(w, wishes="中止した希望")
    services.referral_stop(referral=stopped, reason="取りやめ", actor=w.sender)
    other = member_of(OrganisationFactory(municipality=w.organisation.municipality), "other")
    mine = _client(w.receiver).get(reverse("care_referrals:inbox")).content.decode()
    assert "下書きの希望" not in mine and "中止した希望" not in mine
    theirs = _client(other).get(reverse("care_referrals:inbox")).content.decode()
    assert w.resident.name not in theirs
    assert waiting.status == ReferralStatus.DRAFT


def test_inbox_never_shows_the_note_birth_date_district_or_care_level() -> None:
    w = world()
    CareLevelRecord.objects.create(resident=w.resident, level=CareLevel.CARE_2)
    referral = accepted(w, note=SECRET_NOTE)
    client = _client(w.receiver)
    for url in (
        reverse("care_referrals:inbox"),
        reverse("care_referrals:inbox_came", args=[referral.pk]),
    ):
        text = client.get(url).content.decode()
        assert SECRET_NOTE not in text
        assert "要介護2" not in text
        assert "1940" not in text and "昭和15" not in text


def test_inbox_shows_the_care_level_only_when_shared() -> None:
    w = world()
    CareLevelRecord.objects.create(resident=w.resident, level=CareLevel.SUPPORT_1)
    sent(w, share_care_level=True)
    text = _client(w.receiver).get(reverse("care_referrals:inbox")).content.decode()
    assert "要支援1" in text


def test_two_taps_accept_a_referral() -> None:
    w = world()
    referral = sent(w)
    client = _client(w.receiver)
    confirm = client.get(reverse("care_referrals:inbox_accept", args=[referral.pk]))
    assert "はい、受け付けます" in confirm.content.decode()
    done = client.post(reverse("care_referrals:inbox_accept", args=[referral.pk]))
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert reasons(referral)[-1] == "care.referral.accept"


def test_two_taps_record_that_the_person_came_today() -> None:
    w = world()
    referral = accepted(w)
    client = _client(w.receiver)
    page = client.get(reverse("care_referrals:inbox_came", args=[referral.pk])).content.decode()
    today = timezone.localdate()
    assert f'value="{today.isoformat()}"' in page
    client.post(
        reverse("care_referrals:inbox_came", args=[referral.pk]), {"started_on": today.isoformat()}
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.STARTED
    assert referral.started_on == today


def test_decline_from_the_inbox_needs_a_reason() -> None:
    w = world()
    referral = sent(w)
    client = _client(w.receiver)
    url = reverse("care_referrals:inbox_decline", args=[referral.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert written().get().status == ReferralStatus.SENT
    client.post(url, {"reason": "定員がいっぱいです"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


@pytest.mark.parametrize("name", ["inbox_accept", "inbox_came", "inbox_decline"])
def test_inbox_pages_of_another_organisation_are_404_and_change_nothing(name) -> None:
    w = world()
    referral = sent(w)
    other = member_of(OrganisationFactory(municipality=w.organisation.municipality), "other")
    url = reverse(f"care_referrals:{name}", args=[referral.pk])
    assert _client(other).get(url).status_code == 404
    answer = _client(other).post(
        url, {"reason": "x", "started_on": datetime.date.today().isoformat()}
    )
    assert answer.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert read_purposes(other, w.resident) == []


def test_inbox_is_404_for_staff_without_an_organisation() -> None:
    outsider = staff("no-care", "香春町", care=False, personal=True)
    assert _client(outsider).get(reverse("care_referrals:inbox")).status_code == 404


def test_inbox_page_is_large_type_and_has_no_site_navigation() -> None:
    w = world()
    sent(w)
    text = _client(w.receiver).get(reverse("care_referrals:inbox")).content.decode()
    assert "referrals_inbox.css" in text
    assert 'name="viewport"' in text
    assert reverse("directory:search") not in text
    assert reverse("dashboard:home") not in text


def test_two_municipalities_do_not_see_each_other() -> None:
    kawara = world("香春町", "k")
    kagoshima = world("鹿児島市", "g")
    mine = sent(kawara)
    theirs = sent(kagoshima)
    page = _client(kawara.sender).get(reverse("care_referrals:referral_list")).content.decode()
    assert f'"/care/referrals/{mine.pk}/"' in page
    assert f'"/care/referrals/{theirs.pk}/"' not in page
    detail = reverse("care_referrals:referral_detail", args=[theirs.pk])
    assert _client(kawara.sender).get(detail).status_code == 404
    inbox = _client(kawara.receiver).get(reverse("care_referrals:inbox")).content.decode()
    assert kagoshima.resident.name not in inbox
    assert read_purposes(kawara.sender, kagoshima.resident) == []
