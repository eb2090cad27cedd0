"""Background import jobs: run in a thread, with progress and result kept in the cache."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connections

from tsunagu.core.errors import TsunaguError
from tsunagu.directory.imports.columns import PHASE_READ, Progress

logger = logging.getLogger(__name__)


# --- background jobs (progress in the cache) ----------------------------------------------

JOB_TIMEOUT = 6 * 60 * 60


def _job_key(job_id: str) -> str:
    return f"tsunagu:directory-import-job:{job_id}"


def job_get(job_id: str) -> dict[str, Any] | None:
    return cache.get(_job_key(job_id))


def job_set(job_id: str, **state: Any) -> None:
    current = cache.get(_job_key(job_id)) or {}
    current.update(state)
    cache.set(_job_key(job_id), current, JOB_TIMEOUT)


def job_progress(job_id: str) -> Progress:
    """A progress callback that writes to the job's cache entry (at most ~4 times a second)."""
    last = [0.0]

    def report(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < 0.25:
            return
        last[0] = now
        job_set(job_id, phase=phase, done=done, total=total)

    return report


def job_run(job_id: str, work: Callable[[Progress], dict[str, Any]]) -> None:
    """Run ``work`` and store its result (or failure) in the job entry. The synchronous path."""
    job_set(job_id, state="running", phase=PHASE_READ, done=0, total=0)
    try:
        result = work(job_progress(job_id))
    except TsunaguError as exc:
        job_set(job_id, state="failed", message=exc.message)
    except Exception:
        logger.exception("directory import job %s failed", job_id)
        job_set(
            job_id,
            state="failed",
            message="予期しないエラーで処理できませんでした。管理者に連絡してください。",
        )
    else:
        job_set(job_id, state="done", result=result)


def job_start(work: Callable[[Progress], dict[str, Any]], *, background: bool) -> str:
    """Start a job; in the background it runs in its own thread with its own DB connection.

    The job state lives in Django's cache. With the default LocMemCache that is one
    process's memory: fine for the single waitress process the demo and small
    deployments run; several processes need a shared cache (e.g. Redis).
    """
    job_id = uuid.uuid4().hex
    job_set(job_id, state="queued", done=0, total=0)
    if not background:
        job_run(job_id, work)
        return job_id

    def target() -> None:
        try:
            job_run(job_id, work)
        finally:
            connections.close_all()  # this thread's connections, not the request's

    threading.Thread(target=target, name=f"directory-import-{job_id[:8]}", daemon=True).start()
    return job_id
