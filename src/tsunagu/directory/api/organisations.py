"""Organisations in the directory API: list, detail, create, change and verify."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
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
    ORGANISATION_FIELDS,
    TAG_ORGANISATIONS,
    RecordId,
    _district,
    _FieldsBuilder,
    _organisation_out,
    _organisations_qs,
    _search_page,
    router,
)
from tsunagu.directory.models import (
    Organisation,
    OrganisationStatus,
    OrganisationType,
    Visibility,
)
from tsunagu.directory.schemas import (
    OrganisationCreateIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationUpdateIn,
)
from tsunagu.directory.search.filters import SearchFilters


def _organisation_fields(
    user: Any, payload: OrganisationCreateIn | OrganisationUpdateIn, *, creating: bool
) -> services.OrganisationFields:
    builder = _FieldsBuilder(user, Organisation, "organisation")
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
            builder.values[name] = [t.strip() for t in value or [] if t.strip()]
        else:
            builder.column(name, value)
    if creating:
        builder.scope(raw.get("municipality_id"), raw.get("prefecture_id"))
        builder.default_scope()
    return builder.result(services.OrganisationFields)


# --- organisations ---------------------------------------------------------------------


def _organisation_for_response(pk: int, user: Any) -> dict[str, Any]:
    return _organisation_out(_organisations_qs(Organisation.objects.all()).get(pk=pk), user)


@router.get(
    "/organisations",
    operation_id="tsunagu_directory_api_organisation_list",
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
    operation_id="tsunagu_directory_api_organisation_detail",
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
    operation_id="tsunagu_directory_api_organisation_create",
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
    fields = _organisation_fields(user, organisation, creating=True)
    created = call_service(
        services.organisation_create, Organisation, ORGANISATION_FIELDS, fields=fields, actor=user
    )
    return Status(201, _organisation_for_response(created.pk, user))


@router.patch(
    "/organisations/{organisation_id}",
    operation_id="tsunagu_directory_api_organisation_update",
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
    fields = _organisation_fields(user, organisation, creating=False)
    call_service(
        services.organisation_update,
        Organisation,
        ORGANISATION_FIELDS,
        organisation=instance,
        fields=fields,
        actor=user,
    )
    return _organisation_for_response(instance.pk, user)


@router.post(
    "/organisations/{organisation_id}/verify",
    operation_id="tsunagu_directory_api_organisation_verify",
    response={200: OrganisationOut, **WRITE_ERRORS},
    tags=[TAG_ORGANISATIONS],
    summary="団体・組織の情報が最新であることを確認",
)
def organisation_verify(request: HttpRequest, organisation_id: RecordId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.organisation_get_for_user(user=user, pk=organisation_id)
    services.organisation_verify(organisation=instance, actor=user)
    return _organisation_for_response(instance.pk, user)
