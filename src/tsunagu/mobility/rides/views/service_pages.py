"""Pages of mobility services (移動支援の取組): the landing page, creating, editing and the
history of a service, and recording a pilot or course."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import municipalities_editable_to, scope_for
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.fields import fields_from
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.history import history_entries
from tsunagu.core.http import raise_if_access
from tsunagu.mobility.permissions import (
    can_edit_service,
    can_manage_rides,
)
from tsunagu.mobility.rides import selectors, services
from tsunagu.mobility.rides.commands import PilotFields, ServiceFields
from tsunagu.mobility.rides.forms import (
    PilotForm,
    ServiceForm,
)
from tsunagu.mobility.rides.views.common import (
    WRITE_ERRORS,
    page_context,
    require_edit,
    section_links,
    service_for,
)

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
            "sections": section_links(),
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
        fields = fields_from(ServiceFields, dict(form.cleaned_data, municipality=chosen))
        try:
            service = services.service_create(fields=fields, actor=request.user)
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
    service = service_for(request, service_id)
    today = timezone.localdate()
    drivers = list(service.drivers.all())
    vehicles = list(service.vehicles.select_related("owner_driver", "owner_organisation"))
    context = page_context(
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
    service = service_for(request, service_id)
    require_edit(request, service)
    form = ServiceForm(
        request.POST or None, instance=service, user=request.user, municipality=service.municipality
    )
    if request.method == "POST" and form.is_valid():
        service.refresh_from_db()
        try:
            services.service_update(
                service=service,
                fields=fields_from(ServiceFields, form.cleaned_data),
                actor=request.user,
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
    service = service_for(request, service_id)
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
    service = service_for(request, service_id)
    require_edit(request, service)
    form = PilotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_add(
                service=service,
                fields=fields_from(PilotFields, form.cleaned_data),
                actor=request.user,
            )
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
