"""The daily reminder mails as a periodic job (ADR 0010): the worker runs them at 7:00
(Asia/Tokyo), so no cron line is needed; ``tsunagu engagements send-reminders`` still runs
them by hand. Includes the other apps' senders (``REMINDER_SENDERS``: continuity's stale
digest). Resumable: a sent reminder is logged once (unique row), so a rerun sends only what
is still due."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from tsunagu.core.errors import TsunaguError
from tsunagu.core.jobs.registry import JobKind, Periodic, register_job_kind, register_periodic
from tsunagu.core.jobs.runner import JobContext
from tsunagu.core.plugins import REMINDER_SENDERS, hooks

REMINDERS_JOB = "engagements.reminders"


def _today(context: JobContext) -> datetime.date:
    text = context.input.get("today")
    return datetime.date.fromisoformat(text) if text else timezone.localdate()


def reminders_job_run(context: JobContext) -> dict[str, Any]:
    from tsunagu.engagements.reminders import send_due_reminders  # mail code, on use only

    today = _today(context)
    reminders = send_due_reminders(today=today, dry_run=False)
    lines = []
    for sender in hooks(REMINDER_SENDERS):  # other apps' reminders (continuity: stale digest)
        lines.extend(sender(today=today, dry_run=False))
    failed = sum(1 for r in reminders if r.error) + sum(1 for x in lines if x.startswith("失敗"))
    context.progress(1, 1, f"フォローアップの通知 {len(reminders)} 件")
    if failed:
        raise TsunaguError(
            f"{failed} 件の通知を送れませんでした。「再実行」で、まだ送っていない分だけ送ります。"
        )
    return {"reminders": len(reminders), "lines": lines}


def register() -> None:
    register_job_kind(
        JobKind(
            code=REMINDERS_JOB,
            label=gettext_lazy("フォローアップの通知"),
            handler="tsunagu.engagements.jobs:reminders_job_run",
            resumable=True,
        )
    )
    register_periodic(
        Periodic(
            kind=REMINDERS_JOB,
            at=datetime.time(7, 0),
            title="フォローアップの通知・動きのない担当のお知らせ（毎日）",
        )
    )
