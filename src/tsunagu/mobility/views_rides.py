"""Pages of mobility support (移動支援): services, drivers, vehicles, riders, phone booking,
ride requests, day plans and driver sheets.

Thin on purpose: parse, call a selector or a service (or :mod:`tsunagu.mobility.planning`),
render. Out-of-scope objects raise NotFound (404), writes without rights PermissionDenied (403);
the domain-error middleware turns both into responses.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
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

from tsunagu.accounts.scope import municipalities_editable_to, scope_for
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.history import history_entries
from tsunagu.core.http import raise_if_access
from tsunagu.mobility import coexistence, planning, privacy, selectors, services
from tsunagu.mobility.forms import (
    BookingForm,
    DriverExceptionForm,
    DriverForm,
    MoveForm,
    PilotForm,
    PlanDateForm,
    RequestFilterForm,
    RiderForm,
    RiderSearchForm,
    ServiceForm,
    SlotFormSet,
    StatusForm,
    VehicleForm,
    slot_initial,
    slots_from,
)
from tsunagu.mobility.models import (
    DayPlan,
    DriverException,
    MobilityService,
    PlannedStop,
    RideStatus,
)
from tsunagu.mobility.permissions import (
    can_edit_service,
    can_manage_rides,
    can_view_riders,
)

WRITE_ERRORS = (ValidationError, TsunaguError)


def _service(request: HttpRequest, service_id: int) -> MobilityService:
    return selectors.service_get_for_user(user=request.user, service_id=service_id)


def _require_edit(request: HttpRequest, service: MobilityService) -> None:
    if not can_edit_service(request.user, service):
        raise PermissionDenied()


def _require_rides(request: HttpRequest, service: MobilityService) -> None:
    if not can_manage_rides(request.user, service):
        raise PermissionDenied(_("送迎の受付をする権限がありません。"))


def _parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def _ctx(request: HttpRequest, service: MobilityService, **extra: Any) -> dict[str, Any]:
    return {
        "service": service,
        "can_edit": can_edit_service(request.user, service),
        "can_rides": can_manage_rides(request.user, service),
        "show_names": can_view_riders(request.user, service),
        **extra,
    }


def _section_links() -> list[tuple[str, str]]:
    """Links to the other mobility sections (surveys, legal check, transit, gap analysis)."""
    return [
        (reverse("mobility_surveys:list"), _("移動のニーズ調査")),
        (reverse("mobility_legal:check"), _("道路運送法のチェック")),
        (reverse("transit:feed_list"), _("路線バス・デマンド交通の時刻表（GTFS）")),
        (reverse("transit:coexistence"), _("公共交通との共存の確認")),
        (reverse("transit_gap:analysis"), _("交通空白の分析")),
    ]


# --- landing and services ---------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    service_rows = [
        {
            "service": s,
            "can_rides": can_manage_rides(user, s),
            "can_edit": can_edit_service(user, s),
        }
        for s in selectors.service_list_visible_to(user=user)
    ]
    scope = scope_for(user)
    can_create = scope.is_system_admin or bool(scope.editable_municipality_ids)
    return render(
        request,
        "mobility/home.html",
        {
            "rows": service_rows,
            "sections": _section_links(),
            "can_create": can_create,
            "today": timezone.localdate(),
        },
    )


@login_required
def service_create(request: HttpRequest) -> HttpResponse:
    municipalities = municipalities_editable_to(request.user)
    chosen = municipalities.filter(pk=request.GET.get("municipality") or 0).first()
    if chosen is None and municipalities.count() == 1:
        chosen = municipalities.first()
    if chosen is None:
        if not municipalities.exists():
            raise PermissionDenied()
        return render(
            request, "mobility/municipality_choice.html", {"municipalities": municipalities}
        )
    form = ServiceForm(request.POST or None, user=request.user, municipality=chosen)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data, municipality=chosen)
        try:
            service = services.service_create(data=data, actor=request.user)
        except WRITE_ERRORS as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("取組を登録しました。"))
            return redirect("mobility:service_detail", service.pk)
    return render(
        request,
        "mobility/form.html",
        {
            "form": form,
            "title": _("移動支援の取組を登録"),
            "lead": chosen.name,
            "cancel_url": reverse("mobility:home"),
        },
    )


@login_required
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service(request, service_id)
    today = timezone.localdate()
    drivers = list(service.drivers.all())
    vehicles = list(service.vehicles.select_related("owner_driver", "owner_organisation"))
    context = _ctx(
        request,
        service,
        events=service.events.all(),
        drivers=[(d, selectors.driver_reminders(d, today)) for d in drivers],
        vehicles=[(v, selectors.vehicle_reminders(v, today)) for v in vehicles],
        rider_counts=selectors.rider_counts_by_district(service=service),
        plans=service.day_plans.all()[:10],
        today=today,
        pilot_form=PilotForm(),
    )
    return render(request, "mobility/service_detail.html", context)


@login_required
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service(request, service_id)
    _require_edit(request, service)
    form = ServiceForm(
        request.POST or None, instance=service, user=request.user, municipality=service.municipality
    )
    if request.method == "POST" and form.is_valid():
        service.refresh_from_db()
        try:
            services.service_update(
                service=service, data=dict(form.cleaned_data), actor=request.user
            )
        except WRITE_ERRORS as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("取組を保存しました。"))
            return redirect("mobility:service_detail", service.pk)
    return render(
        request,
        "mobility/form.html",
        {
            "form": form,
            "title": _("取組を編集"),
            "service": service,
            "cancel_url": reverse("mobility:service_detail", args=[service.pk]),
        },
    )


@login_required
def service_history(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service(request, service_id)
    return render(
        request,
        "core/history.html",
        {
            "object": service,
            "entries": history_entries(service, user=request.user),
            "back_url": reverse("mobility:service_detail", args=[service.pk]),
        },
    )


@login_required
def pilot_add(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service(request, service_id)
    _require_edit(request, service)
    form = PilotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_add(service=service, data=form.cleaned_data, actor=request.user)
        except WRITE_ERRORS as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("実証実験・講座を記録しました。"))
            return redirect("mobility:service_detail", service.pk)
    return render(
        request,
        "mobility/form.html",
        {
            "form": form,
            "title": _("実証実験・講座を記録"),
            "service": service,
            "cancel_url": reverse("mobility:service_detail", args=[service.pk]),
        },
    )


# --- drivers --------------------------------------------------------------------------------------


@login_required
def driver_list(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service(request, service_id)
    today = timezone.localdate()
    rows = [
        (d, selectors.driver_reminders(d, today))
        for d in service.drivers.prefetch_related("availability", "own_vehicles")
    ]
    return render(
        request, "mobility/driver_list.html", _ctx(request, service, rows=rows, today=today)
    )


@login_required
def driver_detail(request: HttpRequest, driver_id: int) -> HttpResponse:
    driver = selectors.driver_get_for_user(user=request.user, driver_id=driver_id)
    service = driver.service
    today = timezone.localdate()
    upcoming = [
        (day, planning.windows_text(planning.driver_windows(driver, day)))
        for day in (today + datetime.timedelta(days=i) for i in range(14))
    ]
    return render(
        request,
        "mobility/driver_detail.html",
        _ctx(
            request,
            service,
            driver=driver,
            reminders=selectors.driver_reminders(driver, today),
            upcoming=upcoming,
            exceptions=driver.exceptions.filter(date__gte=today - datetime.timedelta(days=30)),
            exception_form=DriverExceptionForm(),
        ),
    )


def _form_with_weekly_slots(
    request: HttpRequest,
    service: MobilityService,
    *,
    form: Any,
    record: Any,
    slots: Any,
    save: Callable[[dict[str, Any], list[Any]], Any],
    saved_message: str,
    next_url: Callable[[Any], str],
    **context: Any,
) -> HttpResponse:
    """The driver and vehicle forms: the record's fields and its weekly time slots, saved
    together by ``save(data, slots)``; the form keeps what was typed on an error."""
    initial = slot_initial(slots) if record else []
    formset = SlotFormSet(request.POST or None, initial=initial, prefix="slots")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        if record is not None:
            record.refresh_from_db()
        try:
            saved = save(dict(form.cleaned_data), slots_from(formset))
        except WRITE_ERRORS as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, saved_message)
            return redirect(next_url(saved))
    return render(
        request,
        "mobility/driver_form.html",
        _ctx(request, service, form=form, formset=formset, **context),
    )


def _driver_form(
    request: HttpRequest, service: MobilityService, driver: Any = None
) -> HttpResponse:
    _require_edit(request, service)
    return _form_with_weekly_slots(
        request,
        service,
        form=DriverForm(request.POST or None, instance=driver),
        record=driver,
        slots=driver.availability.all() if driver else [],
        save=lambda data, slots: (
            services.driver_update(driver=driver, data=data, availability=slots, actor=request.user)
            if driver
            else services.driver_create(
                service=service, data=data, availability=slots, actor=request.user
            )
        ),
        saved_message=_("運転者を保存しました。"),
        next_url=lambda saved: reverse("mobility:driver_detail", args=[saved.pk]),
        driver=driver,
        title=_("運転者を編集") if driver else _("運転者を登録"),
        slots_legend=_("運転できる曜日と時間（毎週）"),
    )


@login_required
def driver_create(request: HttpRequest, service_id: int) -> HttpResponse:
    return _driver_form(request, _service(request, service_id))


@login_required
def driver_edit(request: HttpRequest, driver_id: int) -> HttpResponse:
    driver = selectors.driver_get_for_user(user=request.user, driver_id=driver_id)
    return _driver_form(request, driver.service, driver)


@login_required
def driver_exception_add(request: HttpRequest, driver_id: int) -> HttpResponse:
    driver = selectors.driver_get_for_user(user=request.user, driver_id=driver_id)
    _require_edit(request, driver.service)
    form = DriverExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.driver_exception_add(driver=driver, data=form.cleaned_data, actor=request.user)
        except WRITE_ERRORS as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("例外の日を登録しました。"))
            return redirect("mobility:driver_detail", driver.pk)
    return render(
        request,
        "mobility/form.html",
        _ctx(
            request,
            driver.service,
            form=form,
            title=_("運転できる時間帯の例外を登録"),
            lead=driver.name,
            cancel_url=reverse("mobility:driver_detail", args=[driver.pk]),
        ),
    )


@login_required
@require_POST
def driver_exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    exception = DriverException.objects.select_related("driver__service").filter(pk=pk).first()
    if exception is None:
        raise NotFound()
    driver = selectors.driver_get_for_user(user=request.user, driver_id=exception.driver_id)
    services.driver_exception_delete(exception=exception, actor=request.user)
    messages.success(request, _("例外の日を削除しました。"))
    return redirect("mobility:driver_detail", driver.pk)


# --- vehicles -------------------------------------------------------------------------------------


@login_required
def vehicle_list(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service(request, service_id)
    today = timezone.localdate()
    rows = [
        (v, selectors.vehicle_reminders(v, today))
        for v in service.vehicles.select_related(
            "owner_driver", "owner_organisation"
        ).prefetch_related("idle_windows")
    ]
    return render(request, "mobility/vehicle_list.html", _ctx(request, service, rows=rows))


def _vehicle_form(
    request: HttpRequest, service: MobilityService, vehicle: Any = None
) -> HttpResponse:
    _require_edit(request, service)
    return _form_with_weekly_slots(
        request,
        service,
        form=VehicleForm(
            request.POST or None, instance=vehicle, user=request.user, service=service
        ),
        record=vehicle,
        slots=vehicle.idle_windows.all() if vehicle else [],
        save=lambda data, slots: (
            services.vehicle_update(
                vehicle=vehicle, data=data, idle_windows=slots, actor=request.user
            )
            if vehicle
            else services.vehicle_create(
                service=service, data=data, idle_windows=slots, actor=request.user
            )
        ),
        saved_message=_("車両を保存しました。"),
        next_url=lambda saved: reverse("mobility:vehicle_list", args=[service.pk]),
        vehicle=vehicle,
        title=_("車両を編集") if vehicle else _("車両を登録"),
        slots_legend=_("団体の車両の空き時間（毎週）"),
        slots_help=_(
            "団体の車両を使える曜日と時間。自家用車は運転者の時間帯で使うので空欄でかまいません。"
        ),
    )


@login_required
def vehicle_create(request: HttpRequest, service_id: int) -> HttpResponse:
    return _vehicle_form(request, _service(request, service_id))


@login_required
def vehicle_edit(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = selectors.vehicle_get_for_user(user=request.user, vehicle_id=vehicle_id)
    return _vehicle_form(request, vehicle.service, vehicle)


# --- riders ---------------------------------------------------------------------------------------


@login_required
def rider_list(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service(request, service_id)
    if not can_view_riders(request.user, service):
        # Staff without the personal-data right see counts per district only.
        return render(
            request,
            "mobility/rider_counts.html",
            _ctx(request, service, counts=selectors.rider_counts_by_district(service=service)),
        )
    search = RiderSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    riders = list(
        selectors.rider_list_for_user(user=request.user, service=service, query=query)[:200]
    )
    privacy.disclose(
        user=request.user,
        service=service,
        riders=riders,
        purpose="利用会員の一覧",
        path=request.get_full_path(),
    )
    return render(
        request,
        "mobility/rider_list.html",
        _ctx(request, service, search=search, riders=riders, query=query),
    )


@login_required
def rider_detail(request: HttpRequest, rider_id: int) -> HttpResponse:
    rider = selectors.rider_get_for_user(
        user=request.user, rider_id=rider_id, purpose="利用会員の確認", path=request.path
    )
    # Already logged by rider_get_for_user: the rides are the same rider's.
    disclosure = privacy.disclose(
        user=request.user, service=rider.service, riders=[rider], purpose="", log=False
    )
    rides = disclosure.rides(
        rider.requests.select_related("rider__district").order_by("-trip_date", "-pk")[:20]
    )
    return render(
        request,
        "mobility/rider_detail.html",
        _ctx(request, rider.service, rider=rider, rides=rides),
    )


def _rider_form(request: HttpRequest, service: MobilityService, rider: Any = None) -> HttpResponse:
    _require_rides(request, service)
    form = RiderForm(request.POST or None, instance=rider, service=service)
    if request.method == "POST" and form.is_valid():
        if rider is not None:
            rider.refresh_from_db()
        try:
            data = dict(form.cleaned_data)
            saved = (
                services.rider_update(rider=rider, data=data, actor=request.user)
                if rider is not None
                else services.rider_create(service=service, data=data, actor=request.user)
            )
        except WRITE_ERRORS as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("利用会員を保存しました。"))
            if request.POST.get("next") == "book":
                return redirect(reverse("mobility:book", args=[service.pk]) + f"?rider={saved.pk}")
            return redirect("mobility:rider_detail", saved.pk)
    return render(
        request,
        "mobility/form.html",
        _ctx(
            request,
            service,
            form=form,
            title=_("利用会員を編集") if rider else _("利用会員を登録"),
            lead=_("氏名・連絡先・心身の状況は個人情報です。必要なことだけ書きます。"),
            next_value=request.GET.get("next") or request.POST.get("next") or "",
            cancel_url=reverse("mobility:rider_detail", args=[rider.pk])
            if rider
            else reverse("mobility:rider_list", args=[service.pk]),
        ),
    )


@login_required
def rider_create(request: HttpRequest, service_id: int) -> HttpResponse:
    return _rider_form(request, _service(request, service_id))


@login_required
def rider_edit(request: HttpRequest, rider_id: int) -> HttpResponse:
    rider = selectors.rider_get_for_user(
        user=request.user,
        rider_id=rider_id,
        purpose="利用会員の編集",
        path=request.path,
        log=request.method == "GET",
    )
    return _rider_form(request, rider.service, rider)


# --- phone booking (電話受付) ---------------------------------------------------------------------


@login_required
def book(request: HttpRequest, service_id: int) -> HttpResponse:
    """One page: find the rider, then the booking form prefilled with their home."""
    service = _service(request, service_id)
    _require_rides(request, service)
    search = RiderSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    rider_id = request.POST.get("rider") or request.GET.get("rider")
    rider = None
    if rider_id and str(rider_id).isdigit():
        rider = selectors.rider_get_for_user(
            user=request.user, rider_id=int(rider_id), purpose="電話受付", path=request.path
        )
        if rider.service_id != service.pk:
            raise NotFound()
    matches = (
        selectors.rider_list_for_user(user=request.user, service=service, query=query)[:20]
        if query and rider is None
        else []
    )
    form = None
    if rider is not None:
        initial = {
            "trip_date": timezone.localdate() + datetime.timedelta(days=1),
            "wheelchair": rider.uses_wheelchair,
            "mobility_aids": rider.mobility_aids,
            "origin_is_home": rider.home_latitude is not None,
        }
        form = BookingForm(
            request.POST or None, initial=initial, user=request.user, service=service, rider=rider
        )
        if request.method == "POST" and form.is_valid():
            try:
                outbound, _back = services.ride_book(
                    service=service,
                    rider=rider,
                    data=form.request_data(),
                    return_data=form.return_data(),
                    actor=request.user,
                )
            except WRITE_ERRORS as error:
                raise_if_access(error)
                apply_validation_error(form, error)
            else:
                return redirect("mobility:request_confirmation", outbound.pk)
    return render(
        request,
        "mobility/book.html",
        _ctx(request, service, search=search, query=query, matches=matches, rider=rider, form=form),
    )


@login_required
def request_confirmation(request: HttpRequest, request_id: int) -> HttpResponse:
    ride = selectors.request_get_for_user(user=request.user, request_id=request_id)
    back = getattr(ride, "return_trip", None) if hasattr(ride, "return_trip") else None
    _disclosure, views = privacy.disclose_rides(
        user=request.user,
        service=ride.service,
        rides=[r for r in (ride, back) if r is not None],
        purpose="予約内容の読み上げ",
        path=request.path,
    )
    return render(
        request,
        "mobility/request_confirmation.html",
        _ctx(request, ride.service, ride=views[0], back=views[1] if len(views) > 1 else None),
    )


# --- requests -------------------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service(request, service_id)
    filters = RequestFilterForm(request.GET or None)
    date = timezone.localdate()
    status = ""
    if filters.is_valid():
        date = filters.cleaned_data["date"] or date
        status = filters.cleaned_data["status"]
    else:
        filters = RequestFilterForm(initial={"date": date})
    _disclosure, rides = privacy.disclose_rides(
        user=request.user,
        service=service,
        rides=selectors.request_list_for_user(
            user=request.user, service=service, date=date, status=status
        ),
        purpose=f"送迎の予約一覧（{date}）",
        path=request.get_full_path(),
    )
    return render(
        request,
        "mobility/request_list.html",
        _ctx(request, service, filters=filters, rides=rides, date=date, status_form=StatusForm()),
    )


@login_required
@require_POST
def request_status(request: HttpRequest, request_id: int) -> HttpResponse:
    ride = selectors.request_get_for_user(user=request.user, request_id=request_id)
    form = StatusForm(request.POST)
    back = (
        reverse("mobility:request_list", args=[ride.service_id])
        + f"?date={ride.trip_date.isoformat()}"
    )
    if form.is_valid():
        try:
            services.ride_set_status(
                ride=ride,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except WRITE_ERRORS as error:
            raise_if_access(error)
            messages.error(
                request,
                _("予約 %(n)s: %(msg)s") % {"n": ride.pk, "msg": getattr(error, "message", error)},
            )
        else:
            messages.success(
                request,
                _("予約 %(n)s の状況を「%(s)s」にしました。")
                % {"n": ride.pk, "s": ride.get_status_display()},
            )
    else:
        messages.error(request, _("予約 %(n)s: 状況の変更を選んでください。") % {"n": ride.pk})
    return redirect(back)


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
    service = _service(request, service_id)
    form = PlanDateForm(request.GET or None)
    if form.is_valid():
        return redirect(_plan_url(service, form.cleaned_data["date"]))
    return redirect(_plan_url(service, timezone.localdate()))


@login_required
def day_plan(
    request: HttpRequest, service_id: int, date: str, move_form: MoveForm | None = None
) -> HttpResponse:
    service = _service(request, service_id)
    day = _parse_date(date)
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
        _ctx(
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
    service = _service(request, service_id)
    day = _parse_date(date)
    if day is None:
        raise NotFound()
    plan = planning.plan_day(service=service, date=day, actor=request.user)
    # Mark the requests a bus or demand trip could serve, so staff see it next to the plan.
    coexistence.mark_public_alternatives(service=service, date=day, actor=request.user)
    messages.success(
        request,
        _("配車計画を作成しました（運行 %(routes)d、配車できなかった予約 %(unserved)d）。")
        % {"routes": plan.routes.count(), "unserved": plan.unserved.count()},
    )
    return redirect(_plan_url(service, day))


@login_required
@require_POST
def day_plan_transit(request: HttpRequest, service_id: int, date: str) -> HttpResponse:
    service = _service(request, service_id)
    _require_rides(request, service)
    day = _parse_date(date)
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
    service = _service(request, service_id)
    _require_rides(request, service)
    day = _parse_date(date)
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
    service = _service(request, service_id)
    day = _parse_date(date)
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
        _ctx(
            request,
            service,
            route=route,
            plan=route.plan,
            stops=[(stop, disclosure.ride(stop.request)) for stop in stops],
            show_names=disclosure.full,
            printed_at=timezone.localtime(),
        ),
    )


@login_required
def request_history(request: HttpRequest, request_id: int) -> HttpResponse:
    ride = selectors.request_get_for_user(user=request.user, request_id=request_id)
    disclosure = privacy.disclose(
        user=request.user,
        service=ride.service,
        riders=[ride.rider],
        purpose="送迎の予約の履歴",
        path=request.path,
    )
    return render(
        request,
        "core/history.html",
        {
            "object": disclosure.ride(ride),
            "entries": history_entries(ride, user=request.user, field_mask=disclosure.field),
            "back_url": reverse("mobility:request_list", args=[ride.service_id])
            + f"?date={ride.trip_date.isoformat()}",
        },
    )


RIDE_STATUS_FINAL = (RideStatus.COMPLETED, RideStatus.CANCELLED, RideStatus.UNSERVED)
