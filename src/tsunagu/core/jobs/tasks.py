"""The one queue task: run a :class:`~.models.Job` by id (its input is on the row, so the
queue carries only the id and a retry re-reads exactly what was asked)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from tsunagu.core.jobs.runner import job_execute


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    worker_ids = getattr(context.task_result, "worker_ids", None) or []
    return job_execute(job_id=job_id, worker_id=worker_ids[-1] if worker_ids else "")
