"""Case-sheet files (事例表: PDF and .xlsx) made as a background job (ADR 0010): building
the sheet and laying out the PDF with its embedded font takes seconds, which must not hold a
request. The page enqueues, the job page shows progress and then a download link; the file
is stored in the default storage under ``jobs/`` (core/jobs/files.py) and only the user who
asked for it downloads it (the sheet shows what that user may see). ``tsunagu case-sheet``
still writes the file synchronously.

Resumable: building a file changes nothing, so a job whose worker died is simply run again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy

from tsunagu.areas.models import Municipality
from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.core.jobs.files import job_result_file_save
from tsunagu.core.jobs.models import Job
from tsunagu.core.jobs.registry import JobKind, register_job_kind
from tsunagu.core.jobs.runner import JobContext
from tsunagu.core.jobs.services import job_enqueue

CASE_SHEET_JOB = "engagements.case_sheet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("pdf", "xlsx")


def case_sheet_format(fmt: Any) -> str:
    """``fmt`` if it is a format a case sheet is made in (also the prefectures' sheets)."""
    if fmt not in FORMATS:
        raise TsunaguError("ファイルの形式は PDF か .xlsx を選んでください。", code="format")
    return fmt


def case_sheet_requester(context: JobContext) -> Any:
    """The active user who asked for the file, or None."""
    return get_user_model().objects.filter(pk=context.input.get("user_id"), is_active=True).first()


def case_sheet_file_save(context: JobContext, *, sheet: Any, fmt: str) -> dict[str, Any]:
    """Lay the built sheet out as PDF or .xlsx and keep it as the job's result file."""
    from tsunagu.engagements.casesheets.pdf import render_case_sheet_pdf
    from tsunagu.engagements.casesheets.xlsx import render_case_sheet_xlsx

    context.progress(1, 2, "ファイルを作っています", force=True)
    if fmt == "pdf":
        content, content_type = render_case_sheet_pdf(sheet), "application/pdf"
    else:
        content, content_type = render_case_sheet_xlsx(sheet), XLSX
    stored = job_result_file_save(
        context, name=f"{sheet.title}.{fmt}", content=content, content_type=content_type
    )
    context.progress(2, 2, "完了", force=True)
    return stored


def case_sheet_job_start(*, municipality: Municipality, fmt: str, actor: Any) -> Job:
    """Enqueue the case sheet's file; the caller found ``municipality`` through
    ``builder.municipality_for_case_sheet`` (the user may see its sheet)."""
    case_sheet_format(fmt)
    label = "PDF" if fmt == "pdf" else "Excel"
    return job_enqueue(
        kind=CASE_SHEET_JOB,
        title=f"事例表 {municipality.name}（{label}）",
        input={"municipality_id": municipality.pk, "format": fmt, "user_id": actor.pk},
        actor=actor,
        municipality=municipality,
    )


def case_sheet_job_run(context: JobContext) -> dict[str, Any]:
    from tsunagu.engagements.casesheets import builder

    fmt = case_sheet_format(context.input.get("format"))
    user = case_sheet_requester(context)
    municipality = Municipality.objects.filter(pk=context.input.get("municipality_id")).first()
    if user is None or municipality is None:
        raise TsunaguError("事例表の市町村または依頼した人が見つかりません。", code="not_found")
    # Checked again at run time: access may have ended since the job was asked for.
    try:
        builder.municipality_for_case_sheet(user=user, key=municipality.code)
    except NotFound:
        raise TsunaguError(
            "この市町村の事例表を見る権限がなくなったため、作成できませんでした。",
            code="permission_denied",
        ) from None
    context.progress(0, 2, "事例表の内容を集めています", force=True)
    sheet = builder.build_case_sheet(user=user, municipality=municipality)
    return case_sheet_file_save(context, sheet=sheet, fmt=fmt)


def register() -> None:
    register_job_kind(
        JobKind(
            code=CASE_SHEET_JOB,
            label=gettext_lazy("事例表のファイル作成"),
            handler="tsunagu.engagements.casesheets.jobs:case_sheet_job_run",
            resumable=True,
        )
    )
