"""Directory dashboard panel: stale records to verify in the user's municipalities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagu.core.panels import Panel, register_panel


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from tsunagu.directory.counts import directory_counts_kept

    counts = directory_counts_kept(user=request.user)
    if not counts["organisations"] and not counts["resources"]:
        return None
    return counts


def register() -> None:
    register_panel(
        Panel(
            key="directory.summary",
            title=_("地域資源ディレクトリ"),
            template="directory/panel_summary.html",
            context=_context,
            order=20,
        )
    )
