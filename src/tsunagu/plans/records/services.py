"""Writes of plans: plans, their items (goals and items, one level deep) and the links from
the records that serve an item. Every write checks the right, validates and keeps history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from tsunagu.accounts.permissions import can_edit
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import UNSET, Unset, apply_fields, field_names
from tsunagu.core.history import delete_with_history, save_with_history
from tsunagu.plans.records.models import (
    LINK_TARGET_FIELDS,
    LinkKind,
    Plan,
    PlanItem,
    PlanItemLink,
)


@dataclass(frozen=True, kw_only=True)
class PlanFields:
    """What creating or changing a plan sets; UNSET = not given (left as it is)."""

    kind: str | Unset = UNSET
    title: str | Unset = UNSET
    term_number: int | Unset | None = UNSET
    first_fiscal_year: int | Unset | None = UNSET
    last_fiscal_year: int | Unset | None = UNSET
    adopted_year: int | Unset | None = UNSET
    adopted_month: int | Unset | None = UNSET
    owner_organisation: Any | Unset | None = UNSET
    owner_department: str | Unset = UNSET
    description: str | Unset = UNSET
    source: str | Unset = UNSET


@dataclass(frozen=True, kw_only=True)
class PlanItemFields:
    parent: PlanItem | Unset | None = UNSET
    number: str | Unset = UNSET
    title: str | Unset = UNSET
    description: str | Unset = UNSET
    wording_inferred: bool | Unset = UNSET
    sort_order: int | Unset = UNSET
    source: str | Unset = UNSET


PLAN_FIELDS = field_names(PlanFields)
ITEM_FIELDS = field_names(PlanItemFields)


def _check_plan(plan: Plan) -> None:
    first, last = plan.first_fiscal_year, plan.last_fiscal_year
    if first is not None and last is not None and last < first:
        raise TsunaguError(
            "計画期間の最終年度は初年度と同じか後にしてください。", field="last_fiscal_year"
        )
    if plan.adopted_month is not None and plan.adopted_year is None:
        raise TsunaguError("策定の月を入れるときは年も入れてください。", field="adopted_year")
    owner = plan.owner_organisation
    if owner is not None and owner.municipality_id not in (None, plan.municipality_id):
        raise TsunaguError(
            f"「{owner}」は{plan.municipality}の団体ではありません。", field="owner_organisation"
        )


@transaction.atomic
def plan_create(*, municipality: Any, fields: PlanFields, actor: Any) -> Plan:
    if not can_edit(actor, municipality):
        raise PermissionDenied()
    plan = Plan(municipality=municipality)
    apply_fields(plan, fields, PLAN_FIELDS)
    _check_plan(plan)
    save_with_history(plan, actor=actor, action="plans.plan.create")
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, fields: PlanFields, actor: Any) -> Plan:
    if not can_edit(actor, plan):
        raise PermissionDenied()
    if apply_fields(plan, fields, PLAN_FIELDS):
        _check_plan(plan)
        save_with_history(plan, actor=actor, action="plans.plan.update")
    return plan


def _check_parent(item: PlanItem) -> None:
    parent = item.parent
    if parent is None:
        return
    if parent.plan_id != item.plan_id:
        raise TsunaguError("上位の目標は同じ計画から選んでください。", field="parent")
    if parent.parent_id is not None:
        raise TsunaguError(
            "項目の下にさらに項目は作れません（目標と項目の2段までです）。", field="parent"
        )
    if item.pk is not None and (parent.pk == item.pk or item.children.exists()):
        raise TsunaguError("項目を持つ目標は、別の目標の下に移せません。", field="parent")


@transaction.atomic
def plan_item_add(*, plan: Plan, fields: PlanItemFields, actor: Any) -> PlanItem:
    if not can_edit(actor, plan):
        raise PermissionDenied()
    item = PlanItem(plan=plan)
    apply_fields(item, fields, ITEM_FIELDS)
    _check_parent(item)
    save_with_history(item, actor=actor, action="plans.item.add")
    return item


@transaction.atomic
def plan_item_update(*, item: PlanItem, fields: PlanItemFields, actor: Any) -> PlanItem:
    if not can_edit(actor, item.plan):
        raise PermissionDenied()
    if apply_fields(item, fields, ITEM_FIELDS):
        _check_parent(item)
        save_with_history(item, actor=actor, action="plans.item.update")
    return item


@transaction.atomic
def plan_item_link_add(
    *, item: PlanItem, kind: str, target: Any, actor: Any, note: str = "", source: str = ""
) -> PlanItemLink:
    """Link a record (regional issue, service B group, program instance, mobility service,
    milestone) of the
    plan's municipality to ``item``. The actor must be able to edit both the plan and the
    record's municipality; a record already linked to the item is refused."""
    plan = item.plan
    if not can_edit(actor, plan):
        raise PermissionDenied()
    link_kind = LinkKind(kind)
    field = LINK_TARGET_FIELDS[link_kind]
    scope_owner = target.roadmap if link_kind == LinkKind.MILESTONE else target
    if scope_owner.scope_municipality_id != plan.municipality_id:
        raise TsunaguError(f"{plan.municipality}の記録を選んでください。", field=field)
    if PlanItemLink.objects.filter(item=item, **{field: target}).exists():
        raise TsunaguError("この項目にはすでにつながっています。", field=field)
    link = PlanItemLink(item=item, kind=link_kind, note=note, source=source, **{field: target})
    save_with_history(link, actor=actor, action="plans.link.add")
    return link


@transaction.atomic
def plan_item_link_remove(*, link: PlanItemLink, actor: Any) -> None:
    if not can_edit(actor, link.item.plan):
        raise PermissionDenied()
    delete_with_history(link, actor=actor, action="plans.link.remove")
