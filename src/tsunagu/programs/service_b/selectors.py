"""Scoped reads of service B groups, periods, applications and the subsidy status report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from tsunagu.accounts.scope import municipalities_visible_to, scope_q
from tsunagu.core.errors import NotFound
from tsunagu.programs.service_b import subsidy
from tsunagu.programs.service_b.models import (
    AccountDirection,
    AccountScope,
    ApplicationStatus,
    BelowThresholdRule,
    ServiceBGroup,
    SubsidyApplication,
    SubsidyPolicy,
    UsagePeriod,
)

FROZEN = (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED)


def groups_visible_to(*, user: Any) -> QuerySet[ServiceBGroup]:
    return (
        ServiceBGroup.objects.filter(scope_q(user))
        .select_related("municipality", "organisation")
        .prefetch_related("activities")
    )


def group_get_for_user(*, user: Any, pk: int) -> ServiceBGroup:
    group = groups_visible_to(user=user).filter(pk=pk).first()
    if group is None:
        raise NotFound()
    return group


def period_get_for_user(*, user: Any, pk: int) -> UsagePeriod:
    period = (
        UsagePeriod.objects.filter(scope_q(user, municipality_field="group__municipality"))
        .select_related("group__municipality")
        .filter(pk=pk)
        .first()
    )
    if period is None:
        raise NotFound()
    return period


def applications_visible_to(*, user: Any) -> QuerySet[SubsidyApplication]:
    return SubsidyApplication.objects.filter(
        scope_q(user, municipality_field="period__group__municipality")
    ).select_related("period__group__municipality", "decided_by")


def application_get_for_user(*, user: Any, pk: int) -> SubsidyApplication:
    application = (
        applications_visible_to(user=user)
        .prefetch_related("account_lines", "requirement_checks__requirement")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise NotFound()
    return application


def policy_for(municipality: Any) -> SubsidyPolicy:
    """The municipality's policy, or the defaults (50%, pro-rata [U], fiscal year) unsaved."""
    policy = SubsidyPolicy.objects.filter(municipality=municipality).first()
    return policy or SubsidyPolicy(municipality=municipality)


def policy_get_for_user(*, user: Any, municipality_id: int) -> SubsidyPolicy:
    municipality = municipalities_visible_to(user).filter(pk=municipality_id).first()
    if municipality is None:
        raise NotFound()
    return policy_for(municipality)


@dataclass(frozen=True)
class Accounts:
    b_income: int
    b_expense: int
    other_income: int
    other_expense: int

    @property
    def b_balance(self) -> int:
        return self.b_income - self.b_expense

    @property
    def other_balance(self) -> int:
        return self.other_income - self.other_expense


def accounts_of(application: SubsidyApplication) -> Accounts:
    totals = {(s, d): 0 for s in AccountScope.values for d in AccountDirection.values}
    for line in application.account_lines.all():
        totals[(line.scope, line.direction)] += line.amount
    return Accounts(
        totals[(AccountScope.SERVICE_B, AccountDirection.INCOME)],
        totals[(AccountScope.SERVICE_B, AccountDirection.EXPENSE)],
        totals[(AccountScope.OTHER, AccountDirection.INCOME)],
        totals[(AccountScope.OTHER, AccountDirection.EXPENSE)],
    )


def computation_of(application: SubsidyApplication) -> subsidy.Computation:
    """What is eligible: submitted and approved ones as they were submitted (the policy then);
    drafts and returned ones with today's policy and accounts. The operating cost is the B
    activity's expenses only (the group's other activities are kept apart)."""
    period = application.period
    if application.status in FROZEN and application.threshold_percent is not None:
        threshold = application.threshold_percent
        rule = application.below_rule
        rate = application.fixed_rate_percent
        cost = application.operating_cost or 0
    else:
        policy = policy_for(period.group.municipality)
        threshold = policy.threshold_percent
        rule = policy.below_rule
        rate = policy.fixed_rate_percent
        cost = accounts_of(application).b_expense
    return subsidy.compute(
        users_total=period.users_total,
        users_eligible=period.users_eligible,
        operating_cost=cost,
        threshold_percent=threshold,
        below_rule=rule or BelowThresholdRule.PRO_RATA,
        fixed_rate_percent=rate,
    )


@dataclass(frozen=True)
class StatusRow:
    group: ServiceBGroup
    period: UsagePeriod | None
    application: SubsidyApplication | None
    computation: subsidy.Computation | None


def subsidy_status(*, user: Any) -> list[StatusRow]:
    """Per group: its latest period and that period's latest application with the computation."""
    rows = []
    groups = groups_visible_to(user=user).prefetch_related(
        Prefetch(
            "periods",
            queryset=UsagePeriod.objects.prefetch_related(
                Prefetch(
                    "applications",
                    queryset=SubsidyApplication.objects.prefetch_related("account_lines").order_by(
                        "-kind", "-pk"
                    ),
                )
            ).order_by("-starts_on"),
        )
    )
    for group in groups:
        periods = list(group.periods.all())
        period = periods[0] if periods else None
        application = None
        computation = None
        if period is not None:
            applications = list(period.applications.all())
            application = applications[0] if applications else None
            if application is not None:
                application.period = period
                period.group = group
                computation = computation_of(application)
        rows.append(StatusRow(group, period, application, computation))
    return rows
