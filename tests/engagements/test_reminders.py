"""Follow-up reminders with a frozen clock: first after the last visit, then periodically,
each sent once; the CLI; the dashboard panel."""

from __future__ import annotations

import argparse
import datetime

import pytest
from django.core import mail

from tsunagu.engagements import reminders, services
from tsunagu.engagements.cli import run
from tsunagu.engagements.commands import ProgramFields
from tsunagu.engagements.models import FollowUpReminder

from .conftest import freeze, with_email

pytestmark = pytest.mark.django_db

LAST_VISIT = datetime.date(2023, 1, 23)  # 出水市's third visit


def test_first_reminder_is_due_ninety_days_after_the_last_visit(visited):
    due = LAST_VISIT + datetime.timedelta(days=90)
    assert reminders.follow_up_due_on(visited, due - datetime.timedelta(days=1)) == due
    assert reminders.due_reminders(today=due - datetime.timedelta(days=1)) == []
    [reminder] = reminders.due_reminders(today=due)
    assert reminder.engagement == visited
    assert reminder.due_on == due


def test_reminder_goes_to_municipal_and_prefecture_staff_with_email(visited, user_named):
    with_email(user_named("izumi"), "izumi@example.jp")
    with_email(user_named("kagoshima-pref"), "pref@example.jp")
    with_email(user_named("kagoshima"), "k@example.jp")  # 鹿児島市: not this municipality
    [reminder] = reminders.due_reminders(today=LAST_VISIT + datetime.timedelta(days=90))
    assert reminder.recipients == ["izumi@example.jp", "pref@example.jp"]


def test_reminder_is_sent_once_and_logged(visited, user_named):
    with_email(user_named("izumi"), "izumi@example.jp")
    day = LAST_VISIT + datetime.timedelta(days=95)
    sent = reminders.send_due_reminders(today=day)
    assert [(r.sent, r.emailed) for r in sent] == [(True, True)]
    assert len(mail.outbox) == 1
    assert "出水市" in mail.outbox[0].subject
    assert "フォローアップ" in mail.outbox[0].body
    assert FollowUpReminder.objects.get().due_on == LAST_VISIT + datetime.timedelta(days=90)
    # a second run the next day sends nothing
    assert reminders.send_due_reminders(today=day + datetime.timedelta(days=1)) == []
    assert len(mail.outbox) == 1


def test_reminder_repeats_every_interval_until_a_follow_up(visited):
    first_due = LAST_VISIT + datetime.timedelta(days=90)
    reminders.send_due_reminders(today=first_due)
    later = first_due + datetime.timedelta(days=180)
    [again] = reminders.due_reminders(today=later)
    assert again.due_on == later
    assert reminders.due_reminders(today=later - datetime.timedelta(days=1)) == []


def test_follow_up_resets_the_clock(visited, user_named):
    services.follow_up_record(
        engagement=visited,
        followed_on=datetime.date(2023, 5, 1),
        by_whom="鹿児島県",
        what="電話で状況を確認",
        next_due_on=datetime.date(2023, 8, 1),
        actor=user_named("kagoshima-pref"),
    )
    visited.refresh_from_db()
    assert reminders.due_reminders(today=datetime.date(2023, 7, 31)) == []
    [reminder] = reminders.due_reminders(today=datetime.date(2023, 8, 1))
    assert reminder.due_on == datetime.date(2023, 8, 1)


def test_prefecture_setting_changes_the_delay(visited, user_named, prefecture):
    services.followup_settings_update(
        prefecture=prefecture("鹿児島県"),
        first_reminder_days=30,
        repeat_reminder_days=60,
        actor=user_named("kagoshima-pref"),
    )
    due = LAST_VISIT + datetime.timedelta(days=30)
    assert reminders.follow_up_due_on(visited, due) == due
    assert reminders.follow_up_due_on(visited, due + datetime.timedelta(days=60)) == (
        due + datetime.timedelta(days=60)
    )


