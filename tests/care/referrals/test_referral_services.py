"""Referral services: every transition with its history row, wrong transitions refused,
consent checked before sending, withdrawal stops the referral, sides checked."""

from __future__ import annotations

import datetime

import pytest

from tests.care.factories import consent, staff
from tests.care.referrals.conftest import written
from tests.care.referrals.helpers import (
    SENT_ON,
    accepted,
    draft,
    member_of,
    reasons,
    sent,
    started,
    world,
)
from tests.factories import OrganisationFactory, ResourceFactory
from tsunagu.areas.models import Municipality
from tsunagu.care.models import ConsentPurpose
from tsunagu.care.referrals import services
from tsunagu.care.referrals.models import ReferralOutcome, ReferralStatus
from tsunagu.care.residents.services import consent_withdraw
from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.programs.instances.models import ProgramInstance

pytestmark = pytest.mark.django_db


def test_create_addresses_the_resource_provider_and_writes_history() -> None:
    w = world()
    referral = draft(w, accessibility_needs="階段が苦手", note="家族と相談済み")
    assert referral.status == ReferralStatus.DRAFT
    assert referral.receiving_organisation == w.organisation
    assert referral.resident_name == w.resident.name
    assert reasons(referral) == ["care.referral.create"]
    assert referral.history.get().history_user == w.sender


def test_create_to_a_program_instance_addresses_its_provider() -> None:
    w = world()
    provider = OrganisationFactory(municipality=w.resident.municipality, name="B型の会")
    program = ProgramInstance.objects.create(
        municipality=w.resident.municipality,
        service_type="home_b",
        name="住民主体の支え合い",
        provider=provider,
    )
    referral = services.referral_create(
        resident=w.resident, program=program, wishes="買い物を手伝ってほしい", actor=w.sender
    )
    assert referral.receiving_organisation == provider
    assert referral.program == program


def test_create_refuses_a_place_of_another_municipality() -> None:
    w = world()
    elsewhere = ResourceFactory(
        provider=OrganisationFactory(municipality=Municipality.objects.get(name="鹿児島市"))
    )
    with pytest.raises(TsunaguError, match="同じ市町村"):
        services.referral_create(
            resident=w.resident, resource=elsewhere, wishes="体操", actor=w.sender
        )
    assert written().count() == 0


def test_create_requires_the_wishes() -> None:
    w = world()
    with pytest.raises(TsunaguError, match="本人の希望"):
        draft(w, wishes="  ")
    assert written().count() == 0


def test_create_refused_without_the_care_right_writes_nothing() -> None:
    w = world()
    outsider = staff("no-care", "香春町", care=False, personal=True)
    with pytest.raises(NotFound):
        services.referral_create(
            resident=w.resident, resource=w.place, wishes="体操", actor=outsider
        )
    assert written().count() == 0


def test_send_copies_name_and_phone_and_records_the_day() -> None:
    w = world()
    referral = draft(w)
    w.resident.contact_phone = "000-3333-4444"
    w.resident.save()
    services.referral_send(referral=referral, actor=w.sender, today=SENT_ON)
    assert referral.status == ReferralStatus.SENT
    assert referral.sent_on == SENT_ON
    assert referral.contact_phone == "000-3333-4444"
    assert reasons(referral) == ["care.referral.create", "care.referral.send"]


def test_send_is_refused_without_a_referral_consent() -> None:
    w = world()
    w.resident.consents.all().delete()
    consent(w.resident, w.sender, purpose=ConsentPurpose.CARE_RECORD)
    referral = draft(w)
    with pytest.raises(TsunaguError, match="つなぎ（情報提供）」の同意"):
        services.referral_send(referral=referral, actor=w.sender, today=SENT_ON)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert reasons(referral) == ["care.referral.create"]


