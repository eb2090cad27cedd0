"""Riders' personal data never reaches users without the right, on any mobility page, export or
API; every read that shows it is logged (issue 12).

The crawl walks every URL pattern of ``mobility/rides/urls.py`` (and the rides API) with the
demo ids, as 佐伯市 staff without ``can_view_personal_data`` (``saiki``), the system
administrator (``admin``), and ``naokawa`` (直川's operator) on 弥生's service, which another
operator runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, reverse

from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.demo.mobility_loader import SYNTHETIC
from tsunagu.mobility.models import (
    DayPlan,
    Driver,
    DriverException,
    MobilityService,
    PlannedRoute,
    Rider,
    RideRequest,
    Vehicle,
)
from tsunagu.mobility.rides import planning
from tsunagu.mobility.rides.urls import urlpatterns

pytestmark = pytest.mark.django_db

NAOKAWA = "直川地域のボランティア送迎"
YAYOI = "弥生地域の法人車両による移動支援"
SECRET_NOTE = "持病の薬を車内で飲む（秘密のメモ）"
SECRET_NEEDS = "右半身にまひ（秘密の配慮）"
SECRET_STATUS = "本人が入院（秘密の理由）"


def _plan_demo_days(user_named: Any) -> list[DayPlan]:
    """A plan for each demo service on its demo day (the demo loads requests, no plans)."""
    planner = {NAOKAWA: "naokawa", YAYOI: "saiki-sc"}
    plans = []
    for name, username in planner.items():
        service = MobilityService.objects.get(name=name)
        day = RideRequest.objects.filter(service=service).values_list("trip_date", flat=True)[0]
        plans.append(
            planning.plan_day(service=service, date=day, actor=user_named(username), time_limit_s=1)
        )
    return plans


def _secrets(services: list[MobilityService]) -> list[str]:
    """Every rider field of these services' riders as it could be printed."""
    found: set[str] = set()
    for rider in Rider.objects.filter(service__in=services):
        found |= {rider.name, rider.name_kana, rider.phone, rider.address, rider.mobility_aids}
        found |= {rider.name.split("（")[0], rider.note, rider.needs}
        found |= {rider.emergency_contact}
        if rider.home_latitude is not None:
            found.add(f"{rider.home_latitude}")
            found.add(f"{rider.home_latitude:.4f}")
    for ride in RideRequest.objects.filter(service__in=services):
        found |= {ride.status_reason, ride.note, ride.mobility_aids}
    found |= {"車いすのまま乗車", "［車いす］", "さんの自宅"}
    # The demo's 「架空のデータ」 note is on drivers and vehicles too: not a rider's field.
    return sorted(s for s in found if s and SYNTHETIC not in s)


def _ids(service: MobilityService) -> dict[str, list[int]]:
    return {
        "service_id": [service.pk],
        "driver_id": list(Driver.objects.filter(service=service).values_list("pk", flat=True)),
        "vehicle_id": list(Vehicle.objects.filter(service=service).values_list("pk", flat=True)),
        "rider_id": list(Rider.objects.filter(service=service).values_list("pk", flat=True)),
        "request_id": list(
            RideRequest.objects.filter(service=service).values_list("pk", flat=True)
        ),
        "route_id": list(
            PlannedRoute.objects.filter(plan__service=service).values_list("pk", flat=True)
        ),
        "pk": list(
            DriverException.objects.filter(driver__service=service).values_list("pk", flat=True)
        ),
    }


def _urls(service: MobilityService) -> list[str]:
    """Every page of the service: each pattern with every demo id of its kind."""
    ids = _ids(service)
    days = {p.date.isoformat() for p in DayPlan.objects.filter(service=service)}
    urls: list[str] = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        name = f"mobility:{pattern.name}"
        if not names:
            urls.append(reverse(name))
            continue
        key = next(n for n in names if n != "date")
        for value in ids[key]:
            if "date" in names:
                urls += [reverse(name, args=[value, day]) for day in days]
            else:
                urls.append(reverse(name, args=[value]))
    urls.append(f"/api/v1/mobility/services/{service.pk}/requests")
    return urls


@pytest.fixture(scope="module")
def demo_with_plans(django_db_setup: Any, django_db_blocker: Any) -> Iterator[list[DayPlan]]:
    """Planned once for the module (the solver is the costly part), in a transaction that is
    rolled back after the module's last test; each test runs inside it in its own savepoint,
    so what a test changes is still undone after it. Read the plans, do not change them."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock(), transaction.atomic():
        rider = Rider.objects.filter(service__name=NAOKAWA).order_by("pk").first()
        assert rider is not None
        Rider.objects.filter(pk=rider.pk).update(note=SECRET_NOTE, needs=SECRET_NEEDS)
        plans = _plan_demo_days(lambda username: get_user_model().objects.get(username=username))
        ride = RideRequest.objects.filter(service__name=YAYOI).order_by("pk").first()
        assert ride is not None
        RideRequest.objects.filter(pk=ride.pk).update(status_reason=SECRET_STATUS)
        assert all(p.routes.exists() for p in plans)
        yield plans
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("username", "service_names"),
    [("saiki", [NAOKAWA, YAYOI]), ("admin", [NAOKAWA, YAYOI]), ("naokawa", [YAYOI])],
)
def test_no_rider_field_on_any_page_or_export_without_the_right(
    client_as, user_named, demo_with_plans, username, service_names
) -> None:
    services = list(MobilityService.objects.filter(name__in=service_names))
    secrets = _secrets(services)
    assert SECRET_STATUS in secrets
    assert ({SECRET_NOTE, "つえ", "シルバーカー"} <= set(secrets)) is (NAOKAWA in service_names)
    client = client_as(username)
    seen = 0
    for service in services:
        for url in _urls(service):
            response = client.get(url)
            assert response.status_code in (200, 302, 403, 404, 405), url
            body = response.content.decode()
            leaked = [s for s in secrets if s in body]
            assert leaked == [], (url, leaked)
            seen += response.status_code == 200
    # The pages that list the day's trips were rendered (masked), not only refused.
    assert seen >= 10
    assert not PersonalDataReadLog.objects.filter(user=user_named(username)).exists()


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