def test_program_setting_overrides_the_prefecture(visited, user_named, prefecture, admin_user):
    services.followup_settings_update(
        prefecture=prefecture("鹿児島県"),
        first_reminder_days=30,
        repeat_reminder_days=60,
        actor=user_named("kagoshima-pref"),
    )
    services.program_update(
        program=visited.program, fields=ProgramFields(first_reminder_days=10), actor=admin_user
    )
    visited.refresh_from_db()
    assert reminders.follow_up_base_due(visited) == LAST_VISIT + datetime.timedelta(days=10)


def test_on_track_engagement_gets_no_reminder(visited, admin_user):
    services.engagement_transition(engagement=visited, to="on_track", actor=admin_user)
    assert reminders.due_reminders(today=LAST_VISIT + datetime.timedelta(days=400)) == []


def test_other_prefecture_cannot_change_the_delay(user_named, prefecture, no_demo_engagements):
    from tsunagu.core.errors import PermissionDenied
    from tsunagu.engagements.models import FollowUpSettings

    with pytest.raises(PermissionDenied):
        services.followup_settings_update(
            prefecture=prefecture("鹿児島県"),
            first_reminder_days=1,
            repeat_reminder_days=1,
            actor=user_named("oita"),
        )
    assert not FollowUpSettings.objects.exists()


def test_cli_sends_due_reminders_with_the_frozen_clock(visited, monkeypatch, capsys, user_named):
    with_email(user_named("izumi"), "izumi@example.jp")
    freeze(monkeypatch, LAST_VISIT + datetime.timedelta(days=91))
    assert run(argparse.Namespace(engagements_command="send-reminders", dry_run=True)) == 0
    assert "送信予定" in capsys.readouterr().out
    assert not FollowUpReminder.objects.exists()
    assert run(argparse.Namespace(engagements_command="send-reminders", dry_run=False)) == 0
    out = capsys.readouterr().out
    assert "送信済み" in out and "出水市" in out
    assert len(mail.outbox) == 1
    assert run(argparse.Namespace(engagements_command="send-reminders", dry_run=False)) == 0
    assert "ありません" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_failed_mail_is_not_logged_and_retried(visited, monkeypatch, user_named):
    with_email(user_named("izumi"), "izumi@example.jp")

    def broken(*args, **kwargs):
        raise OSError("SMTP に接続できません")

    monkeypatch.setattr(reminders, "send_mail", broken)
    day = LAST_VISIT + datetime.timedelta(days=90)
    [failed] = reminders.send_due_reminders(today=day)
    assert not failed.sent and "SMTP" in failed.error
    assert not FollowUpReminder.objects.exists()
    monkeypatch.undo()
    [retried] = reminders.send_due_reminders(today=day)
    assert retried.sent


def test_dashboard_panel_lists_due_follow_up(visited, client_as, monkeypatch, user_named):
    with_email(user_named("kagoshima-pref"), "pref@example.jp")
    with_email(user_named("kawara"), "kawara@example.jp")
    freeze(monkeypatch, LAST_VISIT + datetime.timedelta(days=100))
    response = client_as("kagoshima-pref").get("/dashboard/")
    text = response.content.decode()
    assert "伴走的支援のフォローアップ" in text
    assert "フォローアップの期日" in text and "過ぎています" in text
    # 香春町 (福岡県) staff do not see 出水市's engagement
    other = client_as("kawara").get("/dashboard/").content.decode()
    assert "伴走的支援のフォローアップ" not in other


def test_prefecture_without_email_gets_the_in_app_reminder_only(visited, user_named, prefecture):
    with_email(user_named("izumi"), "izumi@example.jp")
    services.followup_settings_update(
        prefecture=prefecture("鹿児島県"),
        first_reminder_days=90,
        repeat_reminder_days=180,
        send_email=False,
        actor=user_named("kagoshima-pref"),
    )
    [reminder] = reminders.send_due_reminders(today=LAST_VISIT + datetime.timedelta(days=90))
    assert (reminder.sent, reminder.emailed) == (True, False)
    assert len(mail.outbox) == 0
    assert FollowUpReminder.objects.count() == 1
