"""Money pages: a municipality's years (cost by type, 上限額, 交付金), the "what if", entry forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tsunagu.accounts.scope import can_edit
from tsunagu.core import wareki
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.http import show_on_form
from tsunagu.directory.models import SogoServiceType
from tsunagu.plans.indicators.selectors import municipality_get_for_user
from tsunagu.plans.money import services
from tsunagu.plans.money.arithmetic import what_if
from tsunagu.plans.money.forms import CostCapForm, GrantForm, ServiceCostForm, WhatIfForm
from tsunagu.plans.money.selectors import money_years


@login_required
def money_page(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = municipality_get_for_user(user=request.user, pk=pk)
    years = money_years(user=request.user, municipality=municipality)
    capped = [y for y in years if y.cap is not None]
    form = WhatIfForm(
        request.GET if "participants" in request.GET else None,
        years=[(y.fiscal_year, wareki.format_fiscal_year(y.fiscal_year)) for y in capped],
    )
    scenario = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        year = next(y for y in capped if y.fiscal_year == data["fiscal_year"])
        labels = dict(form.fields["origin"].choices) | dict(form.fields["target"].choices)
        try:
            scenario = what_if(
                before=year.position,
                participants=data["participants"],
                from_label=labels[data["origin"]],
                to_label=labels[data["target"]],
                from_unit_cost=data["from_unit_cost"],
                to_unit_cost=data["to_unit_cost"],
            )
        except TsunaguError as error:
            show_on_form(form, error)
    types = [
        (value, label)
        for value, label in SogoServiceType.choices
        if any(y.cost_of(value) is not None for y in years)
    ]
    return render(
        request,
        "plans/money/page.html",
        {
            "municipality": municipality,
            "years": years,
            "types": types,
            "form": form,
            "scenario": scenario,
            "can_edit": can_edit(request.user, municipality),
        },
    )


FORMS = {
    "cost": (ServiceCostForm, services.service_cost_record, "総合事業費を記録しました。"),
    "cap": (CostCapForm, services.cost_cap_record, "上限額を記録しました。"),
    "grant": (GrantForm, services.grant_record, "交付金の受入れを記録しました。"),
}
TITLES = {"cost": "総合事業費を記録", "cap": "上限額を記録", "grant": "地域支援事業交付金を記録"}


@login_required
def money_record(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    municipality = municipality_get_for_user(user=request.user, pk=pk)
    if not can_edit(request.user, municipality):
        raise PermissionDenied("この市町村の事業費を記録する権限がありません。")
    form_class, service, done = FORMS[what]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, municipality=municipality, **form.cleaned_data)
        except TsunaguError as error:
            show_on_form(form, error)
        else:
            messages.success(request, done)
            return redirect("money:page", pk=municipality.pk)
    return render(
        request,
        "plans/_form.html",
        {
            "form": form,
            "municipality": municipality,
            "title": TITLES[what],
            "back_url": reverse("money:page", args=[municipality.pk]),
        },
    )
