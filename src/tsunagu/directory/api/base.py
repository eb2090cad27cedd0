"""What the directory API's modules share: the router, tags, shapes and the field-set builder.

The router is this package's one :class:`ninja.Router`; each module of the package adds its
routes to it (see ``__init__``, whose import order is the route order).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from ninja import Path, Router

from tsunagu.accounts.permissions import scope_for
from tsunagu.areas.models import District, Municipality, Prefecture
from tsunagu.core.api.errors import (
    ApiValidationError,
    ErrorOut,
    FieldError,
)
from tsunagu.core.api.refs import References, by_ids_in_order, municipality_ref, normalise, ref
from tsunagu.core.api.schemas import MAX_ID
from tsunagu.core.errors import NotFound
from tsunagu.directory import selectors
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Location,
    Organisation,
    Person,
    PersonRole,
    Resource,
)
from tsunagu.directory.permissions import can_edit_record, can_see_contact_details
from tsunagu.directory.search.filters import SearchFilters
from tsunagu.directory.search.query import search

router = Router()

F = TypeVar("F")

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


# --- turning requests into service field sets ------------------------------------------


class _FieldsBuilder(References):
    """Collect a service's field set from a payload, gathering every field error before failing."""

    def __init__(self, user: Any, model: type[models.Model], param: str) -> None:
        super().__init__(param)
        self.user = user
        self.model = model
        self.values: dict[str, Any] = {}

    def column(self, name: str, value: Any) -> None:
        self.plain(self.model, name, value, self.values)

    def organisation(self, field: str, target: str, pk: int | None) -> Organisation | None:
        if pk is None:
            self.values[target] = None
            return None
        try:
            organisation = selectors.organisation_get_for_user(user=self.user, pk=pk)
        except NotFound:
            self.error(field, _("団体・組織（ID %(id)s）が見つかりません。") % {"id": pk})
            return None
        self.values[target] = organisation
        return organisation

    def category(self, code: str | None) -> None:
        category = Category.objects.filter(code=normalise(code)).first()
        if category is None:
            self.error(
                "category_code", _("分類コード「%(code)s」は登録されていません。") % {"code": code}
            )
            return
        self.values["category"] = category

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
        self.values["eligibility"] = [found[c] for c in dict.fromkeys(codes)]

    def areas(
        self, field: str, target: str, model: type[models.Model], ids: list[int] | None
    ) -> None:
        ids = list(dict.fromkeys(ids or []))
        found = {a.pk: a for a in model._default_manager.filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            self.error(field, _("ID %(ids)s が見つかりません。") % {"ids": "、".join(missing)})
            return
        self.values[target] = [found[pk] for pk in ids]

    def scope(self, municipality_id: int | None, prefecture_id: int | None) -> None:
        if municipality_id is not None:
            municipality = Municipality.objects.filter(pk=municipality_id).first()
            if municipality is None:
                self.error(
                    "municipality_id",
                    _("市町村（ID %(id)s）が見つかりません。") % {"id": municipality_id},
                )
            self.values["municipality"] = municipality
        if prefecture_id is not None:
            prefecture = Prefecture.objects.filter(pk=prefecture_id).first()
            if prefecture is None:
                self.error(
                    "prefecture_id",
                    _("都道府県（ID %(id)s）が見つかりません。") % {"id": prefecture_id},
                )
            self.values["prefecture"] = prefecture

    def default_scope(self) -> None:
        """Without an explicit scope: the user's one editable municipality (or national for admins)."""
        if "municipality" in self.values or "prefecture" in self.values:
            return
        scope = scope_for(self.user)
        if len(scope.editable_municipality_ids) == 1:
            (pk,) = scope.editable_municipality_ids
            self.values["municipality"] = Municipality.objects.get(pk=pk)
        elif len(scope.editable_prefecture_ids) == 1 and not scope.editable_municipality_ids:
            (pk,) = scope.editable_prefecture_ids
            self.values["prefecture"] = Prefecture.objects.get(pk=pk)
        elif not scope.is_system_admin:
            self.error("municipality_id", _("市町村（municipality_id）を指定してください。"))

    def result(self, fields: type[F]) -> F:
        self.finish()
        return fields(**self.values)
