"""Directory API router (/api/v1/directory/).

Public reads (no login, rate-limited per address) under ``/public/``; everything else
needs a session or an API token and is scoped exactly like the pages: reads go through
:mod:`tsunagu.directory.selectors`, writes through :mod:`tsunagu.directory.services`
(which check permissions and write the history). A record the user may not see answers
404 whether or not it exists; one the user may see but not change answers 403.

A text query (``q``) is answered by the search page's engine (:mod:`tsunagu.directory.search.query`)
with the page's filters, so the API finds, counts, orders and pages exactly like
/directory/; the API's own filters (provider, status, visibility, stale …) narrow the same
search. Shared plumbing (errors, paging, references) is the kit of :mod:`tsunagu.core.api`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from tsunagu.accounts.permissions import scope_for
from tsunagu.areas.models import DailyLifeArea, District, Municipality, Prefecture
from tsunagu.core.api.auth import AnonymousRateThrottle
from tsunagu.core.api.errors import (
    READ_ERRORS,
    WRITE_ERRORS,
    ApiValidationError,
    ErrorOut,
    FieldError,
)
from tsunagu.core.api.paging import (
    PageNumber,
    PerPage,
    paginate,
)
from tsunagu.core.api.refs import References, by_ids_in_order, municipality_ref, normalise, ref
from tsunagu.core.api.schemas import MAX_ID
from tsunagu.core.api.services import call_service
from tsunagu.core.errors import NotFound
from tsunagu.directory import selectors, services
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Location,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    Person,
    PersonRole,
    Resource,
    ResourceStatus,
    Visibility,
    WeeklySlot,
)
from tsunagu.directory.permissions import can_edit_record, can_see_contact_details
from tsunagu.directory.schemas import (
    CategoryNode,
    EligibilityOut,
    OrganisationCreateIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationUpdateIn,
    PersonCreateIn,
    PersonOut,
    PersonPage,
    PersonUpdateIn,
    PublicResourceOut,
    PublicResourcePage,
    ResourceCreateIn,
    ResourceOut,
    ResourcePage,
    ResourceUpdateIn,
)
from tsunagu.directory.search.filters import SearchFilters
from tsunagu.directory.search.query import search

router = Router()

RecordId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="ID")]

TAG_PUBLIC = "公開情報（ログイン不要）"
TAG_ORGANISATIONS = "団体・組織"
TAG_PEOPLE = "人（連絡先）"
TAG_RESOURCES = "地域資源"

PUBLIC_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}

RESOURCE_PREFETCH: tuple[Any, ...] = (
    "eligibility",
    "daily_life_areas",
    "districts",
    Prefetch("locations", queryset=Location.objects.select_related("district")),
    "weekly_slots",
    "sessions",
)
RESOURCE_RELATED = ("provider", "category", "municipality", "prefecture")
ORGANISATION_PREFETCH = ("daily_life_areas", "districts", "strength_tags", "problem_tags")
ORGANISATION_RELATED = ("municipality", "prefecture", "parent")

# Model field -> API field, for errors raised by the models and services.
RESOURCE_FIELDS = {
    "provider": "provider_id",
    "category": "category_code",
    "municipality": "municipality_id",
    "prefecture": "prefecture_id",
    "districts": "district_ids",
    "daily_life_areas": "daily_life_area_ids",
    "weekday": "weekly_slots",
    "week_of_month": "weekly_slots",
    "date": "sessions",
}
ORGANISATION_FIELDS = {
    "parent": "parent_id",
    "municipality": "municipality_id",
    "prefecture": "prefecture_id",
    "districts": "district_ids",
    "daily_life_areas": "daily_life_area_ids",
}
PERSON_FIELDS = {"municipality": "municipality_id", "prefecture": "prefecture_id"}


# --- helpers ---------------------------------------------------------------------------


def _search_page(
    queryset: QuerySet[Any],
    *,
    user: Any,
    query: str,
    filters: SearchFilters,
    page: int,
    per_page: int,
) -> tuple[list[Any], int, bool]:
    """A text query answered by the search page's own engine (:func:`search`): the same
    hits, order, total and pages as /directory/ with the same query and filters. Filters
    only the API has travel in ``filters.entries``; ``queryset`` only loads the page's
    records (with what their answers need)."""
    result = search(user=user, query=query, filters=filters, page=page, per_page=per_page)
    if (page - 1) * per_page >= result.total:
        return [], result.total, False  # past the last page (search() would clamp it)
    ids = [hit.obj.pk for hit in result.hits]
    return by_ids_in_order(queryset, ids), result.total, result.has_next


def _eligibility_ids(code: str | None) -> list[int] | None:
    """The id of an eligibility code ([] for an unknown one: nothing matches it)."""
    if not code:
        return None
    return list(Eligibility.objects.filter(code=normalise(code)).values_list("pk", flat=True))


def _category_ids(code: str | None, field: str) -> list[int] | None:
    if not code:
        return None
    category = Category.objects.filter(code=normalise(code)).first()
    if category is None:
        raise ApiValidationError(
            [
                FieldError(
                    field,
                    _("分類"),
                    _("分類コード「%(code)s」は登録されていません。") % {"code": code},
                )
            ]
        )
    return sorted(category.descendant_ids())


def _district(pk: int | None, field: str) -> District | None:
    if pk is None:
        return None
    district = District.objects.filter(pk=pk).first()
    if district is None:
        raise ApiValidationError(
            [FieldError(field, _("地区"), _("地区（ID %(id)s）が見つかりません。") % {"id": pk})]
        )
    return district


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# --- serialisation ---------------------------------------------------------------------


def _public_resource_out(resource: Resource) -> dict[str, Any]:
    provider = resource.provider
    return {
        "id": resource.pk,
        "name": resource.name,
        "name_kana": resource.name_kana,
        "provider": {
            "id": provider.pk,
            "name": provider.name,
            "org_type": provider.org_type,
            "org_type_label": str(provider.get_org_type_display()),
        },
        "category": {
            "id": resource.category.pk,
            "code": resource.category.code,
            "name": resource.category.name,
        },
        "description": resource.description,
        "eligibility": [
            {"code": e.code, "name": e.name, "name_en": e.name_en}
            for e in resource.eligibility.all()
        ],
        "eligibility_note": resource.eligibility_note,
        "cost_yen": resource.cost_yen,
        "cost_note": resource.cost_note,
        "schedule_note": resource.schedule_note,
        "weekly_slots": [
            {
                "weekday": slot.weekday,
                "weekday_label": str(slot.get_weekday_display()),
                "week_of_month": slot.week_of_month,
                "opens_at": slot.opens_at,
                "closes_at": slot.closes_at,
                "label": str(slot),
            }
            for slot in resource.weekly_slots.all()
        ],
        "sessions": [
            {
                "date": session.date,
                "opens_at": session.opens_at,
                "closes_at": session.closes_at,
                "note": session.note,
            }
            for session in resource.sessions.all()
        ],
        "serves_whole_municipality": resource.serves_whole_municipality,
        "municipality": municipality_ref(resource.municipality),
        "prefecture": ref(resource.prefecture),
        "daily_life_areas": [ref(a) for a in resource.daily_life_areas.all()],
        "districts": [ref(d) for d in resource.districts.all()],
        "locations": [
            {
                "id": location.pk,
                "name": location.name,
                "postal_code": location.postal_code,
                "address": location.address,
                "latitude": _float(location.latitude),
                "longitude": _float(location.longitude),
                "district": ref(location.district),
            }
            for location in resource.locations.all()
        ],
        "how_to_apply": resource.how_to_apply,
        "capacity": resource.capacity,
        "status": resource.status,
        "status_label": str(resource.get_status_display()),
        "contact_phone": resource.contact_phone,
        "website": resource.website,
        "started_on": resource.started_on,
        "last_verified_on": resource.last_verified_on,
        "updated_at": resource.updated_at,
    }


def _resource_out(resource: Resource, user: Any) -> dict[str, Any]:
    return {
        **_public_resource_out(resource),
        "visibility": resource.visibility,
        "visibility_label": str(resource.get_visibility_display()),
        "funding_basis": resource.funding_basis,
        "sogo_service_type": resource.sogo_service_type,
        "subsidy_name": resource.subsidy_name,
        "source": resource.source,
        "is_stale": resource.is_stale,
        "can_edit": can_edit_record(user, resource),
    }


def _organisation_out(organisation: Organisation, user: Any) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "name_kana": organisation.name_kana,
        "org_type": organisation.org_type,
        "org_type_label": str(organisation.get_org_type_display()),
        "parent": ref(organisation.parent),
        "municipality": municipality_ref(organisation.municipality),
        "prefecture": ref(organisation.prefecture),
        "description": organisation.description,
        "serves_whole_municipality": organisation.serves_whole_municipality,
        "daily_life_areas": [ref(a) for a in organisation.daily_life_areas.all()],
        "districts": [ref(d) for d in organisation.districts.all()],
        "postal_code": organisation.postal_code,
        "address": organisation.address,
        "latitude": _float(organisation.latitude),
        "longitude": _float(organisation.longitude),
        "phone": organisation.phone,
        "email": organisation.email,
        "website": organisation.website,
        "strengths": organisation.strengths,
        "strength_tags": [t.name for t in organisation.strength_tags.all()],
        "problems": organisation.problems,
        "problem_tags": [t.name for t in organisation.problem_tags.all()],
        "status": organisation.status,
        "status_label": str(organisation.get_status_display()),
        "founded_on": organisation.founded_on,
        "visibility": organisation.visibility,
        "visibility_label": str(organisation.get_visibility_display()),
        "source": organisation.source,
        "last_verified_on": organisation.last_verified_on,
        "is_stale": organisation.is_stale,
        "updated_at": organisation.updated_at,
        "can_edit": can_edit_record(user, organisation),
    }


def _people_out(people: Iterable[Person], user: Any) -> list[dict[str, Any]]:
    people = list(people)
    role_org_ids = {role.organisation_id for p in people for role in p.roles.all()}
    visible_orgs = set(
        selectors.organisation_list_visible_to(user=user)
        .filter(pk__in=role_org_ids)
        .values_list("pk", flat=True)
    )
    out = []
    for person in people:
        allowed = can_see_contact_details(user, person)
        out.append(
            {
                "id": person.pk,
                "name": person.name,
                "name_kana": person.name_kana,
                "municipality": municipality_ref(person.municipality),
                "prefecture": ref(person.prefecture),
                "preferred_contact": person.preferred_contact,
                "preferred_contact_label": str(person.get_preferred_contact_display())
                if person.preferred_contact
                else "",
                "contact_details_visible": allowed,
                "phone": person.phone if allowed else None,
                "email": person.email if allowed else None,
                "note": person.note if allowed else None,
                "roles": [
                    {
                        "organisation": ref(role.organisation),
                        "title": role.title,
                        "starts_on": role.starts_on,
                        "ends_on": role.ends_on,
                        "is_current": role.is_current,
                    }
                    for role in person.roles.all()
                    if role.organisation_id in visible_orgs
                ],
                "last_verified_on": person.last_verified_on,
                "updated_at": person.updated_at,
                "can_edit": can_edit_record(user, person),
            }
        )
    return out


def _resources_qs(queryset: QuerySet[Resource]) -> QuerySet[Resource]:
    return queryset.select_related(*RESOURCE_RELATED).prefetch_related(*RESOURCE_PREFETCH)


def _organisations_qs(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return queryset.select_related(*ORGANISATION_RELATED).prefetch_related(*ORGANISATION_PREFETCH)


def _people_qs(queryset: QuerySet[Person]) -> QuerySet[Person]:
    return queryset.select_related("municipality", "prefecture").prefetch_related(
        Prefetch("roles", queryset=PersonRole.objects.select_related("organisation"))
    )


# --- turning requests into service data ------------------------------------------------


class _DataBuilder(References):
    """Collect service data from a payload, gathering every field error before failing."""

    def __init__(self, user: Any, model: type[models.Model], param: str) -> None:
        super().__init__(param)
        self.user = user
        self.model = model
        self.data: dict[str, Any] = {}

    def column(self, name: str, value: Any) -> None:
        self.plain(self.model, name, value, self.data)

    def organisation(self, field: str, target: str, pk: int | None) -> Organisation | None:
        if pk is None:
            self.data[target] = None
            return None
        try:
            organisation = selectors.organisation_get_for_user(user=self.user, pk=pk)
        except NotFound:
            self.error(field, _("団体・組織（ID %(id)s）が見つかりません。") % {"id": pk})
            return None
        self.data[target] = organisation
        return organisation

    def category(self, code: str | None) -> None:
        category = Category.objects.filter(code=normalise(code)).first()
        if category is None:
            self.error(
                "category_code", _("分類コード「%(code)s」は登録されていません。") % {"code": code}
            )
            return
        self.data["category"] = category

    def eligibility(self, codes: list[str] | None) -> None:
        codes = [normalise(c) for c in codes or []]
        found = {e.code: e for e in Eligibility.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            self.error(
                "eligibility",
                _("利用できる人のコード「%(codes)s」は登録されていません。")
                % {"codes": "」「".join(unknown)},
            )
            return
        self.data["eligibility"] = [found[c] for c in dict.fromkeys(codes)]

    def areas(
        self, field: str, target: str, model: type[models.Model], ids: list[int] | None
    ) -> None:
        ids = list(dict.fromkeys(ids or []))
        found = {a.pk: a for a in model._default_manager.filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            self.error(field, _("ID %(ids)s が見つかりません。") % {"ids": "、".join(missing)})
            return
        self.data[target] = [found[pk] for pk in ids]

    def scope(self, municipality_id: int | None, prefecture_id: int | None) -> None:
        if municipality_id is not None:
            municipality = Municipality.objects.filter(pk=municipality_id).first()
            if municipality is None:
                self.error(
                    "municipality_id",
                    _("市町村（ID %(id)s）が見つかりません。") % {"id": municipality_id},
                )
            self.data["municipality"] = municipality
        if prefecture_id is not None:
            prefecture = Prefecture.objects.filter(pk=prefecture_id).first()
            if prefecture is None:
                self.error(
                    "prefecture_id",
                    _("都道府県（ID %(id)s）が見つかりません。") % {"id": prefecture_id},
                )
            self.data["prefecture"] = prefecture

    def default_scope(self) -> None:
        """Without an explicit scope: the user's one editable municipality (or national for admins)."""
        if "municipality" in self.data or "prefecture" in self.data:
            return
        scope = scope_for(self.user)
        if len(scope.editable_municipality_ids) == 1:
            (pk,) = scope.editable_municipality_ids
            self.data["municipality"] = Municipality.objects.get(pk=pk)
        elif len(scope.editable_prefecture_ids) == 1 and not scope.editable_municipality_ids:
            (pk,) = scope.editable_prefecture_ids
            self.data["prefecture"] = Prefecture.objects.get(pk=pk)
        elif not scope.is_system_admin:
            self.error("municipality_id", _("市町村（municipality_id）を指定してください。"))

    def result(self) -> dict[str, Any]:
        self.finish()
        return self.data


