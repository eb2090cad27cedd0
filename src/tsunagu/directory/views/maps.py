"""The map page: the search's results with their map points (signed-in and public)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.areas import selectors as area_selectors
from tsunagu.directory.views.search import area_choices_for, run_search
from tsunagu.directory.views.shared import organisation_url, resource_url

MAP_LIMIT = 500  # markers on one map; the page says when there are more


GSI_ATTRIBUTION = (
    '<a href="https://maps.gsi.go.jp/development/ichiran.html" rel="noopener">地理院タイル</a>'
)


MAP_CENTRE = [33.2, 130.8]  # northern Kyushu, where the demo municipalities are


def _point(lat: Any, lon: Any, place: str = "") -> dict[str, Any] | None:
    if lat is None or lon is None:
        return None
    return {"lat": float(lat), "lon": float(lon), "place": place}


def map_records(hits: list[Any], *, public: bool) -> list[dict[str, Any]]:
    """One entry per record with its map points: an organisation's own coordinates; a
    resource's locations with coordinates, else its provider's."""
    resources = [hit.obj for hit in hits if hit.kind == "resource"]
    prefetch_related_objects(resources, "locations")
    records = []
    for hit in hits:
        obj = hit.obj
        if hit.kind == "resource":
            points = [_point(loc.latitude, loc.longitude, loc.name) for loc in obj.locations.all()]
            points = [p for p in points if p]
            if not points:
                provider_point = _point(obj.provider.latitude, obj.provider.longitude)
                points = [provider_point] if provider_point else []
            url = reverse("public:resource", args=[obj.pk]) if public else resource_url(obj)
            detail = f"{obj.category} — {obj.provider}"
            kind_label = str(gettext_lazy("地域資源"))
        else:
            point = _point(obj.latitude, obj.longitude, obj.address)
            points = [point] if point else []
            url = organisation_url(obj)
            detail = obj.get_org_type_display()
            kind_label = str(gettext_lazy("団体・組織"))
        records.append(
            {
                "kind": hit.kind,
                "kind_label": kind_label,
                "id": obj.pk,
                "name": obj.name,
                "detail": detail,
                "url": url,
                "points": points,
            }
        )
    return records


def map_context(request: HttpRequest, *, user: Any, public_only: bool, area_choices: list) -> dict:
    context = run_search(
        request,
        user=user,
        public_only=public_only,
        area_choices=area_choices,
        per_page=MAP_LIMIT,
        page=1,
    )
    records = map_records(list(context["result"].hits), public=public_only)
    context.update(
        {
            "records_on_map": [r for r in records if r["points"]],
            "records_without_points": [r for r in records if not r["points"]],
            "map_data": [
                {k: r[k] for k in ("kind", "kind_label", "name", "detail", "url", "points")}
                for r in records
                if r["points"]
            ],
            "map_config": {
                "tileUrl": settings.TILE_URL,
                "attribution": getattr(settings, "TILE_ATTRIBUTION", GSI_ATTRIBUTION),
                "centre": MAP_CENTRE,
                "zoom": 8,
                "offlineMessage": _(
                    "地図の背景を読み込めません（オフライン）。一覧は下にあります。"
                ),
            },
            "tile_attribution": getattr(settings, "TILE_ATTRIBUTION", GSI_ATTRIBUTION),
            "map_limit": MAP_LIMIT,
            "truncated": context["result"].total > MAP_LIMIT,
            "public": public_only,
        }
    )
    return context


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    municipalities = area_selectors.municipality_list_visible_to(user=request.user)
    context = map_context(
        request,
        user=request.user,
        public_only=False,
        area_choices=area_choices_for(municipalities),
    )
    context["list_url"] = reverse("directory:search")
    return render(request, "directory/map.html", context)
