"""Scope: the one place that answers "which records may this user see, and edit".

A user's active memberships resolve once per request into a :class:`UserScope`
(:func:`scope_for`): visible and editable prefectures and municipalities, the
organisations the user edits as a member, where "internal" records are visible, and
whose personal data they may read. Everything else here is read off that one answer:

- filters for selectors: :func:`scope_q` (rows of visible municipalities/prefectures)
  and :func:`visible_q` (rows with a :class:`Visibility`: public, partners, internal);
  :func:`record_visible` is the same rule for one row in Python (e.g. a past version);
- the municipalities and prefectures a user may see or edit, for choices and lists:
  :func:`municipalities_visible_to`, :func:`municipalities_editable_to`,
  :func:`municipalities_creatable_to`, :func:`prefectures_visible_to`,
  :func:`prefectures_editable_to`;
- predicates for one object: :func:`can_view`, :func:`can_edit`, :func:`can_edit_area`,
  :func:`can_create_municipality`.

Selectors use these; views never compute scope themselves. Resolution: system role →
prefecture role → municipality role → organisation membership; only active memberships
count. A scoped object exposes ``scope_prefecture_id`` and ``scope_municipality_id`` (the
latter ``None`` for prefecture-level objects).

Layering: accounts sits below areas and directory (docs/architecture.md), so this module
imports neither. It reaches their tables only through the relations :class:`Membership`
itself declares (``prefecture``, ``municipality``, ``organisation``): see
:func:`_related`. ``accounts.permissions`` re-exports these names for older callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Membership, Role

# Roles that may change the records of a municipality they belong to.
MUNICIPAL_EDITOR_ROLES = frozenset(
    {Role.MUNICIPALITY_STAFF, Role.CARE_CENTER_STAFF, Role.COORDINATOR}
)
# Roles that may change area master data and statistics (行政の基礎データ).
AREA_EDITOR_ROLES = frozenset({Role.MUNICIPALITY_STAFF})
# Roles whose membership grants reading the scope. Advisors get theirs from engagements.
READER_ROLES = frozenset(set(Role) - {Role.ADVISOR})


class Visibility(models.TextChoices):
    """Who may see a record that has one (directory organisations and resources)."""

    PUBLIC = "public", _("公開（誰でも閲覧可）")  # also on the public page and public API
    PARTNERS = "partners", _("関係者（市町村内の利用者）")  # every user with a scope over it
    # The record's own municipality's staff roles (or, for a prefecture-level record, the
    # prefecture's): not the prefecture's staff for a municipal record, not other
    # municipalities; plus the record's own organisation's members and its editors.
    INTERNAL = "internal", _("内部（行政・地域包括・SCのみ）")


def _related(field: str) -> type[models.Model]:
    """The model a Membership field points to (areas.Prefecture, areas.Municipality,
    directory.Organisation), without importing the app above accounts that defines it."""
    return Membership._meta.get_field(field).related_model  # type: ignore[return-value]


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
    # Records of visibility "internal": the municipalities (prefectures) where the user holds a
    # staff role of that municipality (prefecture) itself. A prefecture membership does not
    # make its municipalities' internal records visible (lead engineer's rule, issue 12).
    internal_municipality_ids: frozenset[int] = frozenset()
    internal_prefecture_ids: frozenset[int] = frozenset()
    # Prefectures of every visible municipality: their prefecture-level partner records are visible.
    related_prefecture_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()  # organisations the user edits as a member
    # Municipalities whose sensitive personal data (要配慮個人情報) the user may read.
    personal_data_municipality_ids: frozenset[int] = frozenset()
    # Municipalities whose residents' care records (care app) the user may open: an explicit
    # right of a municipal staff membership; never implied by the system administrator role.
    care_record_municipality_ids: frozenset[int] = frozenset()

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
    municipality_model = _related("municipality")
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
    care_records: set[int] = set()
    for membership in memberships:
        if membership.role not in READER_ROLES:
            continue
        if (
            membership.can_view_personal_data
            and membership.municipality_id
            and membership.role in MUNICIPAL_EDITOR_ROLES
        ):
            personal_data.add(membership.municipality_id)
        if (
            membership.can_view_care_records
            and membership.municipality_id
            and membership.role in MUNICIPAL_EDITOR_ROLES
        ):
            care_records.add(membership.municipality_id)
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
        # (Its "internal" records stay with each municipality: internal_municipalities is
        # not widened.)
        municipalities |= set(
            municipality_model._default_manager.filter(prefecture_id__in=prefectures).values_list(
                "pk", flat=True
            )
        )
    related_prefectures = set(prefectures) | set(
        municipality_model._default_manager.filter(pk__in=municipalities).values_list(
            "prefecture_id", flat=True
        )
    )
    if organisations:
        # Organisation members also edit their organisation's sub-groups (部会).
        organisation_model = _related("organisation")
        frontier = set(organisations)
        while frontier:
            frontier = (
                set(
                    organisation_model._default_manager.filter(parent_id__in=frontier).values_list(
                        "pk", flat=True
                    )
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
        care_record_municipality_ids=frozenset(care_records),
    )
    user._tsunagu_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after memberships change."""
    if hasattr(user, "_tsunagu_scope"):
        del user._tsunagu_scope


