"""Pages of ride requests: phone booking (電話受付), the confirmation, the day's list,
status changes and a request's history."""

from __future__ import annotations

import datetime

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
from tsunagu.core.history import history_entries
from tsunagu.core.http import raise_if_access
from tsunagu.mobility.rides import privacy, selectors, services
from tsunagu.mobility.rides.consent import rider_consent_on
from tsunagu.mobility.rides.forms import (
    BookingForm,
    RequestFilterForm,
    RiderSearchForm,
    StatusForm,
)
from tsunagu.mobility.rides.views.common import (
    WRITE_ERRORS,
    page_context,
    require_rides,
    service_for,
)

# --- phone booking (電話受付) ---------------------------------------------------------------------


@login_required
def book(request: HttpRequest, service_id: int) -> HttpResponse:
    """One page: find the rider, then the booking form prefilled with their home."""
    service = service_for(request, service_id)
    require_rides(request, service)
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
                    fields=form.request_fields(),
                    return_trip=form.return_fields(),
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
        page_context(
            request,
            service,
            search=search,
            query=query,
            matches=matches,
            rider=rider,
            form=form,
            consent_on=rider_consent_on(rider) if rider is not None else None,
        ),
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
        page_context(
            request, ride.service, ride=views[0], back=views[1] if len(views) > 1 else None
        ),
    )


# --- requests -------------------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest, service_id: int) -> HttpResponse:
    service = service_for(request, service_id)
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
        page_context(
            request, service, filters=filters, rides=rides, date=date, status_form=StatusForm()
        ),
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
