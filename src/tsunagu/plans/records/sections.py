"""「計画とのつながり」 on the pages of the records that serve plan items (core's
``record_detail_sections`` hook): regional issues, service B groups, program instances, mobility
services and roadmaps (their milestones)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tsunagu.core.plugins import register_hook
from tsunagu.core.sections import RECORD_DETAIL_SECTIONS, Section
from tsunagu.plans.records.selectors import links_of_record

FIELD_BY_MODEL = {
    "regional_issues.regionalissue": "issue",
    "programs.servicebgroup": "service_b_group",
    "mobility.mobilityservice": "mobility_service",
    "programs.programinstance": "program",
}


def plan_links_section(*, user: Any, record: Any) -> Section | None:
    label = record._meta.label_lower
    if label == "engagements.roadmap":
        from tsunagu.plans.records.models import PlanItemLink
        from tsunagu.plans.records.selectors import plan_list_visible_to

        links = list(
            PlanItemLink.objects.filter(milestone__roadmap=record)
            .filter(item__plan__in=plan_list_visible_to(user=user))
            .select_related("item__plan", "milestone")
        )
    elif label in FIELD_BY_MODEL:
        links = links_of_record(user=user, field_name=FIELD_BY_MODEL[label], record=record)
    else:
        return None
    return Section(
        template="plans/_record_plan_links.html",
        anchor="plan-links",
        label=_("計画とのつながり"),
        context={"links": links, "is_roadmap": label == "engagements.roadmap"},
    )


def register() -> None:
    register_hook(RECORD_DETAIL_SECTIONS, "plans", plan_links_section)
