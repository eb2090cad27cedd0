"""Directory permissions: who may edit a record, see a person's contact details, and which
past versions of a record a reader may see.

Which records a user may *see* (scope and visibility: public / partners / internal) is
decided in :mod:`tsunagu.accounts.scope` (``visible_q``, ``record_visible``), re-exported
here for the directory's callers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tsunagu.accounts.scope import Visibility, record_visible, scope_for, visible_q
from tsunagu.core.history import WITHHELD_VALUE
from tsunagu.directory.models import Organisation, Person, Resource

__all__ = [
    "can_create_in",
    "can_edit_record",
    "can_see_contact_details",
    "can_view_record",
    "history_field_mask",
    "history_version_filter",
    "visible_q",
]


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


# --- history (registered as core.history's hooks in DirectoryConfig.ready) -----------------


def history_version_filter(obj: Any, user: Any) -> Callable[[Any], bool] | None:
    """Which past versions of an organisation or resource the user could have seen when they
    were current: the same rule as the lists (``record_visible``); editors see every version.
    ``None`` for other records (not the directory's to decide)."""
    if not isinstance(obj, Organisation | Resource):
        return None
    if scope_for(user).is_system_admin or can_edit_record(user, obj):
        return lambda record: True
    own_field = "id" if isinstance(obj, Organisation) else "provider_id"

    def visible(record: Any) -> bool:
        return record_visible(
            user,
            visibility=getattr(record, "visibility", Visibility.PUBLIC),
            municipality_id=getattr(record, "municipality_id", None),
            prefecture_id=getattr(record, "prefecture_id", None),
            own_organisation_id=getattr(record, own_field, None),
        )

    return visible


def history_field_mask(obj: Any, user: Any) -> Callable[[str, Any], Any] | None:
    """A person's phone and e-mail withheld in the history of users who may not see them."""
    if not isinstance(obj, Person) or can_see_contact_details(user, obj):
        return None
    return lambda name, value: (
        str(WITHHELD_VALUE) if name in {"phone", "email"} and value != "—" else value
    )
