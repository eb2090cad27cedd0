"""The district view ("what already exists here"): the resources serving a
municipality, daily-life area or district, by category.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.areas import selectors as area_selectors
from tsunagu.areas.models import DailyLifeArea, District, Municipality
from tsunagu.core.errors import NotFound
from tsunagu.directory import selectors
from tsunagu.directory.models import Category, Resource, ResourceStatus

AREA_LIST_LIMIT = 100  # resources listed per category on the district view


AREA_KINDS = ("daily_life_area", "district", "municipality")


def _resources_in_area(user: Any, area: Any) -> QuerySet[Resource]:
    if isinstance(area, Municipality):
        # resources_serving_area() expects a district or daily-life area.
        return (
            selectors.resource_list_visible_to(user=user)
            .filter(municipality=area)
            .exclude(status=ResourceStatus.ENDED)
            .order_by("category__sort_order", "name")
        )
    return selectors.resources_serving_area(user=user, area=area)


def group_by_category(resources: QuerySet[Resource], *, limit: int) -> dict[str, Any]:
    """Resources under their top-level and second-level category, and the categories
    (top and second level) with nothing."""
    tree = selectors.category_tree()
    parent_of = dict(Category.objects.values_list("pk", "parent_id"))

    def branch(category_id: int) -> list[int]:
        chain = [category_id]
        while parent_of.get(chain[0]) and len(chain) < 10:
            chain.insert(0, parent_of[chain[0]])
        return chain

    counts: dict[int, int] = {}
    for category_id, n in selectors.category_counts(resources).items():
        for ancestor in branch(category_id):
            counts[ancestor] = counts.get(ancestor, 0) + n
    listed: dict[int, list[Resource]] = {}
    for resource in resources.select_related("provider", "category"):
        chain = branch(resource.category_id)
        key = chain[1] if len(chain) > 1 else chain[0]
        bucket = listed.setdefault(key, [])
        if len(bucket) < limit:
            bucket.append(resource)
    groups, empty = [], []
    for top, children in tree:
        if not counts.get(top.pk):
            empty.append({"category": top, "parent": None, "children": children})
            continue
        sections = []
        if listed.get(top.pk):
            sections.append(
                {"category": top, "resources": listed[top.pk], "count": _direct(top, resources)}
            )
        for child in children:
            if counts.get(child.pk):
                sections.append(
                    {
                        "category": child,
                        "resources": listed.get(child.pk, []),
                        "count": counts[child.pk],
                    }
                )
            else:
                empty.append({"category": child, "parent": top, "children": []})
        groups.append({"category": top, "count": counts[top.pk], "sections": sections})
    return {"groups": groups, "empty": empty, "total": sum(counts.get(t.pk, 0) for t, _c in tree)}


def _direct(category: Category, resources: QuerySet[Resource]) -> int:
    return resources.filter(category=category).count()


@login_required
def area_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """What already exists here: every visible resource serving the area, by category."""
    if kind not in AREA_KINDS:
        raise NotFound()
    area = area_selectors.area_get_for_user(user=request.user, kind=kind, pk=pk)
    resources = _resources_in_area(request.user, area)
    grouped = group_by_category(resources, limit=AREA_LIST_LIMIT)
    municipality = area if isinstance(area, Municipality) else area.municipality
    sub_areas = []
    if isinstance(area, Municipality):
        sub_areas = [("daily_life_area", a) for a in area.daily_life_areas.all()] + [
            ("district", d) for d in area.districts.all()
        ]
    elif isinstance(area, DailyLifeArea):
        sub_areas = [("district", d) for d in area.districts.all()]
    crumbs = [(_("地域資源"), reverse("directory:search"))]
    if not isinstance(area, Municipality):
        crumbs.append(
            (
                _("%(name)sの地域資源") % {"name": municipality.name},
                reverse("directory:area", args=["municipality", municipality.pk]),
            )
        )
        if isinstance(area, District) and area.daily_life_area_id:
            crumbs.append(
                (
                    area.daily_life_area.name,
                    reverse("directory:area", args=["daily_life_area", area.daily_life_area_id]),
                )
            )
    area_param = QueryDict(mutable=True)
    area_param["area"] = f"{kind}:{area.pk}"
    return render(
        request,
        "directory/area.html",
        {
            "area": area,
            "kind": kind,
            "kind_label": area._meta.verbose_name,
            "breadcrumbs": crumbs,
            "sub_areas": sub_areas,
            "limit": AREA_LIST_LIMIT,
            "area_query": area_param.urlencode(),
            "is_district": isinstance(area, District),
            **grouped,
        },
    )
