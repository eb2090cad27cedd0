"""Writes of PDCA cycles: create, update (Plan, Check, Act and the insights chosen), and the
carry-over into next year (a new cycle whose Plan is this Act, and a milestone on the
engagement's roadmap through the engagements' service)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from tsunagu.accounts.permissions import can_edit
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import UNSET, Unset, apply_fields, field_names, given
from tsunagu.core.history import save_with_history, set_history_context
from tsunagu.core.wareki import format_fiscal_year
from tsunagu.plans.pdca.models import PdcaCycle


@dataclass(frozen=True, kw_only=True)
class PdcaFields:
    goal: str | Unset = UNSET
    indicator: str | Unset = UNSET
    target: str | Unset = UNSET
    indicator_value: str | Unset = UNSET
    check_note: str | Unset = UNSET
    act: str | Unset = UNSET
    insights: list[Any] | Unset = UNSET


PDCA_FIELDS = tuple(name for name in field_names(PdcaFields) if name != "insights")


def _set_insights(cycle: PdcaCycle, fields: PdcaFields) -> None:
    insights = given(fields).get("insights")
    if insights is None:
        return
    for insight in insights:
        if insight.engagement.municipality_id != cycle.municipality_id:
            raise TsunaguError(f"{cycle.municipality}の気づきを選んでください。", field="insights")
    cycle.insights.set(insights)


@transaction.atomic
def pdca_create(
    *,
    fiscal_year: int,
    fields: PdcaFields,
    actor: Any,
    engagement: Any = None,
    plan_item: Any = None,
) -> PdcaCycle:
    """A cycle for one fiscal year of an engagement or of a plan item (exactly one)."""
    if (engagement is None) == (plan_item is None):
        raise TsunaguError("伴走的支援か計画の項目のどちらか一つを選んでください。")
    municipality = engagement.municipality if engagement else plan_item.plan.municipality
    if not can_edit(actor, municipality):
        raise PermissionDenied()
    existing = PdcaCycle.objects.filter(
        fiscal_year=fiscal_year,
        **({"engagement": engagement} if engagement else {"plan_item": plan_item}),
    )
    if existing.exists():
        raise TsunaguError(
            f"{format_fiscal_year(fiscal_year)}の PDCA はすでにあります。", field="fiscal_year"
        )
    cycle = PdcaCycle(
        municipality=municipality,
        fiscal_year=fiscal_year,
        engagement=engagement,
        plan_item=plan_item,
    )
    apply_fields(cycle, fields, PDCA_FIELDS)
    save_with_history(cycle, actor=actor, action="plans.pdca.create")
    set_history_context(cycle, actor=actor, action="plans.pdca.create")
    _set_insights(cycle, fields)
    return cycle


@transaction.atomic
def pdca_update(*, cycle: PdcaCycle, fields: PdcaFields, actor: Any) -> PdcaCycle:
    if not can_edit(actor, cycle):
        raise PermissionDenied()
    if apply_fields(cycle, fields, PDCA_FIELDS):
        save_with_history(cycle, actor=actor, action="plans.pdca.update")
    set_history_context(cycle, actor=actor, action="plans.pdca.update")
    _set_insights(cycle, fields)
    return cycle


def _roadmap_for(engagement: Any, year: int, actor: Any) -> Any:
    """The engagement's roadmap that will hold next year's milestone (its period extended to
    ``year`` if needed), or a new one."""
    from tsunagu.engagements.commands import RoadmapFields
    from tsunagu.engagements.models import Roadmap
    from tsunagu.engagements.services import roadmap_create, roadmap_update

    roadmap = Roadmap.objects.filter(engagement=engagement).order_by("-last_fiscal_year").first()
    if roadmap is None:
        return roadmap_create(
            municipality=engagement.municipality,
            fields=RoadmapFields(
                engagement=engagement,
                title=f"{engagement.theme}のロードマップ",
                first_fiscal_year=year,
                last_fiscal_year=year,
            ),
            actor=actor,
        )
    if roadmap.last_fiscal_year < year:
        roadmap = roadmap_update(
            roadmap=roadmap, fields=RoadmapFields(last_fiscal_year=year), actor=actor
        )
    return roadmap


@transaction.atomic
def pdca_carry_over(*, cycle: PdcaCycle, actor: Any) -> PdcaCycle:
    """Next year's cycle with this year's Act as its goal (Plan); for an engagement, a
    milestone of next year on its roadmap says the same. Needs an Act; done once."""
    from tsunagu.engagements.commands import MilestoneFields
    from tsunagu.engagements.services import milestone_add

    if not can_edit(actor, cycle):
        raise PermissionDenied()
    if not cycle.act.strip():
        raise TsunaguError(
            "翌年度に引き継ぐには、改善・次に変えること（Act）を入力してください。", field="act"
        )
    if PdcaCycle.objects.filter(carried_from=cycle).exists():
        raise TsunaguError("このサイクルはすでに翌年度に引き継いでいます。")
    year = cycle.fiscal_year + 1
    milestone = None
    if cycle.engagement_id is not None:
        roadmap = _roadmap_for(cycle.engagement, year, actor)
        milestone = milestone_add(
            roadmap=roadmap,
            fields=MilestoneFields(
                fiscal_year=year,
                title=cycle.act.strip().splitlines()[0][:200],
                description=(
                    f"{format_fiscal_year(cycle.fiscal_year)}の PDCA（Act）から引き継ぎ。\n"
                    f"{cycle.act.strip()}"
                ),
            ),
            actor=actor,
        )
    next_cycle = pdca_create(
        fiscal_year=year,
        fields=PdcaFields(goal=cycle.act.strip(), indicator=cycle.indicator, target=cycle.target),
        actor=actor,
        engagement=cycle.engagement,
        plan_item=cycle.plan_item,
    )
    next_cycle.carried_from = cycle
    next_cycle.carried_milestone = milestone
    save_with_history(next_cycle, actor=actor, action="plans.pdca.carry_over")
    return next_cycle
