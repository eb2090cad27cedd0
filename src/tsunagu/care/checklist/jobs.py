"""Bulk scoring of an anonymous checklist survey (ニーズ調査 …) as a background job
(ADR 0010): a survey of a whole municipality is tens of thousands of rows, each scored by
the basic checklist's rules and counted per district.

The uploaded file is kept in the default storage (``jobs/inputs/…``, core/jobs/files.py)
only while it is needed: it is removed as soon as the survey's counts are stored (the
individual answers are never kept), and a file that failed stays for 再実行 until the job
files' retention (``TSUNAGU_JOB_RESULT_DAYS``) removes it. ``tsunagu checklist score`` still
scores a file synchronously.

Resumable: the counts are stored in one transaction, so a job whose worker died before it
committed is run again from the kept file; one that had committed finds its file gone and
fails with a clear message instead of storing the survey twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tsunagu.areas.models import Municipality
from tsunagu.core.errors import TsunaguError
from tsunagu.core.jobs.files import (
    INPUT_FILE,
    job_input_file_delete,
    job_input_file_read,
    job_input_file_save,
)
from tsunagu.core.jobs.models import Job
from tsunagu.core.jobs.registry import JobKind, register_job_kind
from tsunagu.core.jobs.runner import JobContext
from tsunagu.core.jobs.services import job_enqueue

SURVEY_JOB = "care.survey_score"


def survey_job_start(
    *,
    actor: Any,
    municipality: Municipality,
    title: str,
    conducted_on: datetime.date | None,
    data: bytes,
    file_name: str,
    note: str = "",
) -> Job:
    """Keep the file and enqueue its scoring; the caller checked that ``actor`` may upload
    surveys of ``municipality`` (the job checks again when it runs)."""
    stored = job_input_file_save(data=data, name=file_name)
    return job_enqueue(
        kind=SURVEY_JOB,
        title=f"調査の集計 {title}",
        input={
            INPUT_FILE: stored,
            "file_name": file_name,
            "user_id": actor.pk,
            "municipality_id": municipality.pk,
            "title": title,
            "conducted_on": conducted_on.isoformat() if conducted_on else None,
            "note": note,
        },
        actor=actor,
        municipality=municipality,
    )


def survey_job_run(context: JobContext) -> dict[str, Any]:
    from tsunagu.care.checklist import services

    data = context.input
    actor = get_user_model().objects.filter(pk=data.get("user_id"), is_active=True).first()
    municipality = Municipality.objects.filter(pk=data.get("municipality_id")).first()
    if actor is None or municipality is None:
        raise TsunaguError("調査の市町村または依頼した人が見つかりません。", code="not_found")
    context.progress(0, 2, "ファイルを読み、回答を判定しています", force=True)
    content = job_input_file_read(context)
    conducted = data.get("conducted_on")
    survey = services.checklist_survey_create(
        actor=actor,
        municipality=municipality,
        title=data.get("title") or "",
        conducted_on=datetime.date.fromisoformat(conducted) if conducted else None,
        data=content,
        file_name=data.get("file_name") or "survey.csv",
        note=data.get("note") or "",
    )
    job_input_file_delete(context)  # the answers are not kept, only the counts
    context.progress(2, 2, "完了", force=True)
    context.result_url = reverse("care_checklist:survey", args=[survey.pk])
    return {"survey_id": survey.pk, "respondents": survey.respondents}


def register() -> None:
    register_job_kind(
        JobKind(
            code=SURVEY_JOB,
            label=gettext_lazy("調査（基本チェックリスト）の一括集計"),
            handler="tsunagu.care.checklist.jobs:survey_job_run",
            resumable=True,
        )
    )
