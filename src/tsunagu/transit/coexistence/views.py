"""Coexistence pages (公共交通との共存): requests CSV against the feeds, its .xlsx, a sample
CSV, and the routes inside a planned service area. URL names stay in the "transit" namespace.

Thin: parse, call a selector or the pure check, render. Scoping is in ``selectors``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import scope_q
from tsunagu.areas.models import District
from tsunagu.core.sorting import natural_order
from tsunagu.transit import selectors
from tsunagu.transit.coexistence.check import area_services, circle_area, geojson_area
from tsunagu.transit.coexistence.files import (
    RequestsCsvError,
    parse_requests_csv,
    report_xlsx,
    request_from_dict,
    request_to_dict,
)
from tsunagu.transit.coexistence.forms import AreaCheckForm, CoexistenceForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "transit_coexistence"


def _render_coexistence(
    request: HttpRequest, form: CoexistenceForm, **context: Any
) -> HttpResponse:
    return render(request, "transit/coexistence.html", {"form": form, **context})


@login_required
def coexistence(request: HttpRequest) -> HttpResponse:
    feeds = selectors.feed_list_visible_to(user=request.user)
    if request.method != "POST":
        initial: dict[str, Any] = {"walk_m": 500}
        feed_pk = request.GET.get("feed", "")
        if feed_pk.isdigit():
            initial["feeds"] = feeds.filter(pk=int(feed_pk))
        else:
            # Ticked in advance: an unticked only feed made the first submit fail.
            initial["feeds"] = selectors.feeds_to_preselect(user=request.user, feeds=feeds)
        return _render_coexistence(request, CoexistenceForm(initial=initial, feeds=feeds))
    form = CoexistenceForm(request.POST, request.FILES, feeds=feeds)
    if not form.is_valid():
        return _render_coexistence(request, form)
    upload = form.cleaned_data["requests_file"]
    try:
        travel_requests = parse_requests_csv(
            upload.read(),
            filename=Path(upload.name).name,
            default_date=form.cleaned_data.get("date"),
        )
    except RequestsCsvError as error:
        return _render_coexistence(request, form, csv_problems=error.problems)
    chosen = list(form.cleaned_data["feeds"])
    report = selectors.transit_alternatives(
        municipality=None,
        feeds=chosen,
        requests=travel_requests,
        walk_m=float(form.cleaned_data["walk_m"]),
    )
    request.session[SESSION_KEY] = {
        "feeds": [f.pk for f in chosen],
        "walk_m": form.cleaned_data["walk_m"],
        "requests": [request_to_dict(r) for r in travel_requests],
    }
    return _render_coexistence(request, form, report=report, chosen=chosen)


@login_required
def coexistence_export(request: HttpRequest) -> HttpResponse:
    """The last check of this session as .xlsx (recomputed; feeds re-checked for visibility)."""
    saved = request.session.get(SESSION_KEY)
    if not saved:
        messages.error(request, _("先に依頼の CSV を読み込んで確認してください。"))
        return redirect("transit:coexistence")
    chosen = list(selectors.feed_list_visible_to(user=request.user).filter(pk__in=saved["feeds"]))
    report = selectors.transit_alternatives(
        municipality=None,
        feeds=chosen,
        requests=[request_from_dict(d) for d in saved["requests"]],
        walk_m=float(saved["walk_m"]),
    )
    response = HttpResponse(
        report_xlsx(report, feed_names=[f.name for f in chosen]), content_type=XLSX
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''coexistence.xlsx"
    return response


@login_required
def coexistence_sample(request: HttpRequest) -> HttpResponse:
    """A sample requests CSV (UTF-8 with BOM so Excel opens it in Japanese)."""
    sample = (
        "番号,出発地緯度,出発地経度,目的地緯度,目的地経度,日付,出発可能時刻,出発期限,到着期限,メモ\r\n"
        "1,32.8752,131.7652,32.8930,131.7935,2026-12-01,7:30,9:00,,通院（例）\r\n"
        "2,32.9597,131.9010,32.8910,131.7905,2026-12-01,8:30,12:00,13:00,買い物（例）\r\n"
    )
    response = HttpResponse(("\ufeff" + sample).encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''coexistence_sample.csv"
    return response


@login_required
def coexistence_area(request: HttpRequest) -> HttpResponse:
    """Existing routes inside a planned service area (区域運行を計画するときの確認)."""
    feeds = selectors.feed_list_visible_to(user=request.user)
    districts = (
        District.objects.filter(scope_q(request.user))
        .filter(Q(boundary__isnull=False) | Q(centre_lat__isnull=False, centre_lon__isnull=False))
        .select_related("municipality")
    )
    districts = districts.order_by("municipality__code", natural_order(districts))
    form = AreaCheckForm(
        request.GET or None,
        feeds=feeds,
        districts=districts,
        initial={
            "radius_m": 1500,
            "date": timezone.localdate(),
            "feeds": selectors.feeds_to_preselect(user=request.user, feeds=feeds),
        },
    )
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        district = data.get("district")
        if district is not None and district.boundary and data.get("centre_lat") is None:
            inside = geojson_area(district.boundary)
            area_text = _("地区「%(name)s」の境界の中") % {"name": district.name}
        else:
            if data.get("centre_lat") is not None and data.get("centre_lon") is not None:
                lat, lon = data["centre_lat"], data["centre_lon"]
            else:
                lat, lon = float(district.centre_lat), float(district.centre_lon)
            inside = circle_area(lat, lon, data["radius_m"])
            area_text = _("緯度 %(lat).5f・経度 %(lon).5f から半径 %(r)s m") % {
                "lat": lat,
                "lon": lon,
                "r": data["radius_m"],
            }
        chosen = list(data["feeds"])
        context.update(
            {
                "rows": area_services(
                    [selectors.gtfs_for_feed(f) for f in chosen], inside, data["date"]
                ),
                "area_text": area_text,
                "chosen": chosen,
                "date": data["date"],
            }
        )
    return render(request, "transit/coexistence_area.html", context)
