"""Writes of service B groups, the subsidy policy, usage periods and applications.

Every function takes the acting user (``actor``), checks the right, validates
(``full_clean`` through ``save_with_history``), runs in a transaction and leaves a history row
with an action kind of :mod:`tsunagu.core.actions`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from tsunagu.care import access
from tsunagu.care.models import SUPPORT_OR_ELIGIBLE
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.history import delete_with_history, record_children_change, save_with_history
from tsunagu.programs.service_b.models import (
    AccountLine,
    ApplicationStatus,
    BelowThresholdRule,
    GroupActivity,
    PeriodKind,
    PolicyRequirement,
    RequirementCheck,
    ServiceBGroup,
    SubsidyApplication,
    SubsidyPolicy,
    UsagePeriod,
)
from tsunagu.programs.service_b.permissions import can_decide, can_edit
from tsunagu.programs.service_b.selectors import accounts_of, computation_of, policy_for

EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
RESIDENT_COUNT_PURPOSE = "サービスBの利用者数（要支援・事業対象者）の集計"


def _require_edit(actor: Any, obj: Any) -> None:
    if not can_edit(actor, obj):
        raise PermissionDenied()


# --- groups -----------------------------------------------------------------------------


def _check_organisation(municipality: Any, organisation: Any) -> None:
    if organisation is not None and organisation.municipality_id != municipality.pk:
        raise TsunaguError(
            f"「{organisation.name}」は{municipality.name}の団体ではありません。",
            field="organisation",
        )


@transaction.atomic
def group_create(
    *,
    municipality: Any,
    name: str,
    actor: Any,
    organisation: Any = None,
    service_kind: str = "visiting_b",
    status: str = "running",
    started_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    member_count: int | None = None,
    member_names: str = "",
    description: str = "",
    is_placeholder: bool = False,
    source: str = "",
) -> ServiceBGroup:
    _require_edit(actor, municipality)
    _check_organisation(municipality, organisation)
    group = ServiceBGroup(
        municipality=municipality,
        organisation=organisation,
        name=name,
        service_kind=service_kind,
        status=status,
        started_on=started_on,
        ended_on=ended_on,
        member_count=member_count,
        member_names=member_names,
        description=description,
        is_placeholder=is_placeholder,
        source=source,
    )
    return save_with_history(group, actor=actor, action="programs.service_b_group.create")


@transaction.atomic
def group_update(
    *,
    group: ServiceBGroup,
    actor: Any,
    name: str,
    organisation: Any,
    service_kind: str,
    status: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    member_count: int | None,
    member_names: str,
    description: str,
) -> ServiceBGroup:
    _require_edit(actor, group)
    _check_organisation(group.municipality, organisation)
    if started_on and ended_on and ended_on < started_on:
        raise TsunaguError("活動終了日は活動開始日より後にしてください。", field="ended_on")
    group.name = name
    group.organisation = organisation
    group.service_kind = service_kind
    group.status = status
    group.started_on = started_on
    group.ended_on = ended_on
    group.member_count = member_count
    group.member_names = member_names
    group.description = description
    return save_with_history(group, actor=actor, action="programs.service_b_group.update")


@transaction.atomic
def activity_add(
    *,
    group: ServiceBGroup,
    kind: str,
    actor: Any,
    detail: str = "",
    share_percent: int | None = None,
    share_group: str = "",
) -> GroupActivity:
    _require_edit(actor, group)
    activity = GroupActivity(
        group=group, kind=kind, detail=detail, share_percent=share_percent, share_group=share_group
    )
    return save_with_history(activity, actor=actor, action="programs.service_b_activity.create")


@transaction.atomic
def activity_delete(*, activity: GroupActivity, actor: Any) -> None:
    _require_edit(actor, activity.group)
    delete_with_history(activity, actor=actor, action="programs.service_b_activity.delete")


# --- policy -------------------------------------------------------------------------------


@transaction.atomic
def policy_save(
    *,
    municipality: Any,
    actor: Any,
    threshold_percent: int,
    below_rule: str,
    fixed_rate_percent: int | None,
    period_kind: str,
    note: str = "",
) -> SubsidyPolicy:
    """Set the municipality's policy (created on the first change; history on every change)."""
    if not can_decide(actor, municipality):
        raise PermissionDenied()
    if below_rule == BelowThresholdRule.FIXED_RATE and fixed_rate_percent is None:
        raise TsunaguError(
            "定率を選んだときは率（%）を入力してください。", field="fixed_rate_percent"
        )
    policy = policy_for(municipality)
    creating = policy.pk is None
    policy.threshold_percent = threshold_percent
    policy.below_rule = below_rule
    policy.fixed_rate_percent = (
        fixed_rate_percent if below_rule == BelowThresholdRule.FIXED_RATE else None
    )
    policy.period_kind = period_kind
    policy.note = note
    action = "programs.subsidy_policy.create" if creating else "programs.subsidy_policy.update"
    return save_with_history(policy, actor=actor, action=action)


