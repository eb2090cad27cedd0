"""Pages of public transport data: feed list, import, feed page with map, coexistence check.

Thin: parse, call a selector or service, render. Scoping is in ``selectors`` (NotFound → 404),
writes in ``services`` (PermissionDenied → 403).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import municipalities_editable_to, scope_for, scope_q
from tsunagu.areas.models import District
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.sorting import natural_order
from tsunagu.transit import selectors, services
from tsunagu.transit.coexistence import area_services, circle_area, geojson_area
from tsunagu.transit.coexistence_io import (
    RequestsCsvError,
    parse_requests_csv,
    report_xlsx,
    request_from_dict,
    request_to_dict,
)
from tsunagu.transit.forms import AreaCheckForm, CoexistenceForm, FeedDayForm, FeedImportForm
from tsunagu.transit.gtfs import GtfsError
from tsunagu.transit.models import Feed, Stop, StopKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "transit_coexistence"
GSI_ATTRIBUTION = '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>'


def _can_import_any(user: Any) -> bool:
    return scope_for(user).is_system_admin or municipalities_editable_to(user).exists()


@login_required
def feed_list(request: HttpRequest) -> HttpResponse:
    feeds = selectors.feed_list_visible_to(user=request.user)
    return render(
        request,
        "transit/feed_list.html",
        {"feeds": feeds, "can_import": _can_import_any(request.user)},
    )


@login_required
def feed_import(request: HttpRequest) -> HttpResponse:
    municipalities = municipalities_editable_to(request.user)
    allow_shared = scope_for(request.user).is_system_admin
    if not allow_shared and not municipalities.exists():
        raise PermissionDenied(_("公共交通データを取り込む権限がありません。"))
    problems: list[Any] = []
    warnings: list[Any] = []
    truncated = refused = False
    if request.method == "POST":
        form = FeedImportForm(
            request.POST, request.FILES, municipalities=municipalities, allow_shared=allow_shared
        )
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory(prefix="tsunagu-gtfs-") as tmp:
                # Keep the user's file name: problems about the zip itself quote it.
                path = Path(tmp) / (Path(upload.name).name or "feed.zip")
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    result = services.feed_import(
                        path=path,
                        municipality=form.cleaned_data["municipality"],
                        name=form.cleaned_data["name"],
                        note=form.cleaned_data["note"],
                        source_filename=Path(upload.name).name,
                        actor=request.user,
                    )
                except GtfsError as error:
                    problems = error.problems
                    warnings = error.warnings
                    truncated = error.truncated
                except PermissionDenied:
                    raise  # 403 through the middleware, not a form message
                except TsunaguError as error:
                    # e.g. a name that is too long, or IDs too long to tell apart
                    apply_validation_error(form, error)
                    refused = True
                else:
                    messages.success(request, result.summary())
                    if result.warning_count:
                        messages.warning(
                            request,
                            _(
                                "データに直すと良い点が %(n)s 件あります（取り込みは済んでいます）。"
                                "このページの「取り込み時の注意」をご覧ください。"
                            )
                            % {"n": result.warning_count},
                        )
                    return redirect("transit:feed_detail", result.feed.pk)
    else:
        form = FeedImportForm(municipalities=municipalities, allow_shared=allow_shared)
    return render(
        request,
        "transit/feed_import.html",
        {"form": form, "problems": problems, "warnings": warnings, "truncated": truncated},
        status=400 if problems or refused else 200,
    )


def _map_data(feed: Feed, day: selectors.FeedDay) -> dict[str, Any]:
    routes = [
        {
            "name": r.route.name,
            "color": f"#{r.route.color}" if len(r.route.color) == 6 else "",
            "demand": r.route.is_demand,
            "trips": r.trips,
            "lines": r.route.geometry,
        }
        for r in day.routes
    ]
    # GTFS-JP often groups poles (標柱, location_type 0) under a stop (location_type 1):
    # draw the poles, and a station only when nothing below it has coordinates.
    parents = {s.stop.parent_station for s in day.stops if s.stop.parent_station}
    stops = [
        {
            "name": s.stop.name or s.stop.stop_id,
            "lat": s.stop.lat,
            "lon": s.stop.lon,
            "kind": s.stop.kind,
            "kindLabel": s.stop.get_kind_display(),
            "departures": s.departures,
            "first": s.first,
            "last": s.last,
        }
        for s in day.stops
        if s.stop.lat is not None
        and s.stop.lon is not None
        and (
            s.stop.location_type == 0
            or (s.stop.location_type == 1 and s.stop.stop_id not in parents)
        )
    ]
    return {"routes": routes, "stops": stops}


def _map_config() -> dict[str, Any]:
    return {
        "tileUrl": settings.TILE_URL,
        "attribution": getattr(settings, "TILE_ATTRIBUTION", GSI_ATTRIBUTION),
        "offlineMessage": _("地図の背景を読み込めません（オフライン）。一覧は下にあります。"),
        "departuresLabel": _("この日の発車"),
        "timesLabel": _("始発〜最終"),
        "tripsLabel": _("便"),
    }


@login_required
def feed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feed = selectors.feed_get_for_user(user=request.user, pk=pk)
    form = FeedDayForm(request.GET or None)
    date = form.day()
    day = selectors.feed_day(feed, date)
    kinds = Stop.objects.filter(feed=feed).values_list("kind", flat=True)
    return render(
        request,
        "transit/feed_detail.html",
        {
            "feed": feed,
            "form": form,
            "day": day,
            "date": date,
            "demand_stop_count": sum(1 for k in kinds if k == StopKind.DEMAND_STOP),
            "can_manage": services.can_import_feed(request.user, feed.municipality),
            "map_config": _map_config(),
            "map_data": _map_data(feed, day),
            "tile_attribution": getattr(settings, "TILE_ATTRIBUTION", GSI_ATTRIBUTION),
        },
    )


@login_required
@require_POST
def feed_delete(request: HttpRequest, pk: int) -> HttpResponse:
    feed = selectors.feed_get_for_user(user=request.user, pk=pk)
    name = feed.name
    services.feed_delete(feed=feed, actor=request.user)
    messages.success(request, _("「%(name)s」を削除しました。") % {"name": name})
    return redirect("transit:feed_list")


# ---- coexistence ---------------------------------------------------------------------------


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
