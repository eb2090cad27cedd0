"""The import as a background job (:mod:`tsunagu.core.jobs`, ADR 0010).

Validation and commit of a large file run in the worker (``tsunagu worker``); small files run
inline in the request through the same job, so both paths leave a job row (progress,
result, error, 再実行). The job's input is the upload's stored path and the user's choices,
never the file's content.

Resumable: validation only reads, and the commit is one transaction (all or nothing), so a
job whose worker was killed is simply run again. A commit that finished just before the kill
removed its upload folder: the rerun then fails with 「ファイルが見つかりません」 and
writes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.areas.models import Municipality
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import JobContext
from tsunagu.core.jobs.selectors import job_progress
from tsunagu.core.jobs.services import job_enqueue
from tsunagu.directory.imports import columns, commit, reading, validators

IMPORT_JOB = "directory.import"
STEP_VALIDATE = "validate"
STEP_COMMIT = "commit"
INPUT_KEYS = ("user_id", "kind", "path", "file_name", "municipality_id", "mapping", "on_duplicate")


def import_job_start(
    *, state: dict[str, Any], step: str, token: str, actor: Any, inline: bool
) -> Job:
    """Enqueue the ``step`` (validate or commit) of the import in ``state`` (the session's
    record of the upload); ``inline`` runs it now, within the request."""
    verb = _("取り込み") if step == STEP_COMMIT else _("確認")
    return job_enqueue(
        kind=IMPORT_JOB,
        title=f"{state['file_name']}（{verb}）",
        input={key: state.get(key) for key in INPUT_KEYS} | {"step": step, "token": token},
        actor=actor,
        municipality=Municipality.objects.get(pk=state["municipality_id"]),
        inline=inline,
    )


def import_job_run(context: JobContext) -> dict[str, Any]:
    """The job's handler: read the stored file, validate, and for the commit step write."""
    data = context.input
    step, token, kind = data["step"], data["token"], data["kind"]
    path, file_name = data["path"], data["file_name"]
    actor = get_user_model().objects.get(pk=data["user_id"])
    municipality = Municipality.objects.get(pk=data["municipality_id"])

    def progress(phase: str, done: int, total: int) -> None:
        context.progress(done, total, str(columns.PHASE_LABELS.get(phase, "")))

    name = "directory_io:import_report" if step == STEP_COMMIT else "directory_io:import_preview"
    context.result_url = reverse(name, kwargs={"token": token})
    try:
        table = reading.read_table(path, file_name)
    except FileNotFoundError:
        raise columns.ImportFileError(
            "アップロードしたファイルが見つかりません。もう一度アップロードしてください。"
        ) from None
    progress(columns.PHASE_READ, len(table.rows), len(table.rows))
    plan = validators.validate(
        table,
        kind=kind,
        municipality=municipality,
        actor=actor,
        mapping=reading.mapping_by_header(kind, table.headers, data.get("mapping") or {}),
        on_duplicate=data.get("on_duplicate") or columns.ON_DUPLICATE_SKIP,
        progress=progress,
    )
    if step == STEP_VALIDATE:
        return plan.summary()
    report = commit.commit(plan, actor=actor, progress=progress)
    if report.committed:
        shutil.rmtree(Path(path).parent, ignore_errors=True)
    return report.as_dict()


_STATES = {
    JobStatus.QUEUED: "queued",
    JobStatus.RUNNING: "running",
    JobStatus.DONE: "done",
    JobStatus.FAILED: "failed",
    JobStatus.INTERRUPTED: "failed",
}


def job_state(job_id: Any, *, user: Any) -> dict[str, Any] | None:
    """What the import pages show of their job: state (queued/running/done/failed), progress,
    result, message; None when there is no such job of this user."""
    if not isinstance(job_id, int):
        return None  # a session from before jobs were rows
    job = Job.objects.filter(pk=job_id, owner_id=user.pk, kind=IMPORT_JOB).first()
    if job is None:
        return None
    progress = job_progress(job)
    return {
        "id": job.pk,
        "state": _STATES[JobStatus(job.status)],
        "status_label": job.get_status_display(),
        "done": progress["done"],
        "total": progress["total"],
        "phase_label": progress["message"],
        "result": job.result,
        "message": job.error,
        "retryable": job.retryable,
    }
