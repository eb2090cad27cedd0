"""Small builders for the service B tests (no dependence on the demo's service B records)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model

from tsunagu.accounts.models import Membership, Role
from tsunagu.accounts.scope import forget_scope
from tsunagu.programs.service_b import services

FY2024 = (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))


def staff(municipality: Any, *, username: str, care: bool = False, role: str = "") -> Any:
    user = get_user_model().objects.create_user(username=username, password="x")
    Membership.objects.create(
        user=user,
        role=role or Role.MUNICIPALITY_STAFF,
        municipality=municipality,
        starts_on=datetime.date(2020, 4, 1),
        can_view_care_records=care,
    )
    forget_scope(user)
    return user


def group(municipality: Any, actor: Any, name: str = "テスト支えあい隊") -> Any:
    return services.group_create(municipality=municipality, name=name, actor=actor)


def period(group_: Any, actor: Any, total: int | None = 20, eligible: int | None = 12) -> Any:
    return services.period_create(
        group=group_,
        starts_on=FY2024[0],
        ends_on=FY2024[1],
        users_total=total,
        users_eligible=eligible,
        actor=actor,
    )


def application(period_: Any, actor: Any, *, b_cost: int = 1_234_000) -> Any:
    app = services.application_create(period=period_, kind="application", actor=actor)
    services.account_line_add(
        application=app,
        scope="service_b",
        direction="expense",
        item="燃料費",
        amount=b_cost,
        actor=actor,
    )
    services.account_line_add(
        application=app,
        scope="other",
        direction="expense",
        item="公民館行事",
        amount=99_999,
        actor=actor,
    )
    return app
