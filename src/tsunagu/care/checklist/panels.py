"""Dashboard panel: the way to the basic checklist pages (records, surveys, report)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tsunagu.core.panels import Panel, register_panel


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from tsunagu.care.checklist import selectors

    user = request.user
    can_records = selectors.import_municipalities(user).exists()
    can_surveys = selectors.survey_municipalities(user).exists()
    if not (can_records or can_surveys):
        return None
    return {"can_records": can_records, "can_surveys": can_surveys}


def register() -> None:
    register_panel(
        Panel(
            key="care.checklist",
            title=_("基本チェックリスト・介護予防"),
            template="care/checklist/panel.html",
            context=_context,
            order=70,
        )
    )
