"""The search page: filters and facets from the query string, the result list and the
area ``<select>``.

Each result's list item is rendered once and kept per index version (``_hit_items``);
the area options are written in Python on purpose (see :func:`area_options_html`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tsunagu.accounts.permissions import scope_for
from tsunagu.areas import selectors as area_selectors
from tsunagu.areas.models import DailyLifeArea, District, Municipality
from tsunagu.core.http import int_param
from tsunagu.core.sorting import natural_sorted
from tsunagu.directory.forms import KIND_CHOICES, SearchForm, category_rows, indented, parse_area
from tsunagu.directory.models import OrganisationType, Weekday
from tsunagu.directory.search.filters import SearchFilters
from tsunagu.directory.search.query import search
from tsunagu.directory.views.shared import _creatable_scopes

PER_PAGE = 20


def area_choices_for(municipalities: QuerySet[Municipality]) -> list[Any]:
    """Grouped <select> choices: per municipality its daily-life areas and districts.

    Read as plain values (the public page offers those of every municipality: hundreds of
    options, whose model instances cost more than the search itself).
    """
    rows = list(municipalities.values_list("pk", "name"))
    ids = [pk for pk, _ in rows]
    options: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
    for pk, name, municipality_id in natural_sorted(
        DailyLifeArea.objects.filter(municipality_id__in=ids)
        .order_by("municipality", "id")
        .values_list("pk", "name", "municipality_id"),
        key=lambda row: row[1],  # 第1圏域 < 第2圏域 < 第10圏域 within each municipality
    ):
        options[municipality_id].append(
            (f"daily_life_area:{pk}", _("圏域: %(name)s") % {"name": name})
        )
    for pk, name, municipality_id in natural_sorted(
        District.objects.filter(municipality_id__in=ids)
        .order_by("municipality", "id")
        .values_list("pk", "name", "municipality_id"),
        key=lambda row: row[1],
    ):
        options[municipality_id].append((f"district:{pk}", _("地区: %(name)s") % {"name": name}))
    return [(name, options[pk]) for pk, name in rows if options[pk]]


def _search_filters(data: dict[str, Any], *, public_only: bool) -> Any:
    # The search includes a category's descendants itself.
    categories = [data["category"]] if data["category"] else []
    return SearchFilters(
        categories=categories,
        area=parse_area(data["area"]),
        eligibility=list(data["eligibility"]),
        org_types=list(data["org_type"]),
        weekdays=list(data["weekday"]),
        kinds=["resource"] if public_only else list(data["kind"]),
    )


# Each result's rendered list item, kept per process by index version (every write of a
# record replaces it), for the pages of a search that users page through and refine: a
# page whose items are all kept loads none of its records. Labels not in the index (a
# category or municipality renamed) may show their old text for HIT_ITEM_SECONDS.
HIT_ITEM_SECONDS = 120  # as long as search.cache.CACHE_SECONDS keeps a search's pages


_hit_items = LocMemCache(
    "tsunagu-directory-hit-items",
    {"TIMEOUT": HIT_ITEM_SECONDS, "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 4}},
)


def hits_html(result: Any, *, public: bool) -> str:
    """The result page's list items (directory/_hit.html), in order."""
    language = translation.get_language()
    keys = [
        f"{result.version}:{language}:{int(public)}:{kind}:{resource or organisation}"
        for kind, organisation, resource, _score in result.rows
    ]
    found = _hit_items.get_many(keys) if result.version is not None else {}
    if len(found) < len(keys):
        by_record = {(hit.kind, hit.obj.pk): hit for hit in result.hits}
        for key, (kind, organisation, resource, _score) in zip(keys, result.rows, strict=True):
            hit = by_record.get((kind, resource or organisation))
            if key in found or hit is None:
                continue
            found[key] = render_to_string("directory/_hit.html", {"hit": hit, "public": public})
            if result.version is not None:
                _hit_items.set(key, found[key])
    return mark_safe("".join(found[key] for key in keys if key in found))


def area_options_html(groups: list[Any], chosen: str) -> str:
    """The area <select>'s optgroups, written in Python on purpose: the public page has
    hundreds of options, and written here they cost a tenth of a template loop (measured
    with bench/directory_search.py); every other piece of HTML is a template."""
    return format_html_join(
        "",
        '<optgroup label="{}">{}</optgroup>',
        (
            (
                group,
                format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    (
                        (value, mark_safe(" selected") if value == chosen else "", label)
                        for value, label in options
                    ),
                ),
            )
            for group, options in groups
        ),
    )