def _resource_data(user: Any, payload: ResourceCreateIn | ResourceUpdateIn) -> dict[str, Any]:
    builder = _DataBuilder(user, Resource, "resource")
    for name, value in payload.model_dump(exclude_unset=True).items():
        if name == "provider_id":
            if value is None:
                builder.error(name, _("必須の項目です。"))
            else:
                builder.organisation(name, "provider", value)
        elif name == "category_code":
            builder.category(value)
        elif name == "municipality_id":
            builder.scope(value, None)
        elif name == "eligibility":
            builder.eligibility(value)
        elif name == "district_ids":
            builder.areas(name, "districts", District, value)
        elif name == "daily_life_area_ids":
            builder.areas(name, "daily_life_areas", DailyLifeArea, value)
        elif name in ("weekly_slots", "sessions"):
            builder.data[name] = list(value or [])
        else:
            builder.column(name, value)
    return builder.result()


def _organisation_data(
    user: Any, payload: OrganisationCreateIn | OrganisationUpdateIn, *, creating: bool
) -> dict[str, Any]:
    builder = _DataBuilder(user, Organisation, "organisation")
    raw = payload.model_dump(exclude_unset=True)
    for name, value in raw.items():
        if name == "parent_id":
            builder.organisation(name, "parent", value)
        elif name in ("municipality_id", "prefecture_id"):
            continue
        elif name == "district_ids":
            builder.areas(name, "districts", District, value)
        elif name == "daily_life_area_ids":
            builder.areas(name, "daily_life_areas", DailyLifeArea, value)
        elif name in ("strength_tags", "problem_tags"):
            builder.data[name] = [t.strip() for t in value or [] if t.strip()]
        else:
            builder.column(name, value)
    if creating:
        builder.scope(raw.get("municipality_id"), raw.get("prefecture_id"))
        builder.default_scope()
    return builder.result()


