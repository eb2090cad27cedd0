"""The dashboard panel 「動きのない担当」: the reader's stale items (a few, then a link)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.panels import Panel, register_panel

PANEL_LIST_LIMIT = 5


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from tsunagu.continuity.models import Stewardship
    from tsunagu.continuity.stale.digest import stale_items_for

    user = request.user
    today = timezone.localdate()
    if not Stewardship.objects.filter(user=user).active_on(today).exists():
        return None
    items = stale_items_for(user=user, today=today)
    return {
        "items": items[:PANEL_LIST_LIMIT],
        "total": len(items),
        "more": len(items) > PANEL_LIST_LIMIT,
    }


def register() -> None:
    register_panel(
        Panel(
            "continuity_stale",
            _("動きのない担当"),
            "continuity/panel_stale.html",
            _context,
            order=40,
        )
    )
