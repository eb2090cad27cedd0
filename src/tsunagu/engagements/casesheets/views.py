"""Case sheet pages (事例表): list, sheet with edit form, PDF / .xlsx downloads, 図表3.

Thin: find the municipality through ``builder.municipality_for_case_sheet`` (NotFound → 404
when out of scope), build the sheet from what the user may see, render or call the write
function (PermissionDenied → 403).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.permissions import can_edit
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.forms import apply_validation_error
from tsunagu.engagements.casesheets import builder, jobs
from tsunagu.engagements.casesheets.forms import CaseSheetForm
from tsunagu.engagements.casesheets.pdf import render_case_sheet_pdf
from tsunagu.engagements.casesheets.xlsx import render_attention_xlsx, render_case_sheet_xlsx
from tsunagu.engagements.models import CaseSheetSettings
from tsunagu.engagements.permissions import can_edit_engagement

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # RFC 6266: an ASCII fallback plus the Japanese name for browsers that understand it.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


@login_required
def case_sheet_list(request: HttpRequest) -> HttpResponse:
    rows = builder.case_sheet_municipalities_for(user=request.user)
    return render(request, "engagements/casesheet_list.html", {"rows": rows})


@login_required
def case_sheet_detail(request: HttpRequest, key: str) -> HttpResponse:
    municipality = builder.municipality_for_case_sheet(user=request.user, key=key)
    sheet = builder.build_case_sheet(user=request.user, municipality=municipality)
    return render(
        request,
        "engagements/casesheet_detail.html",
        {
            "sheet": sheet,
            "municipality": municipality,
            "can_edit": can_edit(request.user, municipality),
        },
    )


@login_required
def case_sheet_edit(request: HttpRequest, key: str) -> HttpResponse:
    municipality = builder.municipality_for_case_sheet(user=request.user, key=key)
    if not can_edit(request.user, municipality):
        raise PermissionDenied()
    engagements = [
        engagement
        for engagement in builder.engagements_visible_to(user=request.user)
        .filter(municipality=municipality)
        .order_by("fiscal_year", "id")
        if can_edit_engagement(request.user, engagement)
    ]
    settings = CaseSheetSettings.objects.filter(municipality=municipality).first()
    form = CaseSheetForm(request.POST or None, engagements=engagements, settings=settings)
    if request.method == "POST" and form.is_valid():
        try:
            builder.case_sheet_narrative_update(
                municipality=municipality,
                actor=request.user,
                sheet_number=form.cleaned_data["sheet_number"],
                attention_summary=form.cleaned_data["attention_summary"].strip(),
                engagements=form.narrative(),
            )
        except (TsunaguError, ValidationError) as error:
            if isinstance(error, PermissionDenied):
                raise
            apply_validation_error(form, error)
        else:
            messages.success(request, _("事例表の内容を保存しました。"))
            return redirect("casesheets:detail", key=municipality.code)
    return render(
        request,
        "engagements/casesheet_form.html",
        {"form": form, "municipality": municipality},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def case_sheet_pdf(request: HttpRequest, key: str) -> HttpResponse:
    municipality = builder.municipality_for_case_sheet(user=request.user, key=key)
    sheet = builder.build_case_sheet(user=request.user, municipality=municipality)
    return _download(
        render_case_sheet_pdf(sheet),
        "application/pdf",
        f"{sheet.title}.pdf",
        f"{sheet.filename_stem}.pdf",
    )


@login_required
def case_sheet_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    municipality = builder.municipality_for_case_sheet(user=request.user, key=key)
    sheet = builder.build_case_sheet(user=request.user, municipality=municipality)
    return _download(
        render_case_sheet_xlsx(sheet), XLSX, f"{sheet.title}.xlsx", f"{sheet.filename_stem}.xlsx"
    )


@login_required
@require_POST
def case_sheet_job(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """Make the PDF or .xlsx as a background job; its page offers the file when done."""
    municipality = builder.municipality_for_case_sheet(user=request.user, key=key)
    if fmt not in jobs.FORMATS:
        raise Http404()
    job = jobs.case_sheet_job_start(municipality=municipality, fmt=fmt, actor=request.user)
    return redirect("jobs:detail", pk=job.pk)


@login_required
def attention_table(request: HttpRequest) -> HttpResponse:
    rows = builder.attention_table_for(user=request.user)
    return render(request, "engagements/casesheet_attention.html", {"rows": rows})


@login_required
def attention_xlsx(request: HttpRequest) -> HttpResponse:
    rows = builder.attention_table_for(user=request.user)
    return _download(
        render_attention_xlsx(rows),
        XLSX,
        "図表3_地域づくりを進める上での留意点.xlsx",
        "points_of_attention.xlsx",
    )