def _person_data(
    user: Any, payload: PersonCreateIn | PersonUpdateIn, *, creating: bool
) -> tuple[dict[str, Any], Organisation | None, str]:
    builder = _DataBuilder(user, Person, "person")
    raw = payload.model_dump(exclude_unset=True)
    organisation = None
    for name, value in raw.items():
        if name == "organisation_id":
            organisation = builder.organisation(name, "_organisation", value)
        elif name in ("municipality_id", "prefecture_id", "title"):
            continue
        else:
            builder.column(name, value)
    builder.data.pop("_organisation", None)
    if creating:
        builder.scope(raw.get("municipality_id"), raw.get("prefecture_id"))
        if organisation is None and "organisation_id" not in raw:
            builder.default_scope()
    return builder.result(), organisation, (raw.get("title") or "").strip()


# --- public (no login) -----------------------------------------------------------------


@router.get(
    "/public/resources",
    auth=None,
    throttle=[AnonymousRateThrottle()],
    response={200: PublicResourcePage, **PUBLIC_ERRORS},
    tags=[TAG_PUBLIC],
    summary="公開されている地域資源の一覧・検索",
    description=(
        "ログインなしで、公開範囲が「公開」の地域資源（終了したものを除く）を返します。"
        "q を指定すると表記ゆれ（ゴミ/ごみ、買物/買い物 など）を吸収した検索になり、関連度順に並びます。"
        "アクセス元ごとに回数制限があります（既定: 1分あたり60回。超えると 429）。"
    ),
)
def public_resource_list(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=100, description="検索語（1文字から）")] = "",
    category: Annotated[
        str | None, Query(max_length=60, description="分類コード（下位分類も含む。例: mobility）")
    ] = None,
    district: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="地区の ID（その地区を対象とする資源）")
    ] = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    category_ids = _category_ids(category, "category")
    area = _district(district, "district")
    base = _resources_qs(selectors.public_resource_list())
    query = normalise(q)
    if query:
        result = search(
            user=None,
            query=query,
            filters=SearchFilters(
                categories=category_ids or [],
                area=("district", area.pk) if area else None,
                kinds=["resource"],
            ),
            page=page,
            per_page=per_page,
            public_only=True,
        )
        ids = [hit.obj.pk for hit in result.hits if isinstance(hit.obj, Resource)]
        # Re-read through the public selector: nothing non-public can leak through search.
        items = by_ids_in_order(base, ids)
        count, has_next = result.total, result.has_next
    else:
        queryset = base
        if area is not None:
            queryset = queryset.filter(
                pk__in=selectors.resources_serving_area(user=None, area=area).values("pk")
            )
        if category_ids:
            queryset = queryset.filter(category_id__in=category_ids)
        items, count, has_next = paginate(
            queryset.order_by("name_kana", "name", "pk"), page, per_page
        )
    return {
        "items": [_public_resource_out(r) for r in items],
        "count": count,
        "page": page,
        "per_page": per_page,
        "has_next": has_next,
    }


