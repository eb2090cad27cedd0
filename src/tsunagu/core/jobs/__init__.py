"""Background jobs with progress (ADR 0010): one :class:`~.models.Job` row per job a user
sees, run by the django-tasks queue (``django_tasks_db.DatabaseBackend``: the project's own
database, SQLite or PostgreSQL; ``tsunagu worker`` runs the worker).

- Apps register what they run in the background as a :class:`~.registry.JobKind`
  (``register_job_kind``, from their ``plugin.register()``), and daily work as a
  :class:`~.registry.Periodic` (the worker's scheduler enqueues it: no cron lines).
- :func:`.services.job_enqueue` stores the job's input on the row (a retry reruns exactly
  that input) and hands the job's id to the queue; :func:`.runner.job_execute` runs the
  kind's handler with a :class:`.runner.JobContext` (progress, cancel, result URL).
- Progress goes to the row, and to the cache while the handler is inside a transaction
  (an import commits in one transaction: on SQLite no other connection may write then).
- A job whose worker stopped beating (killed, restarted) is picked up again when its kind is
  ``resumable`` (its steps are idempotent: the import is all or nothing) or marked 中断
  with a 再実行 button (:func:`.services.job_recover_stale`).
"""
