"""The riders (利用会員) of a mobility service as points of transit's gap analysis.

Transit sits below mobility and never imports it: this module registers a
:class:`~tsunagu.transit.gap.views.RiderSource` under ``RIDER_SOURCE_HOOK``.
Riders' homes are personal data: only users who may see the riders
(:func:`tsunagu.mobility.permissions.can_view_riders`) get individual points, and that read
is logged; everyone else gets aggregates.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tsunagu.accounts.services import log_personal_data_read
from tsunagu.core.errors import TsunaguError
from tsunagu.core.plugins import register_hook
from tsunagu.mobility.models import Rider
from tsunagu.mobility.permissions import can_view_riders
from tsunagu.mobility.rides.selectors import service_get_for_user, service_list_visible_to
from tsunagu.transit.gap import compute
from tsunagu.transit.gap.views import RIDER_SOURCE_HOOK, PointSource


class MobilityRiders:
    def services_visible_to(self, user: Any) -> Any:
        return service_list_visible_to(user=user).order_by("municipality__code", "name")

    def service_get_for_user(self, user: Any, pk: int) -> Any:
        return service_get_for_user(user=user, service_id=pk)

    def points(self, request: HttpRequest, service: Any) -> PointSource:
        rows = list(
            Rider.objects.filter(
                service=service,
                active=True,
                home_latitude__isnull=False,
                home_longitude__isnull=False,
            )
            .order_by("pk")
            .values_list("pk", "member_number", "home_latitude", "home_longitude", "district__name")
        )
        if not rows:
            raise TsunaguError(
                _("この取組には自宅の位置が登録された利用会員がいません。"), field="service"
            )
        individual = can_view_riders(request.user, service)
        if individual:
            log_personal_data_read(
                user=request.user,
                obj=service,
                purpose=f"空白分析（利用会員 {len(rows)} 人の自宅位置）",
                path=request.path,
            )
        points = compute.Points(
            lat=np.array([float(r[2]) for r in rows]),
            lon=np.array([float(r[3]) for r in rows]),
            weight=np.ones(len(rows)),
            # Member numbers only, never names; and only for users who may see riders.
            labels=(
                np.array([r[1] or f"#{r[0]}" for r in rows], dtype=object) if individual else None
            ),
            district=np.array([r[4] or "" for r in rows], dtype=object),
        )
        return PointSource(points=points, kind="riders", name=service.name, individual=individual)


def register() -> None:
    register_hook(RIDER_SOURCE_HOOK, "mobility", MobilityRiders)
