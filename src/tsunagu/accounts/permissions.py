"""Older name of :mod:`tsunagu.accounts.scope`, kept so existing imports keep working.

New code imports from ``tsunagu.accounts.scope``.
"""

from tsunagu.accounts.scope import (
    AREA_EDITOR_ROLES,
    MUNICIPAL_EDITOR_ROLES,
    READER_ROLES,
    Scoped,
    UserScope,
    Visibility,
    can_create_municipality,
    can_edit,
    can_edit_area,
    can_view,
    forget_scope,
    municipalities_creatable_to,
    municipalities_editable_to,
    municipalities_visible_to,
    prefectures_editable_to,
    prefectures_visible_to,
    record_visible,
    scope_for,
    scope_q,
    visible_q,
)

__all__ = [
    "AREA_EDITOR_ROLES",
    "MUNICIPAL_EDITOR_ROLES",
    "READER_ROLES",
    "Scoped",
    "UserScope",
    "Visibility",
    "can_create_municipality",
    "can_edit",
    "can_edit_area",
    "can_view",
    "forget_scope",
    "municipalities_creatable_to",
    "municipalities_editable_to",
    "municipalities_visible_to",
    "prefectures_editable_to",
    "prefectures_visible_to",
    "record_visible",
    "scope_for",
    "scope_q",
    "visible_q",
]
