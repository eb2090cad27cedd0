"""Reads of the directory, scoped to the acting user (anonymous users get public rows only)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tsunagu.accounts.permissions import scope_for
from tsunagu.core.errors import NotFound
from tsunagu.directory.models import (
    STALE_AFTER_DAYS,
    Category,
    Organisation,
    Person,
    PersonRole,
    Resource,
    ResourceStatus,
)
from tsunagu.directory.permissions import visible_q


def organisation_list_visible_to(*, user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(visible_q(user, own_organisation_field="pk")).select_related(
        "municipality", "prefecture", "parent"
    )


def resource_list_visible_to(*, user: Any) -> QuerySet[Resource]:
    """Resources the user may see whose provider the user may also see.

    The provider's rule is read through the join to the provider, not as ``provider IN
    (visible organisations)``: SQLite builds that list from all 20,000 organisations before
    anything narrows the resources (~15 ms for one resource page at scale; issue 18)."""
    return (
        Resource.objects.filter(visible_q(user, own_organisation_field="provider"))
        .filter(visible_q(user, own_organisation_field="pk", prefix="provider__"))
        .select_related("provider", "category", "municipality", "prefecture")
    )


def public_resource_list() -> QuerySet[Resource]:
    """What residents see without logging in: public resources of public providers."""
    return resource_list_visible_to(user=None).exclude(status=ResourceStatus.ENDED)


def public_municipality_list() -> QuerySet[Any]:
    """Municipalities with at least one public resource, by code (the public pages' area
    choices).

    Asked of the search index, whose entries carry the resource's and its provider's
    scope (the same condition as public_resource_list; tests/directory check they agree):
    one EXISTS per municipality on its narrow entries, which stops at the first public
    one. Collecting the municipalities of every public resource read them all.
    """
    from tsunagu.areas.models import Municipality
    from tsunagu.directory.search.scope import public_resource_entries

    public = public_resource_entries().filter(municipality_id=OuterRef("pk")).order_by()
    return Municipality.objects.filter(Exists(public.values("pk"))).order_by("code")


def person_list_visible_to(*, user: Any) -> QuerySet[Person]:
    """People of the user's municipalities (and prefecture-level/national contacts for staff)."""
    scope = scope_for(user)
    if scope.is_system_admin:
        return Person.objects.all()
    if user is None or not user.is_authenticated or scope.is_empty:
        return Person.objects.none()
    return Person.objects.filter(
        Q(municipality__in=scope.municipality_ids)
        | Q(municipality__isnull=True, prefecture__in=scope.related_prefecture_ids)
        | Q(municipality__isnull=True, prefecture__isnull=True)
        | Q(roles__organisation__in=scope.organisation_ids)
    ).distinct()


def organisation_get_for_user(*, user: Any, pk: int) -> Organisation:
    organisation = organisation_list_visible_to(user=user).filter(pk=pk).first()
    if organisation is None:
        raise NotFound()
    return organisation


def resource_get_for_user(*, user: Any, pk: int) -> Resource:
    resource = (
        resource_list_visible_to(user=user)
        .prefetch_related(
            "eligibility", "daily_life_areas", "districts", "locations", "weekly_slots", "sessions"
        )
        .filter(pk=pk)
        .first()
    )
    if resource is None:
        raise NotFound()
    return resource


def person_get_for_user(*, user: Any, pk: int) -> Person:
    person = person_list_visible_to(user=user).filter(pk=pk).first()
    if person is None:
        raise NotFound()
    return person


def people_of_organisation(*, user: Any, organisation: Organisation) -> QuerySet[PersonRole]:
    visible = person_list_visible_to(user=user)
    return (
        PersonRole.objects.filter(organisation=organisation, person__in=visible)
        .select_related("person")
        .order_by("ends_on", "title")
    )


def editable_q(user: Any, *, own_organisation_field: str) -> Q:
    """Rows the user may edit, as a filter: the rule of ``can_edit_record`` for a queryset.

    ``own_organisation_field`` names what makes a row an organisation member's own (``pk``
    for organisations, ``provider`` for resources).
    """
    scope = scope_for(user)
    if scope.is_system_admin:
        return Q()
    condition = Q(municipality__in=scope.editable_municipality_ids) | Q(
        municipality__isnull=True, prefecture__in=scope.editable_prefecture_ids
    )
    if scope.organisation_ids:
        condition |= Q(**{f"{own_organisation_field}__in": scope.organisation_ids})
    return condition


