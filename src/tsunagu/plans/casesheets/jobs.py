"""The prefectures' case sheets (事例表№6, №7) as PDF / .xlsx made by a background job, as
the municipal sheets are (:mod:`tsunagu.engagements.casesheets.jobs`): the file is stored in
the default storage under ``jobs/`` and downloaded by the user who asked only. The job has
no municipality (a prefecture's sheet), so only its owner sees it. ``tsunagu case-sheet
--prefecture`` still writes the file synchronously. Resumable: it writes nothing else.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from tsunagu.areas.models import Prefecture
from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.core.jobs.models import Job
from tsunagu.core.jobs.registry import JobKind, register_job_kind
from tsunagu.core.jobs.runner import JobContext
from tsunagu.core.jobs.services import job_enqueue
from tsunagu.engagements.casesheets.jobs import (
    FORMATS,  # noqa: F401 (the views check the format against it)
    case_sheet_file_save,
    case_sheet_format,
    case_sheet_requester,
)

PREFECTURE_CASE_SHEET_JOB = "plans.case_sheet"


def prefecture_case_sheet_job_start(*, prefecture: Prefecture, fmt: str, actor: Any) -> Job:
    """Enqueue the sheet's file; the caller found ``prefecture`` through
    ``prefecture_for_case_sheet`` (the user may see it)."""
    case_sheet_format(fmt)
    return job_enqueue(
        kind=PREFECTURE_CASE_SHEET_JOB,
        title=f"事例表 {prefecture.name}（{'PDF' if fmt == 'pdf' else 'Excel'}）",
        input={"prefecture_id": prefecture.pk, "format": fmt, "user_id": actor.pk},
        actor=actor,
    )


def prefecture_case_sheet_job_run(context: JobContext) -> dict[str, Any]:
    from tsunagu.plans.casesheets.builder import (
        build_prefecture_case_sheet,
        prefecture_for_case_sheet,
    )

    fmt = case_sheet_format(context.input.get("format"))
    user = case_sheet_requester(context)
    prefecture = Prefecture.objects.filter(pk=context.input.get("prefecture_id")).first()
    if user is None or prefecture is None:
        raise TsunaguError("事例表の都道府県または依頼した人が見つかりません。", code="not_found")
    try:  # checked again at run time: access may have ended since
        prefecture = prefecture_for_case_sheet(user=user, key=prefecture.code)
    except NotFound:
        raise TsunaguError(
            "この都道府県の事例表を見る権限がなくなったため、作成できませんでした。",
            code="permission_denied",
        ) from None
    context.progress(0, 2, "事例表の内容を集めています", force=True)
    sheet = build_prefecture_case_sheet(user=user, prefecture=prefecture)
    return case_sheet_file_save(context, sheet=sheet, fmt=fmt)


def register() -> None:
    register_job_kind(
        JobKind(
            code=PREFECTURE_CASE_SHEET_JOB,
            label=gettext_lazy("都道府県の事例表のファイル作成"),
            handler="tsunagu.plans.casesheets.jobs:prefecture_case_sheet_job_run",
            resumable=True,
        )
    )
