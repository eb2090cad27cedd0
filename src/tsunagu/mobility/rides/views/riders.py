"""Pages of riders (利用会員): list, search, detail, register and edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.care.access import can_open_residents, residents_visible_to
from tsunagu.care.models import Resident
from tsunagu.core.errors import NotFound
from tsunagu.core.fields import fields_from
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import raise_if_access
from tsunagu.mobility.models import (
    MobilityService,
    Rider,
)
from tsunagu.mobility.permissions import (
    can_view_riders,
)
from tsunagu.mobility.rides import privacy, selectors, services
from tsunagu.mobility.rides.commands import RiderFields
from tsunagu.mobility.rides.consent import rider_consent_on
from tsunagu.mobility.rides.forms import (
    RiderForm,
    RiderSearchForm,
)
from tsunagu.mobility.rides.views.common import (
    WRITE_ERRORS,
    page_context,
    require_rides,
    service_for,
)

# --- riders ---------------------------------------------------------------------------------------


@login_required
def rider_list(request: HttpRequest, service_id: int) -> HttpResponse:
    service = service_for(request, service_id)
    if not can_view_riders(request.user, service):
        # Staff without the personal-data right see counts per district only.
        return render(
            request,
            "mobility/rider_counts.html",
            page_context(
                request, service, counts=selectors.rider_counts_by_district(service=service)
            ),
        )
    search = RiderSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    riders = list(
        selectors.rider_list_for_user(user=request.user, service=service, query=query)[:200]
    )
    for rider in riders:
        if rider.resident_id:  # shown only: the consent lives in the resident's record
            rider.consent_on = rider_consent_on(rider)
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
        page_context(request, service, search=search, riders=riders, query=query),
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
        page_context(
            request,
            rider.service,
            rider=rider,
            rides=rides,
            consent_on=rider_consent_on(rider),
            can_link=can_open_residents(request.user, rider.service.municipality_id),
        ),
    )


class ResidentLinkForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("住民"), queryset=Resident.objects.none())


@login_required
def rider_resident_link(request: HttpRequest, rider_id: int) -> HttpResponse:
    """Link the rider to the same person's care record: only for users with both rights (the
    choice lists residents through care's gate, so it shows nothing to anyone else)."""
    rider = selectors.rider_get_for_user(
        user=request.user,
        rider_id=rider_id,
        purpose="利用会員と住民の記録を結び付け",
        path=request.path,
        log=request.method == "GET",
    )
    if not can_open_residents(request.user, rider.service.municipality_id):
        raise NotFound()
    form = ResidentLinkForm(request.POST or None)
    choices = residents_visible_to(request.user).filter(
        municipality_id=rider.service.municipality_id, status="active"
    )
    form.fields["resident"].queryset = choices.exclude(
        pk__in=Rider.objects.filter(resident__isnull=False).values("resident_id")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rider_link_resident(
                rider=rider, resident=form.cleaned_data["resident"], actor=request.user
            )
        except WRITE_ERRORS as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("住民の記録と結び付けました。"))
            return redirect("mobility:rider_detail", rider.pk)
    return render(
        request,
        "mobility/form.html",
        page_context(
            request,
            rider.service,
            form=form,
            title=_("介護予防の住民の記録と結び付ける"),
            lead=_(
                "同じ人の記録を結び付けると、同意は住民の記録の「移動支援の利用」の同意になります。"
            ),
            cancel_url=reverse("mobility:rider_detail", args=[rider.pk]),
        ),
    )


@login_required
@require_POST
def rider_resident_unlink(request: HttpRequest, rider_id: int) -> HttpResponse:
    rider = selectors.rider_get_for_user(
        user=request.user,
        rider_id=rider_id,
        purpose="利用会員と住民の記録の結び付きを解除",
        path=request.path,
    )
    services.rider_unlink_resident(rider=rider, actor=request.user)
    messages.success(request, _("住民の記録との結び付きを解除しました。"))
    return redirect("mobility:rider_detail", rider.pk)


def _rider_form(request: HttpRequest, service: MobilityService, rider: Any = None) -> HttpResponse:
    require_rides(request, service)
    form = RiderForm(request.POST or None, instance=rider, service=service)
    if request.method == "POST" and form.is_valid():
        if rider is not None:
            rider.refresh_from_db()
        try:
            fields = fields_from(RiderFields, form.cleaned_data)
            saved = (
                services.rider_update(rider=rider, fields=fields, actor=request.user)
                if rider is not None
                else services.rider_create(service=service, fields=fields, actor=request.user)
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
        page_context(
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
    return _rider_form(request, service_for(request, service_id))


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
