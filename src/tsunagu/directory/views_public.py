"""Public directory pages (no login): public resources of public providers only.

For residents and for SCs' 出前講座: search, detail, a map and a large-print A4 list per
district. Everything here reads as an anonymous user, even when someone is signed in, so
the page shows exactly what residents see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation

from tsunagu.areas.models import District, Municipality
from tsunagu.directory import selectors
from tsunagu.directory.views import (
    area_choices_for,
    group_by_category,
    map_context,
    resource_display,
    run_search,
)

PUBLIC_USER = AnonymousUser()


def _public_municipalities() -> QuerySet[Municipality]:
    """Municipalities with at least one public resource."""
    return selectors.public_municipality_list()


# The municipalities with public resources come from the index: their area choices are
# kept per process by index version (areas themselves change rarely: at most
# AREA_CHOICES_SECONDS late). Reading them cost the public page half its time.
AREA_CHOICES_SECONDS = 120
_area_choices = LocMemCache(
    "tsunagu-public-area-choices", {"TIMEOUT": AREA_CHOICES_SECONDS, "OPTIONS": {"MAX_ENTRIES": 8}}
)


def _public_area_choices() -> list[Any]:
    from tsunagu.directory.search import kept_version

    version = kept_version()
    if version is None:
        return area_choices_for(_public_municipalities())
    key = f"{version}:{translation.get_language()}"
    choices = _area_choices.get(key)
    if choices is None:
        choices = area_choices_for(_public_municipalities())
        _area_choices.set(key, choices)
    return choices


def public_search(request: HttpRequest) -> HttpResponse:
    # The district print lists are linked through their chooser page (listing every
    # district of every municipality here made this the slowest page of the directory).
    context = run_search(
        request, user=PUBLIC_USER, public_only=True, area_choices=_public_area_choices()
    )
    return render(request, "directory/public_search.html", context)


def public_map(request: HttpRequest) -> HttpResponse:
    context = map_context(
        request, user=PUBLIC_USER, public_only=True, area_choices=_public_area_choices()
    )
    context["list_url"] = reverse("public:search")
    return render(request, "directory/map.html", context)


def public_resource(request: HttpRequest, pk: int) -> HttpResponse:
    resource = (
        selectors.public_resource_list()
        .prefetch_related(
            "eligibility", "daily_life_areas", "districts", "locations", "weekly_slots", "sessions"
        )
        .filter(pk=pk)
        .first()
    )
    if resource is None:
        raise Http404()
    return render(
        request,
        "directory/public_resource.html",
        {"resource": resource, **resource_display(resource)},
    )


def public_print_choose(request: HttpRequest) -> HttpResponse:
    district = request.GET.get("district", "")
    if district.isdigit():
        return redirect("public:print", district_pk=int(district))
    return render(
        request,
        "directory/public_print_choose.html",
        {"municipalities": _public_municipalities().prefetch_related("districts")},
    )


def public_print(request: HttpRequest, district_pk: int) -> HttpResponse:
    """A large-print A4 list of the public resources serving one district."""
    district = District.objects.select_related("municipality").filter(pk=district_pk).first()
    if district is None:
        raise Http404()
    resources = selectors.resources_serving_area(user=PUBLIC_USER, area=district).prefetch_related(
        "weekly_slots", "sessions", "locations", "eligibility"
    )
    grouped = group_by_category(resources, limit=10_000)
    blocks = []
    for group in grouped["groups"]:
        for section in group["sections"]:
            blocks.append(
                {
                    "category": section["category"],
                    "top": group["category"],
                    "items": [{"resource": r, **resource_display(r)} for r in section["resources"]],
                }
            )
    return render(
        request,
        "directory/public_print.html",
        {
            "district": district,
            "blocks": blocks,
            "total": grouped["total"],
            "printed_on": timezone.localdate(),
        },
    )
