from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.accounts.permissions import can_create_municipality, can_edit_area, can_view
from tsunagu.areas import selectors, services
from tsunagu.areas.forms import (
    DistrictFormMixin,
    MunicipalityCreateForm,
    StatisticsSnapshotForm,
    area_form_class,
)
from tsunagu.areas.models import AreaBase, Municipality, Prefecture, StatisticsSnapshot
from tsunagu.areas.services import AreaFields, SnapshotFields
from tsunagu.core.errors import NotFound, PermissionDenied
from tsunagu.core.fields import fields_from
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.history import history_entries


def _area_url(area: AreaBase) -> str:
    return reverse("areas:detail", args=[area.kind, area.pk])  # type: ignore[attr-defined]


def _breadcrumbs(area: AreaBase) -> list[AreaBase]:
    chain: list[AreaBase] = []
    current: AreaBase | None = area
    while current is not None:
        chain.insert(0, current)
        if isinstance(current, Municipality):
            current = current.prefecture
        elif isinstance(current, Prefecture):
            current = None
        else:
            current = getattr(current, "daily_life_area", None) or current.municipality  # type: ignore[attr-defined]
    return chain


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "areas/area_list.html",
        {
            "prefectures": selectors.prefecture_summaries_for(user=request.user),
            "municipalities": selectors.municipality_summaries_for(user=request.user),
        },
    )


@login_required
def area_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    area = selectors.area_get_for_user(user=request.user, kind=kind, pk=pk)
    snapshots = list(selectors.snapshots_of_area(area))
    return render(
        request,
        "areas/area_detail.html",
        {
            "area": area,
            "kind": kind,
            "breadcrumbs": [c for c in _breadcrumbs(area)[:-1] if can_view(request.user, c)],
            "snapshots": snapshots,
            "sub_areas": selectors.sub_areas_of(area),
            "inconsistencies": selectors.inconsistencies_of_area(area),
            "can_edit": can_edit_area(request.user, area),
            "can_add_municipality": isinstance(area, Prefecture)
            and can_create_municipality(request.user, area),
        },
    )


@login_required
def area_history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    area = selectors.area_get_for_user(user=request.user, kind=kind, pk=pk)
    return render(
        request,
        "core/history.html",
        {
            "object": area,
            "entries": history_entries(area, user=request.user),
            "back_url": _area_url(area),
        },
    )


@login_required
def area_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    area = selectors.area_get_for_user(user=request.user, kind=kind, pk=pk)
    if not can_edit_area(request.user, area):
        raise PermissionDenied()
    form_class = area_form_class(type(area))
    # Bind to a fresh copy so a failed save cannot leak typed values into ``area``.
    fresh = type(area)._default_manager.get(pk=area.pk)
    form = form_class(request.POST or None, instance=fresh)
    if hasattr(area, "municipality") and not isinstance(area, Municipality):
        DistrictFormMixin.restrict(form, area.municipality)  # type: ignore[attr-defined]
    return _area_form_page(
        request,
        form,
        area=area,
        title=_("区域の編集"),
        done=_("保存しました。"),
        save=lambda data: services.area_update(
            area=area, fields=fields_from(AreaFields, data), actor=request.user
        ),
    )


@login_required
def sub_area_create(request: HttpRequest, pk: int, sub: str) -> HttpResponse:
    municipality = selectors.area_get_for_user(user=request.user, kind="municipality", pk=pk)
    assert isinstance(municipality, Municipality)
    if sub not in ("daily_life_area", "district"):
        raise NotFound()
    if not can_edit_area(request.user, municipality):
        raise PermissionDenied()
    model = selectors.AREA_MODELS[sub]
    form = area_form_class(model)(request.POST or None, instance=model(municipality=municipality))
    DistrictFormMixin.restrict(form, municipality)
    return _area_form_page(
        request,
        form,
        area=municipality,
        title=_("%(kind)sの追加") % {"kind": model._meta.verbose_name},
        done=_("登録しました。"),
        save=lambda data: services.sub_area_create(
            municipality=municipality,
            kind=sub,
            fields=fields_from(AreaFields, data),
            actor=request.user,
        ),
    )


@login_required
def municipality_create(request: HttpRequest, pk: int) -> HttpResponse:
    prefecture = selectors.area_get_for_user(user=request.user, kind="prefecture", pk=pk)
    assert isinstance(prefecture, Prefecture)
    if not can_create_municipality(request.user, prefecture):
        raise PermissionDenied()
    form = MunicipalityCreateForm(
        request.POST or None, instance=Municipality(prefecture=prefecture)
    )
    return _area_form_page(
        request,
        form,
        area=prefecture,
        title=_("市町村の追加"),
        done=_("登録しました。"),
        save=lambda data: services.municipality_create(
            prefecture=prefecture,
            code=data["code"],
            fields=fields_from(AreaFields, data),
            actor=request.user,
        ),
    )


def _area_form_page(
    request: HttpRequest,
    form: Any,
    *,
    area: AreaBase,
    title: str,
    done: str,
    save: Callable[[dict[str, Any]], Any],
    **context: Any,
) -> HttpResponse:
    """Every area and statistics form page: on a valid POST ``save(cleaned_data)`` runs the
    service and returns the area to go to; a refusal is shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, done)
            return redirect(_area_url(target))
    return render(
        request,
        "areas/area_form.html",
        {"form": form, "area": area, "title": title, **context},
    )


@login_required
def snapshot_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    area = selectors.area_get_for_user(user=request.user, kind=kind, pk=pk)
    if not can_edit_area(request.user, area):
        raise PermissionDenied()
    instance = StatisticsSnapshot(**services._scope_of(area))
    return _area_form_page(
        request,
        StatisticsSnapshotForm(request.POST or None, instance=instance),
        area=area,
        title=_("統計の登録"),
        done=_("統計を登録しました。"),
        save=lambda data: (
            services.statistics_snapshot_record(
                area=area,
                fields=fields_from(SnapshotFields, data),
                actor=request.user,
                accept_inconsistency=data["accept_inconsistency"],
            ).area
        ),
    )


@login_required
def snapshot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = selectors.snapshot_get_for_user(user=request.user, pk=pk)
    if not can_edit_area(request.user, snapshot):
        raise PermissionDenied()
    fresh = StatisticsSnapshot.objects.get(pk=snapshot.pk)
    return _area_form_page(
        request,
        StatisticsSnapshotForm(request.POST or None, instance=fresh),
        area=snapshot.area,
        title=_("統計の修正"),
        done=_("統計を修正しました。"),
        save=lambda data: (
            services.statistics_snapshot_update(
                snapshot=snapshot,
                fields=fields_from(SnapshotFields, data),
                actor=request.user,
                accept_inconsistency=data["accept_inconsistency"],
            ).area
        ),
        history_url=reverse("areas:snapshot_history", args=[snapshot.pk]),
    )


@login_required
def snapshot_history(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = selectors.snapshot_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "core/history.html",
        {
            "object": snapshot,
            "entries": history_entries(snapshot, user=request.user),
            "back_url": _area_url(snapshot.area),
        },
    )
