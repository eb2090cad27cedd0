"""Prefecture case sheets: list, sheet, PDF and .xlsx (the municipal sheets' renderers)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.engagements.casesheets.pdf import render_case_sheet_pdf
from tsunagu.engagements.casesheets.xlsx import render_case_sheet_xlsx
from tsunagu.plans.casesheets import jobs
from tsunagu.plans.casesheets.builder import (
    build_prefecture_case_sheet,
    prefecture_case_sheets_for,
    prefecture_for_case_sheet,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


@login_required
def sheet_list(request: HttpRequest) -> HttpResponse:
    rows = prefecture_case_sheets_for(user=request.user)
    return render(request, "plans/casesheets/list.html", {"rows": rows})


@login_required
def sheet_detail(request: HttpRequest, key: str) -> HttpResponse:
    prefecture = prefecture_for_case_sheet(user=request.user, key=key)
    sheet = build_prefecture_case_sheet(user=request.user, prefecture=prefecture)
    return render(request, "plans/casesheets/detail.html", {"sheet": sheet})


@login_required
def sheet_pdf(request: HttpRequest, key: str) -> HttpResponse:
    prefecture = prefecture_for_case_sheet(user=request.user, key=key)
    sheet = build_prefecture_case_sheet(user=request.user, prefecture=prefecture)
    return _download(
        render_case_sheet_pdf(sheet),
        "application/pdf",
        f"{sheet.title}.pdf",
        f"{sheet.filename_stem}.pdf",
    )


@login_required
def sheet_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    prefecture = prefecture_for_case_sheet(user=request.user, key=key)
    sheet = build_prefecture_case_sheet(user=request.user, prefecture=prefecture)
    return _download(
        render_case_sheet_xlsx(sheet), XLSX, f"{sheet.title}.xlsx", f"{sheet.filename_stem}.xlsx"
    )


@login_required
@require_POST
def sheet_job(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """Make the PDF or .xlsx as a background job; its page offers the file when done."""
    prefecture = prefecture_for_case_sheet(user=request.user, key=key)
    if fmt not in jobs.FORMATS:
        raise Http404()
    job = jobs.prefecture_case_sheet_job_start(prefecture=prefecture, fmt=fmt, actor=request.user)
    return redirect("jobs:detail", pk=job.pk)
