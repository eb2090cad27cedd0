"""Reads of plans, scoped to the user's municipalities: lists, the plan page with what each
item has behind it, the records a user may link, and the links of one record (for the
sections plans adds to other apps' pages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from tsunagu.accounts.permissions import can_view, scope_q
from tsunagu.core.errors import NotFound
from tsunagu.core.wareki import format_fiscal_year
from tsunagu.plans.records.models import LinkKind, Plan, PlanItem, PlanItemLink

LINK_SELECT = (
    "issue",
    "service_b_group",
    "mobility_service",
    "milestone__roadmap",
    "program",
)


def plan_list_visible_to(*, user: Any) -> QuerySet[Plan]:
    return Plan.objects.filter(scope_q(user)).select_related(
        "municipality__prefecture", "owner_organisation"
    )


def plan_get_for_user(*, user: Any, pk: int) -> Plan:
    plan = (
        Plan.objects.select_related("municipality__prefecture", "owner_organisation")
        .prefetch_related(
            Prefetch(
                "items__links",
                queryset=PlanItemLink.objects.select_related(*LINK_SELECT),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None or not can_view(user, plan):
        raise NotFound()
    return plan


def plan_item_get_for_user(*, user: Any, pk: int) -> PlanItem:
    item = PlanItem.objects.select_related("plan__municipality", "parent").filter(pk=pk).first()
    if item is None or not can_view(user, item.plan):
        raise NotFound()
    return item


def plan_link_get_for_user(*, user: Any, pk: int) -> PlanItemLink:
    link = (
        PlanItemLink.objects.select_related("item__plan__municipality", *LINK_SELECT)
        .filter(pk=pk)
        .first()
    )
    if link is None or not can_view(user, link.item.plan):
        raise NotFound()
    return link


def link_target_url(link: PlanItemLink) -> str:
    kind = LinkKind(link.kind)
    if kind == LinkKind.ISSUE:
        return reverse("regional_issues:detail", args=[link.issue_id])
    if kind == LinkKind.SERVICE_B:
        return reverse("service_b:group", args=[link.service_b_group_id])
    if kind == LinkKind.MOBILITY:
        return reverse("mobility:service_detail", args=[link.mobility_service_id])
    if kind == LinkKind.PROGRAM:
        return reverse("programs:instance-detail", args=[link.program_id])
    return reverse("engagements:roadmap", args=[link.milestone.roadmap_id])


def link_target_label(link: PlanItemLink) -> str:
    if link.kind == LinkKind.MILESTONE:
        milestone = link.milestone
        return f"{milestone.roadmap.title}: {format_fiscal_year(milestone.fiscal_year)} {milestone.title}"
    return str(link.target)


@dataclass
class ItemRow:
    item: PlanItem
    links: list[dict[str, Any]] = field(default_factory=list)
    children: list[ItemRow] = field(default_factory=list)

    @property
    def behind(self) -> int:
        """How many records serve this item (a goal counts its items' too)."""
        return len(self.links) + sum(child.behind for child in self.children)


@dataclass
class PlanCoverage:
    goals: list[ItemRow]
    uncovered: list[PlanItem]

    @property
    def item_count(self) -> int:
        return sum(1 + len(goal.children) for goal in self.goals)


def plan_coverage(plan: Plan) -> PlanCoverage:
    """The plan's goals with their items, each with the records linked to it, and the items
    with nothing behind them (a goal is covered when it or one of its items has a link)."""
    items = sorted(plan.items.all(), key=lambda i: (i.sort_order, i.pk))
    rows: dict[int, ItemRow] = {}
    for item in items:
        links = [
            {
                "link": link,
                "kind": link.get_kind_display(),
                "label": link_target_label(link),
                "url": link_target_url(link),
            }
            for link in item.links.all()
        ]
        rows[item.pk] = ItemRow(item, links)
    goals: list[ItemRow] = []
    for item in items:
        row = rows[item.pk]
        if item.parent_id is None:
            goals.append(row)
        elif item.parent_id in rows:
            rows[item.parent_id].children.append(row)
    uncovered = [row.item for goal in goals for row in (goal, *goal.children) if row.behind == 0]
    return PlanCoverage(goals, uncovered)


def link_candidates(*, user: Any, plan: Plan) -> dict[str, list[tuple[int, str]]]:
    """Records of the plan's municipality the user sees, per link kind: (id, label)."""
    from tsunagu.engagements.models import Milestone
    from tsunagu.engagements.selectors import roadmap_list_visible_to
    from tsunagu.mobility.rides.selectors import service_list_visible_to
    from tsunagu.programs.instances.selectors import instance_list_visible_to
    from tsunagu.programs.service_b.selectors import groups_visible_to
    from tsunagu.regional_issues.selectors import issue_list_visible_to

    municipality_id = plan.municipality_id
    roadmaps = roadmap_list_visible_to(user=user).filter(municipality_id=municipality_id)
    milestones = Milestone.objects.filter(roadmap__in=roadmaps).select_related("roadmap")
    return {
        LinkKind.ISSUE: [
            (i.pk, i.title)
            for i in issue_list_visible_to(user=user).filter(municipality_id=municipality_id)
        ],
        LinkKind.SERVICE_B: [
            (g.pk, g.name)
            for g in groups_visible_to(user=user).filter(municipality_id=municipality_id)
        ],
        LinkKind.MOBILITY: [
            (s.pk, s.name)
            for s in service_list_visible_to(user=user).filter(municipality_id=municipality_id)
        ],
        LinkKind.MILESTONE: [
            (m.pk, f"{m.roadmap.title}: {format_fiscal_year(m.fiscal_year)} {m.title}")
            for m in milestones.order_by("roadmap_id", "fiscal_year", "sort_order", "pk")
        ],
        LinkKind.PROGRAM: [
            (p.pk, f"{p.name}（{p.get_service_type_display()}）")
            for p in instance_list_visible_to(user=user, municipality_id=municipality_id).order_by(
                "name", "pk"
            )
        ],
    }


def link_target_for_user(*, user: Any, plan: Plan, kind: str, pk: int) -> Any:
    """The record of ``kind`` with id ``pk``, if the user sees it and it is the plan's
    municipality's; NotFound otherwise."""
    from tsunagu.engagements.models import Milestone
    from tsunagu.engagements.selectors import roadmap_list_visible_to
    from tsunagu.mobility.rides.selectors import service_list_visible_to
    from tsunagu.programs.instances.selectors import instance_list_visible_to
    from tsunagu.programs.service_b.selectors import groups_visible_to
    from tsunagu.regional_issues.selectors import issue_list_visible_to

    link_kind = LinkKind(kind)
    if link_kind == LinkKind.ISSUE:
        queryset: Any = issue_list_visible_to(user=user)
    elif link_kind == LinkKind.SERVICE_B:
        queryset = groups_visible_to(user=user)
    elif link_kind == LinkKind.MOBILITY:
        queryset = service_list_visible_to(user=user)
    elif link_kind == LinkKind.PROGRAM:
        queryset = instance_list_visible_to(user=user)
    else:
        queryset = Milestone.objects.filter(
            roadmap__in=roadmap_list_visible_to(user=user)
        ).select_related("roadmap")
        found = queryset.filter(pk=pk, roadmap__municipality_id=plan.municipality_id).first()
        if found is None:
            raise NotFound()
        return found
    found = queryset.filter(pk=pk, municipality_id=plan.municipality_id).first()
    if found is None:
        raise NotFound()
    return found


def links_of_record(*, user: Any, field_name: str, record: Any) -> list[PlanItemLink]:
    """The plan items ``record`` serves, in plans the user sees."""
    return list(
        PlanItemLink.objects.filter(**{field_name: record})
        .filter(item__plan__in=plan_list_visible_to(user=user))
        .select_related("item__plan", "item__parent")
        .order_by("item__plan__title", "item__sort_order")
    )
