"""Files of jobs: the upload a job reads (its input) and the file it makes (its result).

Both live in Django's default storage (the local ``media`` folder today, S3-compatible storage
later without code changes) under ``jobs/``:

- ``jobs/inputs/<random>/<name>``: an upload kept for the job (and for 再実行); the job's
  input holds only its storage name. Kinds that must not keep it (an anonymous survey's
  answers) remove it once the job succeeded.
- ``jobs/<job id>/<name>``: the result file. Only the job's owner downloads it
  (``/jobs/<id>/download/``): a colleague who sees the job in the municipality's list does
  not get a file made from what the owner may see.

Both are removed :data:`result_days` after the job finished (the daily ``core.job_files``
job, :func:`job_files_cleanup`).
"""

from __future__ import annotations

import datetime
import logging
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tsunagu.core.errors import TsunaguError
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import JobContext

logger = logging.getLogger(__name__)

ROOT = "jobs"
INPUT_FILE = "file"  # key of the stored upload in a job's input
RESULT_FILE = "file"  # key of the result file in a job's result
MISSING_INPUT = (
    "処理するファイルが見つかりません（保存期間を過ぎて削除されたか、処理が済んでいます）。"
    "もう一度ファイルを選んでください。"
)


def result_days() -> int:
    """How long job files are kept after the job finished (``TSUNAGU_JOB_RESULT_DAYS``)."""
    return int(getattr(settings, "TSUNAGU_JOB_RESULT_DAYS", 30))


def _safe_name(name: str) -> str:
    name = Path(name or "").name
    return re.sub(r"[^\w.\-]+", "_", name).strip("._")[:100] or "file"


def job_input_file_save(*, data: bytes | File, name: str) -> str:
    """Keep an upload (bytes, or the uploaded file itself: copied in chunks) for a job;
    returns its storage name (put it in the job's input)."""
    content = ContentFile(data) if isinstance(data, bytes) else data
    return default_storage.save(f"{ROOT}/inputs/{uuid.uuid4().hex}/{_safe_name(name)}", content)


def job_input_file_read(context: JobContext) -> bytes:
    """The job's upload, or a failure the user understands when it is gone."""
    name = context.input.get(INPUT_FILE) or ""
    if not name.startswith(f"{ROOT}/inputs/") or not default_storage.exists(name):
        raise TsunaguError(MISSING_INPUT, code="missing_input")
    with default_storage.open(name, "rb") as handle:
        return handle.read()


@contextmanager
def job_input_file_local(context: JobContext, *, file_name: str) -> Iterator[Path]:
    """The job's upload as a local file named ``file_name`` (for readers that need a path:
    a GTFS zip), in a temporary folder removed afterwards."""
    data = job_input_file_read(context)
    folder = Path(tempfile.mkdtemp(prefix="tsunagu-job-"))
    try:
        path = folder / (Path(file_name).name or "upload")
        path.write_bytes(data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def job_input_file_delete(context: JobContext) -> None:
    """Remove the job's upload (kinds whose input must not be kept after success)."""
    name = context.input.get(INPUT_FILE) or ""
    if name.startswith(f"{ROOT}/inputs/"):
        _delete(name)


def job_result_file_save(
    context: JobContext, *, name: str, content: bytes, content_type: str
) -> dict[str, Any]:
    """Store the job's result file; the job page then offers it for download (to its owner).
    Returns what to put in the job's result."""
    stored = default_storage.save(
        f"{ROOT}/{context.job.pk}/{uuid.uuid4().hex[:8]}/{_safe_name(name)}", ContentFile(content)
    )
    context.result_url = reverse("jobs:download", kwargs={"pk": context.job.pk})
    return {
        RESULT_FILE: stored,
        "file_name": Path(name).name[:200],
        "content_type": content_type,
        "size": len(content),
    }


def job_result_file(job: Job) -> dict[str, Any] | None:
    """The result file's record of a finished job, or None when it made none."""
    result = job.result if isinstance(job.result, dict) else {}
    stored = result.get(RESULT_FILE)
    if job.status != JobStatus.DONE or not isinstance(stored, str) or not stored:
        return None
    if not stored.startswith(f"{ROOT}/{job.pk}/"):
        return None  # never serve a path the job did not write itself
    return result


def _delete(name: str) -> bool:
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
            return True
    except OSError:
        logger.warning("could not delete job file %s", name)
    return False


def job_files_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Remove the input and result files of jobs finished more than :func:`result_days`
    ago; their rows stay (the job list keeps the history), marked ``files_removed`` so a job
    is looked at once (an existence check is a request on S3). Returns how many files were
    removed."""
    limit = (now or timezone.now()) - datetime.timedelta(days=result_days())
    removed = 0
    jobs = (
        Job.objects.filter(finished_at__lt=limit)
        .exclude(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .filter(Q(input__has_key=INPUT_FILE) | Q(result__has_key=RESULT_FILE))
        .filter(Q(result__isnull=True) | ~Q(result__has_key="files_removed"))
    )
    for job in jobs.iterator():
        result = dict(job.result) if isinstance(job.result, dict) else {}
        stored_input = (job.input or {}).get(INPUT_FILE)
        if isinstance(stored_input, str) and stored_input.startswith(f"{ROOT}/inputs/"):
            removed += _delete(stored_input)
        stored = result.get(RESULT_FILE)
        if isinstance(stored, str) and stored:
            if stored.startswith(f"{ROOT}/{job.pk}/"):
                removed += _delete(stored)
            result.update({RESULT_FILE: "", "file_removed": True})
        result["files_removed"] = True
        fields: dict[str, Any] = {"result": result}
        if result.get("file_removed"):
            fields["result_url"] = ""
        Job.objects.filter(pk=job.pk).update(**fields)
    return removed


def job_files_cleanup_run(context: JobContext) -> dict[str, Any]:
    """The daily job's handler."""
    removed = job_files_cleanup()
    context.progress(1, 1, "", force=True)
    return {"removed": removed, "days": result_days()}