@router.get(
    "/public/resources/{resource_id}",
    auth=None,
    throttle=[AnonymousRateThrottle()],
    response={200: PublicResourceOut, **PUBLIC_ERRORS},
    tags=[TAG_PUBLIC],
    summary="公開されている地域資源の詳細",
    description="公開範囲が「公開」でない資源は、存在していても 404 になります。",
)
def public_resource_detail(request: HttpRequest, resource_id: RecordId) -> Any:
    resource = _resources_qs(selectors.public_resource_list()).filter(pk=resource_id).first()
    if resource is None:
        raise NotFound()
    return _public_resource_out(resource)


def _category_tree() -> list[dict[str, Any]]:
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    categories = list(Category.objects.order_by("sort_order", "code"))
    for category in categories:
        nodes[category.pk] = {
            "id": category.pk,
            "code": category.code,
            "name": category.name,
            "name_en": category.name_en,
            "description": category.description,
            "children": [],
        }
    for category in categories:
        parent = nodes.get(category.parent_id) if category.parent_id else None
        (parent["children"] if parent else roots).append(nodes[category.pk])
    return roots


@router.get(
    "/public/categories",
    auth=None,
    throttle=[AnonymousRateThrottle()],
    response={200: list[CategoryNode], 429: ErrorOut},
    tags=[TAG_PUBLIC],
    summary="地域資源の分類（階層）",
    description="分類の木構造。code は書き込みや絞り込みで使う安定した識別子です。",
)
def public_categories(request: HttpRequest) -> Any:
    return _category_tree()