def test_send_is_refused_after_the_consent_was_withdrawn() -> None:
    w = world()
    referral = draft(w)
    given = w.resident.consents.get(purpose=ConsentPurpose.REFERRAL)
    given.withdrawn_on = datetime.date(2025, 1, 1)
    given.save()
    with pytest.raises(TsunaguError, match="同意"):
        services.referral_send(referral=referral, actor=w.sender, today=SENT_ON)
    assert written().get().status == ReferralStatus.DRAFT


def test_accept_by_the_receiving_member_writes_history() -> None:
    w = world()
    referral = accepted(w)
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.answered_on == SENT_ON
    row = referral.history.order_by("-history_id").first()
    assert row.history_change_reason == "care.referral.accept"
    assert row.history_user == w.receiver


def test_accept_by_the_sender_side_is_allowed() -> None:
    w = world()
    referral = sent(w)
    services.referral_accept(referral=referral, actor=w.sender, today=SENT_ON)
    assert referral.status == ReferralStatus.ACCEPTED


def test_decline_requires_a_reason_and_keeps_it() -> None:
    w = world()
    referral = sent(w)
    with pytest.raises(TsunaguError, match="お断りの理由"):
        services.referral_decline(referral=referral, reason=" ", actor=w.receiver)
    assert written().get().status == ReferralStatus.SENT
    services.referral_decline(referral=referral, reason="定員がいっぱいです", actor=w.receiver)
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "定員がいっぱいです"
    assert reasons(referral)[-1] == "care.referral.decline"


def test_start_records_the_day_the_person_came() -> None:
    w = world()
    referral = started(w)
    assert referral.status == ReferralStatus.STARTED
    assert referral.started_on == SENT_ON
    assert reasons(referral)[-1] == "care.referral.start"


def test_start_before_the_sending_day_is_refused() -> None:
    w = world()
    referral = accepted(w)
    with pytest.raises(TsunaguError, match="送付日より後"):
        services.referral_start(
            referral=referral, started_on=SENT_ON - datetime.timedelta(days=1), actor=w.receiver
        )
    assert written().get().status == ReferralStatus.ACCEPTED


def test_end_records_the_outcome() -> None:
    w = world()
    referral = started(w)
    services.referral_end(
        referral=referral,
        outcome=ReferralOutcome.MOVED,
        note="娘さんの近くへ",
        ended_on=datetime.date(2025, 9, 1),
        actor=w.receiver,
    )
    assert referral.status == ReferralStatus.ENDED
    assert referral.outcome == ReferralOutcome.MOVED
    assert reasons(referral)[-1] == "care.referral.end"


def test_stop_by_the_sender_records_the_reason() -> None:
    w = world()
    referral = sent(w)
    services.referral_stop(referral=referral, reason="本人が入院", actor=w.sender)
    assert referral.status == ReferralStatus.STOPPED
    assert referral.stop_reason == "本人が入院"
    assert reasons(referral)[-1] == "care.referral.stop: 本人が入院"


def test_the_receiver_cannot_stop_a_referral() -> None:
    w = world()
    referral = sent(w)
    with pytest.raises(NotFound):
        services.referral_stop(referral=referral, reason="x", actor=w.receiver)
    assert written().get().status == ReferralStatus.SENT


@pytest.mark.parametrize(
    ("build", "action"),
    [
        (draft, "accept"),
        (draft, "start"),
        (sent, "send"),
        (sent, "start"),
        (sent, "end"),
        (accepted, "accept"),
        (accepted, "decline"),
        (accepted, "end"),
        (started, "accept"),
        (started, "start"),
    ],
)
def test_wrong_transitions_are_refused_in_japanese(build, action) -> None:
    w = world()
    referral = build(w)
    before = referral.status
    history = reasons(referral)
    calls = {
        "send": lambda: services.referral_send(referral=referral, actor=w.sender, today=SENT_ON),
        "accept": lambda: services.referral_accept(referral=referral, actor=w.sender),
        "decline": lambda: services.referral_decline(referral=referral, reason="x", actor=w.sender),
        "start": lambda: services.referral_start(
            referral=referral, started_on=SENT_ON, actor=w.sender
        ),
        "end": lambda: services.referral_end(
            referral=referral,
            outcome=ReferralOutcome.OTHER,
            note="",
            ended_on=SENT_ON,
            actor=w.sender,
        ),
    }
    with pytest.raises(TsunaguError, match=r"のつなぎは.*できません"):
        calls[action]()
    referral.refresh_from_db()
    assert referral.status == before
    assert reasons(referral) == history


