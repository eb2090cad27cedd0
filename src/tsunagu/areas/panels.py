"""The areas app's dashboard panel: the user's areas with key figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagu.core.panels import Panel, register_panel


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from tsunagu.areas import selectors

    prefectures = selectors.prefecture_summaries_for(user=request.user)
    municipalities = selectors.municipality_summaries_for(user=request.user)
    if not prefectures and not municipalities:
        return None
    return {"prefectures": prefectures, "municipalities": municipalities}


def register() -> None:
    register_panel(
        Panel(
            key="areas.my_areas",
            title=_("担当区域の主な数値"),
            template="areas/panel_my_areas.html",
            context=_context,
            order=10,
        )
    )
