"""Resources in the directory API: list (the search page's engine for ``q``), detail, create,
change and verify."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status

from tsunagu.areas.models import DailyLifeArea, District
from tsunagu.core.api.errors import (
    READ_ERRORS,
    WRITE_ERRORS,
)
from tsunagu.core.api.paging import (
    PageNumber,
    PerPage,
    paginate,
)
from tsunagu.core.api.refs import normalise
from tsunagu.core.api.schemas import MAX_ID
from tsunagu.core.api.services import call_service
from tsunagu.directory import selectors, services
from tsunagu.directory.api.base import (
    RESOURCE_FIELDS,
    TAG_RESOURCES,
    RecordId,
    _category_ids,
    _district,
    _eligibility_ids,
    _FieldsBuilder,
    _resource_out,
    _resources_qs,
    _search_page,
    router,
)
from tsunagu.directory.models import (
    Resource,
    ResourceStatus,
    Visibility,
    WeeklySlot,
)
from tsunagu.directory.schemas import (
    ResourceCreateIn,
    ResourceOut,
    ResourcePage,
    ResourceUpdateIn,
)
from tsunagu.directory.search.filters import SearchFilters


def _resource_fields(
    user: Any, payload: ResourceCreateIn | ResourceUpdateIn
) -> services.ResourceFields:
    builder = _FieldsBuilder(user, Resource, "resource")
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
            builder.values[name] = list(value or [])
        else:
            builder.column(name, value)
    return builder.result(services.ResourceFields)


# --- resources -------------------------------------------------------------------------


def _resource_for_response(pk: int, user: Any) -> dict[str, Any]:
    return _resource_out(_resources_qs(Resource.objects.all()).get(pk=pk), user)


@router.get(
    "/resources",
    operation_id="tsunagu_directory_api_resource_list",
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
    operation_id="tsunagu_directory_api_resource_detail",
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
    operation_id="tsunagu_directory_api_resource_create",
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
    fields = _resource_fields(user, resource)
    created = call_service(
        services.resource_create, Resource, RESOURCE_FIELDS, fields=fields, actor=user
    )
    return Status(201, _resource_for_response(created.pk, user))


@router.patch(
    "/resources/{resource_id}",
    operation_id="tsunagu_directory_api_resource_update",
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
    fields = _resource_fields(user, resource)
    call_service(
        services.resource_update,
        Resource,
        RESOURCE_FIELDS,
        resource=instance,
        fields=fields,
        actor=user,
    )
    return _resource_for_response(instance.pk, user)


@router.post(
    "/resources/{resource_id}/verify",
    operation_id="tsunagu_directory_api_resource_verify",
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
