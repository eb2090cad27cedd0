"""The one place that answers "may this user see / edit this object".

Every selector filters through :func:`scope_q`; every object page checks
:func:`can_view` (answering 404 when denied, so existence does not leak) and every
write checks a ``can_edit_*`` predicate. Resolution: system role → prefecture role →
municipality role; only active memberships count.

A scoped object exposes ``scope_prefecture_id`` and ``scope_municipality_id``
(the latter ``None`` for prefecture-level objects).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Q
from django.utils import timezone

from tsunagu.accounts.models import Role

# Roles that may change the records of a municipality they belong to.
MUNICIPAL_EDITOR_ROLES = frozenset(
    {Role.MUNICIPALITY_STAFF, Role.CARE_CENTER_STAFF, Role.COORDINATOR}
)
# Roles that may change area master data and statistics (行政の基礎データ).
AREA_EDITOR_ROLES = frozenset({Role.MUNICIPALITY_STAFF})
# Roles whose membership grants reading the scope. Advisors get theirs from engagements.
READER_ROLES = frozenset(set(Role) - {Role.ADVISOR})


class Scoped(Protocol):
    @property
    def scope_prefecture_id(self) -> int | None: ...

    @property
    def scope_municipality_id(self) -> int | None: ...


@dataclass(frozen=True)
class UserScope:
    """What one user may see and edit, resolved once per request."""

    is_system_admin: bool
    prefecture_ids: frozenset[int]  # prefectures whose own records are visible
    municipality_ids: frozenset[int]  # municipalities whose records are visible
    editable_prefecture_ids: frozenset[int]
    editable_municipality_ids: frozenset[int]  # for MUNICIPAL_EDITOR_ROLES
    area_editable_municipality_ids: frozenset[int]
    # Directory: records of visibility "internal" (municipal staff roles, not organisation members).
    internal_municipality_ids: frozenset[int] = frozenset()
    internal_prefecture_ids: frozenset[int] = frozenset()
    # Prefectures of every visible municipality: their prefecture-level partner records are visible.
    related_prefecture_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()  # organisations the user edits as a member
    # Municipalities whose sensitive personal data (要配慮個人情報) the user may read.
    personal_data_municipality_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.is_system_admin or self.prefecture_ids or self.municipality_ids)


_EMPTY = UserScope(False, frozenset(), frozenset(), frozenset(), frozenset(), frozenset())
_ADMIN = UserScope(True, frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


def scope_for(user: Any) -> UserScope:
    """Resolve (and cache on the user object) the user's scope from active memberships."""
    if user is None or not user.is_authenticated:
        return _EMPTY
    cached = getattr(user, "_tsunagu_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        # Includes the inactive "system" account that loaders act as (it cannot sign in).
        user._tsunagu_scope = _ADMIN
        return _ADMIN
    if not user.is_active:
        return _EMPTY
    from tsunagu.areas.models import Municipality

    today = timezone.localdate()
    memberships = list(
        user.memberships.filter(starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )
    )
    is_admin = any(m.role == Role.SYSTEM_ADMIN for m in memberships)
    prefectures: set[int] = set()
    municipalities: set[int] = set()
    edit_prefectures: set[int] = set()
    edit_municipalities: set[int] = set()
    area_edit: set[int] = set()
    internal_municipalities: set[int] = set()
    internal_prefectures: set[int] = set()
    organisations: set[int] = set()
    personal_data: set[int] = set()
    for membership in memberships:
        if membership.role not in READER_ROLES:
            continue
        if (
            membership.can_view_personal_data
            and membership.municipality_id
            and membership.role in MUNICIPAL_EDITOR_ROLES
        ):
            personal_data.add(membership.municipality_id)
        if membership.role == Role.ORGANISATION_MEMBER and membership.organisation_id:
            organisations.add(membership.organisation_id)
        elif membership.municipality_id:
            internal_municipalities.add(membership.municipality_id)
        elif membership.prefecture_id:
            internal_prefectures.add(membership.prefecture_id)
        if membership.prefecture_id:
            prefectures.add(membership.prefecture_id)
            if membership.role == Role.PREFECTURE_STAFF:
                edit_prefectures.add(membership.prefecture_id)
        if membership.municipality_id:
            municipalities.add(membership.municipality_id)
            if membership.role in MUNICIPAL_EDITOR_ROLES:
                edit_municipalities.add(membership.municipality_id)
            if membership.role in AREA_EDITOR_ROLES:
                area_edit.add(membership.municipality_id)
    if prefectures:
        # A prefecture membership reads every municipality of that prefecture.
        in_prefectures = set(
            Municipality.objects.filter(prefecture_id__in=prefectures).values_list("pk", flat=True)
        )
        municipalities |= in_prefectures
        internal_municipalities |= set(
            Municipality.objects.filter(prefecture_id__in=internal_prefectures).values_list(
                "pk", flat=True
            )
        )
    related_prefectures = set(prefectures) | set(
        Municipality.objects.filter(pk__in=municipalities).values_list("prefecture_id", flat=True)
    )
    if organisations:
        # Organisation members also edit their organisation's sub-groups (部会).
        from tsunagu.directory.models import Organisation

        frontier = set(organisations)
        while frontier:
            frontier = (
                set(
                    Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
                )
                - organisations
            )
            organisations |= frontier
    scope = UserScope(
        is_admin,
        frozenset(prefectures),
        frozenset(municipalities),
        frozenset(edit_prefectures),
        frozenset(edit_municipalities),
        frozenset(area_edit),
        internal_municipality_ids=frozenset(internal_municipalities),
        internal_prefecture_ids=frozenset(internal_prefectures),
        related_prefecture_ids=frozenset(related_prefectures),
        organisation_ids=frozenset(organisations),
        personal_data_municipality_ids=frozenset(personal_data),
    )
    user._tsunagu_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after memberships change."""
    if hasattr(user, "_tsunagu_scope"):
        del user._tsunagu_scope


def scope_q(
    user: Any,
    *,
    municipality_field: str | None = "municipality",
    prefecture_field: str | None = None,
) -> Q:
    """A filter for the rows the user may see.

    ``municipality_field`` names the row's municipality; ``prefecture_field`` the
    prefecture of prefecture-level rows (whose municipality is empty).
    """
    scope = scope_for(user)
    if scope.is_system_admin:
        return Q()
    condition = Q(pk__in=[])
    if municipality_field:
        condition |= Q(**{f"{municipality_field}__in": scope.municipality_ids})
    if prefecture_field:
        level = Q(**{f"{prefecture_field}__in": scope.prefecture_ids})
        if municipality_field:
            level &= Q(**{f"{municipality_field}__isnull": True})
        condition |= level
    return condition


def can_view(user: Any, obj: Scoped) -> bool:
    scope = scope_for(user)
    if scope.is_system_admin:
        return True
    if obj.scope_municipality_id is not None:
        return obj.scope_municipality_id in scope.municipality_ids
    return obj.scope_prefecture_id in scope.prefecture_ids


def can_edit(user: Any, obj: Scoped) -> bool:
    """General domain records (bodies, issues, …) of a municipality or prefecture."""
    scope = scope_for(user)
    if scope.is_system_admin:
        return True
    if obj.scope_municipality_id is not None:
        return obj.scope_municipality_id in scope.editable_municipality_ids
    return obj.scope_prefecture_id in scope.editable_prefecture_ids


def can_edit_area(user: Any, obj: Scoped) -> bool:
    """Areas and statistics: municipality staff for theirs, prefecture staff for the prefecture."""
    scope = scope_for(user)
    if scope.is_system_admin:
        return True
    if obj.scope_municipality_id is not None:
        return obj.scope_municipality_id in scope.area_editable_municipality_ids
    return obj.scope_prefecture_id in scope.editable_prefecture_ids


def can_create_municipality(user: Any, prefecture: Scoped) -> bool:
    scope = scope_for(user)
    return scope.is_system_admin or prefecture.scope_prefecture_id in scope.editable_prefecture_ids
