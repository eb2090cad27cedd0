"""Pages of the 道路運送法 check: guided questions, the result, saving it on a service, and
the cost-sharing calculator (費用の分担の計算).

The check itself is :mod:`tsunagu.mobility.legal.check` (the same code as the CLI and the API);
saving goes through :mod:`tsunagu.mobility.legal.services` (edit rights, history).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.core import wareki
from tsunagu.core.errors import TsunaguError
from tsunagu.mobility.legal import check as legal
from tsunagu.mobility.legal import services as legal_services
from tsunagu.mobility.legal.forms import CostShareForm, LegalCheckForm


def _service_from_query(request: HttpRequest) -> Any:
    raw = request.GET.get("service") or request.POST.get("service")
    if not raw:
        return None
    try:
        service_id = int(raw)
    except ValueError:
        return None
    return legal_services.service_get_for_user(user=request.user, service_id=service_id)


@login_required
def check(request: HttpRequest) -> HttpResponse:
    """The guided form; once answered (GET, so the result can be bookmarked and printed)."""
    service = _service_from_query(request)
    answered = any(key in request.GET for key in legal.PLAN_KEYS)
    if answered:
        form = LegalCheckForm(request.GET)
        # "edit" comes from the result page's "答えを直す": show the answers again, not the result.
        if "edit" not in request.GET and form.is_valid():
            plan = form.plan()
            result = legal.check_plan(plan)
            editable = legal_services.services_editable_by(user=request.user)
            return render(
                request,
                "mobility/legal/result.html",
                {
                    "result": result,
                    "plan_rows": _plan_rows(plan),
                    "plan": plan,
                    "editable_services": editable,
                    # Preselect the scheme the user came from, if they may save on it.
                    "selected_service": service if service in editable else None,
                    "checked_on": timezone.localdate(),
                },
            )
    else:
        initial: dict[str, Any] = {}
        if service is not None:
            initial["service_kind"] = service.service_kind
            if service.legal_plan:
                initial.update(LegalCheckForm.initial_from_plan(service.legal_plan))
        form = LegalCheckForm(initial=initial)
    return render(request, "mobility/legal/check.html", {"form": form, "service": service})


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    """Store the checked plan on a service the user may edit (403 otherwise)."""
    service = _service_from_query(request)
    form = LegalCheckForm(request.POST)
    if service is None or not form.is_valid():
        messages.error(request, _("保存する取組と、すべての質問への答えが必要です。"))
        query = request.POST.copy()
        query.pop("csrfmiddlewaretoken", None)
        return redirect(reverse("mobility_legal:check") + "?" + query.urlencode())
    try:
        legal_services.service_legal_check_save(
            service=service, plan=form.plan(), actor=request.user
        )
    except TsunaguError as exc:
        if exc.code in {"permission_denied", "not_found"}:
            raise
        messages.error(request, exc.message)
        return redirect("mobility_legal:check")
    messages.success(
        request, _("「%(name)s」に確認の結果を保存しました。") % {"name": service.name}
    )
    return redirect("mobility_legal:service", service_id=service.pk)


@login_required
def service_result(request: HttpRequest, service_id: int) -> HttpResponse:
    """The result saved on a service (read by everyone who sees the service)."""
    service = legal_services.service_get_for_user(user=request.user, service_id=service_id)
    result = service.legal_result or None
    return render(
        request,
        "mobility/legal/service_result.html",
        {
            "service": service,
            "result": result,
            "plan_rows": _plan_rows(service.legal_plan) if service.legal_plan else [],
            "can_edit": legal_services.can_edit_service(request.user, service),
        },
    )


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    """費用の分担の計算: the actual cost of one ride and the most each rider may be asked."""
    share = None
    if "distance_km" in request.GET:
        form = CostShareForm(request.GET)
        if form.is_valid():
            try:
                share = form.compute()
            except legal.LegalPlanError as exc:
                for problem in exc.problems:
                    form.add_error(None, problem.message)
    else:
        form = CostShareForm()
    return render(request, "mobility/legal/calculator.html", {"form": form, "share": share})


def _plan_rows(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """The answers in words, for the result page."""
    rows: list[tuple[str, str]] = []
    labels = {
        "rider_payment": dict(legal.RIDER_PAYMENTS),
        "subsidy_covers": dict(legal.SUBSIDY_COVERS),
        "vehicle": dict(legal.VEHICLES),
        "operator_type": dict(legal.OPERATOR_TYPES),
        "service_kind": dict(legal.SERVICE_KINDS),
    }
    for key, label in legal.PLAN_KEYS.items():
        value = plan.get(key)
        if key == "actual_cost_items":
            text = "、".join(legal.COST_ITEMS.get(i, i) for i in value or []) or _("なし")
        elif key == "trip_date":
            try:
                text = wareki.format_date(datetime.date.fromisoformat(str(value)), "wareki")
            except ValueError:
                text = str(value or "")
        else:
            text = labels[key].get(value, str(value))
        rows.append((label, text))
    return rows
