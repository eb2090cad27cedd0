"""Reads of PDCA cycles, scoped, and the Do of a cycle derived from the links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from tsunagu.accounts.permissions import can_view, scope_q
from tsunagu.core.errors import NotFound
from tsunagu.core.wareki import fiscal_year_range, format_date, format_fiscal_year
from tsunagu.plans.pdca.models import PdcaCycle


def pdca_list_visible_to(*, user: Any) -> QuerySet[PdcaCycle]:
    return PdcaCycle.objects.filter(scope_q(user)).select_related(
        "municipality", "engagement", "plan_item__plan"
    )


def pdca_get_for_user(*, user: Any, pk: int) -> PdcaCycle:
    cycle = (
        PdcaCycle.objects.select_related(
            "municipality__prefecture",
            "engagement__program",
            "plan_item__plan",
            "carried_from",
            "carried_milestone__roadmap",
        )
        .prefetch_related("insights__visit")
        .filter(pk=pk)
        .first()
    )
    if cycle is None or not can_view(user, cycle):
        raise NotFound()
    return cycle


@dataclass
class Activity:
    kind: str
    label: str
    url: str


def pdca_activities(cycle: PdcaCycle) -> list[Activity]:
    """Do: what was done for the subject in the cycle's fiscal year, from the links — a plan
    item's linked records; an engagement's visits and roadmap milestones of the year and
    the regional issues it names."""
    from tsunagu.plans.records.selectors import link_target_label, link_target_url

    if cycle.plan_item_id is not None:
        return [
            Activity(link.get_kind_display(), link_target_label(link), link_target_url(link))
            for link in cycle.plan_item.links.select_related(
                "issue", "service_b_group", "mobility_service", "milestone__roadmap"
            )
        ]
    engagement = cycle.engagement
    start, end = fiscal_year_range(cycle.fiscal_year)
    activities = [
        Activity(
            "訪問",
            f"第{visit.number}回 {format_date(visit.visited_on)} {visit.focus or ''}".strip(),
            reverse("engagements:detail", args=[engagement.pk]) + f"#visit-{visit.pk}",
        )
        for visit in engagement.visits.filter(visited_on__gte=start, visited_on__lte=end).order_by(
            "number"
        )
    ]
    from tsunagu.engagements.models import Milestone

    for milestone in Milestone.objects.filter(
        roadmap__engagement=engagement, fiscal_year=cycle.fiscal_year
    ).select_related("roadmap"):
        activities.append(
            Activity(
                "ロードマップ",
                f"{milestone.title}（{milestone.get_status_display()}）",
                reverse("engagements:roadmap", args=[milestone.roadmap_id]),
            )
        )
    for issue in engagement.issues.all():
        activities.append(
            Activity("地域課題", issue.title, reverse("regional_issues:detail", args=[issue.pk]))
        )
    return activities


def insight_choices(*, engagement: Any, municipality: Any, fiscal_year: int) -> QuerySet[Any]:
    """Insights recorded on visits of the fiscal year: of the engagement, or (for a plan item)
    of every engagement of the municipality."""
    from tsunagu.engagements.models import Insight

    start, end = fiscal_year_range(fiscal_year)
    insights = Insight.objects.filter(visit__visited_on__gte=start, visit__visited_on__lte=end)
    if engagement is not None:
        insights = insights.filter(engagement=engagement)
    else:
        insights = insights.filter(engagement__municipality=municipality)
    return insights.select_related("visit")


def cycle_title(cycle: PdcaCycle) -> str:
    return f"{format_fiscal_year(cycle.fiscal_year)} PDCA: {cycle.subject}"
