"""What the rides pages share: the service lookup, the rights checks, the date parameter and
the template context every service page gets."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.mobility.models import (
    MobilityService,
)
from tsunagu.mobility.permissions import (
    can_edit_service,
    can_manage_rides,
    can_view_riders,
)
from tsunagu.mobility.rides import selectors

WRITE_ERRORS = (ValidationError, TsunaguError)


def service_for(request: HttpRequest, service_id: int) -> MobilityService:
    return selectors.service_get_for_user(user=request.user, service_id=service_id)


def require_edit(request: HttpRequest, service: MobilityService) -> None:
    if not can_edit_service(request.user, service):
        raise PermissionDenied()


def require_rides(request: HttpRequest, service: MobilityService) -> None:
    if not can_manage_rides(request.user, service):
        raise PermissionDenied(_("送迎の受付をする権限がありません。"))


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def page_context(request: HttpRequest, service: MobilityService, **extra: Any) -> dict[str, Any]:
    return {
        "service": service,
        "can_edit": can_edit_service(request.user, service),
        "can_rides": can_manage_rides(request.user, service),
        "show_names": can_view_riders(request.user, service),
        **extra,
    }


def section_links() -> list[tuple[str, str]]:
    """Links to the other mobility sections (surveys, legal check, transit, gap analysis)."""
    return [
        (reverse("mobility_surveys:list"), _("移動のニーズ調査")),
        (reverse("mobility_legal:check"), _("道路運送法のチェック")),
        (reverse("transit:feed_list"), _("路線バス・デマンド交通の時刻表（GTFS）")),
        (reverse("transit:coexistence"), _("公共交通との共存の確認")),
        (reverse("transit_gap:analysis"), _("交通空白の分析")),
    ]
