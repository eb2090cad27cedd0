"""The worker: django-tasks-db's own worker loop, plus what a queue of user-visible jobs
needs around it — a heartbeat (so a killed worker's jobs are recognised), recovery of
those jobs at start and every minute, and the daily scheduler (:class:`.registry.Periodic`).

``tsunagu worker`` runs :func:`run_worker` in the foreground (signals stop it after the
current job); ``tsunagu demo`` starts :func:`start_in_process` in a thread of the server.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker

from tsunagu.core.jobs.services import job_recover_stale, periodic_enqueue_due, worker_beat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 10
HOUSEKEEPING_SECONDS = 60


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def housekeeping(*, schedule: bool = True) -> None:
    """Recover jobs of dead workers; enqueue the daily jobs that are due."""
    job_recover_stale()
    if schedule:
        periodic_enqueue_due()


def _background(worker_id: str, stop: threading.Event, *, schedule: bool) -> None:
    last_housekeeping = time.monotonic()
    while not stop.wait(BEAT_SECONDS):
        try:
            worker_beat(worker_id)
            if time.monotonic() - last_housekeeping >= HOUSEKEEPING_SECONDS:
                last_housekeeping = time.monotonic()
                close_old_connections()
                housekeeping(schedule=schedule)
        except Exception:  # keep beating: a failed round is retried a minute later
            logger.exception("worker housekeeping failed")
    connections.close_all()


def make_worker(*, worker_id: str, batch: bool = False, interval: float | None = None) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=settings.TSUNAGU_WORKER_INTERVAL if interval is None else interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_worker(
    *, batch: bool = False, schedule: bool = True, signals: bool = True, worker_id: str = ""
) -> None:
    """Run a worker until stopped (or, with ``batch``, until the queue is empty).

    Beats first, then recovers jobs of dead workers (this one is alive by then), then
    takes jobs. ``schedule=False`` leaves the daily jobs to another worker (they are
    unique per day anyway).
    """
    worker_id = worker_id or new_worker_id()
    worker_beat(worker_id)
    housekeeping(schedule=schedule)
    stop = threading.Event()
    beat = None
    if not batch:
        beat = threading.Thread(
            target=_background, args=(worker_id, stop), kwargs={"schedule": schedule}, daemon=True
        )
        beat.start()
    worker = make_worker(worker_id=worker_id, batch=batch)
    if signals:
        worker.configure_signals()
    logger.info("tsunagu worker %s started", worker_id)
    try:
        worker.run()
    finally:
        stop.set()


def start_in_process() -> threading.Thread:
    """One worker in a daemon thread of this process (the demo: one command, one process).
    It ends with the process; a job cut off then is recovered at the next start."""

    def target() -> None:
        try:
            run_worker(signals=False)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, name="tsunagu-worker", daemon=True)
    thread.start()
    return thread
