"""Reading jobs for users: a user sees the jobs they started, and staff the jobs of the
municipalities they work for (answered by the ``job_municipalities`` hook, which accounts
registers: core cannot ask the scope module itself)."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet

from tsunagu.core.errors import NotFound
from tsunagu.core.jobs.models import Job
from tsunagu.core.jobs.runner import progress_key
from tsunagu.core.plugins import hooks

# hook(user) -> iterable of municipality ids whose jobs the user may see
JOB_MUNICIPALITIES = "job_municipalities"


def _visible_q(user: Any) -> Q:
    q = Q(owner_id=user.pk)
    for municipalities in hooks(JOB_MUNICIPALITIES):
        q |= Q(municipality_id__in=municipalities(user))
    return q


def job_list_visible_to(*, user: Any) -> QuerySet[Job]:
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(_visible_q(user)).select_related("owner", "municipality")


def job_get_for_user(*, user: Any, job_id: int) -> Job:
    """The job, or NotFound both when it is missing and when the user may not see it."""
    job = job_list_visible_to(user=user).filter(pk=job_id).first()
    if job is None:
        raise NotFound("ジョブが見つかりません。")
    return job


def job_progress(job: Job) -> dict[str, Any]:
    """done/total/message/percent of a job, from the cache when its handler reported there
    more recently than to the row (it is inside a transaction)."""
    done, total, message = job.done, job.total, job.message
    if not job.finished:
        cached = cache.get(progress_key(job.pk))
        beat = job.heartbeat_at.timestamp() if job.heartbeat_at else 0
        if cached and cached.get("at", 0) >= beat - 1 and cached.get("at", 0) <= time.time() + 1:
            done, total, message = cached["done"], cached["total"], cached["message"]
    percent = min(100, int(done * 100 / total)) if total else 0
    return {"done": done, "total": total, "message": message, "percent": percent}
