"""Pages of program instances: list with filters, detail, create/edit, enrol and end,
participant counts, history, and the participation report (table, chart, .xlsx).

Thin: selectors scope (NotFound → 404), services write (PermissionDenied → 403); residents
are shown only through :mod:`tsunagu.programs.instances.participants`.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import can_edit, municipalities_editable_to, municipalities_visible_to
from tsunagu.areas.models import DailyLifeArea
from tsunagu.core import wareki
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.http import history_page, int_param, show_on_form
from tsunagu.directory import catalog
from tsunagu.directory.models import Organisation
from tsunagu.programs.instances import exports, participants, selectors, services
from tsunagu.programs.instances.forms import (
    CountForm,
    EnrolForm,
    EnrolmentEndForm,
    InstanceFilterForm,
    InstanceForm,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def instance_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = municipalities_visible_to(user)
    form = InstanceFilterForm(
        request.GET or None,
        areas=DailyLifeArea.objects.filter(municipality__in=visible).select_related("municipality"),
        providers=Organisation.objects.filter(
            program_instances__in=selectors.instance_list_visible_to(user=user)
        ).distinct(),
    )
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "service_type": data["service_type"],
            "daily_life_area_id": data["area"].pk if data["area"] else None,
            "provider_id": data["provider"].pk if data["provider"] else None,
        }
    instances = selectors.instance_list_visible_to(user=user, **filters)
    return render(
        request,
        "programs/instance_list.html",
        {
            "form": form,
            "instances": instances,
            "can_create": municipalities_editable_to(user).exists(),
        },
    )


@login_required
def instance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    instance = selectors.instance_get_for_user(user=user, pk=pk)
    may_see = participants.may_see_participants(user, instance)
    return render(
        request,
        "programs/instance_detail.html",
        {
            "instance": instance,
            "kind": catalog.get(instance.service_type),
            "can_edit": can_edit(user, instance),
            "may_see_participants": may_see,
            "enrolments": participants.enrolments_for_user(
                user=user, instance=instance, path=request.path
            ),
            "figures": participants.enrolment_figures(instance, day=timezone.localdate()),
            "counts": selectors.counts_of(instance),
        },
    )


def _municipality_for_create(request: HttpRequest) -> Any:
    user = request.user
    editable = municipalities_editable_to(user)
    chosen = int_param(request.GET.get("municipality"))
    if chosen is not None:
        municipality = municipalities_visible_to(user).filter(pk=chosen).first()
        if municipality is None:
            raise NotFound()
        return municipality
    if editable.count() == 1:
        return editable.first()
    if editable.exists():
        return None
    raise PermissionDenied()


def _save_instance(request: HttpRequest, form: InstanceForm, save: Any) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        instance = save(form.to_fields())
    except (ValidationError, TsunaguError) as error:
        show_on_form(form, error)
        return None
    messages.success(request, _("保存しました。"))
    return redirect("programs:instance-detail", instance.pk)


@login_required
def instance_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    municipality = _municipality_for_create(request)
    if municipality is None:
        return render(
            request,
            "programs/municipality_choice.html",
            {"municipalities": municipalities_editable_to(user)},
        )
    if not can_edit(user, municipality):
        raise PermissionDenied()
    initial = {"service_type": request.GET.get("type", ""), "status": "running"}
    form = InstanceForm(request.POST or None, initial=initial, municipality=municipality, user=user)
    done = _save_instance(
        request,
        form,
        lambda fields: services.instance_create(
            municipality=municipality, fields=fields, actor=user
        ),
    )
    return done or render(
        request,
        "programs/instance_form.html",
        {"form": form, "municipality": municipality, "title": _("実施事業を登録")},
    )


@login_required
def instance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    instance = selectors.instance_get_for_user(user=user, pk=pk)
    if not can_edit(user, instance):
        raise PermissionDenied()
    form = InstanceForm(
        request.POST or None,
        initial=InstanceForm.initial_of(instance),
        municipality=instance.municipality,
        user=user,
    )
    done = _save_instance(
        request,
        form,
        lambda fields: services.instance_update(instance=instance, fields=fields, actor=user),
    )
    return done or render(
        request,
        "programs/instance_form.html",
        {
            "form": form,
            "municipality": instance.municipality,
            "instance": instance,
            "title": _("実施事業を変更"),
        },
    )


@login_required
def instance_history(request: HttpRequest, pk: int) -> HttpResponse:
    instance = selectors.instance_get_for_user(user=request.user, pk=pk)
    return history_page(request, instance, reverse("programs:instance-detail", args=[pk]))


def _simple_form(request: HttpRequest, instance: Any, form: Any, title: str) -> HttpResponse:
    return render(
        request,
        "programs/simple_form.html",
        {"form": form, "instance": instance, "title": title},
    )


@login_required
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    instance = selectors.instance_get_for_user(user=user, pk=pk)
    if not can_edit(user, instance) or not participants.may_see_participants(user, instance):
        raise NotFound()
    form = EnrolForm(
        request.POST or None,
        residents=participants.enrollable_residents(user=user, instance=instance),
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_start(
                instance=instance,
                resident=form.cleaned_data["resident"],
                starts_on=form.cleaned_data["starts_on"],
                actor=user,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("利用者を登録しました。"))
            return redirect("programs:instance-detail", instance.pk)
    return _simple_form(request, instance, form, _("利用者を登録"))


@login_required
def enrolment_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    enrolment = participants.enrolment_get_for_user(user=user, enrolment_id=pk)
    if enrolment is None:
        raise NotFound()
    instance = selectors.instance_get_for_user(user=user, pk=enrolment.program_id)
    form = EnrolmentEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_end(
                enrolment=enrolment, ends_on=form.cleaned_data["ends_on"], actor=user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("利用を終了しました。"))
            return redirect("programs:instance-detail", instance.pk)
    return _simple_form(request, instance, form, _("利用を終了"))


@login_required
def count_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    instance = selectors.instance_get_for_user(user=user, pk=pk)
    if not can_edit(user, instance):
        raise PermissionDenied()
    form = CountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_count_record(instance=instance, actor=user, **form.cleaned_data)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("利用者数を記録しました。"))
            return redirect("programs:instance-detail", instance.pk)
    return _simple_form(request, instance, form, _("利用者数を記録"))


# --- report -----------------------------------------------------------------------------------


def _report(request: HttpRequest) -> tuple[int, Any, list[Any]]:
    year = (
        int_param(request.GET.get("year"))
        or selectors.latest_count_year(user=request.user)
        or selectors.fiscal_year_of(timezone.localdate())
    )
    year = min(max(year, 2015), 2100)
    municipality_id = int_param(request.GET.get("municipality"))
    municipality = (
        municipalities_visible_to(request.user).filter(pk=municipality_id).first()
        if municipality_id
        else None
    )
    rows = selectors.participation_by_type_and_area(
        user=request.user,
        fiscal_year=year,
        municipality_id=municipality.pk if municipality else None,
    )
    return year, municipality, rows


@login_required
def participation_report(request: HttpRequest) -> HttpResponse:
    year, municipality, rows = _report(request)
    top = max((r.counted for r in rows), default=0)
    return render(
        request,
        "programs/participation_report.html",
        {
            "year": year,
            "year_label": wareki.format_fiscal_year(year),
            "municipality": municipality,
            "municipalities": municipalities_visible_to(request.user),
            "rows": rows,
            "bars": [
                {
                    "y": 24 * index,
                    "length": round(180 * r.counted / top) if top else 0,
                    "label": f"{r.type_label}・{r.area}"[:24],
                    "value": r.counted,
                }
                for index, r in enumerate(rows)
            ],
            "chart_height": 24 * len(rows) + 4,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def participation_export(request: HttpRequest) -> HttpResponse:
    year, municipality, rows = _report(request)
    where = f"{municipality.name} " if municipality else ""
    title = f"{where}総合事業 類型別・地域別の利用者（{wareki.format_fiscal_year(year)}）"
    buffer = io.BytesIO()
    exports.write_participation(buffer, rows, title=title)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"{where.strip() or '総合事業'}_利用者_類型別地域別_{year}年度.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"participation_{year}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