def run_search(
    request: HttpRequest,
    *,
    user: Any,
    public_only: bool,
    area_choices: list[Any],
    per_page: int = PER_PAGE,
    page: int | None = None,
) -> dict[str, Any]:
    """Parse the query string, call the search service, and shape facets for the template."""
    categories = category_rows()
    form = SearchForm(request.GET or None, area_choices=area_choices, categories=categories)
    data = form.valid_data()
    if page is None:
        page = max(int_param(request.GET.get("page")) or 1, 1)
    result = search(
        user=user,
        query=data["q"],
        filters=_search_filters(data, public_only=public_only),
        page=page,
        per_page=per_page,
        public_only=public_only,
    )
    counts = {
        key: {str(facet.key): facet.count for facet in facets}
        for key, facets in (result.facets or {}).items()
    }

    def options(key: str, choices: list[tuple[Any, Any]], chosen: list[Any]) -> list[dict]:
        chosen_text = {str(value) for value in chosen}
        return [
            {
                "value": value,
                "label": label,
                "count": counts.get(key, {}).get(str(value), 0),
                "checked": str(value) in chosen_text,
            }
            for value, label in choices
        ]

    eligibility_choices = form.fields["eligibility"].choices
    checkbox_groups = [
        {
            "name": "kind",
            "legend": _("種類"),
            "options": options("kind", KIND_CHOICES, data["kind"]),
        },
        {
            "name": "eligibility",
            "legend": _("利用できる人"),
            "options": options("eligibility", eligibility_choices, data["eligibility"]),
        },
        {
            "name": "weekday",
            "legend": _("曜日"),
            "options": options("weekday", Weekday.choices, data["weekday"]),
        },
        {
            "name": "org_type",
            "legend": _("団体の種別"),
            "options": options("org_type", OrganisationType.choices, data["org_type"]),
        },
    ]
    # The type list is long: offer only the types that occur (and any already chosen).
    checkbox_groups[-1]["options"] = [
        o for o in checkbox_groups[-1]["options"] if o["count"] or o["checked"]
    ]
    if public_only:
        checkbox_groups = [g for g in checkbox_groups if g["name"] in ("eligibility", "weekday")]
    checkbox_groups = [g for g in checkbox_groups if g["options"]]
    category_counts = counts.get("category", {})
    category_options = [
        {
            "value": category.pk,
            "label": indented(category.name, depth),
            "count": category_counts.get(str(category.pk)),
            "selected": category.pk == data["category"],
        }
        for category, depth in categories
    ]
    query = request.GET.copy()
    query.pop("page", None)
    filters_used = any(
        data[k] for k in ("category", "area", "eligibility", "org_type", "weekday", "kind")
    )
    return {
        "form": form,
        "data": data,
        "result": result,
        "hits_html": hits_html(result, public=public_only),
        "checkbox_groups": checkbox_groups,
        "category_options": category_options,
        "area_groups": area_choices,
        "area_options_html": area_options_html(area_choices, data["area"]),
        "query_string": query.urlencode(),
        "page_links": _page_links(query, result),
        "filtered": bool(data["q"]) or filters_used,
        "filters_used": filters_used,
    }


def _optional_url(name: str) -> str | None:
    """The import/export pages live in their own URL module; link them once it is wired."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _page_links(query: QueryDict, result: Any) -> dict[str, Any]:
    def link(number: int) -> str:
        q = query.copy()
        q["page"] = str(number)
        return "?" + q.urlencode()

    return {
        "previous": link(result.page - 1) if result.has_previous else None,
        "next": link(result.page + 1) if result.has_next else None,
        "first": link(1) if result.page > 2 else None,
        "last": link(result.num_pages) if result.page < result.num_pages - 1 else None,
    }


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    municipalities = area_selectors.municipality_list_visible_to(user=request.user)
    context = run_search(
        request,
        user=request.user,
        public_only=False,
        area_choices=area_choices_for(municipalities),
    )
    scope = scope_for(request.user)
    context["can_create_organisation"] = bool(_creatable_scopes(request.user))
    context["can_create_resource"] = context["can_create_organisation"] or bool(
        scope.organisation_ids
    )
    context["import_url"] = _optional_url("directory_io:import")
    context["export_url"] = _optional_url("directory_io:export")
    return render(request, "directory/search.html", context)
