"""Service B writes: groups, policy with history, requirements, periods, the application
workflow; each asserts its history row, each refusal that nothing changed."""

from __future__ import annotations

import datetime

import pytest

from tests.programs.helpers import FY2024, application, group, period
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.programs.service_b import selectors, services
from tsunagu.programs.service_b.models import (
    ApplicationStatus,
    ServiceBGroup,
    SubsidyApplication,
    SubsidyPolicy,
)

pytestmark = pytest.mark.django_db


def _reason(obj) -> str:
    return obj.history.order_by("-history_date", "-pk").first().history_change_reason


def test_group_create_records_history(municipality, user_named) -> None:
    created = group(municipality("香春町"), user_named("kawara"))
    assert _reason(created) == "programs.service_b_group.create"
    assert created.history.first().history_user == user_named("kawara")


def test_group_create_in_another_municipality_is_refused_and_writes_nothing(
    municipality, user_named
) -> None:
    before = ServiceBGroup.objects.count()
    with pytest.raises(PermissionDenied):
        group(municipality("鹿児島市"), user_named("kawara"))
    assert ServiceBGroup.objects.count() == before


def test_activity_keeps_its_share_with_history(municipality, user_named) -> None:
    actor = user_named("kawara")
    created = group(municipality("香春町"), actor)
    activity = services.activity_add(
        group=created, kind="shopping", share_percent=80, share_group="買物・通院", actor=actor
    )
    assert created.activities.get().share_percent == 80
    assert _reason(activity) == "programs.service_b_activity.create"


def test_policy_defaults_to_half_and_pro_rata(municipality) -> None:
    policy = selectors.policy_for(municipality("香春町"))
    assert (policy.threshold_percent, policy.below_rule, policy.period_kind) == (
        50,
        "pro_rata",
        "fiscal_year",
    )


def test_policy_change_is_kept_in_history(municipality, user_named) -> None:
    kawara, actor = municipality("香春町"), user_named("kawara")
    services.policy_save(
        municipality=kawara,
        actor=actor,
        threshold_percent=50,
        below_rule="pro_rata",
        fixed_rate_percent=None,
        period_kind="fiscal_year",
    )
    policy = services.policy_save(
        municipality=kawara,
        actor=actor,
        threshold_percent=60,
        below_rule="fixed_rate",
        fixed_rate_percent=30,
        period_kind="half_year",
    )
    versions = list(
        policy.history.order_by("history_date").values_list("threshold_percent", flat=True)
    )
    assert versions == [50, 60]
    assert _reason(policy) == "programs.subsidy_policy.update"


def test_policy_change_by_care_center_staff_is_refused(municipality, user_named) -> None:
    with pytest.raises(PermissionDenied):
        services.policy_save(
            municipality=municipality("香春町"),
            actor=user_named("kawara-houkatsu"),
            threshold_percent=10,
            below_rule="none",
            fixed_rate_percent=None,
            period_kind="fiscal_year",
        )
    assert not SubsidyPolicy.objects.filter(municipality=municipality("香春町")).exists()


def test_fixed_rate_needs_a_rate(municipality, user_named) -> None:
    with pytest.raises(TsunaguError) as error:
        services.policy_save(
            municipality=municipality("香春町"),
            actor=user_named("kawara"),
            threshold_percent=50,
            below_rule="fixed_rate",
            fixed_rate_percent=None,
            period_kind="fiscal_year",
        )
    assert error.value.field == "fixed_rate_percent"


def test_period_must_match_the_policys_fiscal_periods(municipality, user_named) -> None:
    created = group(municipality("香春町"), user_named("kawara"))
    with pytest.raises(TsunaguError) as error:
        services.period_create(
            group=created,
            starts_on=datetime.date(2024, 4, 1),
            ends_on=datetime.date(2024, 9, 30),
            actor=user_named("kawara"),
        )
    assert "年度" in error.value.message
    assert not created.periods.exists()


def test_half_year_period_is_accepted_under_a_half_year_policy(municipality, user_named) -> None:
    kawara, actor = municipality("香春町"), user_named("kawara")
    services.policy_save(
        municipality=kawara,
        actor=actor,
        threshold_percent=50,
        below_rule="pro_rata",
        fixed_rate_percent=None,
        period_kind="half_year",
    )
    created = services.period_create(
        group=group(kawara, actor),
        starts_on=datetime.date(2024, 10, 1),
        ends_on=datetime.date(2025, 3, 31),
        actor=actor,
    )
    assert created.label == "令和6年度下期"
    assert _reason(created) == "programs.usage_period.create"


def test_more_eligible_users_than_users_is_refused(municipality, user_named) -> None:
    with pytest.raises(TsunaguError):
        period(group(municipality("香春町"), user_named("kawara")), user_named("kawara"), 5, 6)


