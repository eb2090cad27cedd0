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
from django.utils.translation import gettext as _

from tsunagu.areas.models import DailyLifeArea, District, Municipality
from tsunagu.core.ratelimit import public_page
from tsunagu.core.sorting import natural_sorted
from tsunagu.directory import selectors
from tsunagu.directory.search.cache import kept_version
from tsunagu.directory.views.areas import group_by_category
from tsunagu.directory.views.maps import map_context
from tsunagu.directory.views.resources import resource_display
from tsunagu.directory.views.search import run_search

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


def qualified_area_groups(municipalities: QuerySet[Municipality]) -> list[dict[str, Any]]:
    """Per municipality: the whole municipality, then its daily-life areas and districts.

    Residents see several municipalities' areas at once, and five 「第1圏域」 in a row say
    nothing: every label names its municipality (「鹿児島市 第1圏域（日常生活圏域）」).
    Read as plain values: the public page offers hundreds of options.
    """
    rows = list(municipalities.values_list("pk", "name"))
    names = dict(rows)
    options: dict[int, list[tuple[str, str]]] = {
        pk: [(f"municipality:{pk}", _("%(municipality)s 全域") % {"municipality": name})]
        for pk, name in rows
    }
    for model, kind, label in (
        (DailyLifeArea, "daily_life_area", _("%(municipality)s %(name)s（日常生活圏域）")),
        (District, "district", _("%(municipality)s %(name)s（地区）")),
    ):
        for pk, name, municipality_id in natural_sorted(
            model.objects.filter(municipality_id__in=names).values_list(
                "pk", "name", "municipality_id"
            ),
            key=lambda row: row[1],  # 第1圏域 < 第2圏域 < 第10圏域
        ):
            options[municipality_id].append(
                (f"{kind}:{pk}", label % {"municipality": names[municipality_id], "name": name})
            )
    return [{"pk": pk, "name": name, "options": options[pk]} for pk, name in rows]


def _public_area_groups() -> list[dict[str, Any]]:
    version = kept_version()
    if version is None:
        return qualified_area_groups(_public_municipalities())
    key = f"{version}:{translation.get_language()}"
    groups = _area_choices.get(key)
    if groups is None:
        groups = qualified_area_groups(_public_municipalities())
        _area_choices.set(key, groups)
    return groups


def _public_filters(request: HttpRequest) -> dict[str, Any]:
    """The municipality filter: narrows the area choices and, alone, filters by municipality.

    Sets ``request.GET["area"]`` to the whole municipality when no area of it is chosen, so
    the search (which filters by one area) serves both selects.
    """
    groups = _public_area_groups()
    area = request.GET.get("area", "")
    owner = {value: g["pk"] for g in groups for value, _label in g["options"]}
    chosen = request.GET.get("municipality", "")
    if "municipality" in request.GET and not chosen and area.startswith("municipality:"):
        # 「すべての市町村」 chosen again: the whole-municipality area it had set goes too.
        query = request.GET.copy()
        query.pop("area")
        request.GET = query
        area = ""
    municipality_pk = int(chosen) if chosen.isdigit() else owner.get(area)
    chosen_groups = [g for g in groups if g["pk"] == municipality_pk]
    if chosen_groups and owner.get(area) != municipality_pk:
        query = request.GET.copy()
        query["area"] = f"municipality:{municipality_pk}"
        request.GET = query
    if not chosen_groups:
        municipality_pk = None
    shown = chosen_groups or groups
    return {
        "area_choices": [(g["name"], g["options"]) for g in shown],
        "municipality_options": [
            {"value": g["pk"], "label": g["name"], "selected": g["pk"] == municipality_pk}
            for g in groups
        ],
    }


@public_page
def landing(request: HttpRequest) -> HttpResponse:
    """``/``: signed-in users go to their dashboard; residents get a way to the directory."""
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    return render(
        request,
        "directory/public_landing.html",
        {"municipality_options": _public_area_groups()},
    )


@public_page
def public_search(request: HttpRequest) -> HttpResponse:
    # The district print lists are linked through their chooser page (listing every
    # district of every municipality here made this the slowest page of the directory).
    filters = _public_filters(request)
    context = run_search(
        request, user=PUBLIC_USER, public_only=True, area_choices=filters["area_choices"]
    )
    context["municipality_options"] = filters["municipality_options"]
    return render(request, "directory/public_search.html", context)


@public_page
def public_map(request: HttpRequest) -> HttpResponse:
    filters = _public_filters(request)
    context = map_context(
        request, user=PUBLIC_USER, public_only=True, area_choices=filters["area_choices"]
    )
    context["municipality_options"] = filters["municipality_options"]
    context["list_url"] = reverse("public:search")
    return render(request, "directory/map.html", context)


@public_page
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
    display = resource_display(resource)
    districts = display["districts"]
    return render(
        request,
        "directory/public_resource.html",
        {
            "resource": resource,
            **display,
            "fallback_contact": None
            if display["phone"]
            else public_contact(resource.municipality, districts[0] if districts else None),
        },
    )


def public_contact(municipality: Municipality | None, district: District | None) -> dict | None:
    """The contact shown for entries without their own, with whose it is (「市の窓口」)."""
    if municipality is None:
        return None
    found = selectors.public_contact_for(municipality=municipality, district=district)
    if found is None:
        return None
    organisation, kind = found
    if kind == "care_center":
        role = _("地域包括支援センター")
    else:
        role = _("%(kind)sの窓口") % {"kind": _municipality_kind(municipality.name)}
    name = organisation.name
    if not name.startswith(municipality.name):
        name = f"{municipality.name} {name}"
    return {
        "organisation": organisation,
        "label": _("%(name)s（%(role)s）") % {"name": name, "role": role},
        "phone": organisation.phone,
    }


def _municipality_kind(name: str) -> str:
    """市, 町 or 村 (「市の窓口」), from the municipality's name."""
    return name[-1] if name and name[-1] in "市町村" else _("市町村")


@public_page
def public_print_choose(request: HttpRequest) -> HttpResponse:
    district = request.GET.get("district", "")
    if district.isdigit():
        return redirect("public:print", district_pk=int(district))
    return render(
        request,
        "directory/public_print_choose.html",
        {"municipalities": _public_municipalities().prefetch_related("districts")},
    )


@public_page
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
            "fallback_contact": public_contact(district.municipality, district),
            "blocks": blocks,
            "total": grouped["total"],
            "printed_on": timezone.localdate(),
        },
    )
