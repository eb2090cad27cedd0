"""Saving a 道路運送法 check on a mobility service (移動支援の取組).

Who may save: whoever may edit the service — municipal staff, care-centre staff and
coordinators (SC) of its municipality, and members of its operating organisation.
Everyone who sees the municipality may read the saved result.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tsunagu.accounts.permissions import can_view, scope_for
from tsunagu.core.errors import NotFound, PermissionDenied
from tsunagu.core.history import save_with_history
from tsunagu.mobility.legal.check import check_plan
from tsunagu.mobility.models import MobilityService
from tsunagu.mobility.permissions import can_edit_service


def services_editable_by(*, user: Any) -> list[MobilityService]:
    """Services whose legal check this user may save (for the choice on the result page)."""
    scope = scope_for(user)
    queryset = MobilityService.objects.select_related("municipality", "operator")
    if not scope.is_system_admin:
        queryset = queryset.filter(
            Q(municipality_id__in=scope.editable_municipality_ids)
            | Q(operator_id__in=scope.organisation_ids)
        )
    return list(queryset.order_by("municipality__code", "name"))


def service_get_for_user(*, user: Any, service_id: int) -> MobilityService:
    """The service if the user may see it; NotFound otherwise (missing or out of scope)."""
    service = (
        MobilityService.objects.select_related("municipality", "operator")
        .filter(pk=service_id)
        .first()
    )
    if service is None or not (can_view(user, service) or can_edit_service(user, service)):
        raise NotFound()
    return service


def service_legal_check_save(
    *, service: MobilityService, plan: dict[str, Any], actor: Any
) -> MobilityService:
    """Check ``plan`` and store plan, result and time on ``service`` (with a history row).

    Raises PermissionDenied if ``actor`` may not edit the service, LegalPlanError if the plan
    is invalid; nothing is written in either case.
    """
    if not can_edit_service(actor, service):
        raise PermissionDenied()
    result = check_plan(plan)
    with transaction.atomic():
        locked = MobilityService.objects.select_for_update().get(pk=service.pk)
        locked.legal_plan = result["plan"]
        locked.legal_result = result
        locked.legal_checked_at = timezone.now()
        save_with_history(locked, actor=actor, action="mobility.legal_check.save")
    return locked
