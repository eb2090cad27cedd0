"""Public reads of the directory API (no login, rate-limited per address): /public/…"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query

from tsunagu.core.api.auth import AnonymousRateThrottle
from tsunagu.core.api.errors import (
    ErrorOut,
)
from tsunagu.core.api.paging import (
    PageNumber,
    PerPage,
    paginate,
)
from tsunagu.core.api.refs import by_ids_in_order, normalise
from tsunagu.core.api.schemas import MAX_ID
from tsunagu.core.errors import NotFound
from tsunagu.directory import selectors
from tsunagu.directory.api.base import (
    PUBLIC_ERRORS,
    TAG_PUBLIC,
    RecordId,
    _category_ids,
    _district,
    _public_resource_out,
    _resources_qs,
    router,
)
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Resource,
)
from tsunagu.directory.schemas import (
    CategoryNode,
    EligibilityOut,
    PublicResourceOut,
    PublicResourcePage,
)
from tsunagu.directory.search.filters import SearchFilters
from tsunagu.directory.search.query import search

# --- public (no login) -----------------------------------------------------------------


@router.get(
    "/public/resources",
    operation_id="tsunagu_directory_api_public_resource_list",
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
    operation_id="tsunagu_directory_api_public_resource_detail",
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
    operation_id="tsunagu_directory_api_public_categories",
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
    operation_id="tsunagu_directory_api_public_eligibility",
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