@router.get(
    "/public/eligibility",
    auth=None,
    throttle=[AnonymousRateThrottle()],
    response={200: list[EligibilityOut], 429: ErrorOut},
    tags=[TAG_PUBLIC],
    summary="利用できる人の区分",
    description="地域資源の「利用できる人」に指定できるコードの一覧です。",
)
def public_eligibility(request: HttpRequest) -> Any:
    return [
        {"code": e.code, "name": e.name, "name_en": e.name_en} for e in Eligibility.objects.all()
    ]


# --- resources -------------------------------------------------------------------------


def _resource_for_response(pk: int, user: Any) -> dict[str, Any]:
    return _resource_out(_resources_qs(Resource.objects.all()).get(pk=pk), user)


@router.get(
    "/resources",
    response={200: ResourcePage, **READ_ERRORS},
    tags=[TAG_RESOURCES],
    summary="地域資源の一覧・検索",
    description=(
        "利用者が見られる地域資源（公開・関係者・内部の公開範囲と所属に応じて）を返します。"
        "q を指定すると、検索ページと同じ検索（表記ゆれを吸収）になり、関連度順に並びます。"
        "件数・順序・絞り込みは検索ページと同じです。"
    ),
)
def resource_list(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=100, description="検索語")] = "",
    category: Annotated[
        str | None, Query(max_length=60, description="分類コード（下位分類も含む）")
    ] = None,
    district_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="地区の ID（その地区を対象とする資源）")
    ] = None,
    provider_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="提供する団体の ID")
    ] = None,
    municipality_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="市町村の ID")
    ] = None,
    status: Annotated[ResourceStatus | None, Query(description="状態")] = None,
    visibility: Annotated[Visibility | None, Query(description="公開範囲")] = None,
    eligibility: Annotated[
        str | None, Query(max_length=40, description="利用できる人のコード")
    ] = None,
    weekday: Annotated[int | None, Query(ge=0, le=6, description="曜日（0=月曜 … 6=日曜）")] = None,
    stale: Annotated[bool, Query(description="12か月以上確認されていないものだけ")] = False,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    category_ids = _category_ids(category, "category")
    area = _district(district_id, "district_id")
    eligibility_ids = _eligibility_ids(eligibility)
    queryset = (
        selectors.stale_records_for(user=user)["resources"]
        if stale
        else selectors.resource_list_visible_to(user=user)
    )
    if provider_id is not None:
        queryset = queryset.filter(provider_id=provider_id)
    if municipality_id is not None:
        queryset = queryset.filter(municipality_id=municipality_id)
    if status:
        queryset = queryset.filter(status=status)
    if visibility:
        queryset = queryset.filter(visibility=visibility)
    query = normalise(q)
    if eligibility_ids == []:  # an unknown eligibility code: nothing has it
        items, count, has_next = [], 0, False
    elif query:
        # The search page's engine with its filters; the API's own filters go with them.
        own_filters = stale or any(
            v is not None for v in (provider_id, municipality_id, status, visibility)
        )
        items, count, has_next = _search_page(
            _resources_qs(Resource.objects.all()),
            user=user,
            query=query,
            filters=SearchFilters(
                categories=category_ids or [],
                area=("district", area.pk) if area else None,
                eligibility=eligibility_ids or [],
                weekdays=[] if weekday is None else [weekday],
                kinds=["resource"],
                entries=Q(resource_id__in=queryset.values("pk")) if own_filters else None,
            ),
            page=page,
            per_page=per_page,
        )
    else:
        if area is not None:
            queryset = queryset.filter(
                pk__in=selectors.resources_serving_area(user=user, area=area).values("pk")
            )
        if category_ids:
            queryset = queryset.filter(category_id__in=category_ids)
        if eligibility_ids:
            queryset = queryset.filter(
                pk__in=Resource.eligibility.through.objects.filter(
                    eligibility_id__in=eligibility_ids
                ).values("resource_id")
            )
        if weekday is not None:
            queryset = queryset.filter(
                pk__in=WeeklySlot.objects.filter(weekday=weekday).values("resource_id")
            )
        items, count, has_next = paginate(
            _resources_qs(queryset).order_by("name_kana", "name", "pk"), page, per_page
        )
    return {
        "items": [_resource_out(r, user) for r in items],
        "count": count,
        "page": page,
        "per_page": per_page,
        "has_next": has_next,
    }


