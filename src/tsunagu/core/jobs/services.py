"""Every write to jobs: enqueue, retry, cancel, recovery after a restart, the daily runs."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.registry import job_kind, periodic_jobs
from tsunagu.core.jobs.runner import cancel_key, job_execute
from tsunagu.core.jobs.tasks import run_job

logger = logging.getLogger(__name__)

WORKER_TTL = 30  # seconds a worker's heartbeat lives in the cache (it beats every 10 s)
# A job run inline (in a request, with no worker) that is still 実行中 after this long
# belongs to a process that is gone.
INLINE_STALE = datetime.timedelta(hours=1)
INTERRUPTED = (
    "サーバーの再起動などで処理が中断されました。入力はそのまま残っています。"
    "「再実行」で、同じ入力からやり直せます。"
)
RESUMED = "処理が中断されたため、もう一度実行します。"


def worker_key(worker_id: str) -> str:
    return f"tsunagu:worker:{worker_id}"


def worker_beat(worker_id: str) -> None:
    """Called every few seconds by a running worker (a thread of its own, so it beats even
    while a job holds a long transaction)."""
    cache.set(worker_key(worker_id), timezone.now().isoformat(), WORKER_TTL)


def worker_alive(worker_id: str) -> bool:
    return bool(worker_id) and cache.get(worker_key(worker_id)) is not None


def _send(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.task_id = str(result.id)[:64]


def job_enqueue(
    *,
    kind: str,
    title: str,
    input: dict[str, Any],
    actor: Any | None,
    municipality: Any | None = None,
    inline: bool = False,
    dedupe_key: str | None = None,
) -> Job:
    """Create the job row (keeping ``input``) and hand it to the queue; with ``inline`` run
    it now, in this process (small work that a request may do itself).

    ``input`` must be JSON (ids, file paths, choices), never model instances.
    """
    job_kind(kind)  # an unknown kind fails here, not in the worker
    job = Job(
        kind=kind,
        title=title[:200],
        owner=actor if getattr(actor, "is_authenticated", False) else None,
        municipality=municipality,
        input=input,
        dedupe_key=dedupe_key,
    )
    job.full_clean(exclude=["owner", "municipality"])
    job.save()
    if inline:
        job_execute(job_id=job.pk)
        job.refresh_from_db()
    else:
        _send(job)
    return job


def _can_manage(job: Job, actor: Any) -> bool:
    return bool(actor.is_authenticated) and (job.owner_id == actor.pk or actor.is_superuser)


def job_retry(*, job: Job, actor: Any) -> Job:
    """Run a failed or interrupted job again from its kept input."""
    if not _can_manage(job, actor):
        raise PermissionDenied()
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not job.retryable:
            raise TsunaguError("このジョブは再実行できる状態ではありません。", code="not_retryable")
        job.status = JobStatus.QUEUED
        job.error = ""
        job.done = 0
        job.message = ""
        job.result = None
        job.result_url = ""
        job.started_at = job.finished_at = None
        job.save()
    _send(job)
    return job


def job_cancel(*, job: Job, actor: Any) -> Job:
    """Cancel: a waiting job stops at once; a running one at its next progress report."""
    if not _can_manage(job, actor):
        raise PermissionDenied()
    if job.finished:
        raise TsunaguError("このジョブはもう終わっています。", code="finished")
    cache.set(cancel_key(job.pk), True, 6 * 60 * 60)
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.INTERRUPTED,
        error="取り消しました。「再実行」で、同じ入力からやり直せます。",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    if updated:
        cache.delete(cancel_key(job.pk))
    return job


def _stale(job: Job, now: datetime.datetime) -> bool:
    if job.worker_id:
        return not worker_alive(job.worker_id)
    return (job.heartbeat_at or job.started_at or job.created_at) < now - INLINE_STALE


def job_recover_stale() -> list[Job]:
    """Jobs left 実行中 by a worker that stopped beating (killed, machine restarted): run
    again when their kind is resumable and attempts remain, otherwise marked 中断.

    Called when a worker starts and then every minute by its scheduler. Returns the jobs
    it changed.
    """
    now = timezone.now()
    changed = []
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if not _stale(job, now):
            continue
        try:
            kind = job_kind(job.kind)
        except LookupError:
            kind = None
        again = kind is not None and kind.resumable and job.attempts < kind.max_attempts
        status = JobStatus.QUEUED if again else JobStatus.INTERRUPTED
        fields: dict[str, Any] = {"status": status}
        if again:
            fields["message"] = RESUMED
        else:
            fields.update(error=INTERRUPTED, finished_at=now)
        # Only if still running on the same worker: another worker may recover it too.
        if not Job.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, worker_id=job.worker_id
        ).update(**fields):
            continue
        _forget_task(job.task_id)
        job.refresh_from_db()
        logger.warning("job %s (%s) was interrupted: %s", job.pk, job.kind, status)
        if again:
            _send(job)
        changed.append(job)
    return changed


def _forget_task(task_id: str) -> None:
    """Mark the queue's own row of a dead run failed, so it does not stay RUNNING forever."""
    if not task_id:
        return
    try:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now()
        )
    except (ValueError, ValidationError):  # an id of another backend (immediate in tests)
        pass


def periodic_enqueue_due(*, now: datetime.datetime | None = None) -> list[Job]:
    """Enqueue each daily job whose time has come today and that has not run today.

    Safe with several workers: the day's run has a unique ``dedupe_key``.
    """
    local = timezone.localtime(now or timezone.now())
    created = []
    for periodic in periodic_jobs():
        if local.time() < periodic.at:
            continue
        key = f"periodic:{periodic.kind}:{local.date().isoformat()}"
        if Job.objects.filter(dedupe_key=key).exists():
            continue
        try:
            with transaction.atomic():
                job = job_enqueue(
                    kind=periodic.kind,
                    title=periodic.title,
                    input={"today": local.date().isoformat()},
                    actor=None,
                    dedupe_key=key,
                )
        except IntegrityError:  # another worker enqueued it first
            continue
        created.append(job)
    return created
