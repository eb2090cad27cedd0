"""The engagements dashboard panel: follow-ups due (or due within 30 days), stalled engagements
and overdue roadmap items, for what the user may see. Registered in ``EngagementsConfig.ready()``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagu.core.panels import Panel, register_panel

PANEL_LIST_LIMIT = 6


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from tsunagu.engagements import selectors

    user = request.user
    if not selectors.engagement_list_visible_to(user=user).exists():
        return None
    rows = selectors.follow_ups_due(user=user)
    overdue = selectors.overdue_milestones(user=user)
    if not rows and not overdue:
        return None
    return {
        "rows": rows[:PANEL_LIST_LIMIT],
        "more": max(0, len(rows) - PANEL_LIST_LIMIT),
        "overdue_milestones": len(overdue),
    }


def register() -> None:
    register_panel(
        Panel(
            key="engagements.follow_ups",
            title=_("伴走的支援のフォローアップ"),
            template="engagements/panel_followups.html",
            context=_context,
            order=45,
        )
    )
