"""Pages of PDCA cycles: list, one page per fiscal year (Plan, Do from the links, Check, Act),
create/edit, carry into next year, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import can_edit
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import fields_from
from tsunagu.core.http import history_page, int_param, show_on_form
from tsunagu.core.wareki import fiscal_year as fiscal_year_of
from tsunagu.engagements.selectors import engagement_get_for_user, engagement_list_visible_to
from tsunagu.plans.forms import PdcaForm, PdcaYearForm
from tsunagu.plans.pdca import selectors, services
from tsunagu.plans.pdca.services import PdcaFields
from tsunagu.plans.records.selectors import plan_item_get_for_user


def _url(cycle: Any) -> str:
    return reverse("plans:pdca", args=[cycle.pk])


@login_required
def pdca_list(request: HttpRequest) -> HttpResponse:
    cycles = selectors.pdca_list_visible_to(user=request.user).order_by(
        "municipality__code", "-fiscal_year", "id"
    )
    engagements = engagement_list_visible_to(user=request.user).order_by(
        "municipality__code", "-fiscal_year"
    )
    return render(request, "plans/pdca_list.html", {"cycles": cycles, "engagements": engagements})


@login_required
def pdca_create(request: HttpRequest) -> HttpResponse:
    engagement = item = None
    if int_param(request.GET.get("engagement")):
        engagement = engagement_get_for_user(
            user=request.user,
            pk=int_param(request.GET.get("engagement")),  # type: ignore[arg-type]
        )
        municipality = engagement.municipality
    elif int_param(request.GET.get("item")):
        item = plan_item_get_for_user(
            user=request.user,
            pk=int_param(request.GET.get("item")),  # type: ignore[arg-type]
        )
        municipality = item.plan.municipality
    else:
        # Reached without its subject (a bookmark, a hand-typed address): say where to start.
        messages.info(
            request,
            _("伴走的支援か計画の項目を選んでください。")
            + " "
            + _("PDCA は伴走的支援のページか計画の項目から始めます。"),
        )
        return redirect("plans:pdca_list")
    if not can_edit(request.user, municipality):
        raise PermissionDenied()
    year = fiscal_year_of(timezone.localdate())
    year_form = PdcaYearForm(request.POST or None, initial={"fiscal_year": year})
    if year_form.is_bound and year_form.is_valid():
        year = year_form.cleaned_data["fiscal_year"]
    insights = selectors.insight_choices(
        engagement=engagement, municipality=municipality, fiscal_year=year
    )
    form = PdcaForm(request.POST or None, insights=insights)
    if request.method == "POST" and year_form.is_valid() and form.is_valid():
        try:
            cycle = services.pdca_create(
                fiscal_year=year,
                fields=fields_from(PdcaFields, form.cleaned_data),
                engagement=engagement,
                plan_item=item,
                actor=request.user,
            )
        except Exception as error:
            show_on_form(year_form if getattr(error, "field", "") == "fiscal_year" else form, error)
        else:
            return redirect(_url(cycle))
    return render(
        request,
        "plans/pdca_form.html",
        {
            "form": form,
            "year_form": year_form,
            "subject": engagement or item,
            "title": _("PDCA を登録"),
            "cancel_url": reverse("plans:pdca_list"),
        },
    )


@login_required
def pdca_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.pdca_get_for_user(user=request.user, pk=pk)
    carried_to = getattr(cycle, "carried_to", None)
    return render(
        request,
        "plans/pdca_detail.html",
        {
            "cycle": cycle,
            "title": selectors.cycle_title(cycle),
            "activities": selectors.pdca_activities(cycle),
            "carried_to": carried_to,
            "can_edit": can_edit(request.user, cycle),
        },
    )


@login_required
def pdca_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.pdca_get_for_user(user=request.user, pk=pk)
    if not can_edit(request.user, cycle):
        raise PermissionDenied()
    insights = selectors.insight_choices(
        engagement=cycle.engagement, municipality=cycle.municipality, fiscal_year=cycle.fiscal_year
    )
    form = PdcaForm(request.POST or None, instance=cycle, insights=insights)
    if request.method == "POST" and form.is_valid():
        try:
            services.pdca_update(
                cycle=cycle, fields=fields_from(PdcaFields, form.cleaned_data), actor=request.user
            )
        except Exception as error:
            show_on_form(form, error)
        else:
            return redirect(_url(cycle))
    return render(
        request,
        "plans/pdca_form.html",
        {
            "form": form,
            "subject": cycle.subject,
            "title": selectors.cycle_title(cycle),
            "cancel_url": _url(cycle),
        },
    )


@login_required
@require_POST
def pdca_carry(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.pdca_get_for_user(user=request.user, pk=pk)
    try:
        next_cycle = services.pdca_carry_over(cycle=cycle, actor=request.user)
    except TsunaguError as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, str(error))
        return redirect(_url(cycle))
    messages.success(request, _("翌年度の PDCA を作りました。"))
    return redirect(_url(next_cycle))


@login_required
def pdca_history(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.pdca_get_for_user(user=request.user, pk=pk)
    return history_page(request, cycle, _url(cycle))
