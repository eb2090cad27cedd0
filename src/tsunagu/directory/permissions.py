"""Directory permissions: visibility (public / partners / internal) on top of scopes."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tsunagu.accounts.permissions import scope_for
from tsunagu.directory.models import Organisation, Person, Resource, Visibility


def _scope_match(
    municipality_ids: frozenset[int], prefecture_ids: frozenset[int], prefix: str = ""
) -> Q:
    return Q(**{f"{prefix}municipality__in": municipality_ids}) | Q(
        **{f"{prefix}municipality__isnull": True, f"{prefix}prefecture__in": prefecture_ids}
    )


def visible_q(user: Any, *, own_organisation_field: str | None = None) -> Q:
    """Rows with a ``visibility``, ``municipality`` and ``prefecture`` the user may see.

    ``own_organisation_field`` names the field that makes a row the user's own
    organisation's (``pk`` for organisations, ``provider`` for resources): organisation
    members see their own records whatever their visibility.
    """
    scope = scope_for(user)
    if scope.is_system_admin:
        return Q()
    condition = Q(visibility=Visibility.PUBLIC)
    if user is None or not user.is_authenticated or scope.is_empty:
        return condition
    national = Q(municipality__isnull=True, prefecture__isnull=True)
    condition |= Q(visibility=Visibility.PARTNERS) & (
        _scope_match(scope.municipality_ids, scope.related_prefecture_ids) | national
    )
    condition |= Q(visibility=Visibility.INTERNAL) & _scope_match(
        scope.internal_municipality_ids, scope.internal_prefecture_ids
    )
    if own_organisation_field and scope.organisation_ids:
        condition |= Q(**{f"{own_organisation_field}__in": scope.organisation_ids})
    return condition


def can_view_record(user: Any, obj: Organisation | Resource) -> bool:
    own = "pk" if isinstance(obj, Organisation) else "provider"
    return (
        type(obj)
        ._default_manager.filter(visible_q(user, own_organisation_field=own), pk=obj.pk)
        .exists()
    )


def can_edit_record(user: Any, obj: Any) -> bool:
    """Organisations, people, locations and resources.

    Municipal editor roles edit their municipality's records; prefecture staff the
    prefecture-level ones; organisation members their own organisation (and its 部会)
    and the resources it provides; system administrators everything (incl. national).
    """
    scope = scope_for(user)
    if scope.is_system_admin:
        return True
    if obj.scope_municipality_id is not None:
        if obj.scope_municipality_id in scope.editable_municipality_ids:
            return True
    elif (
        obj.scope_prefecture_id is not None
        and obj.scope_prefecture_id in scope.editable_prefecture_ids
    ):
        return True
    if scope.organisation_ids:
        if isinstance(obj, Organisation):
            return obj.pk in scope.organisation_ids
        if isinstance(obj, Resource):
            return obj.provider_id in scope.organisation_ids
        if isinstance(obj, Person):
            return obj.roles.filter(organisation_id__in=scope.organisation_ids).exists()
    return False


def can_create_in(
    user: Any, *, municipality: Any = None, prefecture: Any = None, provider: Any = None
) -> bool:
    """May the user add a record to this scope (or, as a member, under this provider)?"""
    scope = scope_for(user)
    if scope.is_system_admin:
        return True
    if municipality is not None and municipality.pk in scope.editable_municipality_ids:
        return True
    if (
        municipality is None
        and prefecture is not None
        and prefecture.pk in scope.editable_prefecture_ids
    ):
        return True
    return provider is not None and provider.pk in scope.organisation_ids


def can_see_contact_details(user: Any, person: Person) -> bool:
    """Personal phone and e-mail: only users with a scope over the person's municipality."""
    scope = scope_for(user)
    if scope.is_system_admin:
        return True
    if person.municipality_id is not None:
        return person.municipality_id in scope.municipality_ids
    if person.prefecture_id is not None:
        return person.prefecture_id in scope.prefecture_ids
    return False