def scope_key(user: Any) -> str:
    """A short digest of everything the user's scope holds: users with the same key see the
    same records (what is kept per scope, e.g. the directory's counts, is keyed by it)."""
    import hashlib
    from dataclasses import fields

    scope = scope_for(user)
    parts = []
    for field in fields(scope):
        value = getattr(scope, field.name)
        parts.append(sorted(value) if isinstance(value, frozenset) else value)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


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


def _scope_match(
    municipality_ids: frozenset[int], prefecture_ids: frozenset[int], prefix: str = ""
) -> Q:
    return Q(**{f"{prefix}municipality__in": municipality_ids}) | Q(
        **{f"{prefix}municipality__isnull": True, f"{prefix}prefecture__in": prefecture_ids}
    )


def visible_q(user: Any, *, own_organisation_field: str | None = None, prefix: str = "") -> Q:
    """Rows with a ``visibility``, ``municipality`` and ``prefecture`` the user may see.

    ``own_organisation_field`` names the field that makes a row the user's own
    organisation's (``pk`` for organisations, ``provider`` for resources): organisation
    members see their own records whatever their visibility. ``prefix`` puts the rule on a
    related row (``provider__``: a resource's provider, read through a join). :func:`record_visible` is
    the same rule for one row.
    """
    scope = scope_for(user)
    if scope.is_system_admin:
        return Q()
    condition = Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if user is None or not user.is_authenticated or scope.is_empty:
        return condition
    national = Q(**{f"{prefix}municipality__isnull": True, f"{prefix}prefecture__isnull": True})
    condition |= Q(**{f"{prefix}visibility": Visibility.PARTNERS}) & (
        _scope_match(scope.municipality_ids, scope.related_prefecture_ids, prefix) | national
    )
    condition |= Q(**{f"{prefix}visibility": Visibility.INTERNAL}) & _scope_match(
        scope.internal_municipality_ids, scope.internal_prefecture_ids, prefix
    )
    if own_organisation_field and scope.organisation_ids:
        condition |= Q(**{f"{prefix}{own_organisation_field}__in": scope.organisation_ids})
    return condition


def record_visible(
    user: Any,
    *,
    visibility: str,
    municipality_id: int | None,
    prefecture_id: int | None,
    own_organisation_id: int | None = None,
) -> bool:
    """:func:`visible_q` for one row given by its values (a current or a past version)."""
    scope = scope_for(user)
    if scope.is_system_admin or visibility == Visibility.PUBLIC:
        return True
    if own_organisation_id is not None and own_organisation_id in scope.organisation_ids:
        return True
    if user is None or not user.is_authenticated or scope.is_empty:
        return False
    if visibility == Visibility.PARTNERS:
        if municipality_id is not None:
            return municipality_id in scope.municipality_ids
        return prefecture_id is None or prefecture_id in scope.related_prefecture_ids
    if visibility == Visibility.INTERNAL:
        if municipality_id is not None:
            return municipality_id in scope.internal_municipality_ids
        return prefecture_id is not None and prefecture_id in scope.internal_prefecture_ids
    return False


# --- the municipalities and prefectures a user sees or edits -------------------------------


def municipalities_visible_to(user: Any) -> QuerySet[Any]:
    """Municipalities whose records the user may see, by code."""
    model = _related("municipality")
    return model._default_manager.filter(scope_q(user, municipality_field="pk")).order_by("code")


def municipalities_editable_to(user: Any) -> QuerySet[Any]:
    """Municipalities whose general records (bodies, issues, rides …) the user may change."""
    scope = scope_for(user)
    rows = _related("municipality")._default_manager.order_by("code")
    return rows if scope.is_system_admin else rows.filter(pk__in=scope.editable_municipality_ids)


def municipalities_creatable_to(user: Any) -> QuerySet[Any]:
    """Municipalities a user may start a record for: theirs, and every municipality of a
    prefecture they are staff of (prefecture-led support, e.g. an engagement)."""
    scope = scope_for(user)
    rows = _related("municipality")._default_manager.order_by("code")
    if scope.is_system_admin:
        return rows
    return rows.filter(
        Q(pk__in=scope.editable_municipality_ids)
        | Q(prefecture_id__in=scope.editable_prefecture_ids)
    )


def prefectures_visible_to(user: Any) -> QuerySet[Any]:
    model = _related("prefecture")
    return model._default_manager.filter(
        scope_q(user, municipality_field=None, prefecture_field="pk")
    ).order_by("code")


def prefectures_editable_to(user: Any) -> QuerySet[Any]:
    scope = scope_for(user)
    rows = _related("prefecture")._default_manager.order_by("code")
    return rows if scope.is_system_admin else rows.filter(pk__in=scope.editable_prefecture_ids)


# --- predicates for one object --------------------------------------------------------------


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