def test_application_gets_one_check_per_active_requirement(municipality, user_named) -> None:
    kawara, actor = municipality("香春町"), user_named("kawara")
    services.requirement_add(municipality=kawara, text="1回30分以上の生活援助", actor=actor)
    retired = services.requirement_add(municipality=kawara, text="古い要件", actor=actor)
    services.requirement_set_active(requirement=retired, is_active=False, actor=actor)
    app = services.application_create(
        period=period(group(kawara, actor), actor), kind="application", actor=actor
    )
    assert [c.requirement.text for c in app.requirement_checks.all()] == ["1回30分以上の生活援助"]
    assert _reason(retired) == "programs.subsidy_requirement.update"


def test_submit_is_refused_while_a_requirement_is_unanswered(municipality, user_named) -> None:
    kawara, actor = municipality("香春町"), user_named("kawara")
    services.requirement_add(municipality=kawara, text="1回30分以上の生活援助", actor=actor)
    app = application(period(group(kawara, actor), actor), actor)
    with pytest.raises(TsunaguError) as error:
        services.application_submit(application=app, actor=actor)
    assert "1回30分以上の生活援助" in error.value.message
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT


def test_operating_cost_is_the_b_expenses_only(municipality, user_named) -> None:
    kawara, actor = municipality("香春町"), user_named("kawara")
    app = application(period(group(kawara, actor), actor, 20, 8), actor, b_cost=1_234_000)
    computation = selectors.computation_of(app)
    assert computation.operating_cost == 1_234_000
    assert computation.eligible_amount == 493_600


def test_workflow_submit_return_resubmit_approve_with_history(municipality, user_named) -> None:
    kawara, actor = municipality("香春町"), user_named("kawara")
    services.requirement_add(municipality=kawara, text="1回30分以上の生活援助", actor=actor)
    app = application(period(group(kawara, actor), actor), actor)
    services.requirement_check_record(check=app.requirement_checks.get(), met=True, actor=actor)
    services.application_submit(application=app, actor=actor)
    assert app.status == ApplicationStatus.SUBMITTED
    assert app.eligible_amount == 1_234_000
    services.application_return(application=app, reason="領収書の添付がありません", actor=actor)
    assert app.status == ApplicationStatus.RETURNED
    assert _reason(app) == "programs.subsidy_application.return: 領収書の添付がありません"
    services.application_submit(application=app, actor=actor)
    services.application_approve(application=app, actor=actor)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED
    assert app.decided_by == actor
    assert _reason(app) == "programs.subsidy_application.approve"


def test_return_needs_a_reason(municipality, user_named) -> None:
    kawara, actor = municipality("香春町"), user_named("kawara")
    app = application(period(group(kawara, actor), actor), actor)
    services.application_submit(application=app, actor=actor)
    with pytest.raises(TsunaguError):
        services.application_return(application=app, reason="  ", actor=actor)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


def test_care_center_staff_may_submit_but_not_approve(municipality, user_named) -> None:
    kawara, staff_ = municipality("香春町"), user_named("kawara-houkatsu")
    app = application(period(group(kawara, staff_), staff_), staff_)
    services.application_submit(application=app, actor=staff_)
    with pytest.raises(PermissionDenied):
        services.application_approve(application=app, actor=staff_)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


def test_submitted_application_cannot_be_changed(municipality, user_named) -> None:
    kawara, actor = municipality("香春町"), user_named("kawara")
    app = application(period(group(kawara, actor), actor), actor)
    services.application_submit(application=app, actor=actor)
    lines = app.account_lines.count()
    with pytest.raises(TsunaguError):
        services.account_line_add(
            application=app, scope="service_b", direction="expense", item="x", amount=1, actor=actor
        )
    assert app.account_lines.count() == lines


def test_submitted_amount_stays_when_the_policy_changes_later(municipality, user_named) -> None:
    kawara, actor = municipality("香春町"), user_named("kawara")
    app = application(period(group(kawara, actor), actor, 20, 8), actor, b_cost=1_000_000)
    services.application_submit(application=app, actor=actor)
    services.policy_save(
        municipality=kawara,
        actor=actor,
        threshold_percent=50,
        below_rule="none",
        fixed_rate_percent=None,
        period_kind="fiscal_year",
    )
    app = SubsidyApplication.objects.get(pk=app.pk)
    assert selectors.computation_of(app).eligible_amount == 400_000


def test_same_period_cannot_be_registered_twice(municipality, user_named) -> None:
    actor = user_named("kawara")
    created = group(municipality("香春町"), actor)
    period(created, actor)
    with pytest.raises(TsunaguError):
        services.period_create(group=created, starts_on=FY2024[0], ends_on=FY2024[1], actor=actor)
    assert created.periods.count() == 1
