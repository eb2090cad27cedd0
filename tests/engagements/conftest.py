"""Fixtures for the engagements tests: programs and engagements written through the services.

Tests that count rows start from no engagements (``no_demo_engagements``); the demo data is
restored by the transaction rollback after each test.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests._demo_rows import delete_demo_rows
from tsunagu.engagements.commands import EngagementFields, ProgramFields, VisitFields

TOKYO = ZoneInfo("Asia/Tokyo")


def freeze(monkeypatch: Any, day: datetime.date) -> None:
    """Freeze django.utils.timezone.now (and so localdate) at noon of ``day`` in Tokyo."""
    frozen = datetime.datetime.combine(day, datetime.time(12), tzinfo=TOKYO)
    monkeypatch.setattr(timezone, "now", lambda: frozen)


def with_email(user: Any, address: str) -> Any:
    """Give a demo user an address, with memberships valid since 2000 (for frozen clocks)."""
    user.email = address
    user.save()
    user.memberships.update(starts_on=datetime.date(2000, 1, 1))
    return user


@pytest.fixture
def no_demo_engagements(db: Any) -> None:
    from tsunagu.engagements.models import (
        CaseSheetSettings,
        Engagement,
        FollowUpSettings,
        ProgramSelection,
        Roadmap,
        SupportProgram,
    )

    delete_demo_rows(
        Roadmap.objects.all(),
        Engagement.objects.all(),
        ProgramSelection.objects.all(),
        SupportProgram.objects.all(),
        FollowUpSettings.objects.all(),
        CaseSheetSettings.objects.all(),
    )


@pytest.fixture
def admin_user(user_named: Callable[[str], Any]) -> Any:
    return user_named("admin")


@pytest.fixture
def ministry_program(no_demo_engagements: None, admin_user: Any) -> Any:
    from tsunagu.engagements import services

    return services.program_create(
        fields=ProgramFields(
            owner_kind="ministry",
            regional_bureau="九州厚生局",
            name="地域づくり加速化事業",
            typical_visits=3,
            typical_months=6,
            first_fiscal_year=2022,
        ),
        actor=admin_user,
    )


@pytest.fixture
def kagoshima_program(no_demo_engagements: None, user_named: Any, prefecture: Any) -> Any:
    from tsunagu.engagements import services

    return services.program_create(
        fields=ProgramFields(
            owner_kind="prefecture",
            owner_prefecture=prefecture("鹿児島県"),
            name="かごしま介護予防（総合事業）推進事業",
            typical_visits=3,
            first_fiscal_year=2022,
        ),
        actor=user_named("kagoshima-pref"),
    )


@pytest.fixture
def make_engagement(
    ministry_program: Any, municipality: Any, admin_user: Any
) -> Callable[..., Any]:
    from tsunagu.engagements import services

    def make(
        name: str = "出水市",
        *,
        fiscal_year: int = 2022,
        theme: str = "移動支援",
        status: str = "applied",
        program: Any = None,
        at: datetime.date | None = None,
    ) -> Any:
        return services.engagement_create(
            program=program or ministry_program,
            municipality=municipality(name),
            fields=EngagementFields(fiscal_year=fiscal_year, theme=theme, reasons="応募理由"),
            status=status,
            at=at,
            actor=admin_user,
        )

    return make


@pytest.fixture
def visited(make_engagement: Callable[..., Any], admin_user: Any) -> Any:
    """出水市 令和4年度: three visits (令和4年10月6日・11月25日・令和5年1月23日), support ended."""
    from tsunagu.engagements import services

    engagement = make_engagement("出水市", status="in_support", at=datetime.date(2022, 10, 1))
    for day in (
        datetime.date(2022, 10, 6),
        datetime.date(2022, 11, 25),
        datetime.date(2023, 1, 23),
    ):
        services.visit_record(
            engagement=engagement, fields=VisitFields(visited_on=day), actor=admin_user
        )
    services.engagement_transition(
        engagement=engagement, to="support_ended", actor=admin_user, at=datetime.date(2023, 1, 31)
    )
    engagement.refresh_from_db()
    return engagement
