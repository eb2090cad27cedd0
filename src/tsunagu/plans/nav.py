"""The main-menu entry 「計画」 (core's ``main_nav_items`` hook)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def main_nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    match = getattr(request, "resolver_match", None)
    return [
        {
            "label": _("計画"),
            "url": reverse("plans:list"),
            "active": bool(match and match.app_name == "plans"),
        }
    ]
