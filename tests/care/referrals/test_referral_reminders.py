"""Reminders of unanswered referrals (frozen clock) and the stalled referrals panel."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.care.referrals.helpers import SENT_ON, accepted, reasons, sent, world
from tsunagu.care.referrals.reminders import send_referral_reminders

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, 0), tick=False)


def test_no_reminder_before_n_days(settings) -> None:
    settings.TSUNAGU_REFERRAL_REMIND_AFTER_DAYS = 7
    w = world()
    sent(w)
    with _at(SENT_ON + datetime.timedelta(days=6)):
        lines = send_referral_reminders(today=SENT_ON + datetime.timedelta(days=6))
    assert lines == []
    assert mail.outbox == []


def test_reminder_mails_the_sender_and_the_receiving_members_once(settings) -> None:
    settings.TSUNAGU_REFERRAL_REMIND_AFTER_DAYS = 7
    w = world()
    referral = sent(w)
    day = SENT_ON + datetime.timedelta(days=7)
    with _at(day):
        lines = send_referral_reminders(today=day)
    assert lines == [f"送信済み\tつなぎの催促\t#{referral.pk}\t2人"]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([w.sender.email, w.receiver.email])
    # Mail is no place for personal data: the person is not named.
    assert all(w.resident.name not in m.body + m.subject for m in mail.outbox)
    referral.refresh_from_db()
    assert referral.last_reminded_on == day
    assert reasons(referral)[-1] == "care.referral.remind"
    # The next days: not again within N days.
    for later in (day + datetime.timedelta(days=1), day + datetime.timedelta(days=6)):
        with _at(later):
            assert send_referral_reminders(today=later) == []
    assert len(mail.outbox) == 2


def test_reminder_is_sent_again_after_n_more_days(settings) -> None:
    settings.TSUNAGU_REFERRAL_REMIND_AFTER_DAYS = 7
    w = world()
    sent(w)
    first = SENT_ON + datetime.timedelta(days=7)
    with _at(first):
        send_referral_reminders(today=first)
    second = first + datetime.timedelta(days=7)
    with _at(second):
        assert len(send_referral_reminders(today=second)) == 1
    assert len(mail.outbox) == 4


def test_an_answered_referral_is_not_reminded(settings) -> None:
    settings.TSUNAGU_REFERRAL_REMIND_AFTER_DAYS = 7
    w = world()
    accepted(w)
    day = SENT_ON + datetime.timedelta(days=30)
    with _at(day):
        assert send_referral_reminders(today=day) == []
    assert mail.outbox == []


def test_dry_run_sends_nothing_and_records_nothing(settings) -> None:
    settings.TSUNAGU_REFERRAL_REMIND_AFTER_DAYS = 7
    w = world()
    referral = sent(w)
    day = SENT_ON + datetime.timedelta(days=8)
    lines = send_referral_reminders(today=day, dry_run=True)
    assert lines == [f"送信予定\tつなぎの催促\t#{referral.pk}\t2人"]
    referral.refresh_from_db()
    assert referral.last_reminded_on is None
    assert mail.outbox == []


def _dashboard(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("dashboard:home")).content.decode()


def test_the_stalled_panel_lists_sent_and_accepted_referrals_waiting_n_days(settings) -> None:
    settings.TSUNAGU_REFERRAL_REMIND_AFTER_DAYS = 7
    w = world()
    waiting = sent(w)
    not_started = accepted(w)
    with _at(SENT_ON + datetime.timedelta(days=3)):
        assert "止まっているつなぎはありません" in _dashboard(w.sender)
    with _at(SENT_ON + datetime.timedelta(days=7)):
        text = _dashboard(w.sender)
    for referral in (waiting, not_started):
        assert reverse("care_referrals:referral_detail", args=[referral.pk]) in text
    assert w.resident.name not in text


def test_the_stalled_panel_is_absent_without_the_care_right(settings) -> None:
    w = world()
    sent(w)
    assert "止まっているつなぎ" not in _dashboard(w.receiver)