def _saved_policy(municipality: Any, actor: Any) -> SubsidyPolicy:
    policy = policy_for(municipality)
    if policy.pk is None:
        policy = save_with_history(policy, actor=actor, action="programs.subsidy_policy.create")
    return policy


@transaction.atomic
def requirement_add(
    *, municipality: Any, text: str, actor: Any, order: int | None = None
) -> PolicyRequirement:
    if not can_decide(actor, municipality):
        raise PermissionDenied()
    policy = _saved_policy(municipality, actor)
    if order is None:
        order = policy.requirements.count() + 1
    requirement = PolicyRequirement(policy=policy, text=text.strip(), order=order)
    return save_with_history(requirement, actor=actor, action="programs.subsidy_requirement.create")


@transaction.atomic
def requirement_set_active(
    *, requirement: PolicyRequirement, is_active: bool, actor: Any
) -> PolicyRequirement:
    if not can_decide(actor, requirement.policy.municipality):
        raise PermissionDenied()
    requirement.is_active = is_active
    return save_with_history(requirement, actor=actor, action="programs.subsidy_requirement.update")


# --- periods ------------------------------------------------------------------------------


def check_period(kind: str, starts_on: datetime.date, ends_on: datetime.date) -> None:
    """A period is a fiscal year (4/1–3/31) or, for half-year policies, either half."""
    year = starts_on.year if starts_on.month >= 4 else starts_on.year - 1
    allowed = [(datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31))]
    if kind == PeriodKind.HALF_YEAR:
        allowed = [
            (datetime.date(year, 4, 1), datetime.date(year, 9, 30)),
            (datetime.date(year, 10, 1), datetime.date(year + 1, 3, 31)),
        ]
    if (starts_on, ends_on) not in allowed:
        label = (
            "年度（4月1日〜翌年3月31日）"
            if kind == PeriodKind.FISCAL_YEAR
            else ("半期（4月1日〜9月30日、10月1日〜翌年3月31日）")
        )
        raise TsunaguError(
            f"この市町村の集計の期間は{label}です。開始日と終了日を合わせてください。",
            field="starts_on",
        )


def _check_counts(users_total: int | None, users_eligible: int | None) -> None:
    if users_total is not None and users_eligible is not None and users_eligible > users_total:
        raise TsunaguError(
            "要支援者・事業対象者の数は利用者数以下にしてください。", field="users_eligible"
        )


@transaction.atomic
def period_create(
    *,
    group: ServiceBGroup,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor: Any,
    users_total: int | None = None,
    users_eligible: int | None = None,
    is_synthetic: bool = False,
) -> UsagePeriod:
    _require_edit(actor, group)
    check_period(policy_for(group.municipality).period_kind, starts_on, ends_on)
    _check_counts(users_total, users_eligible)
    if UsagePeriod.objects.filter(group=group, starts_on=starts_on, ends_on=ends_on).exists():
        raise TsunaguError("この期間はすでに登録されています。", field="starts_on")
    period = UsagePeriod(
        group=group,
        starts_on=starts_on,
        ends_on=ends_on,
        users_total=users_total,
        users_eligible=users_eligible,
        is_synthetic=is_synthetic,
    )
    return save_with_history(period, actor=actor, action="programs.usage_period.create")


