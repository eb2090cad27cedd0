"""Writes of the 総合事業's money: costs by service type, the 上限額 as entered, grants."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from tsunagu.accounts.permissions import can_edit
from tsunagu.areas.models import Municipality
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import apply_fields
from tsunagu.core.history import save_with_history
from tsunagu.plans.money.models import CostCap, GrantReceipt, ServiceCost


def _check(actor: Any, municipality: Municipality) -> None:
    if not can_edit(actor, municipality):
        raise PermissionDenied("この市町村の事業費を記録する権限がありません。")


def _save(
    row: models.Model, *, actor: Any, action: str, creating: bool, changed: list[str]
) -> None:
    if not creating and not changed:
        return
    try:
        row.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise TsunaguError(messages[0], field=field) from error
    save_with_history(row, actor=actor, action=action)


def service_cost_record(
    *,
    actor: Any,
    municipality: Municipality,
    fiscal_year: int,
    service_type: str,
    amount: int,
    source: str = "",
    is_synthetic: bool = False,
) -> ServiceCost:
    """Set one service type's cost for a year (a second record for the year replaces it)."""
    _check(actor, municipality)
    with transaction.atomic():
        row = (
            ServiceCost.objects.select_for_update(of=("self",))
            .filter(municipality=municipality, fiscal_year=fiscal_year, service_type=service_type)
            .first()
        )
        creating = row is None
        row = row or ServiceCost(
            municipality=municipality, fiscal_year=fiscal_year, service_type=service_type
        )
        changed = apply_fields(
            row, {"amount": amount, "source": source, "is_synthetic": is_synthetic}
        )
        _save(
            row, actor=actor, action="plans.service_cost.record", creating=creating, changed=changed
        )
    return row


def cost_cap_record(
    *,
    actor: Any,
    municipality: Municipality,
    fiscal_year: int,
    kind: str,
    amount: int,
    basis: str,
    individual_consultation: bool = False,
    consultation_amount: int | None = None,
    source: str = "",
    is_synthetic: bool = False,
) -> CostCap:
    """The year's 上限額 as the municipality entered it (kind, amount, basis in words), and
    the amount 個別協議 adds when it applies. Nothing is computed here (DOMAIN 4.6)."""
    _check(actor, municipality)
    with transaction.atomic():
        row = (
            CostCap.objects.select_for_update(of=("self",))
            .filter(municipality=municipality, fiscal_year=fiscal_year)
            .first()
        )
        creating = row is None
        row = row or CostCap(municipality=municipality, fiscal_year=fiscal_year)
        changed = apply_fields(
            row,
            {
                "kind": kind,
                "amount": amount,
                "basis": basis.strip(),
                "individual_consultation": individual_consultation,
                "consultation_amount": consultation_amount,
                "source": source,
                "is_synthetic": is_synthetic,
            },
        )
        _save(row, actor=actor, action="plans.cost_cap.record", creating=creating, changed=changed)
    return row


def grant_record(
    *,
    actor: Any,
    municipality: Municipality,
    fiscal_year: int,
    program: str,
    amount: int,
    source: str = "",
    is_synthetic: bool = False,
) -> GrantReceipt:
    """地域支援事業交付金 received for a year and program (replaces that pair's amount)."""
    _check(actor, municipality)
    program = program.strip()
    with transaction.atomic():
        row = (
            GrantReceipt.objects.select_for_update(of=("self",))
            .filter(municipality=municipality, fiscal_year=fiscal_year, program=program)
            .first()
        )
        creating = row is None
        row = row or GrantReceipt(
            municipality=municipality, fiscal_year=fiscal_year, program=program
        )
        changed = apply_fields(
            row, {"amount": amount, "source": source, "is_synthetic": is_synthetic}
        )
        _save(row, actor=actor, action="plans.grant.record", creating=creating, changed=changed)
    return row
