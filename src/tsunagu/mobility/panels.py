"""Dashboard panel of mobility support: compliance reminders and today's unplanned requests.

Registered in ``MobilityConfig.ready()`` so the dashboard shows it without importing this app.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.panels import Panel, register_panel

PANEL_LIST_LIMIT = 8


def panel_context(user: Any, today: datetime.date) -> dict[str, Any] | None:
    """What the panel shows for ``user`` on ``today`` (None when no service is visible)."""
    from tsunagu.mobility.rides import selectors

    services = list(selectors.service_list_visible_to(user=user))
    if not services:
        return None
    reminders = selectors.compliance_reminders(user=user, today=today)
    counts = Counter(r.service_id for r in selectors.unplanned_requests(user=user, date=today))
    unplanned = [(s, counts[s.pk]) for s in services if counts[s.pk]]
    return {
        "today": today,
        "reminders": reminders[:PANEL_LIST_LIMIT],
        "reminder_count": len(reminders),
        "unplanned": unplanned,
        "unplanned_count": sum(counts.values()),
    }


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from tsunagu.accounts.permissions import scope_for

    if scope_for(request.user).is_empty:
        return None
    return panel_context(request.user, timezone.localdate())


def register() -> None:
    register_panel(
        Panel(
            key="mobility.rides",
            title=_("移動支援"),
            template="mobility/panel_summary.html",
            context=_context,
            order=60,
        )
    )
