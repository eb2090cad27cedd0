"""The main-menu entry 「住民」: only for holders of the care right, only with records on
(filled into core's ``main_nav_items`` hook by the care plugin)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.care.access import can_open_residents


def main_nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    if not can_open_residents(request.user):
        return []
    match = getattr(request, "resolver_match", None)
    return [
        {
            "label": _("住民"),
            "url": reverse("care:resident_list"),
            "active": bool(match and match.app_name == "care"),
        }
    ]
