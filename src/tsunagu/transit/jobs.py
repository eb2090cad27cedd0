"""GTFS / GTFS-JP import from the web page as a background job (ADR 0010): reading and
storing a large feed takes longer than a request should. The uploaded zip is kept in the
default storage (``jobs/inputs/…``, core/jobs/files.py) for the worker and for 再実行, and
removed once the feed is stored. ``tsunagu mobility import-gtfs`` still imports
synchronously.

A refused feed fails the job with its problems by file and line; they are also kept as the
failed job's result (``job_details``) so the import page can list them in its table when the
job ran at once.

Resumable: the import is one transaction and replaces a feed of the same name, so a job
whose worker died is simply run again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tsunagu.areas.models import Municipality
from tsunagu.core.errors import TsunaguError
from tsunagu.core.jobs.files import (
    INPUT_FILE,
    job_input_file_delete,
    job_input_file_local,
    job_input_file_save,
)
from tsunagu.core.jobs.models import Job
from tsunagu.core.jobs.registry import JobKind, register_job_kind
from tsunagu.core.jobs.runner import JobContext
from tsunagu.core.jobs.services import job_enqueue

GTFS_IMPORT_JOB = "transit.gtfs_import"
PROBLEM_LINES = 30  # problems written into the error text (all of them are in the details)


class FeedRefused(TsunaguError):
    """The feed's problems as a job failure, with the details the import page lists."""

    def __init__(self, message: str, *, details: dict[str, Any], field: str | None = None):
        super().__init__(message, code="gtfs", field=field)
        self.job_details = details


def gtfs_import_job_start(
    *,
    actor: Any,
    municipality: Municipality | None,
    data: bytes,
    file_name: str,
    name: str,
    note: str,
) -> Job:
    """Keep the zip and enqueue its import; the caller checked the municipality choice (the
    import checks the right again when it runs)."""
    stored = job_input_file_save(data=data, name=file_name)
    return job_enqueue(
        kind=GTFS_IMPORT_JOB,
        title=f"時刻表データの取り込み {name or file_name}",
        input={
            INPUT_FILE: stored,
            "file_name": file_name,
            "user_id": actor.pk,
            "municipality_id": municipality.pk if municipality else None,
            "name": name,
            "note": note,
        },
        actor=actor,
        municipality=municipality,
    )


def gtfs_import_job_run(context: JobContext) -> dict[str, Any]:
    from tsunagu.transit import services
    from tsunagu.transit.gtfs.problems import GtfsError

    data = context.input
    actor = get_user_model().objects.filter(pk=data.get("user_id"), is_active=True).first()
    if actor is None:
        raise TsunaguError("取り込みを依頼した人が見つかりません。", code="not_found")
    municipality = None
    if data.get("municipality_id") is not None:
        municipality = Municipality.objects.filter(pk=data["municipality_id"]).first()
        if municipality is None:
            raise TsunaguError("取り込み先の市町村が見つかりません。", code="not_found")
    file_name = data.get("file_name") or "feed.zip"
    context.progress(0, 1, "時刻表データを読み、確かめています", force=True)
    with job_input_file_local(context, file_name=file_name) as path:
        try:
            result = services.feed_import(
                path=path,
                municipality=municipality,
                name=data.get("name") or "",
                note=data.get("note") or "",
                source_filename=file_name,
                actor=actor,
            )
        except GtfsError as error:
            lines = [str(p) for p in error.problems[:PROBLEM_LINES]]
            more = len(error.problems) - len(lines)
            head = (
                f"データに {len(error.problems)}{'件以上' if error.truncated else '件'}の問題が"
                "あるため、取り込んでいません。"
            )
            message = "\n".join([head, *lines] + ([f"…ほか {more} 件"] if more > 0 else []))
            raise FeedRefused(
                message,
                details={
                    "problems": [p.as_dict() for p in error.problems],
                    "warnings": [w.as_dict() for w in error.warnings],
                    "truncated": error.truncated,
                },
            ) from None
        except TsunaguError as error:
            if error.code == "permission_denied":
                raise
            raise FeedRefused(
                error.message, details={"field": error.field or ""}, field=error.field
            ) from None
    job_input_file_delete(context)
    context.progress(1, 1, "完了", force=True)
    context.result_url = reverse("transit:feed_detail", args=[result.feed.pk])
    return {
        "feed_id": result.feed.pk,
        "summary": result.summary(),
        "warning_count": result.warning_count,
    }


def register() -> None:
    register_job_kind(
        JobKind(
            code=GTFS_IMPORT_JOB,
            label=gettext_lazy("時刻表データ（GTFS）の取り込み"),
            handler="tsunagu.transit.jobs:gtfs_import_job_run",
            resumable=True,
        )
    )
