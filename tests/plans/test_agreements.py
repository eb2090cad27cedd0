from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail

from tests.factories import EngagementFactory, OrganisationFactory
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.models import HistoryDetail
from tsunagu.engagements.models import Visit, VisitParticipant
from tsunagu.plans.agreements.models import AgreementReviewReminder, RoleAgreement
from tsunagu.plans.agreements.reminders import send_due_reviews
from tsunagu.plans.agreements.selectors import role_participation
from tsunagu.plans.agreements.services import (
    AgreementFields,
    agreement_create,
    agreement_review,
    agreement_role_add,
    agreement_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_demo_agreements(db: Any) -> None:
    """Reminder tests count every agreement: start from none (rolled back after the test)."""
    RoleAgreement.objects.all().delete()


def _agreement(town: Any, staff: Any, agreed_on: datetime.date | None = None) -> RoleAgreement:
    return agreement_create(
        municipality=town,
        fields=AgreementFields(
            title="地域づくりの役割分担",
            vision="住民主体の支え合いを庁内で支える",
            agreed_on=agreed_on or datetime.date(2024, 6, 1),
        ),
        actor=staff,
    )


def _with_email(user: Any) -> Any:
    user.email = "staff@example.jp"
    user.save()
    return user


def test_agreement_update_records_history(town: Any, staff: Any) -> None:
    agreement = _agreement(town, staff)

    agreement_update(agreement=agreement, fields=AgreementFields(vision="新しい姿"), actor=staff)

    reasons = [h.history_change_reason for h in agreement.history.all()]
    assert reasons == ["plans.agreement.update", "plans.agreement.create"]


def test_role_add_records_the_table_on_the_agreements_history(town: Any, staff: Any) -> None:
    agreement = _agreement(town, staff)

    agreement_role_add(
        agreement=agreement, department="まちづくり課", role="協議会の支援", actor=staff
    )

    latest = agreement.history.first()
    assert latest.history_change_reason == "plans.agreement.roles_change"
    detail = HistoryDetail.objects.get(model_label="plans.roleagreement", history_id=latest.pk)
    assert detail.after == "まちづくり課: 協議会の支援"


def test_other_municipality_staff_cannot_change_roles(
    town: Any, staff: Any, other_staff: Any
) -> None:
    agreement = _agreement(town, staff)

    with pytest.raises(PermissionDenied):
        agreement_role_add(agreement=agreement, department="企画課", role="x", actor=other_staff)

    assert not agreement.roles.exists()
    assert agreement.history.count() == 1


def test_review_reminder_is_not_sent_before_january(
    town: Any, staff: Any, no_demo_agreements: None
) -> None:
    _with_email(staff)
    _agreement(town, staff, agreed_on=datetime.date(2024, 6, 1))

    with time_machine.travel(datetime.datetime(2025, 12, 31, 12, 0), tick=False):
        assert send_due_reviews() == []


def test_review_reminder_is_sent_once_from_january_when_not_reviewed(
    town: Any, staff: Any, no_demo_agreements: None
) -> None:
    _with_email(staff)
    agreement = _agreement(town, staff, agreed_on=datetime.date(2024, 6, 1))

    with time_machine.travel(datetime.datetime(2026, 1, 5, 12, 0), tick=False):
        first = send_due_reviews()
        second = send_due_reviews()

    assert [d.agreement for d in first] == [agreement] and first[0].sent
    assert second == []
    assert AgreementReviewReminder.objects.get(agreement=agreement).fiscal_year == 2025
    assert len(mail.outbox) == 1 and "見直し" in mail.outbox[0].subject


def test_review_in_the_fiscal_year_means_no_reminder(
    town: Any, staff: Any, no_demo_agreements: None
) -> None:
    _with_email(staff)
    agreement = _agreement(town, staff, agreed_on=datetime.date(2024, 6, 1))
    review = agreement_review(
        agreement=agreement, reviewed_on=datetime.date(2025, 5, 20), actor=staff
    )

    with time_machine.travel(datetime.datetime(2026, 2, 1, 12, 0), tick=False):
        assert send_due_reviews() == []
    assert review.history.first().history_change_reason == "plans.agreement.review"


def test_agreed_roles_absent_from_the_years_visits_are_found(town: Any, staff: Any) -> None:
    agreement = _agreement(town, staff)
    council = OrganisationFactory(municipality=town, name="テスト地域協議会")
    agreement_role_add(agreement=agreement, department="保険健康課", role="包括", actor=staff)
    agreement_role_add(agreement=agreement, organisation=council, role="実施", actor=staff)
    agreement_role_add(agreement=agreement, department="企画課", role="予算", actor=staff)
    engagement = EngagementFactory(municipality=town, fiscal_year=2024)
    visit = Visit.objects.create(
        engagement=engagement, number=1, visited_on=datetime.date(2024, 10, 2)
    )
    VisitParticipant.objects.create(visit=visit, kind="department", department="保険健康課")
    VisitParticipant.objects.create(visit=visit, kind="outside", organisation=council)

    rows, visits = role_participation(agreement, 2024)

    assert visits == 1
    assert {r.role.label: r.visits for r in rows} == {
        "保険健康課": 1,
        "テスト地域協議会": 1,
        "企画課": 0,
    }


def test_print_view_renders_the_role_table(town: Any, staff: Any) -> None:
    from django.test import Client

    agreement = _agreement(town, staff)
    agreement_role_add(
        agreement=agreement, department="まちづくり課", role="協議会の支援", actor=staff
    )
    client = Client()
    client.force_login(staff)

    page = client.get(f"/plans/agreements/{agreement.pk}/print/").content.decode()

    assert "agreement_print.css" in page and "まちづくり課" in page
