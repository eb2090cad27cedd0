"""Extension points of the body and meeting pages, filled by apps above bodies.

The regional-issues app shows on a body's page the issues raised there, on a meeting's
page those raised at it, and offers its issues to an action item; bodies never imports it
(dependencies point one way, docs/architecture.md). An app registers with
``core.plugins.register_hook(<name>, <key>, function)`` in its ``AppConfig.ready()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from tsunagu.bodies.models import ActionItem
from tsunagu.core.plugins import hooks

# function(*, user, body, can_edit) -> Section | None
BODY_DETAIL_SECTIONS = "body_detail_sections"
# function(*, user, meeting, can_edit) -> Section | None
MEETING_DETAIL_SECTIONS = "meeting_detail_sections"
# function(*, user, municipality) -> QuerySet of the records an action item may refer to
ACTION_ITEM_ISSUES = "body_action_item_issues"


@dataclass(frozen=True)
class Section:
    """A section of a page: its template (included with ``section`` in the context), the
    id of its heading (for the page's table of contents) and the heading's text."""

    template: str
    anchor: str
    label: str
    context: dict[str, Any] = field(default_factory=dict)


def sections(name: str, **kwargs: Any) -> list[Section]:
    return [s for provide in hooks(name) if (s := provide(**kwargs)) is not None]


def action_item_issues(*, user: Any, municipality: Any) -> QuerySet[Any]:
    """The regional issues an action item may refer to (none when no app provides them)."""
    for provide in hooks(ACTION_ITEM_ISSUES):
        return provide(user=user, municipality=municipality)
    related = ActionItem._meta.get_field("regional_issue").related_model
    return related._default_manager.none()  # type: ignore[union-attr]
