"""Directory pages for signed-in users: search, map, organisations, people, resources,
stale records and the district view ("what already exists here").

Thin on purpose: parse the request, call a selector or a service, render. Scoping lives
in ``selectors`` (NotFound → 404) and ``permissions`` (PermissionDenied → 403).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tsunagu.accounts.permissions import can_view, scope_for
from tsunagu.areas import selectors as area_selectors
from tsunagu.areas.models import DailyLifeArea, District, Municipality, Prefecture
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.http import history_page, int_param, safe_next, show_on_form
from tsunagu.core.sorting import natural_sorted
from tsunagu.directory import selectors, services
from tsunagu.directory.forms import (
    KIND_CHOICES,
    DatedSessionFormSet,
    OrganisationForm,
    PersonCreateForm,
    PersonForm,
    ResourceForm,
    RoleEndForm,
    RoleForm,
    SearchForm,
    WeeklySlotFormSet,
    category_rows,
    formset_rows,
    indented,
    parse_area,
    schedule_key,
)
from tsunagu.directory.models import (
    Category,
    Location,
    Organisation,
    OrganisationType,
    Person,
    PersonRole,
    Resource,
    ResourceStatus,
    Weekday,
)
from tsunagu.directory.permissions import (
    can_create_in,
    can_edit_record,
    can_see_contact_details,
    can_view_record,
)

PER_PAGE = 20
MAP_LIMIT = 500  # markers on one map; the page says when there are more
AREA_LIST_LIMIT = 100  # resources listed per category on the district view
STALE_PER_PAGE = 50
GSI_ATTRIBUTION = (
    '<a href="https://maps.gsi.go.jp/development/ichiran.html" rel="noopener">地理院タイル</a>'
)
MAP_CENTRE = [33.2, 130.8]  # northern Kyushu, where the demo municipalities are


# --- shared helpers --------------------------------------------------------------------


def organisation_url(organisation: Organisation) -> str:
    return reverse("directory:organisation_detail", args=[organisation.pk])


def resource_url(resource: Resource) -> str:
    return reverse("directory:resource_detail", args=[resource.pk])


def person_url(person: Person) -> str:
    return reverse("directory:person_detail", args=[person.pk])


def _category_path(category: Category) -> list[Category]:
    chain = [category]
    seen = {category.pk}
    while chain[0].parent_id and chain[0].parent_id not in seen:
        parent = Category.objects.get(pk=chain[0].parent_id)
        seen.add(parent.pk)
        chain.insert(0, parent)
    return chain


# --- search ----------------------------------------------------------------------------


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
    from tsunagu.directory.search.filters import SearchFilters

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
    """The area <select>'s optgroups (the public page has hundreds of options: written
    here, they cost a tenth of a template loop)."""
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
    from tsunagu.directory.search.query import search

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


# --- map -------------------------------------------------------------------------------


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


# --- organisations ---------------------------------------------------------------------


def _creatable_scopes(user: Any) -> list[tuple[str, Any]]:
    """Municipalities and prefectures where the user may register an organisation."""
    # (their boundaries are not needed here, and parsing them cost more than the check)
    scopes: list[tuple[str, Any]] = [
        ("municipality", m)
        for m in area_selectors.municipality_list_visible_to(user=user).defer("boundary")
        if can_create_in(user, municipality=m)
    ]
    scopes += [
        ("prefecture", p)
        for p in area_selectors.prefecture_list_visible_to(user=user).defer("boundary")
        if can_create_in(user, prefecture=p)
    ]
    return scopes


def _same_scope(queryset: QuerySet[Any], municipality: Any, prefecture: Any) -> QuerySet[Any]:
    if municipality is not None:
        return queryset.filter(municipality=municipality)
    return queryset.filter(municipality__isnull=True, prefecture=prefecture)


def _organisation_breadcrumbs(organisation: Organisation, user: Any) -> list[tuple[str, str]]:
    crumbs = [(_("地域資源"), reverse("directory:search"))]
    if organisation.municipality_id:
        municipality = organisation.municipality
        # Another municipality's public record: its area page is not the user's (404);
        # the public directory shows what that municipality publishes.
        url = (
            reverse("directory:area", args=["municipality", municipality.pk])
            if can_view(user, municipality)
            else f"{reverse('public:search')}?municipality={municipality.pk}"
        )
        crumbs.append((_("%(name)sの地域資源") % {"name": municipality.name}, url))
    chain = []
    parent = organisation.parent
    # A parent the user may not see would be a dead link (and leak its name): stop there.
    while parent is not None and len(chain) < 5 and can_view_record(user, parent):
        chain.insert(0, (parent.name, organisation_url(parent)))
        parent = parent.parent
    return crumbs + chain


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = selectors.organisation_get_for_user(user=user, pk=pk)
    visible = selectors.organisation_list_visible_to(user=user)
    roles = list(selectors.people_of_organisation(user=user, organisation=organisation))
    people = [
        {
            "role": role,
            "person": role.person,
            "show_contact": can_see_contact_details(user, role.person),
        }
        for role in roles
    ]
    resources = (
        selectors.resource_list_visible_to(user=user)
        .filter(provider=organisation)
        .order_by("category__sort_order", "name")
    )
    can_edit = can_edit_record(user, organisation)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "breadcrumbs": _organisation_breadcrumbs(organisation, user),
            "children": visible.filter(parent=organisation).order_by("name_kana", "name"),
            "daily_life_areas": organisation.daily_life_areas.all(),
            "districts": organisation.districts.all(),
            "strength_tags": organisation.strength_tags.all(),
            "problem_tags": organisation.problem_tags.all(),
            "resources": resources,
            "current_people": [p for p in people if p["role"].is_current],
            "past_people": [p for p in people if not p["role"].is_current],
            "can_edit": can_edit,
            "can_add_child": can_create_in(
                user, municipality=organisation.municipality, prefecture=organisation.prefecture
            ),
            "can_add_resource": can_create_in(
                user,
                municipality=organisation.municipality,
                prefecture=organisation.prefecture,
                provider=organisation,
            ),
        },
    )


def _organisation_form_page(
    request: HttpRequest, form: OrganisationForm, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    parent = None
    municipality: Municipality | None = None
    prefecture: Prefecture | None = None
    if int_param(request.GET.get("parent")):
        parent = selectors.organisation_get_for_user(user=user, pk=int_param(request.GET["parent"]))
        municipality, prefecture = parent.municipality, parent.prefecture
    elif int_param(request.GET.get("municipality")):
        municipality = area_selectors.area_get_for_user(
            user=user, kind="municipality", pk=int_param(request.GET["municipality"])
        )
    elif int_param(request.GET.get("prefecture")):
        prefecture = area_selectors.area_get_for_user(
            user=user, kind="prefecture", pk=int_param(request.GET["prefecture"])
        )
    else:
        scopes = _creatable_scopes(user)
        if not scopes:
            raise PermissionDenied()
        if len(scopes) > 1:
            return render(request, "directory/scope_choice.html", {"scopes": scopes})
        kind, area = scopes[0]
        if kind == "municipality":
            municipality = area
        else:
            prefecture = area
    if municipality is not None:
        prefecture = None
    if not can_create_in(user, municipality=municipality, prefecture=prefecture):
        raise PermissionDenied()
    parents = _same_scope(
        selectors.organisation_list_visible_to(user=user), municipality, prefecture
    )
    form = OrganisationForm(
        request.POST or None,
        instance=Organisation(municipality=municipality, prefecture=prefecture),
        parents=parents,
        municipality=municipality,
        initial={"parent": parent},
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                data={
                    **form.service_data(),
                    "municipality": municipality,
                    "prefecture": prefecture,
                },
                actor=user,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("団体を登録しました。"))
            return redirect(organisation_url(organisation))
    return _organisation_form_page(
        request,
        form,
        _("団体・組織の登録"),
        organisation_url(parent) if parent else reverse("directory:search"),
        scope=municipality or prefecture,
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = selectors.organisation_get_for_user(user=user, pk=pk)
    if not can_edit_record(user, organisation):
        raise PermissionDenied()
    # Bind to a fresh copy: a failed save must not leak typed values into ``organisation``,
    # and the service compares the stored values with the new ones.
    fresh = Organisation.objects.get(pk=organisation.pk)
    parents = _same_scope(
        selectors.organisation_list_visible_to(user=user),
        organisation.municipality,
        organisation.prefecture,
    ).exclude(pk=organisation.pk)
    if organisation.parent_id:
        # Keep the current parent choosable even when it sits outside this scope.
        current = selectors.organisation_list_visible_to(user=user).filter(
            pk=organisation.parent_id
        )
        parents = (parents | current).distinct()
    form = OrganisationForm(
        request.POST or None,
        instance=fresh,
        parents=parents,
        municipality=organisation.municipality,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, data=form.service_data(), actor=user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(organisation_url(organisation))
    return _organisation_form_page(
        request,
        form,
        _("団体・組織の編集"),
        organisation_url(organisation),
        organisation=organisation,
        scope=organisation.municipality or organisation.prefecture,
        history_url=reverse("directory:organisation_history", args=[organisation.pk]),
    )


@login_required
@require_POST
def organisation_verify(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    services.organisation_verify(organisation=organisation, actor=request.user)
    messages.success(request, _("「%(name)s」を確認済みにしました。") % {"name": organisation.name})
    return redirect(safe_next(request, organisation_url(organisation)))


@login_required
def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    return history_page(request, organisation, organisation_url(organisation))


# --- people ----------------------------------------------------------------------------


def _editable_organisations(
    user: Any, municipality: Any, prefecture: Any
) -> QuerySet[Organisation]:
    """Organisations in this scope the user may add roles to (or provide resources for)."""
    scope = scope_for(user)
    queryset = _same_scope(
        selectors.organisation_list_visible_to(user=user), municipality, prefecture
    )
    if scope.is_system_admin:
        return queryset
    if municipality is not None and municipality.pk in scope.editable_municipality_ids:
        return queryset
    if (
        municipality is None
        and prefecture is not None
        and prefecture.pk in scope.editable_prefecture_ids
    ):
        return queryset
    return queryset.filter(pk__in=scope.organisation_ids)


def _visible_roles(user: Any, person: Person) -> list[PersonRole]:
    visible = selectors.organisation_list_visible_to(user=user)
    return list(
        person.roles.filter(organisation__in=visible)
        .select_related("organisation")
        .order_by(F("ends_on").desc(nulls_first=True), "-starts_on")
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get_for_user(user=user, pk=pk)
    roles = [
        {"role": role, "can_end": role.ends_on is None and can_edit_record(user, role.organisation)}
        for role in _visible_roles(user, person)
    ]
    first = next((r["role"].organisation for r in roles if r["role"].is_current), None)
    crumbs = [(_("地域資源"), reverse("directory:search"))]
    if first is not None:
        crumbs.append((first.name, organisation_url(first)))
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "breadcrumbs": crumbs,
            "roles": roles,
            "show_contact": can_see_contact_details(user, person),
            "can_edit": can_edit_record(user, person),
            "can_add_role": _editable_organisations(
                user, person.municipality, person.prefecture
            ).exists(),
        },
    )


@login_required
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new contact with a role in the organisation (``pk``)."""
    user = request.user
    organisation = selectors.organisation_get_for_user(user=user, pk=pk)
    if not (
        can_edit_record(user, organisation)
        or can_create_in(
            user, municipality=organisation.municipality, prefecture=organisation.prefecture
        )
    ):
        raise PermissionDenied()
    form = PersonCreateForm(
        request.POST or None,
        instance=Person(municipality=organisation.municipality, prefecture=organisation.prefecture),
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                data=form.service_data(),
                actor=user,
                organisation=organisation,
                title=form.cleaned_data["title"],
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("連絡先を登録しました。"))
            return redirect(person_url(person))
    return render(
        request,
        "directory/person_form.html",
        {
            "form": form,
            "title": _("連絡先の登録"),
            "organisation": organisation,
            "cancel_url": organisation_url(organisation),
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get_for_user(user=user, pk=pk)
    if not can_edit_record(user, person):
        raise PermissionDenied()
    fresh = Person.objects.get(pk=person.pk)
    form = PersonForm(
        request.POST or None, instance=fresh, show_contact=can_see_contact_details(user, person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, data=form.service_data(), actor=user)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(person_url(person))
    return render(
        request,
        "directory/person_form.html",
        {
            "form": form,
            "title": _("連絡先の編集"),
            "person": person,
            "cancel_url": person_url(person),
            "history_url": reverse("directory:person_history", args=[person.pk]),
        },
    )


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    return history_page(request, person, person_url(person))


@login_required
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get_for_user(user=user, pk=pk)
    organisations = _editable_organisations(user, person.municipality, person.prefecture)
    if not organisations.exists():
        raise PermissionDenied()
    form = RoleForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_role_add(person=person, actor=user, **form.cleaned_data)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("役割を追加しました。"))
            return redirect(person_url(person))
    return render(
        request,
        "directory/role_form.html",
        {
            "form": form,
            "person": person,
            "title": _("役割の追加"),
            "cancel_url": person_url(person),
        },
    )


@login_required
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a role (人事異動): the row stays, with its end date, for the record."""
    user = request.user
    role = PersonRole.objects.select_related("person", "organisation").filter(pk=pk).first()
    if role is None:
        raise NotFound()
    person = selectors.person_get_for_user(user=user, pk=role.person_id)
    selectors.organisation_get_for_user(user=user, pk=role.organisation_id)
    if not can_edit_record(user, role.organisation):
        raise PermissionDenied()
    form = RoleEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_role_end(role=role, ends_on=form.cleaned_data["ends_on"], actor=user)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("役割を終了しました。"))
            return redirect(safe_next(request, person_url(person)))
    return render(
        request,
        "directory/role_form.html",
        {
            "form": form,
            "person": person,
            "role": role,
            "title": _("役割の終了"),
            "cancel_url": person_url(person),
        },
    )


# --- resources -------------------------------------------------------------------------


def _resource_breadcrumbs(resource: Resource, user: Any) -> list[tuple[str, str]]:
    crumbs = _organisation_breadcrumbs(resource.provider, user)
    crumbs.append((resource.provider.name, organisation_url(resource.provider)))
    return crumbs


def resource_display(resource: Resource) -> dict[str, Any]:
    """What the detail, public and print pages show about a resource's schedule and place."""
    today = timezone.localdate()
    sessions = list(resource.sessions.all())
    return {
        "weekly_slots": list(resource.weekly_slots.all()),
        "upcoming_sessions": [s for s in sessions if s.date >= today],
        "past_sessions": [s for s in sessions if s.date < today],
        "locations": list(resource.locations.all()),
        "eligibility": list(resource.eligibility.all()),
        "daily_life_areas": list(resource.daily_life_areas.all()),
        "districts": list(resource.districts.all()),
        "category_path": _category_path(resource.category),
        "phone": resource.contact_phone or resource.provider.phone,
    }


@login_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "directory/resource_detail.html",
        {
            "resource": resource,
            "breadcrumbs": _resource_breadcrumbs(resource, request.user),
            "can_edit": can_edit_record(request.user, resource),
            **resource_display(resource),
        },
    )


def _providers_for(user: Any, municipality: Any, prefecture: Any) -> QuerySet[Organisation]:
    return _editable_organisations(user, municipality, prefecture).order_by("name_kana", "name")


def _locations_for(municipality: Any, prefecture: Any) -> QuerySet[Location]:
    return _same_scope(Location.objects.all(), municipality, prefecture).order_by("name")


def _schedule_formsets(request: HttpRequest, resource: Resource | None) -> tuple[Any, Any]:
    slots, sessions = _schedule_formsets_initial(resource) if resource is not None else ([], [])
    data = request.POST if request.method == "POST" else None
    return (
        WeeklySlotFormSet(data, initial=slots, prefix="slots"),
        DatedSessionFormSet(data, initial=sessions, prefix="sessions"),
    )


def _resource_form_page(request: HttpRequest, **context: Any) -> HttpResponse:
    return render(request, "directory/resource_form.html", context)


def _save_resource(
    *,
    form: ResourceForm,
    slot_formset: Any,
    session_formset: Any,
    actor: Any,
    resource: Resource | None,
) -> Resource:
    """Create or update in one transaction, with a new location if one was typed."""
    data = form.service_data()
    slots, sessions = formset_rows(slot_formset), formset_rows(session_formset)
    with transaction.atomic():
        new_location = form.new_location_data()
        if new_location is not None:
            location = services.location_create(
                data={**new_location, "organisation": data["provider"]}, actor=actor
            )
            data["locations"] = [*data.get("locations", []), location]
        if resource is None:
            if slots:
                data["weekly_slots"] = slots
            if sessions:
                data["sessions"] = sessions
            return services.resource_create(data=data, actor=actor)
        old_slots, old_sessions = _schedule_formsets_initial(resource)
        if schedule_key(slots) != schedule_key(old_slots):
            data["weekly_slots"] = slots
        if schedule_key(sessions) != schedule_key(old_sessions):
            data["sessions"] = sessions
        return services.resource_update(resource=resource, data=data, actor=actor)


def _schedule_formsets_initial(resource: Resource) -> tuple[list[dict], list[dict]]:
    return (
        [
            {
                "weekday": s.weekday,
                "week_of_month": s.week_of_month,
                "opens_at": s.opens_at,
                "closes_at": s.closes_at,
            }
            for s in resource.weekly_slots.all()
        ],
        [
            {"date": s.date, "opens_at": s.opens_at, "closes_at": s.closes_at, "note": s.note}
            for s in resource.sessions.all()
        ],
    )


def _handle_resource_form(
    request: HttpRequest,
    form: ResourceForm,
    slot_formset: Any,
    session_formset: Any,
    resource: Resource | None,
) -> Resource | None:
    if request.method != "POST":
        return None
    valid = form.is_valid()
    schedule_valid = slot_formset.is_valid() and session_formset.is_valid()
    if valid and not schedule_valid:
        form.add_error(
            None, _("日程の入力内容を確認してください（下の「日程」欄に表示しています）。")
        )
    if not (valid and schedule_valid):
        return None
    try:
        return _save_resource(
            form=form,
            slot_formset=slot_formset,
            session_formset=session_formset,
            actor=request.user,
            resource=resource,
        )
    except (ValidationError, TsunaguError) as error:
        show_on_form(form, error)
        return None


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    provider_pk = int_param(request.GET.get("provider"))
    if provider_pk is None:
        return _provider_choice(request)
    provider = selectors.organisation_get_for_user(user=user, pk=provider_pk)
    municipality, prefecture = provider.municipality, provider.prefecture
    if not can_create_in(user, municipality=municipality, prefecture=prefecture, provider=provider):
        raise PermissionDenied()
    form = ResourceForm(
        request.POST or None,
        instance=Resource(provider=provider, municipality=municipality, prefecture=prefecture),
        providers=_providers_for(user, municipality, prefecture),
        municipalities=[municipality] if municipality else [],
        locations=_locations_for(municipality, prefecture),
        initial={"provider": provider},
    )
    slot_formset, session_formset = _schedule_formsets(request, None)
    resource = _handle_resource_form(request, form, slot_formset, session_formset, None)
    if resource is not None:
        messages.success(request, _("地域資源を登録しました。"))
        return redirect(resource_url(resource))
    return _resource_form_page(
        request,
        form=form,
        slot_formset=slot_formset,
        session_formset=session_formset,
        title=_("地域資源の登録"),
        cancel_url=organisation_url(provider),
        provider=provider,
    )


def _provider_choice(request: HttpRequest) -> HttpResponse:
    """Resources are added under a provider: pick one first (or come from its page)."""
    user = request.user
    scope = scope_for(user)
    providers = selectors.organisation_list_visible_to(user=user)
    if not scope.is_system_admin:
        from django.db.models import Q

        providers = providers.filter(
            Q(municipality__in=scope.editable_municipality_ids)
            | Q(municipality__isnull=True, prefecture__in=scope.editable_prefecture_ids)
            | Q(pk__in=scope.organisation_ids)
        )
    providers = providers.order_by("municipality", "name_kana", "name")
    if not providers.exists():
        raise PermissionDenied()
    return render(request, "directory/provider_choice.html", {"providers": providers})


@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    resource = selectors.resource_get_for_user(user=user, pk=pk)
    if not can_edit_record(user, resource):
        raise PermissionDenied()
    municipality, prefecture = resource.municipality, resource.prefecture
    fresh = Resource.objects.get(pk=resource.pk)
    providers = _providers_for(user, municipality, prefecture) | Organisation.objects.filter(
        pk=resource.provider_id
    )
    form = ResourceForm(
        request.POST or None,
        instance=fresh,
        providers=providers.distinct(),
        municipalities=[municipality] if municipality else [],
        locations=_locations_for(municipality, prefecture),
    )
    slot_formset, session_formset = _schedule_formsets(request, resource)
    saved = _handle_resource_form(request, form, slot_formset, session_formset, resource)
    if saved is not None:
        messages.success(request, _("保存しました。"))
        return redirect(resource_url(resource))
    return _resource_form_page(
        request,
        form=form,
        slot_formset=slot_formset,
        session_formset=session_formset,
        title=_("地域資源の編集"),
        cancel_url=resource_url(resource),
        resource=resource,
        history_url=reverse("directory:resource_history", args=[resource.pk]),
    )


@login_required
@require_POST
def resource_verify(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(user=request.user, pk=pk)
    services.resource_verify(resource=resource, actor=request.user)
    messages.success(request, _("「%(name)s」を確認済みにしました。") % {"name": resource.name})
    return redirect(safe_next(request, resource_url(resource)))


@login_required
def resource_history(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(user=request.user, pk=pk)
    return history_page(request, resource, resource_url(resource))


# --- stale records ---------------------------------------------------------------------


@login_required
def stale_list(request: HttpRequest) -> HttpResponse:
    """Records not verified for 12 months: oldest check first, never-checked ones after."""
    user = request.user
    stale = selectors.stale_records_for(user=user)
    order = (F("last_verified_on").asc(nulls_last=True), "name", "pk")
    organisations = Paginator(
        stale["organisations"].select_related("last_verified_by").order_by(*order), STALE_PER_PAGE
    ).get_page(request.GET.get("opage"))
    resources = Paginator(
        stale["resources"].select_related("last_verified_by").order_by(*order), STALE_PER_PAGE
    ).get_page(request.GET.get("rpage"))
    query = request.GET.copy()

    def page_url(name: str, number: int) -> str:
        q = query.copy()
        q[name] = str(number)
        return "?" + q.urlencode()

    sections = []
    for key, label, page, param, url_name in (
        ("organisations", _("団体・組織"), organisations, "opage", "directory:organisation_detail"),
        ("resources", _("地域資源"), resources, "rpage", "directory:resource_detail"),
    ):
        sections.append(
            {
                "key": key,
                "label": label,
                "page": page,
                "rows": [
                    {
                        "obj": obj,
                        "url": reverse(url_name, args=[obj.pk]),
                        "can_verify": can_edit_record(user, obj),
                        "verify_url": reverse(
                            "directory:organisation_verify"
                            if key == "organisations"
                            else "directory:resource_verify",
                            args=[obj.pk],
                        ),
                    }
                    for obj in page.object_list
                ],
                "previous": page_url(param, page.previous_page_number())
                if page.has_previous()
                else None,
                "next": page_url(param, page.next_page_number()) if page.has_next() else None,
            }
        )
    return render(
        request,
        "directory/stale.html",
        {"sections": sections, "here": request.get_full_path()},
    )


# --- district view ---------------------------------------------------------------------

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
