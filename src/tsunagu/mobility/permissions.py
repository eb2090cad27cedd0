"""Who may do what in mobility support (移動支援).

- Seeing a service (its plan, drivers, vehicles, day plans, counts): whoever sees its
  municipality (:func:`tsunagu.accounts.permissions.can_view`).
- Changing a service, its drivers and vehicles: municipal editors of the municipality and the
  members of the operating organisation (運営団体).
- Riders and ride requests with names (要配慮個人情報): only the operating organisation's members
  and municipal staff with ``can_view_personal_data`` for that municipality. System
  administrators are not included on purpose: operating the system is not a reason to read
  health and mobility needs. Booking, status changes and day planning need the same right,
  because they show riders.
"""

from __future__ import annotations

from typing import Any

from tsunagu.accounts.permissions import can_edit, can_view, scope_for
from tsunagu.mobility.models import MobilityService


def can_view_service(user: Any, service: MobilityService) -> bool:
    if can_view(user, service):
        return True
    return service.operator_id in scope_for(user).organisation_ids


def can_edit_service(user: Any, service: MobilityService) -> bool:
    """Municipal editors of the service's municipality, or members of its operator."""
    if can_edit(user, service):
        return True
    return service.operator_id in scope_for(user).organisation_ids


def can_view_riders(user: Any, service: MobilityService) -> bool:
    """Personal data of the service's riders (names, contact, needs)."""
    scope = scope_for(user)
    if service.operator_id in scope.organisation_ids:
        return True
    return service.municipality_id in scope.personal_data_municipality_ids


def can_manage_rides(user: Any, service: MobilityService) -> bool:
    """Book rides, register riders, change request statuses, plan the day."""
    return can_view_riders(user, service)


def can_create_service(user: Any, municipality: Any) -> bool:
    scope = scope_for(user)
    return scope.is_system_admin or municipality.pk in scope.editable_municipality_ids
