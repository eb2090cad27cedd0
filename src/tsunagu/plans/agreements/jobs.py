"""The yearly review reminders of role agreements as a periodic job (ADR 0010): checked
every day at 7:10 (Asia/Tokyo) by the worker; each agreement is reminded once a fiscal year
(logged), so a rerun sends only what is still due."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from tsunagu.core.errors import TsunaguError
from tsunagu.core.jobs.registry import JobKind, Periodic, register_job_kind, register_periodic
from tsunagu.core.jobs.runner import JobContext

REVIEW_REMINDERS_JOB = "plans.review_reminders"


def review_reminders_job_run(context: JobContext) -> dict[str, Any]:
    from tsunagu.plans.agreements.reminders import send_due_reviews

    text = context.input.get("today")
    today = datetime.date.fromisoformat(text) if text else timezone.localdate()
    due = send_due_reviews(today=today, dry_run=False)
    failed = [item for item in due if item.error]
    context.progress(1, 1, f"見直しの通知 {len(due)} 件")
    if failed:
        raise TsunaguError(
            f"{len(failed)} 件の通知を送れませんでした。「再実行」で、まだ送っていない分だけ送ります。"
        )
    return {"sent": len(due)}


def register() -> None:
    register_job_kind(
        JobKind(
            code=REVIEW_REMINDERS_JOB,
            label=gettext_lazy("役割分担の見直しの通知"),
            handler="tsunagu.plans.agreements.jobs:review_reminders_job_run",
            resumable=True,
        )
    )
    register_periodic(
        Periodic(
            kind=REVIEW_REMINDERS_JOB,
            at=datetime.time(7, 10),
            title="役割分担の見直しの通知（毎日）",
        )
    )
