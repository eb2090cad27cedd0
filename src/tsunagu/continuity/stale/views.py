"""The stale digest page (動きのない担当) and the dependency report page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tsunagu.accounts.scope import scope_for
from tsunagu.continuity.dependency.report import (
    dependency_months,
    dependency_report,
    in_season,
    season_end,
    transfer_season,
)
from tsunagu.continuity.stale.digest import stale_items_for
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.http import int_param


@login_required
def stale_digest(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = stale_items_for(user=request.user, today=today)
    return render(
        request,
        "continuity/stale.html",
        {"items": [(i, i.idle_days(today)) for i in items], "today": today},
    )


@login_required
def dependency(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).is_empty:
        raise PermissionDenied("この一覧を見る権限がありません。")
    today = timezone.localdate()
    months = int_param(request.GET.get("months")) or dependency_months()
    months = min(max(months, 1), 36)
    report = dependency_report(user=request.user, today=today, months=months)
    return render(
        request,
        "continuity/dependency.html",
        {
            "report": report,
            "departures": transfer_season(user=request.user, today=today),
            "season_end": season_end(today),
            "in_season": in_season(today),
        },
    )
