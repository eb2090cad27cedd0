"""Reads of role agreements, scoped; whether the yearly review is done; and which agreed
roles took part in no visit (or meeting recorded as a visit) of the fiscal year, read from
the engagements' breadth matrix."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from tsunagu.accounts.permissions import can_view, scope_q
from tsunagu.core.errors import NotFound
from tsunagu.core.wareki import fiscal_year as fiscal_year_of
from tsunagu.core.wareki import fiscal_year_range
from tsunagu.plans.agreements.models import AgreedRole, RoleAgreement

# The yearly review's reminder goes out from 1 January (month, day) of the calendar year in
# which the fiscal year ends, when the agreement was neither agreed nor reviewed in that
# fiscal year: three months are left to review it before 31 March.
REVIEW_REMINDER_FROM_MONTH = (1, 1)


def agreement_list_visible_to(*, user: Any) -> QuerySet[RoleAgreement]:
    return RoleAgreement.objects.filter(scope_q(user)).select_related(
        "municipality__prefecture", "engagement"
    )


def agreement_get_for_user(*, user: Any, pk: int) -> RoleAgreement:
    agreement = (
        RoleAgreement.objects.select_related("municipality__prefecture", "engagement__program")
        .prefetch_related("roles__organisation", "reviews")
        .filter(pk=pk)
        .first()
    )
    if agreement is None or not can_view(user, agreement):
        raise NotFound()
    return agreement


def agreed_role_get_for_user(*, user: Any, pk: int) -> AgreedRole:
    role = AgreedRole.objects.select_related("agreement__municipality").filter(pk=pk).first()
    if role is None or not can_view(user, role.agreement):
        raise NotFound()
    return role


def reviewed_in(agreement: RoleAgreement, fiscal_year: int) -> bool:
    """Agreed or reviewed within ``fiscal_year``."""
    start, end = fiscal_year_range(fiscal_year)
    if agreement.agreed_on and start <= agreement.agreed_on <= end:
        return True
    return any(start <= r.reviewed_on <= end for r in agreement.reviews.all())


def last_reviewed_on(agreement: RoleAgreement) -> datetime.date | None:
    days = [r.reviewed_on for r in agreement.reviews.all()]
    if agreement.agreed_on:
        days.append(agreement.agreed_on)
    return max(days, default=None)


def review_reminder_starts(fiscal_year: int) -> datetime.date:
    month, day = REVIEW_REMINDER_FROM_MONTH
    return datetime.date(fiscal_year + 1, month, day)


def review_due(agreement: RoleAgreement, today: datetime.date | None = None) -> bool:
    """The reminder is due: the fiscal year's reminder date has come, and the agreement was
    neither agreed nor reviewed in this fiscal year."""
    today = today or timezone.localdate()
    year = fiscal_year_of(today)
    return today >= review_reminder_starts(year) and not reviewed_in(agreement, year)


@dataclass
class RoleParticipation:
    role: AgreedRole
    visits: int  # visits of the fiscal year where the role's department/organisation took part


def _participants_by_visit(municipality_id: int, engagement_id: int | None, year: int) -> Any:
    from tsunagu.engagements.models import Engagement
    from tsunagu.engagements.selectors import breadth_matrix

    start, end = fiscal_year_range(year)
    engagements = Engagement.objects.filter(municipality_id=municipality_id)
    if engagement_id is not None:
        engagements = engagements.filter(pk=engagement_id)
    engagements = engagements.filter(
        visits__visited_on__gte=start, visits__visited_on__lte=end
    ).distinct()
    seen: dict[str, int] = {}
    visit_count = 0
    for engagement in engagements.prefetch_related(
        "visits__participants__organisation",
        "visits__meeting__attendance__organisation",
    ):
        matrix = breadth_matrix(engagement)
        in_year = [i for i, v in enumerate(matrix.visits) if start <= v.visited_on <= end]
        visit_count += len(in_year)
        for row in matrix.departments:
            hits = sum(1 for i in in_year if row.cells[i])
            if hits:
                seen[row.label] = seen.get(row.label, 0) + hits
        for row in matrix.outside:
            for i in in_year:
                for name in row.names[i]:
                    seen[name] = seen.get(name, 0) + 1
    return seen, visit_count


def role_participation(
    agreement: RoleAgreement, fiscal_year: int
) -> tuple[list[RoleParticipation], int]:
    """Each agreed role with the number of the fiscal year's visits it took part in (by
    department name or organisation name, as the breadth matrix records them), and how many
    visits the year had. The agreement's own engagement when it names one, else every
    engagement of the municipality."""
    seen, visit_count = _participants_by_visit(
        agreement.municipality_id, agreement.engagement_id, fiscal_year
    )
    rows = [RoleParticipation(role, seen.get(role.label, 0)) for role in agreement.roles.all()]
    return rows, visit_count
