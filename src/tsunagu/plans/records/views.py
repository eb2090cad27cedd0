"""Pages of plans: list, plan page (items with what they have behind them, and the items with
nothing), create/edit, items, links. Thin: selectors read (404 out of scope), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import can_edit, municipalities_editable_to
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import fields_from
from tsunagu.core.http import history_page, int_param, show_on_form
from tsunagu.plans.forms import LinkForm, PlanForm, PlanItemForm
from tsunagu.plans.records import selectors, services
from tsunagu.plans.records.models import LinkKind
from tsunagu.plans.records.services import PlanFields, PlanItemFields


def _plan_url(plan: Any) -> str:
    return reverse("plans:plan", args=[plan.pk])


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plan_list_visible_to(user=request.user).order_by(
        "municipality__code", "kind", "title"
    )
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "can_create": municipalities_editable_to(request.user).exists()},
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    editable = municipalities_editable_to(request.user)
    municipality = (
        editable.filter(pk=int_param(request.GET.get("municipality"))).first() or editable.first()
    )
    if municipality is None:
        raise PermissionDenied()
    form = PlanForm(request.POST or None, user=request.user, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                municipality=municipality,
                fields=fields_from(PlanFields, form.cleaned_data),
                actor=request.user,
            )
        except Exception as error:
            show_on_form(form, error)
        else:
            return redirect(_plan_url(plan))
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": _("計画を登録（%(name)s）") % {"name": municipality.name},
            "municipalities": editable if editable.count() > 1 else None,
            "municipality": municipality,
            "cancel_url": reverse("plans:list"),
            "submit": _("登録"),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "coverage": selectors.plan_coverage(plan),
            "can_edit": can_edit(request.user, plan),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    if not can_edit(request.user, plan):
        raise PermissionDenied()
    form = PlanForm(
        request.POST or None, instance=plan, user=request.user, municipality=plan.municipality
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                plan=plan, fields=fields_from(PlanFields, form.cleaned_data), actor=request.user
            )
        except Exception as error:
            show_on_form(form, error)
        else:
            return redirect(_plan_url(plan))
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": _("計画を編集"),
            "cancel_url": _plan_url(plan),
            "submit": _("保存"),
        },
    )


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    return history_page(request, plan, _plan_url(plan))


def _item_form_page(request: HttpRequest, plan: Any, item: Any = None) -> HttpResponse:
    if not can_edit(request.user, plan):
        raise PermissionDenied()
    initial = {}
    if item is None and int_param(request.GET.get("parent")):
        initial["parent"] = int_param(request.GET.get("parent"))
    form = PlanItemForm(request.POST or None, instance=item, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = fields_from(PlanItemFields, form.cleaned_data)
        try:
            if item is None:
                services.plan_item_add(plan=plan, fields=fields, actor=request.user)
            else:
                services.plan_item_update(item=item, fields=fields, actor=request.user)
        except Exception as error:
            show_on_form(form, error)
        else:
            return redirect(_plan_url(plan))
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": _("目標・項目を追加") if item is None else _("目標・項目を編集"),
            "plan": plan,
            "cancel_url": _plan_url(plan),
            "submit": _("保存"),
        },
    )


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_form_page(request, selectors.plan_get_for_user(user=request.user, pk=pk))


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.plan_item_get_for_user(user=request.user, pk=pk)
    return _item_form_page(request, item.plan, item)


@login_required
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a regional issue, service B group, mobility service or milestone to an item."""
    item = selectors.plan_item_get_for_user(user=request.user, pk=pk)
    plan = item.plan
    if not can_edit(request.user, plan):
        raise PermissionDenied()
    candidates = selectors.link_candidates(user=request.user, plan=plan)
    posted_kind = request.POST.get("kind") if request.method == "POST" else None
    forms = []
    for kind, label in LinkKind.choices:
        data = request.POST if posted_kind == kind else None
        form = LinkForm(
            data,
            choices=candidates[LinkKind(kind)],
            label=str(label),
            initial={"kind": kind},
            prefix=kind,
        )
        forms.append((kind, label, form))
        if data is not None and form.is_valid():
            try:
                target = selectors.link_target_for_user(
                    user=request.user, plan=plan, kind=kind, pk=form.cleaned_data["target"]
                )
                services.plan_item_link_add(
                    item=item,
                    kind=kind,
                    target=target,
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except TsunaguError as error:
                show_on_form(form, TsunaguError(str(error), field="target"))
            else:
                messages.success(request, _("「%(item)s」につなぎました。") % {"item": item})
                return redirect(_plan_url(plan) + f"#item-{item.pk}")
    return render(
        request,
        "plans/link_form.html",
        {"item": item, "plan": plan, "forms": forms},
    )


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.plan_link_get_for_user(user=request.user, pk=pk)
    plan = link.item.plan
    services.plan_item_link_remove(link=link, actor=request.user)
    messages.success(request, _("つながりを外しました。"))
    return redirect(_plan_url(plan) + f"#item-{link.item_id}")
