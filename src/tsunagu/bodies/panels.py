"""The bodies app's dashboard panel: the user's bodies with their next meeting, and overdue 宿題."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagu.core.panels import Panel, register_panel

PANEL_BODIES = 8
PANEL_OVERDUE = 5


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from tsunagu.bodies import selectors

    user = request.user
    visible = selectors.body_list_visible_to(user=user)
    if not visible.exists():
        return None
    mine = selectors.bodies_of_user(user=user)
    own = mine.exists()
    # Without a seat of one's own (e.g. municipal staff), the bodies meeting soonest.
    bodies = selectors.with_schedule_summary(mine if own else visible)
    if not own:
        bodies = bodies.filter(next_meeting_at__isnull=False)
    bodies = bodies.order_by("next_meeting_at", "name")
    overdue = selectors.overdue_action_items(user=user)
    return {
        "bodies": list(bodies[:PANEL_BODIES]),
        "own": own,
        "overdue_items": list(overdue[:PANEL_OVERDUE]),
        "overdue_count": overdue.count(),
    }


def register() -> None:
    register_panel(
        Panel(
            key="bodies.my_bodies",
            title=_("会議体と宿題"),
            template="bodies/panel_my_bodies.html",
            context=_context,
            order=30,
        )
    )