@transaction.atomic
def period_update_counts(
    *, period: UsagePeriod, users_total: int | None, users_eligible: int | None, actor: Any
) -> UsagePeriod:
    """Typed counts (利用者数 and 要支援・事業対象者数) replace any computed ones."""
    _require_edit(actor, period)
    _check_counts(users_total, users_eligible)
    period.users_total = users_total
    period.users_eligible = users_eligible
    period.counted_from_residents = False
    return save_with_history(period, actor=actor, action="programs.usage_period.update")


@transaction.atomic
def period_link_residents(
    *, period: UsagePeriod, residents: Iterable[Any], actor: Any, path: str = ""
) -> UsagePeriod:
    """Link the period's users among the residents (care records; needs the care right)."""
    _require_edit(actor, period)
    municipality_id = period.group.municipality_id
    if not access.can_open_residents(actor, municipality_id):
        raise NotFound()
    wanted = {r.pk for r in residents}
    allowed = access.residents_visible_to(actor).filter(
        municipality_id=municipality_id, pk__in=wanted
    )
    chosen = list(allowed)
    if len(chosen) != len(wanted):
        raise TsunaguError("選べない住民が含まれています。", field="residents")
    before = sorted(str(r.pk) for r in period.residents.all())
    period.residents.set(chosen)
    after = sorted(str(r.pk) for r in chosen)
    access.log_resident_reads(
        user=actor, residents=chosen, purpose=RESIDENT_COUNT_PURPOSE, path=path
    )
    record_children_change(
        period,
        actor=actor,
        action="programs.usage_period.update",
        changes=[("利用者（住民ID）", before, after)],
    )
    return period


def count_support_or_eligible(residents: Iterable[Any], starts_on: Any, ends_on: Any) -> int:
    """Residents with a 要支援1・2 or 事業対象者 level whose validity overlaps the period."""
    count = 0
    for resident in residents:
        for level in resident.care_levels.all():
            overlaps = (level.valid_from is None or level.valid_from <= ends_on) and (
                level.valid_until is None or starts_on <= level.valid_until
            )
            if level.level in SUPPORT_OR_ELIGIBLE and overlaps:
                count += 1
                break
    return count


@transaction.atomic
def period_count_from_residents(*, period: UsagePeriod, actor: Any, path: str = "") -> UsagePeriod:
    """Compute the period's counts from its linked residents' care levels valid in the period.

    Only with personal records on and the care right for the group's municipality (else 404,
    as for a resident); every resident read is written to the read log with its purpose.
    """
    _require_edit(actor, period)
    if not access.can_open_residents(actor, period.group.municipality_id):
        raise NotFound()
    residents = list(
        access.residents_visible_to(actor)
        .filter(service_b_periods=period)
        .prefetch_related("care_levels")
    )
    access.log_resident_reads(
        user=actor, residents=residents, purpose=RESIDENT_COUNT_PURPOSE, path=path
    )
    period.users_total = len(residents)
    period.users_eligible = count_support_or_eligible(residents, period.starts_on, period.ends_on)
    period.counted_from_residents = True
    return save_with_history(period, actor=actor, action="programs.usage_period.count_residents")


# --- applications ---------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    period: UsagePeriod,
    kind: str,
    actor: Any,
    note: str = "",
    is_synthetic: bool = False,
) -> SubsidyApplication:
    """A draft 交付申請 or 実績報告, with one unanswered check per active requirement."""
    _require_edit(actor, period)
    if SubsidyApplication.objects.filter(period=period, kind=kind).exists():
        raise TsunaguError("この期間の同じ種類の書類はすでにあります。", field="kind")
    application = SubsidyApplication(period=period, kind=kind, note=note, is_synthetic=is_synthetic)
    save_with_history(application, actor=actor, action="programs.subsidy_application.create")
    policy = policy_for(period.group.municipality)
    if policy.pk is not None:
        for requirement in policy.requirements.filter(is_active=True):
            check = RequirementCheck(application=application, requirement=requirement)
            save_with_history(check, actor=actor, action="programs.requirement_check.record")
    return application


