"""Councils forming: a municipality's table and map, an area's key-person balance, forms."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tsunagu.accounts.scope import can_edit
from tsunagu.areas.models import District
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.http import show_on_form
from tsunagu.plans.councils import balance, selectors, services
from tsunagu.plans.councils.forms import FormationForm, KeyPersonForm
from tsunagu.plans.indicators.selectors import municipality_get_for_user

GSI_ATTRIBUTION = '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>'


@login_required
def councils_page(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = municipality_get_for_user(user=request.user, pk=pk)
    formations = selectors.formations_of(user=request.user, municipality=municipality)
    return render(
        request,
        "plans/councils/page.html",
        {
            "municipality": municipality,
            "formations": formations,
            "coverage": selectors.coverage_of(formations),
            "balances": [(f, balance.balance_of(f.key_persons.all())) for f in formations],
            "lean_share": int(balance.LEAN_SHARE * 100),
            "min_persons": balance.MIN_PERSONS,
            "map_data": selectors.map_features(formations),
            "map_config": {
                "tileUrl": settings.TILE_URL,
                "attribution": getattr(settings, "TILE_ATTRIBUTION", GSI_ATTRIBUTION),
                "offlineMessage": "地図の背景を読み込めません（オフライン）。一覧は下の表にあります。",
                "centre": [
                    float(municipality.centre_lat or 33.6),
                    float(municipality.centre_lon or 130.8),
                ],
            },
            "can_edit": can_edit(request.user, municipality),
        },
    )


@login_required
def formation_record(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = municipality_get_for_user(user=request.user, pk=pk)
    if not can_edit(request.user, municipality):
        raise PermissionDenied("この市町村の協議会の記録を変更する権限がありません。")
    form = FormationForm(
        request.POST or None, districts=District.objects.filter(municipality=municipality)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.council_formation_record(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
        except TsunaguError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "協議会の組織化を記録しました。")
            return redirect("councils:page", pk=municipality.pk)
    return render(
        request,
        "plans/_form.html",
        {
            "form": form,
            "municipality": municipality,
            "title": "区域の段階を記録",
            "back_url": reverse("councils:page", args=[municipality.pk]),
        },
    )


@login_required
def key_person_add(request: HttpRequest, pk: int) -> HttpResponse:
    formation = selectors.formation_get_for_user(user=request.user, pk=pk)
    if not can_edit(request.user, formation):
        raise PermissionDenied("この市町村の協議会の記録を変更する権限がありません。")
    form = KeyPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_person_add(actor=request.user, formation=formation, **form.cleaned_data)
        except TsunaguError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "キーパーソンを追加しました。")
            return redirect("councils:page", pk=formation.municipality_id)
    return render(
        request,
        "plans/_form.html",
        {
            "form": form,
            "municipality": formation.municipality,
            "title": f"{formation.area_label}のキーパーソンを追加（氏名は記録しません）",
            "back_url": reverse("councils:page", args=[formation.municipality_id]),
        },
    )