@pytest.mark.parametrize("build", [draft, sent])
def test_a_closed_referral_cannot_be_stopped(build) -> None:
    w = world()
    referral = build(w)
    services.referral_stop(referral=referral, reason="取りやめ", actor=w.sender)
    with pytest.raises(TsunaguError, match="「中止」のつなぎは中止できません"):
        services.referral_stop(referral=referral, reason="もう一度", actor=w.sender)


def test_a_declined_referral_cannot_be_accepted() -> None:
    w = world()
    referral = sent(w)
    services.referral_decline(referral=referral, reason="定員", actor=w.receiver)
    with pytest.raises(TsunaguError, match="「お断り」のつなぎは受付できません"):
        services.referral_accept(referral=referral, actor=w.receiver)
    assert written().get().status == ReferralStatus.DECLINED


def test_withdrawing_the_referral_consent_stops_open_referrals_with_history() -> None:
    w = world()
    waiting = sent(w)
    taking_part = started(w)
    done = sent(w)
    services.referral_decline(referral=done, reason="定員", actor=w.receiver)
    given = w.resident.consents.get(purpose=ConsentPurpose.REFERRAL)
    consent_withdraw(actor=w.sender, consent=given, withdrawn_on=datetime.date(2025, 7, 1))
    for referral in (waiting, taking_part):
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.STOPPED
        assert referral.stop_reason == "同意の撤回"
        row = referral.history.order_by("-history_id").first()
        assert row.history_change_reason == "care.referral.stop: 同意の撤回"
        assert row.history_user == w.sender
    done.refresh_from_db()
    assert done.status == ReferralStatus.DECLINED


def test_withdrawing_another_consent_leaves_referrals_alone() -> None:
    w = world()
    referral = sent(w)
    other = consent(w.resident, w.sender, purpose=ConsentPurpose.CARE_RECORD)
    consent_withdraw(actor=w.sender, consent=other, withdrawn_on=datetime.date(2025, 7, 1))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_a_member_of_another_organisation_cannot_answer_and_nothing_changes() -> None:
    w = world()
    referral = sent(w)
    other = member_of(OrganisationFactory(municipality=w.organisation.municipality), "other-leader")
    with pytest.raises(NotFound):
        services.referral_accept(referral=referral, actor=other)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert reasons(referral) == ["care.referral.create", "care.referral.send"]


def test_staff_without_the_care_right_cannot_answer_and_nothing_changes() -> None:
    w = world()
    referral = sent(w)
    outsider = staff("no-care", "香春町", care=False, personal=True)
    with pytest.raises(NotFound):
        services.referral_decline(referral=referral, reason="x", actor=outsider)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert reasons(referral) == ["care.referral.create", "care.referral.send"]


def test_the_receiver_cannot_answer_a_draft() -> None:
    w = world()
    referral = draft(w)
    with pytest.raises(NotFound):
        services.referral_accept(referral=referral, actor=w.receiver)
    assert written().get().status == ReferralStatus.DRAFT


def test_care_staff_of_another_municipality_cannot_send() -> None:
    w = world()
    referral = draft(w)
    other = staff("kagoshima-care", "鹿児島市")
    with pytest.raises(NotFound):
        services.referral_send(referral=referral, actor=other, today=SENT_ON)
    assert written().get().status == ReferralStatus.DRAFT
