"""Pages of day plans (配車計画: run, transit check, manual moves, confirm) and the
driver sheet (運転者向けの行程表)."""

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

from tsunagu.core.errors import NotFound
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import raise_if_access
from tsunagu.core.jobs.models import JobStatus
from tsunagu.mobility.models import (
    DayPlan,
    MobilityService,
    PlannedStop,
)
from tsunagu.mobility.rides import coexistence, jobs, planning, privacy, selectors
from tsunagu.mobility.rides.forms import (
    MoveForm,
    PlanDateForm,
)
from tsunagu.mobility.rides.views.common import (
    WRITE_ERRORS,
    page_context,
    parse_date,
    require_rides,
    service_for,
)

# --- day plans ------------------------------------------------------------------------------------


def _plan_url(service: MobilityService, date: datetime.date) -> str:
    return reverse("mobility:day_plan", args=[service.pk, date.isoformat()])


def _move_form(
    plan: DayPlan | None, disclosure: privacy.Disclosure, data: Any = None
) -> MoveForm | None:
    """The manual-change form; its request choices show places as ``disclosure`` allows (the
    riders are those of the day, logged by the page that shows the form)."""
    if plan is None or plan.pk is None:
        return None
    routes = [(r.pk, f"{r.driver.name}（{r.vehicle.name}）") for r in plan.routes.all()]
    if not routes:
        return None
    rides = disclosure.rides(
        selectors.RideRequest.objects.filter(
            service=plan.service, trip_date=plan.date, status__in=planning.PLANNABLE
        )
        .select_related("rider__district")
        .order_by("pk")
    )
    choices = [
        (r.pk, f"{_('予約')} {r.pk}: {r.origin_label} → {r.destination_label}") for r in rides
    ]
    return MoveForm(data, requests=choices, routes=routes)


@login_required
def day_plan_pick(request: HttpRequest, service_id: int) -> HttpResponse:
    service = service_for(request, service_id)
    form = PlanDateForm(request.GET or None)
    if form.is_valid():
        return redirect(_plan_url(service, form.cleaned_data["date"]))
    return redirect(_plan_url(service, timezone.localdate()))


@login_required
def day_plan(
    request: HttpRequest, service_id: int, date: str, move_form: MoveForm | None = None
) -> HttpResponse:
    service = service_for(request, service_id)
    day = parse_date(date)
    if day is None:
        raise NotFound()
    plan = selectors.day_plan_for(user=request.user, service=service, date=day)
    rides = list(selectors.request_list_for_user(user=request.user, service=service, date=day))
    planned = [
        (route, sorted(route.stops.all(), key=lambda s: s.sequence))
        for route in (plan.routes.all() if plan else [])
    ]
    unserved_rows = list(plan.unserved.all()) if plan else []
    shown = (
        rides
        + [stop.request for _route, stops in planned for stop in stops]
        + [row.request for row in unserved_rows]
    )
    disclosure = privacy.disclose(
        user=request.user,
        service=service,
        riders=[r.rider for r in shown],
        purpose=f"配車計画（{day}）",
        path=request.path,
    )
    routes = [
        (route, [(stop, disclosure.ride(stop.request)) for stop in stops])
        for route, stops in planned
    ]
    return render(
        request,
        "mobility/day_plan.html",
        page_context(
            request,
            service,
            date=day,
            plan=plan,
            rides=disclosure.rides(rides),
            routes=routes,
            unserved=[(row.reason, disclosure.ride(row.request)) for row in unserved_rows],
            move_form=move_form or _move_form(plan, disclosure),
            date_form=PlanDateForm(initial={"date": day}),
            prev_day=day - datetime.timedelta(days=1),
            next_day=day + datetime.timedelta(days=1),
        ),
    )


@login_required
@require_POST
def day_plan_run(request: HttpRequest, service_id: int, date: str) -> HttpResponse:
    service = service_for(request, service_id)
    day = parse_date(date)
    if day is None:
        raise NotFound()
    require_rides(request, service)  # before enqueueing: a refusal leaves no job behind
    job = jobs.day_plan_job_start(service=service, date=day, actor=request.user)
    job.refresh_from_db()
    if job.status != JobStatus.DONE:  # the worker has it: its page shows progress, then the plan
        return redirect("jobs:detail", pk=job.pk)
    messages.success(
        request,
        _("配車計画を作成しました（運行 %(routes)d、配車できなかった予約 %(unserved)d）。")
        % {"routes": job.result["routes"], "unserved": job.result["unserved"]},
    )
    return redirect(_plan_url(service, day))


