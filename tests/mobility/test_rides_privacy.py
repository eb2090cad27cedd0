"""Riders' personal data is shown only with the right, and every read that shows it is
logged (issue 12).

The crawl of every rides page with every demo id, as users without the right (``saiki``,
``admin``, ``naokawa`` on 弥生's service), is part of tests/test_crawl.py's crawl per user, so
that a page on both lists is fetched once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.mobility.models import (
    DayPlan,
    MobilityService,
    Rider,
    RideRequest,
)
from tsunagu.mobility.rides import planning

pytestmark = pytest.mark.django_db

NAOKAWA = "直川地域のボランティア送迎"
YAYOI = "弥生地域の法人車両による移動支援"


def _plan_demo_days(user_named: Any) -> list[DayPlan]:
    """A plan for each demo service on its demo day (the demo loads requests, no plans)."""
    planner = {NAOKAWA: "naokawa", YAYOI: "saiki-sc"}
    plans = []
    for name, username in planner.items():
        service = MobilityService.objects.get(name=name)
        day = RideRequest.objects.filter(service=service).values_list("trip_date", flat=True)[0]
        plans.append(
            planning.plan_day(
                service=service, date=day, actor=user_named(username), time_limit_s=0.3
            )
        )
    return plans


@pytest.fixture(scope="module")
def demo_with_plans(django_db_setup: Any, django_db_blocker: Any) -> Iterator[list[DayPlan]]:
    """Planned once for the module (the solver is the costly part), in a transaction that is
    rolled back after the module's last test; each test runs inside it in its own savepoint,
    so what a test changes is still undone after it. Read the plans, do not change them."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock(), transaction.atomic():
        plans = _plan_demo_days(lambda username: get_user_model().objects.get(username=username))
        assert all(p.routes.exists() for p in plans)
        yield plans
        transaction.set_rollback(True)


def test_masked_pages_show_neutral_labels(client_as, demo_with_plans) -> None:
    plan = next(p for p in demo_with_plans if p.service.name == NAOKAWA)
    route = plan.routes.first()
    assert route is not None
    client = client_as("saiki")
    day_plan = client.get(
        reverse("mobility:day_plan", args=[plan.service_id, plan.date.isoformat()])
    ).content.decode()
    sheet = client.get(reverse("mobility:driver_sheet", args=[route.pk])).content.decode()
    for body in (day_plan, sheet):
        assert "利用者の自宅" in body
        assert "直川診療所（デモ）" in body or "佐伯中央病院（デモ）" in body
    assert "会員（直川地域）" in day_plan


def _logged(user: Any, path: str) -> set[str]:
    return set(
        PersonalDataReadLog.objects.filter(
            user=user, model_label="mobility.Rider", path__startswith=path
        ).values_list("object_id", flat=True)
    )


@pytest.mark.parametrize("username", ["naokawa", "saiki-sc"])
def test_every_page_showing_riders_logs_each_rider_read(
    client_as, user_named, demo_with_plans, username
) -> None:
    user = user_named(username)
    plan = next(p for p in demo_with_plans if p.service.name == NAOKAWA)
    service = plan.service
    client = client_as(username)
    planned = {
        str(i)
        for i in RideRequest.objects.filter(planned_stops__route__plan=plan).values_list(
            "rider_id", flat=True
        )
    }
    day_riders = {
        str(i)
        for i in RideRequest.objects.filter(service=service, trip_date=plan.date).values_list(
            "rider_id", flat=True
        )
    }
    assert planned

    url = reverse("mobility:day_plan", args=[service.pk, plan.date.isoformat()])
    assert client.get(url).status_code == 200
    assert _logged(user, url) == day_riders

    route = plan.routes.filter(stops__isnull=False).first()
    assert route is not None
    url = reverse("mobility:driver_sheet", args=[route.pk])
    route_riders = {str(s.request.rider_id) for s in route.stops.select_related("request")}
    assert client.get(url).status_code == 200
    assert _logged(user, url) == route_riders

    url = reverse("mobility:rider_list", args=[service.pk])
    assert client.get(url).status_code == 200
    assert _logged(user, url) == {
        str(i) for i in Rider.objects.filter(service=service).values_list("pk", flat=True)
    }

    ride = RideRequest.objects.filter(service=service).order_by("pk").first()
    assert ride is not None
    url = reverse("mobility:request_history", args=[ride.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert ride.rider.name in response.content.decode()
    assert _logged(user, url) == {str(ride.rider_id)}


def test_history_values_of_rider_fields_are_masked_without_the_right() -> None:
    from tsunagu.mobility.rides.privacy import Disclosure

    hidden, shown = Disclosure(full=False), Disclosure(full=True)
    assert hidden.field("origin_label", "仁田原 ハルさんの自宅（デモ）") == "—"
    assert hidden.field("mobility_aids", "つえ") == "—"
    assert hidden.field("trip_date", "令和8年12月8日") == "令和8年12月8日"
    assert shown.field("mobility_aids", "つえ") == "つえ"
