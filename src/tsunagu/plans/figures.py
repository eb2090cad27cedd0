"""How indicators, money, councils and prefecture case sheets hook in: the menu entry
「指標・財政」 and the ``--prefecture`` option of ``tsunagu case-sheet``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.core.plugins import register_hook

PREFECTURE_OPTION = (
    "--prefecture",
    "都道府県名または都道府県コード（都道府県の事例表）",
    "tsunagu.plans.casesheets.cli:cmd_prefecture_case_sheet",
)


def main_nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    match = getattr(request, "resolver_match", None)
    return [
        {
            "label": _("指標・財政"),
            "url": reverse("indicators:hub"),
            "active": bool(
                match
                and match.app_name in ("indicators", "money", "councils", "prefecture_casesheets")
            ),
        }
    ]


def case_sheet_prefecture_option() -> tuple[str, str, str]:
    return PREFECTURE_OPTION


def register() -> None:
    register_hook("main_nav_items", "plans.figures", main_nav_items)
    register_hook("case_sheet_subjects", "plans.prefecture", case_sheet_prefecture_option)
