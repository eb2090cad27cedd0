"""Writes of role agreements (規範的統合): the agreement, its role table (child rows whose
changes go on the agreement's history) and its reviews."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from tsunagu.accounts.permissions import can_edit
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import UNSET, Unset, apply_fields, field_names
from tsunagu.core.history import record_children_change, save_with_history
from tsunagu.plans.agreements.models import AgreedRole, AgreementReview, RoleAgreement


@dataclass(frozen=True, kw_only=True)
class AgreementFields:
    engagement: Any | Unset | None = UNSET
    title: str | Unset = UNSET
    vision: str | Unset = UNSET
    agreed_on: datetime.date | Unset | None = UNSET
    agreed_by: str | Unset = UNSET
    source: str | Unset = UNSET


AGREEMENT_FIELDS = field_names(AgreementFields)
ROLES_LABEL = "役割分担"


def _check(agreement: RoleAgreement) -> None:
    engagement = agreement.engagement
    if engagement is not None and engagement.municipality_id != agreement.municipality_id:
        raise TsunaguError(
            f"{agreement.municipality}の伴走的支援を選んでください。", field="engagement"
        )


@transaction.atomic
def agreement_create(*, municipality: Any, fields: AgreementFields, actor: Any) -> RoleAgreement:
    if not can_edit(actor, municipality):
        raise PermissionDenied()
    agreement = RoleAgreement(municipality=municipality)
    apply_fields(agreement, fields, AGREEMENT_FIELDS)
    _check(agreement)
    save_with_history(agreement, actor=actor, action="plans.agreement.create")
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: RoleAgreement, fields: AgreementFields, actor: Any
) -> RoleAgreement:
    if not can_edit(actor, agreement):
        raise PermissionDenied()
    if apply_fields(agreement, fields, AGREEMENT_FIELDS):
        _check(agreement)
        save_with_history(agreement, actor=actor, action="plans.agreement.update")
    return agreement


def _lines(agreement: RoleAgreement) -> list[str]:
    return [role.line() for role in agreement.roles.select_related("organisation")]


@transaction.atomic
def agreement_role_add(
    *,
    agreement: RoleAgreement,
    role: str,
    actor: Any,
    organisation: Any = None,
    department: str = "",
    inferred: bool = False,
    sort_order: int = 100,
) -> AgreedRole:
    """Add a row to the role table: a directory organisation or a department by name."""
    if not can_edit(actor, agreement):
        raise PermissionDenied()
    if organisation is None and not department.strip():
        raise TsunaguError("団体を選ぶか、部署・団体の名称を入力してください。", field="department")
    if organisation is not None and organisation.municipality_id not in (
        None,
        agreement.municipality_id,
    ):
        raise TsunaguError(
            f"「{organisation}」は{agreement.municipality}の団体ではありません。",
            field="organisation",
        )
    before = _lines(agreement)
    row = AgreedRole(
        agreement=agreement,
        organisation=organisation,
        department=department.strip(),
        role=role,
        inferred=inferred,
        sort_order=sort_order,
    )
    row.full_clean()
    row.save()
    record_children_change(
        agreement,
        actor=actor,
        action="plans.agreement.roles_change",
        changes=[(ROLES_LABEL, before, _lines(agreement))],
    )
    return row


@transaction.atomic
def agreement_role_remove(*, role: AgreedRole, actor: Any) -> None:
    agreement = role.agreement
    if not can_edit(actor, agreement):
        raise PermissionDenied()
    before = _lines(agreement)
    role.delete()
    record_children_change(
        agreement,
        actor=actor,
        action="plans.agreement.roles_change",
        changes=[(ROLES_LABEL, before, _lines(agreement))],
    )


@transaction.atomic
def agreement_review(
    *,
    agreement: RoleAgreement,
    reviewed_on: datetime.date,
    actor: Any,
    by_whom: str = "",
    note: str = "",
) -> AgreementReview:
    """Record that the agreement was reviewed (the yearly review the reminder asks for)."""
    if not can_edit(actor, agreement):
        raise PermissionDenied()
    review = AgreementReview(
        agreement=agreement,
        reviewed_on=reviewed_on,
        by_whom=by_whom,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) and actor.is_active else None,
    )
    save_with_history(review, actor=actor, action="plans.agreement.review")
    return review
