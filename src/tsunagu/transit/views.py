"""Pages of public transport data: feed list, import, feed page with map.

The coexistence pages are in :mod:`tsunagu.transit.coexistence.views`.

Thin: parse, call a selector or service, render. Scoping is in ``selectors`` (NotFound → 404),
writes in ``services`` (PermissionDenied → 403).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import municipalities_editable_to, scope_for
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.jobs.models import JobStatus
from tsunagu.transit import jobs, selectors, services
from tsunagu.transit.forms import FeedDayForm, FeedImportForm
from tsunagu.transit.models import Feed, Stop, StopKind

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
            # Read and stored by a background job (a large feed takes longer than a request
            # should); the job keeps the user's file name: problems about the zip quote it.
            job = jobs.gtfs_import_job_start(
                actor=request.user,
                municipality=form.cleaned_data["municipality"],
                data=upload,
                file_name=Path(upload.name).name or "feed.zip",
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
            )
            job.refresh_from_db()
            if job.status == JobStatus.DONE:  # no worker delay: straight to the feed
                result = job.result or {}
                messages.success(request, result.get("summary", ""))
                if result.get("warning_count"):
                    messages.warning(
                        request,
                        _(
                            "データに直すと良い点が %(n)s 件あります（取り込みは済んでいます）。"
                            "このページの「取り込み時の注意」をご覧ください。"
                        )
                        % {"n": result["warning_count"]},
                    )
                return redirect(job.result_url)
            if job.status != JobStatus.FAILED:  # the worker has it: its page shows progress
                return redirect("jobs:detail", pk=job.pk)
            # Failed at once: the problems on this page, as before.
            details = job.result or {}
            if "problems" in details:
                problems = details["problems"]
                warnings = details.get("warnings", [])
                truncated = bool(details.get("truncated"))
            else:
                field = details.get("field") or None
                form.add_error(field if field in form.fields else None, job.error)
                refused = True
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