@router.get(
    "/resources/{resource_id}",
    response={200: ResourceOut, **READ_ERRORS},
    tags=[TAG_RESOURCES],
    summary="地域資源の詳細",
    description="見る権限のない資源（他の市町村の関係者限定・内部など）は 404 になります。",
)
def resource_detail(request: HttpRequest, resource_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    resource = selectors.resource_get_for_user(user=user, pk=resource_id)
    return _resource_for_response(resource.pk, user)


@router.post(
    "/resources",
    response={201: ResourceOut, **WRITE_ERRORS},
    tags=[TAG_RESOURCES],
    summary="地域資源の登録",
    description=(
        "提供する団体（provider_id）と分類コード（category_code）は必須です。"
        "市町村は省略すると提供する団体の市町村になります。変更履歴が記録されます。"
    ),
)
def resource_create(request: HttpRequest, resource: ResourceCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    data = _resource_data(user, resource)
    created = call_service(
        services.resource_create, Resource, RESOURCE_FIELDS, data=data, actor=user
    )
    return Status(201, _resource_for_response(created.pk, user))


@router.patch(
    "/resources/{resource_id}",
    response={200: ResourceOut, **WRITE_ERRORS},
    tags=[TAG_RESOURCES],
    summary="地域資源の変更",
    description=(
        "送った項目だけを変更します。weekly_slots・sessions・eligibility・district_ids は"
        "指定すると全体を置き換えます。変更履歴が記録されます。"
    ),
)
def resource_update(request: HttpRequest, resource_id: RecordId, resource: ResourceUpdateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.resource_get_for_user(user=user, pk=resource_id)
    data = _resource_data(user, resource)
    call_service(
        services.resource_update,
        Resource,
        RESOURCE_FIELDS,
        resource=instance,
        data=data,
        actor=user,
    )
    return _resource_for_response(instance.pk, user)


@router.post(
    "/resources/{resource_id}/verify",
    response={200: ResourceOut, **WRITE_ERRORS},
    tags=[TAG_RESOURCES],
    summary="地域資源の情報が最新であることを確認",
    description="最終確認日を今日、最終確認者を自分にします。",
)
def resource_verify(request: HttpRequest, resource_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.resource_get_for_user(user=user, pk=resource_id)
    services.resource_verify(resource=instance, actor=user)
    return _resource_for_response(instance.pk, user)


# --- organisations ---------------------------------------------------------------------


def _organisation_for_response(pk: int, user: Any) -> dict[str, Any]:
    return _organisation_out(_organisations_qs(Organisation.objects.all()).get(pk=pk), user)


@router.get(
    "/organisations",
    response={200: OrganisationPage, **READ_ERRORS},
    tags=[TAG_ORGANISATIONS],
    summary="団体・組織の一覧・検索",
    description="利用者が見られる団体・組織を返します。q は表記ゆれを吸収した検索です。",
)
def organisation_list(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=100, description="検索語")] = "",
    org_type: Annotated[OrganisationType | None, Query(description="種別")] = None,
    municipality_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="市町村の ID")
    ] = None,
    district_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="地区の ID（その地区で活動する団体）")
    ] = None,
    parent_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="上位の組織の ID")] = None,
    status: Annotated[OrganisationStatus | None, Query(description="状態")] = None,
    visibility: Annotated[Visibility | None, Query(description="公開範囲")] = None,
    stale: Annotated[bool, Query(description="12か月以上確認されていないものだけ")] = False,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    area = _district(district_id, "district_id")
    queryset = (
        selectors.stale_records_for(user=user)["organisations"]
        if stale
        else selectors.organisation_list_visible_to(user=user)
    )
    if municipality_id is not None:
        queryset = queryset.filter(municipality_id=municipality_id)
    if parent_id is not None:
        queryset = queryset.filter(parent_id=parent_id)
    if status:
        queryset = queryset.filter(status=status)
    if visibility:
        queryset = queryset.filter(visibility=visibility)
    query = normalise(q)
    if query:
        # The search page's engine with its filters; the API's own filters go with them.
        own_filters = stale or any(
            v is not None for v in (municipality_id, parent_id, status, visibility)
        )
        items, count, has_next = _search_page(
            _organisations_qs(Organisation.objects.all()),
            user=user,
            query=query,
            filters=SearchFilters(
                area=("district", area.pk) if area else None,
                org_types=[org_type] if org_type else [],
                kinds=["organisation"],
                entries=Q(organisation_id__in=queryset.values("pk")) if own_filters else None,
            ),
            page=page,
            per_page=per_page,
        )
    else:
        if org_type:
            queryset = queryset.filter(org_type=org_type)
        if area is not None:
            serving = Q(serves_whole_municipality=True, municipality_id=area.municipality_id) | Q(
                districts=area
            )
            if area.daily_life_area_id:
                serving |= Q(daily_life_areas=area.daily_life_area_id)
            queryset = queryset.filter(pk__in=Organisation.objects.filter(serving).values("pk"))
        items, count, has_next = paginate(
            _organisations_qs(queryset).order_by("name_kana", "name", "pk"), page, per_page
        )
    return {
        "items": [_organisation_out(o, user) for o in items],
        "count": count,
        "page": page,
        "per_page": per_page,
        "has_next": has_next,
    }


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **READ_ERRORS},
    tags=[TAG_ORGANISATIONS],
    summary="団体・組織の詳細",
)
def organisation_detail(request: HttpRequest, organisation_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    organisation = selectors.organisation_get_for_user(user=user, pk=organisation_id)
    return _organisation_for_response(organisation.pk, user)


@router.post(
    "/organisations",
    response={201: OrganisationOut, **WRITE_ERRORS},
    tags=[TAG_ORGANISATIONS],
    summary="団体・組織の登録",
    description=(
        "名称と種別は必須です。設立日は和暦でも指定できます。"
        "市町村を省略すると、利用者が編集できる市町村が1つだけならその市町村になります。"
    ),
)
def organisation_create(request: HttpRequest, organisation: OrganisationCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    data = _organisation_data(user, organisation, creating=True)
    created = call_service(
        services.organisation_create, Organisation, ORGANISATION_FIELDS, data=data, actor=user
    )
    return Status(201, _organisation_for_response(created.pk, user))


@router.patch(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **WRITE_ERRORS},
    tags=[TAG_ORGANISATIONS],
    summary="団体・組織の変更",
    description="送った項目だけを変更します。市町村の付け替えはシステム管理者だけが画面から行えます。",
)
def organisation_update(
    request: HttpRequest, organisation_id: RecordId, organisation: OrganisationUpdateIn
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.organisation_get_for_user(user=user, pk=organisation_id)
    data = _organisation_data(user, organisation, creating=False)
    call_service(
        services.organisation_update,
        Organisation,
        ORGANISATION_FIELDS,
        organisation=instance,
        data=data,
        actor=user,
    )
    return _organisation_for_response(instance.pk, user)


@router.post(
    "/organisations/{organisation_id}/verify",
    response={200: OrganisationOut, **WRITE_ERRORS},
    tags=[TAG_ORGANISATIONS],
    summary="団体・組織の情報が最新であることを確認",
)
def organisation_verify(request: HttpRequest, organisation_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.organisation_get_for_user(user=user, pk=organisation_id)
    services.organisation_verify(organisation=instance, actor=user)
    return _organisation_for_response(instance.pk, user)


# --- people ----------------------------------------------------------------------------


@router.get(
    "/people",
    response={200: PersonPage, **READ_ERRORS},
    tags=[TAG_PEOPLE],
    summary="人（連絡先）の一覧",
    description=(
        "利用者の市町村などの連絡先を返します。電話・メール・備考は、その人の市町村を"
        "担当範囲に持つ利用者にだけ返します（それ以外は null）。"
    ),
)
def person_list(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=100, description="氏名・よみがなの一部")] = "",
    organisation_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="団体・組織の ID（役割のある人）")
    ] = None,
    municipality_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="市町村の ID")
    ] = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    queryset = selectors.person_list_visible_to(user=user)
    query = normalise(q)
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(name_kana__icontains=query))
    if organisation_id is not None:
        queryset = queryset.filter(
            pk__in=PersonRole.objects.filter(organisation_id=organisation_id).values("person_id")
        )
    if municipality_id is not None:
        queryset = queryset.filter(municipality_id=municipality_id)
    queryset = _people_qs(Person.objects.filter(pk__in=queryset.values("pk")))
    items, count, has_next = paginate(queryset.order_by("name_kana", "name", "pk"), page, per_page)
    return {
        "items": _people_out(items, user),
        "count": count,
        "page": page,
        "per_page": per_page,
        "has_next": has_next,
    }


