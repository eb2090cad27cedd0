"""Running one job: the context a handler reports through, and the run itself.

Called by the queue's task (:mod:`.tasks`), or inline for small work (an import of a few
rows) by :func:`.services.job_enqueue` with ``inline=True``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from tsunagu.core.errors import TsunaguError
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.registry import handler_of, job_kind

logger = logging.getLogger(__name__)

PROGRESS_TTL = 6 * 60 * 60
UNEXPECTED = "予期しないエラーで処理できませんでした。入力はそのまま残っています。「再実行」を押すか、管理者に連絡してください。"
CANCELLED = "取り消しました。「再実行」で、同じ入力からやり直せます。"


def progress_key(job_id: int) -> str:
    return f"tsunagu:job:{job_id}:progress"


def cancel_key(job_id: int) -> str:
    return f"tsunagu:job:{job_id}:cancel"


class JobCancelled(Exception):
    """Raised inside a handler (by :meth:`JobContext.progress`) when the user cancelled."""


class JobContext:
    """What a handler gets: its job's input, and a way to report progress.

    ``progress`` is cheap to call per row: it writes at most four times a second, to the job
    row when no transaction is open on this connection and to the cache otherwise (a row
    written inside the handler's transaction would be invisible until it commits, and on
    SQLite no other connection may write then).
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self.input: dict[str, Any] = dict(job.input)
        self.result_url = ""
        self.done, self.total = job.done, job.total
        self._last = 0.0

    @property
    def owner(self) -> Any:
        return self.job.owner

    def progress(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if not force and done < total and now - self._last < 0.25:
            return
        self._last = now
        if cache.get(cancel_key(self.job.pk)):
            raise JobCancelled()
        state = {"done": done, "total": total, "message": message[:200], "at": time.time()}
        cache.set(progress_key(self.job.pk), state, PROGRESS_TTL)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(
                done=done, total=total, message=message[:200], heartbeat_at=timezone.now()
            )


def _finish(job: Job, **fields: Any) -> None:
    fields.setdefault("finished_at", timezone.now())
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))
    cache.delete(progress_key(job.pk))
    cache.delete(cancel_key(job.pk))


def job_execute(*, job_id: int, worker_id: str = "") -> str:
    """Run job ``job_id`` if it is still waiting; returns its final status.

    A job that is no longer 待機中 (cancelled meanwhile, or already taken by another
    worker after a recovery) is left alone: the queue delivers at least once.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return job.status if job else ""
        job.status = JobStatus.RUNNING
        job.started_at = job.heartbeat_at = timezone.now()
        job.attempts += 1
        job.worker_id = worker_id
        job.error = ""
        job.save(
            update_fields=["status", "started_at", "heartbeat_at", "attempts", "worker_id", "error"]
        )
    job = Job.objects.select_related("owner").get(pk=job_id)
    context = JobContext(job)
    try:
        handler = handler_of(job_kind(job.kind))
        result = handler(context)
    except JobCancelled:
        _finish(job, status=JobStatus.INTERRUPTED, error=CANCELLED)
    except TsunaguError as exc:
        # A handler may attach what the page needs to show the failure in detail (a feed's
        # problems by file and line) as ``job_details``: kept as the failed job's result.
        details = getattr(exc, "job_details", None)
        _finish(
            job,
            status=JobStatus.FAILED,
            error=exc.message,
            result=details if isinstance(details, dict) else None,
        )
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, status=JobStatus.FAILED, error=UNEXPECTED)
    else:
        total = max(context.total, 1)
        _finish(
            job,
            status=JobStatus.DONE,
            result=result,
            result_url=context.result_url[:300],
            done=total,
            total=total,
        )
    return job.status
