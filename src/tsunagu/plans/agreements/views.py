"""Pages of role agreements (規範的統合): list (with the reviews due), the agreement page (role
table, participation of the agreed roles this fiscal year, reviews), create/edit, roles,
review, history and the one-page A4 print view."""

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

from tsunagu.accounts.scope import can_edit, municipalities_editable_to
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.fields import fields_from
from tsunagu.core.http import history_page, int_param, show_on_form
from tsunagu.core.wareki import fiscal_year as fiscal_year_of
from tsunagu.plans.agreements import selectors, services
from tsunagu.plans.agreements.services import AgreementFields
from tsunagu.plans.forms import AgreedRoleForm, AgreementForm, ReviewForm


def _url(agreement: Any) -> str:
    return reverse("plans:agreement", args=[agreement.pk])


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    agreements = list(
        selectors.agreement_list_visible_to(user=request.user)
        .prefetch_related("reviews")
        .order_by("municipality__code", "title")
    )
    rows = [
        {
            "agreement": a,
            "last_reviewed_on": selectors.last_reviewed_on(a),
            "reviewed_this_year": selectors.reviewed_in(a, fiscal_year_of(today)),
            "due": selectors.review_due(a, today),
        }
        for a in agreements
    ]
    return render(
        request,
        "plans/agreement_list.html",
        {
            "rows": rows,
            "fiscal_year": fiscal_year_of(today),
            "can_create": municipalities_editable_to(request.user).exists(),
        },
    )


def _detail_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    year = int_param(request.GET.get("year")) or fiscal_year_of(today)
    participation, visit_count = selectors.role_participation(agreement, year)
    return {
        "agreement": agreement,
        "fiscal_year": year,
        "participation": participation,
        "absent": [p.role for p in participation if p.visits == 0],
        "visit_count": visit_count,
        "reviewed_this_year": selectors.reviewed_in(agreement, fiscal_year_of(today)),
        "review_due": selectors.review_due(agreement, today),
        "last_reviewed_on": selectors.last_reviewed_on(agreement),
        "can_edit": can_edit(request.user, agreement),
    }


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "plans/agreement_detail.html", _detail_context(request, pk))


@login_required
def agreement_print(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "plans/agreement_print.html", _detail_context(request, pk))


@login_required
def agreement_history(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    return history_page(request, agreement, _url(agreement))


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    editable = municipalities_editable_to(request.user)
    municipality = (
        editable.filter(pk=int_param(request.GET.get("municipality"))).first() or editable.first()
    )
    if municipality is None:
        raise PermissionDenied()
    form = AgreementForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                municipality=municipality,
                fields=fields_from(AgreementFields, form.cleaned_data),
                actor=request.user,
            )
        except Exception as error:
            show_on_form(form, error)
        else:
            return redirect(_url(agreement))
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": _("目指す姿と役割分担を登録（%(name)s）") % {"name": municipality.name},
            "municipalities": editable if editable.count() > 1 else None,
            "municipality": municipality,
            "cancel_url": reverse("plans:agreements"),
            "submit": _("登録"),
        },
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    if not can_edit(request.user, agreement):
        raise PermissionDenied()
    form = AgreementForm(
        request.POST or None, instance=agreement, municipality=agreement.municipality
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(
                agreement=agreement,
                fields=fields_from(AgreementFields, form.cleaned_data),
                actor=request.user,
            )
        except Exception as error:
            show_on_form(form, error)
        else:
            return redirect(_url(agreement))
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": _("目指す姿と役割分担を編集"),
            "cancel_url": _url(agreement),
            "submit": _("保存"),
        },
    )


@login_required
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    if not can_edit(request.user, agreement):
        raise PermissionDenied()
    form = AgreedRoleForm(
        request.POST or None, user=request.user, municipality=agreement.municipality
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_role_add(
                agreement=agreement,
                organisation=data["organisation"],
                department=data["department"],
                role=data["role"],
                inferred=data["inferred"],
                sort_order=data["sort_order"],
                actor=request.user,
            )
        except Exception as error:
            show_on_form(form, error)
        else:
            return redirect(_url(agreement) + "#roles")
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": _("役割を追加"),
            "cancel_url": _url(agreement),
            "submit": _("追加"),
        },
    )


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int) -> HttpResponse:
    role = selectors.agreed_role_get_for_user(user=request.user, pk=pk)
    agreement = role.agreement
    services.agreement_role_remove(role=role, actor=request.user)
    messages.success(request, _("役割を外しました。"))
    return redirect(_url(agreement) + "#roles")


@login_required
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    if not can_edit(request.user, agreement):
        raise PermissionDenied()
    form = ReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_review(agreement=agreement, actor=request.user, **form.cleaned_data)
        except Exception as error:
            show_on_form(form, error)
        else:
            return redirect(_url(agreement) + "#reviews")
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": _("見直しを記録"),
            "cancel_url": _url(agreement),
            "submit": _("記録"),
        },
    )