def _person_for_response(pk: int, user: Any) -> dict[str, Any]:
    return _people_out([_people_qs(Person.objects.all()).get(pk=pk)], user)[0]


@router.get(
    "/people/{person_id}",
    response={200: PersonOut, **READ_ERRORS},
    tags=[TAG_PEOPLE],
    summary="人（連絡先）の詳細",
    description="他の市町村の人は 404 になります。",
)
def person_detail(request: HttpRequest, person_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    person = selectors.person_get_for_user(user=user, pk=person_id)
    return _person_for_response(person.pk, user)


@router.post(
    "/people",
    response={201: PersonOut, **WRITE_ERRORS},
    tags=[TAG_PEOPLE],
    summary="人（連絡先）の登録",
    description="organisation_id を指定すると、その団体での役割（title、省略時は「担当」）も登録します。",
)
def person_create(request: HttpRequest, person: PersonCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    data, organisation, title = _person_data(user, person, creating=True)
    created = call_service(
        services.person_create,
        Person,
        PERSON_FIELDS,
        data=data,
        actor=user,
        organisation=organisation,
        title=title,
    )
    return Status(201, _person_for_response(created.pk, user))


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, **WRITE_ERRORS},
    tags=[TAG_PEOPLE],
    summary="人（連絡先）の変更",
    description="送った項目だけを変更します。",
)
def person_update(request: HttpRequest, person_id: RecordId, person: PersonUpdateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.person_get_for_user(user=user, pk=person_id)
    data, _organisation, _title = _person_data(user, person, creating=False)
    call_service(
        services.person_update, Person, PERSON_FIELDS, person=instance, data=data, actor=user
    )
    return _person_for_response(instance.pk, user)
