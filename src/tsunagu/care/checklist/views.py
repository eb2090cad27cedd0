"""Pages of the basic checklist: home, a resident's checklists, the paper-like form, the
result, change history, import, anonymous surveys and the district report.

Thin: every read of a resident's checklist goes through :mod:`.selectors` (the care gate:
404 without the right, read logged with its purpose); writes through :mod:`.services`.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tsunagu.care.checklist import exporting, jobs, selectors, services
from tsunagu.care.checklist.forms import ChecklistForm, ImportForm, SurveyForm
from tsunagu.care.checklist.rules import CRITERIA
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import history_page, int_param
from tsunagu.core.jobs.models import JobStatus

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
GSI_ATTRIBUTION = '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>'


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exporting.XLSX)
    quoted = urllib.parse.quote(filename)
    response["Content-Disposition"] = (
        f"attachment; filename=\"checklist.xlsx\"; filename*=UTF-8''{quoted}"
    )
    return response


def _resident_link(resident_id: int) -> str:
    # The resident pages are another feature's; without them this page is the resident's.
    try:
        return reverse("care:resident_detail", args=[resident_id])
    except Exception:
        return reverse("care_checklist:resident", args=[resident_id])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    residents = selectors.residents_for_checklists(request.user)
    return render(
        request,
        "care/checklist/home.html",
        {
            "residents": residents[:200],
            "resident_count": residents.count(),
            "can_import": selectors.import_municipalities(request.user).exists(),
            "surveys": selectors.surveys_visible_to(request.user)[:50],
            "survey_municipalities": selectors.survey_municipalities(request.user),
            "records_enabled": getattr(settings, "PERSONAL_RECORDS_ENABLED", False),
        },
    )


@login_required
def resident_checklists(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = selectors.resident_for_checklists(
        user=request.user,
        resident_id=resident_id,
        purpose=selectors.PURPOSE_LIST,
        path=request.path,
    )
    return render(
        request,
        "care/checklist/resident.html",
        {"resident": resident, "records": selectors.checklists_of(resident)},
    )


def _save(request: HttpRequest, form: ChecklistForm, call: Any) -> Any:
    data = form.cleaned_data
    try:
        return call(
            actor=request.user,
            answered_on=data["answered_on"],
            answers=form.answers(),
            height_cm=data["height_cm"],
            weight_kg=data["weight_kg"],
            note=data["note"],
        )
    except (TsunaguError, ValidationError) as exc:
        apply_validation_error(form, exc)
        return None


@login_required
def checklist_new(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = selectors.resident_for_checklists(
        user=request.user,
        resident_id=resident_id,
        purpose=selectors.PURPOSE_ENTER,
        path=request.path,
    )
    form = ChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = _save(
            request,
            form,
            lambda **kw: services.checklist_record_create(resident=resident, **kw),
        )
        if record is not None:
            messages.success(request, "基本チェックリストを記録しました。")
            return redirect("care_checklist:detail", record.pk)
    return render(
        request, "care/checklist/form.html", {"form": form, "resident": resident, "record": None}
    )


@login_required
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.checklist_get_for_user(
        user=request.user, record_id=pk, purpose=selectors.PURPOSE_EDIT, path=request.path
    )
    form = ChecklistForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda **kw: services.checklist_record_update(record=record, **kw),
        )
        if saved is not None:
            messages.success(request, "基本チェックリストを修正しました。")
            return redirect("care_checklist:detail", record.pk)
    return render(
        request,
        "care/checklist/form.html",
        {"form": form, "resident": record.resident, "record": record},
    )


@login_required
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.checklist_get_for_user(
        user=request.user, record_id=pk, purpose=selectors.PURPOSE_VIEW, path=request.path
    )
    result = record.result()
    answers = record.answers()
    return render(
        request,
        "care/checklist/detail.html",
        {
            "record": record,
            "resident": record.resident,
            "resident_url": _resident_link(record.resident_id),
            "result": result,
            "criteria": [(c, c.criterion.describe()) for c in result.criteria],
            "answer_rows": [
                (n, answers.get(n), result.applies[n - 1]) for n in range(1, 26) if n != 12
            ],
        },
    )


@login_required
def checklist_history(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.checklist_get_for_user(
        user=request.user, record_id=pk, purpose=selectors.PURPOSE_HISTORY, path=request.path
    )
    return history_page(request, record, reverse("care_checklist:detail", args=[pk]))


@login_required
def checklist_import(request: HttpRequest) -> HttpResponse:
    municipalities = selectors.import_municipalities(request.user)
    if not municipalities.exists():
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", "ファイルが大きすぎます（20MB まで）。")
        else:
            try:
                created = services.checklists_import(
                    actor=request.user,
                    municipality=form.cleaned_data["municipality"],
                    data=upload.read(),
                    file_name=upload.name,
                )
            except TsunaguError as exc:
                problems = getattr(exc, "problems", None) or [exc.message]
            else:
                selectors.log_resident_reads(
                    user=request.user,
                    residents=[r.resident for r in created],
                    purpose=selectors.PURPOSE_IMPORT,
                    path=request.path,
                )
                messages.success(
                    request, f"{len(created)} 件の基本チェックリストを取り込みました。"
                )
                return redirect("care_checklist:home")
    return render(request, "care/checklist/import.html", {"form": form, "problems": problems})


# --- anonymous surveys ------------------------------------------------------------------


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    allowed = selectors.survey_municipalities(request.user).filter(
        pk__in=[
            m.pk
            for m in selectors.survey_municipalities(request.user)
            if services.can_upload_survey(request.user, m.pk)
        ]
    )
    if not allowed.exists():
        raise PermissionDenied("調査を登録できる市町村がありません。")
    form = SurveyForm(request.POST or None, request.FILES or None, municipalities=allowed)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = form.cleaned_data
        # Scored by a background job: a survey of a whole municipality is many rows.
        job = jobs.survey_job_start(
            actor=request.user,
            municipality=data["municipality"],
            title=data["title"],
            conducted_on=data["conducted_on"],
            data=upload.read(),
            file_name=upload.name,
            note=data["note"],
        )
        job.refresh_from_db()
        if job.status == JobStatus.DONE and job.result_url:  # no worker delay: straight on
            messages.success(request, "調査を集計しました（個々の回答は保存していません）。")
            return redirect(job.result_url)
        if job.status != JobStatus.FAILED:  # the worker has it: its page shows progress
            return redirect("jobs:detail", pk=job.pk)
        problems = job.error.splitlines()  # failed at once: shown on the form, as before
    return render(
        request,
        "care/checklist/survey_form.html",
        {"form": form, "problems": problems},
        status=400 if problems else 200,
    )


def _map_data(rows: list[selectors.DistrictFigures]) -> dict[str, Any]:
    points = []
    for row in rows:
        d = row.district
        if d is None or d.centre_lat is None or d.centre_lon is None:
            continue
        points.append(
            {
                "lat": float(d.centre_lat),
                "lon": float(d.centre_lon),
                "name": d.name,
                "respondents": row.respondents,
                "share": None if row.eligible_share is None else round(row.eligible_share, 1),
            }
        )
    return {"points": points}


def _map_config() -> dict[str, Any]:
    return {
        "tileUrl": settings.TILE_URL,
        "attribution": getattr(settings, "TILE_ATTRIBUTION", GSI_ATTRIBUTION),
        "offlineMessage": "地図の背景を読み込めません（オフライン）。同じ内容の表が下にあります。",
        "eligibleLabel": "事業対象者",
        "respondentsLabel": "回答数",
    }


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=pk)
    rows = selectors.survey_figures(survey)
    return render(
        request,
        "care/checklist/survey_detail.html",
        {
            "survey": survey,
            "rows": rows,
            "total": selectors.total_of(rows),
            "criteria": CRITERIA,
            "map_data": _map_data(rows),
            "map_config": _map_config(),
            "tile_attribution": getattr(settings, "TILE_ATTRIBUTION", GSI_ATTRIBUTION),
            "can_delete": services.can_upload_survey(request.user, survey.municipality_id),
        },
    )


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=pk)
    rows = selectors.survey_figures(survey)
    content = exporting.figures_xlsx(
        [("地区別集計", f"{survey.title}（匿名調査の地区別集計）", rows)]
    )
    return _xlsx(content, f"{survey.title}_地区別集計.xlsx")


@login_required
@require_POST
def survey_delete(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=pk)
    services.checklist_survey_delete(survey=survey, actor=request.user)
    messages.success(request, "調査の集計を削除しました。")
    return redirect("care_checklist:home")


# --- the district report --------------------------------------------------------------------


def _report_context(request: HttpRequest) -> dict[str, Any]:
    municipalities = selectors.report_municipalities(request.user)
    chosen = int_param(request.GET.get("municipality"))
    municipality = municipalities.filter(pk=chosen).first() if chosen else municipalities.first()
    if municipality is None:
        raise Http404
    survey, survey_rows = selectors.latest_survey_figures(
        user=request.user, municipality=municipality
    )
    resident_rows = selectors.resident_figures(
        user=request.user, municipality=municipality, path=request.path
    )
    return {
        "municipalities": municipalities,
        "municipality": municipality,
        "survey": survey,
        "survey_rows": survey_rows,
        "survey_total": selectors.total_of(survey_rows),
        "resident_rows": resident_rows,
        "resident_total": None if resident_rows is None else selectors.total_of(resident_rows),
        "criteria": CRITERIA,
    }


@login_required
def report(request: HttpRequest) -> HttpResponse:
    return render(request, "care/checklist/report.html", _report_context(request))


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    sheets = []
    if context["survey"] is not None:
        sheets.append(
            ("匿名調査", f"{context['survey'].title}（匿名調査）", context["survey_rows"])
        )
    if context["resident_rows"] is not None:
        sheets.append(
            (
                "住民の最新のチェックリスト",
                "住民の最新の基本チェックリスト",
                context["resident_rows"],
            )
        )
    if not sheets:
        sheets.append(("集計", "集計できるデータがありません", []))
    name = context["municipality"].name
    return _xlsx(exporting.figures_xlsx(sheets), f"{name}_地区別_事業対象者とリスク.xlsx")
