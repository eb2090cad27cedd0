"""Links and scopes the directory pages share: record URLs, where a user may register
an organisation, and the organisations a user may add roles or resources to.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from tsunagu.accounts.permissions import scope_for
from tsunagu.areas import selectors as area_selectors
from tsunagu.directory import selectors
from tsunagu.directory.models import Organisation, Person, Resource
from tsunagu.directory.permissions import can_create_in


def organisation_url(organisation: Organisation) -> str:
    return reverse("directory:organisation_detail", args=[organisation.pk])


def resource_url(resource: Resource) -> str:
    return reverse("directory:resource_detail", args=[resource.pk])


def person_url(person: Person) -> str:
    return reverse("directory:person_detail", args=[person.pk])


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
