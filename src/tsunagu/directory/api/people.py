"""People (contacts) in the directory API: list, detail, create and change."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Status

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
    PERSON_FIELDS,
    TAG_PEOPLE,
    RecordId,
    _FieldsBuilder,
    _people_out,
    _people_qs,
    router,
)
from tsunagu.directory.models import (
    Organisation,
    Person,
    PersonRole,
)
from tsunagu.directory.schemas import (
    PersonCreateIn,
    PersonOut,
    PersonPage,
    PersonUpdateIn,
)


def _person_fields(
    user: Any, payload: PersonCreateIn | PersonUpdateIn, *, creating: bool
) -> tuple[services.PersonFields, Organisation | None, str]:
    builder = _FieldsBuilder(user, Person, "person")
    raw = payload.model_dump(exclude_unset=True)
    organisation = None
    for name, value in raw.items():
        if name == "organisation_id":
            organisation = builder.organisation(name, "_organisation", value)
        elif name in ("municipality_id", "prefecture_id", "title"):
            continue
        else:
            builder.column(name, value)
    builder.values.pop("_organisation", None)
    if creating:
        builder.scope(raw.get("municipality_id"), raw.get("prefecture_id"))
        if organisation is None and "organisation_id" not in raw:
            builder.default_scope()
    return builder.result(services.PersonFields), organisation, (raw.get("title") or "").strip()


# --- people ----------------------------------------------------------------------------


@router.get(
    "/people",
    operation_id="tsunagu_directory_api_person_list",
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
    operation_id="tsunagu_directory_api_person_detail",
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
    operation_id="tsunagu_directory_api_person_create",
    response={201: PersonOut, **WRITE_ERRORS},
    tags=[TAG_PEOPLE],
    summary="人（連絡先）の登録",
    description="organisation_id を指定すると、その団体での役割（title、省略時は「担当」）も登録します。",
)
def person_create(request: HttpRequest, person: PersonCreateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    fields, organisation, title = _person_fields(user, person, creating=True)
    created = call_service(
        services.person_create,
        Person,
        PERSON_FIELDS,
        fields=fields,
        actor=user,
        organisation=organisation,
        title=title,
    )
    return Status(201, _person_for_response(created.pk, user))


@router.patch(
    "/people/{person_id}",
    operation_id="tsunagu_directory_api_person_update",
    response={200: PersonOut, **WRITE_ERRORS},
    tags=[TAG_PEOPLE],
    summary="人（連絡先）の変更",
    description="送った項目だけを変更します。",
)
def person_update(request: HttpRequest, person_id: RecordId, person: PersonUpdateIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    instance = selectors.person_get_for_user(user=user, pk=person_id)
    fields, _organisation, _title = _person_fields(user, person, creating=False)
    call_service(
        services.person_update, Person, PERSON_FIELDS, person=instance, fields=fields, actor=user
    )
    return _person_for_response(instance.pk, user)
