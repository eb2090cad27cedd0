"""``tsunagu care retention``: closed residents past the retention period are anonymised,
on the record, in its history and in the read log's names (frozen clock)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from tests.care.factories import ResidentFactory, consent, staff
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.accounts.services import system_actor
from tsunagu.care.models import Resident, ResidentStatus
from tsunagu.care.residents.retention import retention_run
from tsunagu.cli import main

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2031, 6, 1)


def _closed(closed_on: datetime.date, **kwargs) -> Resident:
    return ResidentFactory(status=ResidentStatus.CLOSED, closed_on=closed_on, **kwargs)


def test_retention_anonymises_old_closed_records_and_their_history(settings) -> None:
    settings.PERSONAL_RECORDS_RETENTION_DAYS = 5 * 365
    user = staff("care-a", "香春町")
    old = _closed(datetime.date(2026, 1, 1), name="古い 花子", contact_name="古い 連絡先")
    consent(old, user, detail="メモ")
    PersonalDataReadLog.objects.create(
        user=user, model_label="care.Resident", object_id=str(old.pk), object_repr=old.name
    )
    result = retention_run(actor=system_actor(), today=TODAY, dry_run=False)
    old.refresh_from_db()
    assert result.anonymised >= 1
    assert old.name == "匿名化済み" and old.name_kana == "とくめいかずみ" and old.birth_date is None
    assert old.contact_name == "" and old.anonymised_on == TODAY
    assert not old.history.filter(name="古い 花子").exists()
    assert not old.history.filter(contact_name="古い 連絡先").exists()
    assert old.history.order_by("-pk").first().history_change_reason == "care.resident.anonymise"
    assert old.consents.get().detail == ""
    assert not PersonalDataReadLog.objects.filter(object_repr="古い 花子").exists()


def test_retention_keeps_recent_closed_and_active_records(settings) -> None:
    settings.PERSONAL_RECORDS_RETENTION_DAYS = 5 * 365
    recent = _closed(datetime.date(2028, 1, 1), name="最近 花子")
    active = ResidentFactory(name="利用中 花子")
    retention_run(actor=system_actor(), today=TODAY, dry_run=False)
    recent.refresh_from_db()
    active.refresh_from_db()
    assert recent.name == "最近 花子" and recent.anonymised_on is None
    assert active.name == "利用中 花子"


def test_retention_dry_run_counts_and_changes_nothing(settings) -> None:
    settings.PERSONAL_RECORDS_RETENTION_DAYS = 5 * 365
    old = _closed(datetime.date(2026, 1, 1), name="古い 太郎")
    result = retention_run(actor=system_actor(), today=TODAY, dry_run=True)
    old.refresh_from_db()
    assert result.due >= 1 and result.anonymised == 0
    assert old.name == "古い 太郎"


def test_retention_command_uses_today_from_the_frozen_clock(settings, capsys) -> None:
    settings.PERSONAL_RECORDS_RETENTION_DAYS = 365
    old = _closed(datetime.date(2030, 5, 1), name="一年前 花子")
    edge = _closed(datetime.date(2030, 6, 1), name="ちょうど 花子")
    with time_machine.travel(datetime.datetime(2031, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert main(["care", "retention"]) == 0
    old.refresh_from_db()
    edge.refresh_from_db()
    assert old.name == "匿名化済み"
    assert edge.name == "ちょうど 花子"  # closed exactly 365 days ago: not yet past
    assert "2030-06-01" in capsys.readouterr().out


def test_retention_command_today_option_and_dry_run(settings, capsys) -> None:
    settings.PERSONAL_RECORDS_RETENTION_DAYS = 365
    old = _closed(datetime.date(2020, 1, 1), name="古い 次郎")
    assert main(["care", "retention", "--dry-run", "--today", "2031-06-01"]) == 0
    old.refresh_from_db()
    assert old.name == "古い 次郎"
    assert "変更していません" in capsys.readouterr().out