def stale_records_for(*, user: Any, today: datetime.date | None = None) -> dict[str, QuerySet[Any]]:
    """Organisations and resources not verified for 12 months (or never), oldest first.

    A worklist: only the records the user may verify (edit). Other municipalities' public
    records are readable but not the user's to check.
    """
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=STALE_AFTER_DAYS)
    stale = Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=limit)
    return {
        "organisations": organisation_list_visible_to(user=user)
        .filter(stale, editable_q(user, own_organisation_field="pk"))
        .order_by("last_verified_on", "name"),
        "resources": resource_list_visible_to(user=user)
        .filter(stale, editable_q(user, own_organisation_field="provider"))
        .order_by("last_verified_on", "name"),
    }


def directory_counts_for(*, user: Any, today: datetime.date | None = None) -> dict[str, int]:
    stale = stale_records_for(user=user, today=today)
    return {
        "organisations": organisation_list_visible_to(user=user).count(),
        "resources": resource_list_visible_to(user=user).count(),
        "stale_organisations": stale["organisations"].count(),
        "stale_resources": stale["resources"].count(),
    }


def category_tree() -> list[tuple[Category, list[Category]]]:
    """Top-level categories with their children, in display order."""
    categories = list(Category.objects.all())
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    return [(top, children.get(top.pk, [])) for top in children.get(None, [])]


def resources_serving_area(*, user: Any, area: Any) -> QuerySet[Resource]:
    """Every visible resource that serves a district or daily-life area (or its whole municipality)."""
    from tsunagu.areas.models import DailyLifeArea, District, Municipality

    if isinstance(area, Municipality):
        return (
            resource_list_visible_to(user=user)
            .filter(municipality=area)
            .exclude(status=ResourceStatus.ENDED)
            .order_by("category__sort_order", "name")
        )
    condition = Q(serves_whole_municipality=True, municipality_id=area.municipality_id)
    if isinstance(area, District):
        condition |= Q(districts=area)
        if area.daily_life_area_id:
            condition |= Q(daily_life_areas=area.daily_life_area_id)
    elif isinstance(area, DailyLifeArea):
        condition |= Q(daily_life_areas=area) | Q(districts__daily_life_area=area)
    return (
        resource_list_visible_to(user=user)
        .filter(condition)
        .exclude(status=ResourceStatus.ENDED)
        .distinct()
        .order_by("category__sort_order", "name")
    )


def category_counts(queryset: QuerySet[Resource]) -> dict[int, int]:
    return dict(queryset.order_by().values_list("category").annotate(n=Count("pk", distinct=True)))


def organisations_with_resources(*, user: Any) -> QuerySet[Organisation]:
    return organisation_list_visible_to(user=user).prefetch_related(
        Prefetch("resources", queryset=resource_list_visible_to(user=user))
    )


# Words in a department's name that mark the section residents ask about these services.
CARE_DEPARTMENT_WORDS = ("長寿", "高齢", "介護", "福祉", "包括", "保険健康")


def public_contact_for(
    *, municipality: Any, district: Any = None
) -> tuple[Organisation, str] | None:
    """Whom a resident asks when an entry has no contact of its own, and why them.

    The public 地域包括支援センター serving the district (or the only one of the
    municipality), else the municipality's public department that looks after older people
    (most public resources, a phone first). Only public, active records: never an invented
    number. Returns the organisation and the kind of contact, or None.
    """
    from tsunagu.directory.models import OrganisationStatus, OrganisationType, Visibility

    public = Organisation.objects.filter(
        municipality=municipality,
        visibility=Visibility.PUBLIC,
        status=OrganisationStatus.ACTIVE,
    ).select_related("municipality")
    centres = public.filter(org_type=OrganisationType.COMMUNITY_CARE_CENTER)
    if district is not None:
        serving = Q(serves_whole_municipality=True) | Q(districts=district)
        if district.daily_life_area_id:
            serving |= Q(daily_life_areas=district.daily_life_area_id)
        centre = centres.filter(serving).distinct().order_by("name_kana", "name", "pk").first()
        if centre is not None:
            return centre, "care_center"
    if centres.count() == 1:
        return centres.get(), "care_center"
    departments = list(
        public.filter(org_type=OrganisationType.DEPARTMENT).annotate(
            public_resources=Count(
                "resources", filter=Q(resources__visibility=Visibility.PUBLIC), distinct=True
            )
        )
    )
    if not departments:
        return None
    best = min(
        departments,
        key=lambda o: (
            not any(word in o.name for word in CARE_DEPARTMENT_WORDS),
            not o.phone,
            -o.public_resources,
            o.parent_id is None,  # a 課 rather than the town hall as a whole
            o.name_kana or o.name,
        ),
    )
    return best, "municipality"