@login_required
@require_POST
def day_plan_transit(request: HttpRequest, service_id: int, date: str) -> HttpResponse:
    service = service_for(request, service_id)
    require_rides(request, service)
    day = parse_date(date)
    if day is None:
        raise NotFound()
    found = coexistence.mark_public_alternatives(service=service, date=day, actor=request.user)
    if found:
        numbers = selectors.RideRequest.objects.filter(
            service=service, trip_date=day, status__in=planning.PLANNABLE
        ).exclude(public_alternative="")
        messages.success(
            request,
            _(
                "路線バス・デマンド交通で行ける予約: %(n)d件（予約 %(ids)s）。"
                "下の「この日の予約」で便を確かめてください。"
            )
            % {
                "n": found,
                "ids": "、".join(str(pk) for pk in numbers.values_list("pk", flat=True)),
            },
        )
    else:
        messages.success(request, _("路線バス・デマンド交通で行ける予約はありませんでした。"))
    return redirect(_plan_url(service, day))


@login_required
@require_POST
def day_plan_move(request: HttpRequest, service_id: int, date: str) -> HttpResponse:
    service = service_for(request, service_id)
    require_rides(request, service)
    day = parse_date(date)
    plan = DayPlan.objects.filter(service=service, date=day).first() if day else None
    if plan is None:
        raise NotFound()
    form = _move_form(
        plan,
        privacy.disclose(user=request.user, service=service, riders=[], purpose=""),
        request.POST,
    )
    if form is None:
        raise NotFound()
    if form.is_valid():
        ride = selectors.request_get_for_user(
            user=request.user, request_id=form.cleaned_data["request"]
        )
        route = plan.routes.filter(pk=form.cleaned_data["route"]).first()
        if route is None:
            raise NotFound()
        try:
            planning.move_request(
                plan=plan,
                ride=ride,
                route=route,
                pickup_position=form.cleaned_data["pickup_position"],
                dropoff_position=form.cleaned_data["dropoff_position"],
                actor=request.user,
            )
        except WRITE_ERRORS as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("予約 %(n)s を動かしました。") % {"n": ride.pk})
            return redirect(_plan_url(service, plan.date))
    response = day_plan(request, service_id, plan.date.isoformat(), move_form=form)
    response.status_code = 400
    return response


@login_required
@require_POST
def day_plan_confirm(request: HttpRequest, service_id: int, date: str) -> HttpResponse:
    service = service_for(request, service_id)
    day = parse_date(date)
    plan = DayPlan.objects.filter(service=service, date=day).first() if day else None
    if plan is None:
        raise NotFound()
    planning.confirm_plan(plan=plan, actor=request.user)
    messages.success(request, _("配車計画を確定しました。"))
    return redirect(_plan_url(service, plan.date))


@login_required
def driver_sheet(request: HttpRequest, route_id: int) -> HttpResponse:
    """The A4 sheet a driver takes along (運転者用の送迎表); rider details only for allowed users."""
    route = selectors.route_get_for_user(user=request.user, route_id=route_id)
    service = route.plan.service
    stops = list(
        PlannedStop.objects.filter(route=route)
        .select_related("request__rider__district", "request__destination_organisation")
        .order_by("sequence")
    )
    disclosure = privacy.disclose(
        user=request.user,
        service=service,
        riders=[stop.request.rider for stop in stops],
        purpose=f"運転者用の送迎表の印刷（{route.plan.date}）",
        path=request.path,
    )
    return render(
        request,
        "mobility/driver_sheet.html",
        page_context(
            request,
            service,
            route=route,
            plan=route.plan,
            stops=[(stop, disclosure.ride(stop.request)) for stop in stops],
            show_names=disclosure.full,
            printed_at=timezone.localtime(),
        ),
    )