def _require_editable(application: SubsidyApplication, actor: Any) -> None:
    _require_edit(actor, application)
    if application.status not in EDITABLE:
        raise TsunaguError(
            "提出済み・承認済みの書類は変更できません（差し戻された書類は変更できます）。",
            code="not_editable",
        )


@transaction.atomic
def account_line_add(
    *,
    application: SubsidyApplication,
    scope: str,
    direction: str,
    item: str,
    amount: int,
    actor: Any,
    note: str = "",
) -> AccountLine:
    _require_editable(application, actor)
    line = AccountLine(
        application=application,
        scope=scope,
        direction=direction,
        item=item,
        amount=amount,
        note=note,
    )
    return save_with_history(line, actor=actor, action="programs.account_line.create")


@transaction.atomic
def account_line_delete(*, line: AccountLine, actor: Any) -> None:
    _require_editable(line.application, actor)
    delete_with_history(line, actor=actor, action="programs.account_line.delete")


@transaction.atomic
def requirement_check_record(
    *, check: RequirementCheck, met: bool | None, actor: Any, note: str = ""
) -> RequirementCheck:
    _require_editable(check.application, actor)
    check.met = met
    check.note = note
    return save_with_history(check, actor=actor, action="programs.requirement_check.record")


@transaction.atomic
def application_submit(*, application: SubsidyApplication, actor: Any) -> SubsidyApplication:
    """Submit: counts entered, every requirement answered; the policy and amount are copied."""
    _require_editable(application, actor)
    period = application.period
    if not period.users_total or period.users_eligible is None:
        raise TsunaguError(
            "期間の利用者数と要支援・事業対象者の数を入力してから提出してください。",
            field="period",
            code="counts_missing",
        )
    unanswered = [str(c.requirement) for c in application.requirement_checks.all() if c.met is None]
    if unanswered:
        raise TsunaguError(
            "確認していない要件があります: " + "、".join(unanswered),
            field="requirement_checks",
            code="requirements_unanswered",
        )
    computation = computation_of(application)
    policy = policy_for(period.group.municipality)
    application.threshold_percent = policy.threshold_percent
    application.below_rule = policy.below_rule
    application.fixed_rate_percent = policy.fixed_rate_percent
    application.operating_cost = accounts_of(application).b_expense
    application.eligible_amount = computation.eligible_amount
    application.computation_text = computation.text
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.return_reason = ""
    return save_with_history(application, actor=actor, action="programs.subsidy_application.submit")


def _require_submitted(application: SubsidyApplication, actor: Any) -> None:
    if not can_decide(actor, application.period.group.municipality):
        raise PermissionDenied()
    if application.status != ApplicationStatus.SUBMITTED:
        raise TsunaguError("提出済みの書類だけを承認・差し戻しできます。", code="not_submitted")


@transaction.atomic
def application_approve(*, application: SubsidyApplication, actor: Any) -> SubsidyApplication:
    _require_submitted(application, actor)
    application.status = ApplicationStatus.APPROVED
    application.decided_at = timezone.now()
    application.decided_by = actor
    return save_with_history(
        application, actor=actor, action="programs.subsidy_application.approve"
    )


@transaction.atomic
def application_return(
    *, application: SubsidyApplication, reason: str, actor: Any
) -> SubsidyApplication:
    _require_submitted(application, actor)
    if not reason.strip():
        raise TsunaguError("差し戻しの理由を入力してください。", field="return_reason")
    application.status = ApplicationStatus.RETURNED
    application.return_reason = reason.strip()
    application.decided_at = timezone.now()
    application.decided_by = actor
    return save_with_history(
        application,
        actor=actor,
        action="programs.subsidy_application.return",
        note=reason.strip(),
    )
