"""Pages of drivers (運転者: weekly hours and exceptions) and vehicles (車両: idle windows)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
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
from tsunagu.core.fields import fields_from
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import raise_if_access
from tsunagu.mobility.models import (
    DriverException,
    MobilityService,
)
from tsunagu.mobility.rides import planning, selectors, services
from tsunagu.mobility.rides.commands import DriverFields, VehicleFields
from tsunagu.mobility.rides.forms import (
    DriverExceptionForm,
    DriverForm,
    SlotFormSet,
    VehicleForm,
    slot_initial,
    slots_from,
)
from tsunagu.mobility.rides.views.common import (
    WRITE_ERRORS,
    page_context,
    require_edit,
    service_for,
)

# --- drivers --------------------------------------------------------------------------------------


@login_required
def driver_list(request: HttpRequest, service_id: int) -> HttpResponse:
    service = service_for(request, service_id)
    today = timezone.localdate()
    rows = [
        (d, selectors.driver_reminders(d, today))
        for d in service.drivers.prefetch_related("availability", "own_vehicles")
    ]
    return render(
        request, "mobility/driver_list.html", page_context(request, service, rows=rows, today=today)
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
        page_context(
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
        page_context(request, service, form=form, formset=formset, **context),
    )


def _driver_form(
    request: HttpRequest, service: MobilityService, driver: Any = None
) -> HttpResponse:
    require_edit(request, service)
    return _form_with_weekly_slots(
        request,
        service,
        form=DriverForm(request.POST or None, instance=driver),
        record=driver,
        slots=driver.availability.all() if driver else [],
        save=lambda data, slots: (
            services.driver_update(
                driver=driver,
                fields=fields_from(DriverFields, data),
                availability=slots,
                actor=request.user,
            )
            if driver
            else services.driver_create(
                service=service,
                fields=fields_from(DriverFields, data),
                availability=slots,
                actor=request.user,
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
    return _driver_form(request, service_for(request, service_id))


@login_required
def driver_edit(request: HttpRequest, driver_id: int) -> HttpResponse:
    driver = selectors.driver_get_for_user(user=request.user, driver_id=driver_id)
    return _driver_form(request, driver.service, driver)


@login_required
def driver_exception_add(request: HttpRequest, driver_id: int) -> HttpResponse:
    driver = selectors.driver_get_for_user(user=request.user, driver_id=driver_id)
    require_edit(request, driver.service)
    form = DriverExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.driver_exception_add(driver=driver, actor=request.user, **form.cleaned_data)
        except WRITE_ERRORS as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("例外の日を登録しました。"))
            return redirect("mobility:driver_detail", driver.pk)
    return render(
        request,
        "mobility/form.html",
        page_context(
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
    service = service_for(request, service_id)
    today = timezone.localdate()
    rows = [
        (v, selectors.vehicle_reminders(v, today))
        for v in service.vehicles.select_related(
            "owner_driver", "owner_organisation"
        ).prefetch_related("idle_windows")
    ]
    return render(request, "mobility/vehicle_list.html", page_context(request, service, rows=rows))


def _vehicle_form(
    request: HttpRequest, service: MobilityService, vehicle: Any = None
) -> HttpResponse:
    require_edit(request, service)
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
                vehicle=vehicle,
                fields=fields_from(VehicleFields, data),
                idle_windows=slots,
                actor=request.user,
            )
            if vehicle
            else services.vehicle_create(
                service=service,
                fields=fields_from(VehicleFields, data),
                idle_windows=slots,
                actor=request.user,
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
    return _vehicle_form(request, service_for(request, service_id))


@login_required
def vehicle_edit(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = selectors.vehicle_get_for_user(user=request.user, vehicle_id=vehicle_id)
    return _vehicle_form(request, vehicle.service, vehicle)
