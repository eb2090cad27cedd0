"""Retention of resident records as a periodic job (ADR 0007, ADR 0010): the worker
anonymises records past the retention period every day at 2:30 (Asia/Tokyo), when resident
records are enabled; ``tsunagu care retention`` still runs it by hand. Idempotent: an
anonymised record is no longer past retention."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tsunagu.core.jobs.registry import JobKind, Periodic, register_job_kind, register_periodic
from tsunagu.core.jobs.runner import JobContext

RETENTION_JOB = "care.retention"


def retention_job_run(context: JobContext) -> dict[str, Any]:
    from tsunagu.accounts.services import system_actor
    from tsunagu.care.residents.retention import retention_run

    if not settings.PERSONAL_RECORDS_ENABLED:
        return {"due": 0, "anonymised": 0, "skipped": "personal records disabled"}
    text = context.input.get("today")
    today = datetime.date.fromisoformat(text) if text else timezone.localdate()
    result = retention_run(actor=system_actor(), today=today, dry_run=False)
    context.progress(result.anonymised, max(result.due, 1), "保存期間を過ぎた記録の匿名化")
    return {"due": result.due, "anonymised": result.anonymised}


def register() -> None:
    register_job_kind(
        JobKind(
            code=RETENTION_JOB,
            label=gettext_lazy("住民の記録の保存期間の処理"),
            handler="tsunagu.care.residents.jobs:retention_job_run",
            resumable=True,
        )
    )
    register_periodic(
        Periodic(kind=RETENTION_JOB, at=datetime.time(2, 30), title="保存期間の処理（毎日）")
    )
