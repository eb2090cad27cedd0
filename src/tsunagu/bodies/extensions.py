"""Extension points of the body and meeting pages, filled by apps above bodies.

The regional-issues app shows on a body's page the issues raised there, on a meeting's
page those raised at it, and offers its issues to an action item; bodies never imports it
(dependencies point one way, docs/architecture.md). An app registers with
``core.plugins.register_hook(<name>, <key>, function)`` in its ``AppConfig.ready()``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tsunagu.bodies.models import ActionItem
from tsunagu.core.plugins import hooks
from tsunagu.core.sections import Section, sections

__all__ = [
    "ACTION_ITEM_ISSUES",
    "BODY_DETAIL_SECTIONS",
    "MEETING_DETAIL_SECTIONS",
    "Section",
    "action_item_issues",
    "sections",
]

# function(*, user, body, can_edit) -> Section | None
BODY_DETAIL_SECTIONS = "body_detail_sections"
# function(*, user, meeting, can_edit) -> Section | None
MEETING_DETAIL_SECTIONS = "meeting_detail_sections"
# function(*, user, municipality) -> QuerySet of the records an action item may refer to
ACTION_ITEM_ISSUES = "body_action_item_issues"


def action_item_issues(*, user: Any, municipality: Any) -> QuerySet[Any]:
    """The regional issues an action item may refer to (none when no app provides them)."""
    for provide in hooks(ACTION_ITEM_ISSUES):
        return provide(user=user, municipality=municipality)
    related = ActionItem._meta.get_field("regional_issue").related_model
    return related._default_manager.none()  # type: ignore[union-attr]
