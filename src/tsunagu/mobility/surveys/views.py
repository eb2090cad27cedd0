"""Pages of needs surveys (ニーズ調査): list, summary by district with charts, entering and
importing answer sheets, the council's Excel summary, and the blank questionnaire.

Thin: reads through :mod:`.selectors` (out of scope → 404; answer sheets → editors
only, 403), writes through :mod:`.services` / :mod:`.importing`.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.areas.models import Municipality
from tsunagu.core.errors import NotFound, PermissionDenied
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import int_param
from tsunagu.mobility.models import NeedsSurvey, TripFrequency, WalkDistance, WouldUse
from tsunagu.mobility.surveys import exporting as survey_exporting
from tsunagu.mobility.surveys import importing as survey_importing
from tsunagu.mobility.surveys import selectors
from tsunagu.mobility.surveys import services as survey_services
from tsunagu.mobility.surveys.forms import ImportForm, ResponseForm, SurveyForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    quoted = urllib.parse.quote(filename)
    response["Content-Disposition"] = (
        f"attachment; filename=\"survey.xlsx\"; filename*=UTF-8''{quoted}"
    )
    return response


def _survey_url(survey: NeedsSurvey) -> str:
    return reverse("mobility_surveys:detail", args=[survey.pk])


def _require_edit(user: Any, survey: NeedsSurvey) -> None:
    if not selectors.can_edit_survey(user, survey):
        raise PermissionDenied()


# --- surveys ------------------------------------------------------------------------------


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    municipality = None
    municipality_id = int_param(request.GET.get("municipality"))
    surveys = selectors.survey_list_visible_to(user=request.user)
    municipalities = Municipality.objects.filter(
        pk__in=surveys.values_list("municipality_id", flat=True)
    ).order_by("code")
    if municipality_id:
        municipality = municipalities.filter(pk=municipality_id).first()
        if municipality is not None:
            surveys = surveys.filter(municipality=municipality)
    rows = []
    for survey in surveys.order_by("municipality__code", "-conducted_from", "title"):
        summary = selectors.survey_summary(survey=survey)
        rows.append({"survey": survey, "total": summary.total})
    return render(
        request,
        "mobility/surveys/survey_list.html",
        {
            "rows": rows,
            "municipalities": municipalities,
            "municipality": municipality,
            "can_create": selectors.municipalities_for_new_survey(user=request.user).exists(),
        },
    )


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    allowed = selectors.municipalities_for_new_survey(user=request.user)
    if not allowed.exists():
        raise PermissionDenied(_("調査を登録できる市町村がありません。"))
    municipality_id = int_param(request.GET.get("municipality") or request.POST.get("municipality"))
    municipality = allowed.filter(pk=municipality_id).first() if municipality_id else None
    if municipality is None and allowed.count() == 1:
        municipality = allowed.first()
    if municipality is None:
        return render(
            request, "mobility/surveys/municipality_choice.html", {"municipalities": allowed}
        )
    form = SurveyForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = survey_services.survey_create(
                municipality=municipality,
                actor=request.user,
                title=data["title"],
                service=data["service"],
                conducted_by=data["conducted_by"],
                districts=data["districts"],
                conducted_from=data["conducted_from"],
                conducted_to=data["conducted_to"],
                distributed=data["distributed"],
                note=data["note"],
                source=data["source"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied:
            # An organisation member may only start surveys their organisation conducts.
            form.add_error("conducted_by", _("実施団体に、あなたが所属する団体を選んでください。"))
        else:
            messages.success(
                request, _("調査を登録しました。回答を入力するか、ファイルから取り込んでください。")
            )
            return redirect(_survey_url(survey))
    return render(
        request,
        "mobility/surveys/survey_form.html",
        {"form": form, "municipality": municipality, "survey": None},
    )


@login_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    summary = selectors.survey_summary(survey=survey)
    return render(
        request,
        "mobility/surveys/survey_detail.html",
        {
            "survey": survey,
            "summary": summary,
            "questions": summary.questions(),
            "district_rows": summary.district_rows(),
            "destination_labels": [label for _k, label in selectors.DESTINATIONS],
            "can_edit": selectors.can_edit_survey(request.user, survey),
            "printed_at": timezone.localtime(),
        },
    )


@login_required
def survey_edit(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    _require_edit(request.user, survey)
    form = SurveyForm(
        request.POST or None,
        municipality=survey.municipality,
        initial=SurveyForm.initial_from(survey),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_services.survey_update(
                survey=survey,
                actor=request.user,
                districts=data["districts"],
                **{name: data[name] for name in survey_services.SURVEY_FIELDS},
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("調査を変更しました。"))
            return redirect(_survey_url(survey))
    return render(
        request,
        "mobility/surveys/survey_form.html",
        {"form": form, "municipality": survey.municipality, "survey": survey},
    )


@login_required
def survey_delete(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    _require_edit(request.user, survey)
    if request.method == "POST":
        survey_services.survey_delete(survey=survey, actor=request.user)
        messages.success(request, _("調査「%(title)s」を削除しました。") % {"title": survey.title})
        return redirect("mobility_surveys:list")
    return render(request, "mobility/surveys/survey_delete.html", {"survey": survey})


@login_required
def summary_xlsx(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    content = survey_exporting.summary_xlsx(selectors.survey_summary(survey=survey))
    return _xlsx(content, f"{survey.title}_集計.xlsx")


# --- answer sheets (editors only) ---------------------------------------------------------


@login_required
def response_list(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    responses = selectors.responses_for_editor(user=request.user, survey=survey)
    return render(
        request,
        "mobility/surveys/response_list.html",
        {"survey": survey, "responses": responses},
    )


@login_required
def responses_xlsx(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    responses = selectors.responses_for_editor(user=request.user, survey=survey)
    return _xlsx(survey_exporting.responses_xlsx(survey, responses), f"{survey.title}_回答.xlsx")


def _response_form_page(
    request: HttpRequest, survey: NeedsSurvey, response: Any | None
) -> HttpResponse:
    initial = ResponseForm.initial_from(response) if response is not None else None
    form = ResponseForm(request.POST or None, municipality=survey.municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if response is None:
                survey_services.response_create(
                    survey=survey, actor=request.user, fields=form.response_fields()
                )
            else:
                survey_services.response_update(
                    response=response, actor=request.user, fields=form.response_fields()
                )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if response is None:
                messages.success(request, _("回答を1件入力しました。続けて入力できます。"))
                if "add_another" in request.POST:
                    return redirect("mobility_surveys:response_add", survey_id=survey.pk)
            else:
                messages.success(request, _("回答を修正しました。"))
            return redirect("mobility_surveys:responses", survey_id=survey.pk)
    return render(
        request,
        "mobility/surveys/response_form.html",
        {"survey": survey, "form": form, "response": response},
    )


@login_required
def response_add(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    _require_edit(request.user, survey)
    return _response_form_page(request, survey, None)


@login_required
def response_edit(request: HttpRequest, survey_id: int, response_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    response = selectors.response_get_for_editor(
        user=request.user, survey=survey, response_id=response_id
    )
    return _response_form_page(request, survey, response)


@login_required
@require_POST
def response_delete(request: HttpRequest, survey_id: int, response_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    response = selectors.response_get_for_editor(
        user=request.user, survey=survey, response_id=response_id
    )
    survey_services.response_delete(response=response, actor=request.user)
    messages.success(request, _("回答を1件削除しました。"))
    return redirect("mobility_surveys:responses", survey_id=survey.pk)


@login_required
def response_import(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    _require_edit(request.user, survey)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("ファイルが大きすぎます（20MB まで）。"))
        else:
            result = survey_importing.import_responses(
                survey=survey,
                actor=request.user,
                data=upload.read(),
                file_name=upload.name,
                replace=form.cleaned_data["replace"],
            )
            if result.ok:
                messages.success(
                    request,
                    _("%(file)s から回答を%(count)s件（%(people)s人分）取り込みました。")
                    % {
                        "file": result.file_name,
                        "count": result.created,
                        "people": result.respondents,
                    },
                )
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect(_survey_url(survey))
    return render(
        request,
        "mobility/surveys/import.html",
        {"survey": survey, "form": form, "result": result},
    )


# --- blank questionnaire ----------------------------------------------------------------


@login_required
def template_xlsx(request: HttpRequest) -> HttpResponse:
    return _xlsx(survey_exporting.template_xlsx(), "移動のニーズ調査_入力様式.xlsx")


@login_required
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The paper questionnaire for residents (A4, printable); optionally titled for a survey."""
    survey = None
    survey_id = int_param(request.GET.get("survey"))
    if survey_id:
        try:
            survey = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
        except NotFound:
            survey = None
    return render(
        request,
        "mobility/surveys/questionnaire.html",
        {
            "survey": survey,
            "would_use": WouldUse.choices[:-1],
            "frequency": TripFrequency.choices[:-1],
            "walk": WalkDistance.choices[:-1],
            "districts": list(survey.districts.all()) if survey else [],
        },
    )
