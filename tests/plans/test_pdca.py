from __future__ import annotations

from typing import Any

import pytest

from tests.factories import EngagementFactory
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.engagements.models import Milestone
from tsunagu.plans.pdca.models import PdcaCycle
from tsunagu.plans.pdca.services import PdcaFields, pdca_carry_over, pdca_create

pytestmark = pytest.mark.django_db


def _cycle(town: Any, staff: Any, act: str = "") -> PdcaCycle:
    engagement = EngagementFactory(municipality=town, fiscal_year=2024, theme="移動支援")
    return pdca_create(
        fiscal_year=2024,
        engagement=engagement,
        fields=PdcaFields(goal="実証実験を行う", indicator="利用者数", target="10人", act=act),
        actor=staff,
    )


def test_carry_over_creates_next_years_cycle_and_a_roadmap_milestone(town: Any, staff: Any) -> None:
    cycle = _cycle(town, staff, act="本格実施に向けて対象者の範囲を決める")

    next_cycle = pdca_carry_over(cycle=cycle, actor=staff)

    assert next_cycle.fiscal_year == 2025
    assert next_cycle.goal == "本格実施に向けて対象者の範囲を決める"
    assert next_cycle.carried_from == cycle
    milestone = Milestone.objects.get(roadmap__engagement=cycle.engagement)
    assert milestone.fiscal_year == 2025 and milestone == next_cycle.carried_milestone
    assert next_cycle.history.first().history_change_reason == "plans.pdca.carry_over"


def test_carry_over_needs_an_act(town: Any, staff: Any) -> None:
    cycle = _cycle(town, staff)

    with pytest.raises(TsunaguError):
        pdca_carry_over(cycle=cycle, actor=staff)

    assert PdcaCycle.objects.filter(engagement=cycle.engagement).count() == 1


def test_other_municipality_staff_cannot_carry_over(
    town: Any, staff: Any, other_staff: Any
) -> None:
    cycle = _cycle(town, staff, act="次へ")

    with pytest.raises(PermissionDenied):
        pdca_carry_over(cycle=cycle, actor=other_staff)

    assert PdcaCycle.objects.filter(engagement=cycle.engagement).count() == 1
    assert not Milestone.objects.filter(roadmap__engagement=cycle.engagement).exists()


def test_pdca_page_lists_the_years_visits_as_do(town: Any, staff: Any) -> None:
    import datetime

    from django.test import Client

    from tsunagu.engagements.models import Visit

    cycle = _cycle(town, staff)
    Visit.objects.create(
        engagement=cycle.engagement, number=1, visited_on=datetime.date(2024, 10, 2)
    )
    client = Client()
    client.force_login(staff)

    page = client.get(f"/plans/pdca/{cycle.pk}/").content.decode()

    assert "第1回 令和6年10月2日" in page


def test_new_pdca_page_without_its_subject_sends_the_user_to_the_list(
    town: Any, staff: Any
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(staff)

    response = client.get("/plans/pdca/new/", follow=True)

    assert response.redirect_chain == [("/plans/pdca/", 302)]
    assert "伴走的支援か計画の項目を選んでください。" in response.content.decode()
    assert not PdcaCycle.objects.exists()
