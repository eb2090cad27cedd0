"""Pages: landing, services, drivers with weekly slots and exceptions, vehicles with idle windows,
riders, day plan (run, move, confirm, public-transport marking), driver sheet."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.mobility.rides_helpers import (
    DAY,
    make_driver,
    make_org_vehicle,
    make_own_car,
    make_request,
    make_rider,
    make_service,
    t,
)
from tsunagu.core.actions import display_reason
from tsunagu.mobility.models import (
    DayPlan,
    Driver,
    DriverException,
    MobilityService,
    PlannedStop,
    Rider,
    RideStatus,
    Vehicle,
)

pytestmark = pytest.mark.django_db


def _slots(rows: list[tuple[str, str, str]], extra: int = 3) -> dict[str, str]:
    data = {
        "slots-TOTAL_FORMS": str(len(rows) + extra),
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
    }
    for i, (weekday, start, end) in enumerate(rows):
        data.update(
            {
                f"slots-{i}-weekday": weekday,
                f"slots-{i}-starts_at": start,
                f"slots-{i}-ends_at": end,
            }
        )
    return data


def test_landing_lists_services_in_scope_and_section_links(client_as) -> None:
    body = client_as("naokawa").get(reverse("mobility:home")).content.decode()
    assert "直川地域のボランティア送迎" in body
    assert "宮たすけ隊の外出同行" not in body  # 鹿児島市
    assert "電話受付" in body
    other = client_as("miyatasuke").get(reverse("mobility:home")).content.decode()
    assert "宮たすけ隊の外出同行" in other and "直川地域" not in other


def test_service_create_and_edit_by_municipal_staff(client_as, municipality) -> None:
    from tsunagu.directory.models import Organisation

    operator = Organisation.objects.get(
        municipality=municipality("佐伯市"), name="直川地域コミュニティ協議会"
    )
    client = client_as("saiki")
    response = client.post(
        reverse("mobility:service_create"),
        {
            "name": "新しい送迎",
            "operator": operator.pk,
            "service_kind": "welfare_members",
            "status": "planning",
            "average_speed_kmh": "25",
            "road_factor": "1.30",
            "max_ride_minutes": "60",
            "boarding_minutes": "3",
            "started_on": "令和7年4月1日",
        },
    )
    assert response.status_code == 302, response.content.decode()
    service = MobilityService.objects.get(name="新しい送迎")
    assert service.municipality == municipality("佐伯市") and service.started_on == datetime.date(
        2025, 4, 1
    )
    assert service.history.count() == 1


def test_service_create_keeps_input_on_error(client_as) -> None:
    response = client_as("saiki").post(
        reverse("mobility:service_create"), {"name": "途中", "road_factor": "9"}
    )
    body = response.content.decode()
    assert (
        response.status_code == 200
        and 'value="途中"' in body
        and "入力内容を確認してください" in body
    )


def test_driver_create_with_weekly_slots(client_as) -> None:
    service = make_service()
    data = {
        "name": "新人 運転",
        "name_kana": "しんじん",
        "licence_class": "class1",
        "can_escort": "on",
        "active": "on",
        "insurance_expires_on": "R8.3.31",
        **_slots([("1", "09:00", "12:00"), ("3", "13:00", "15:00")]),
    }
    response = client_as("naokawa").post(reverse("mobility:driver_create", args=[service.pk]), data)
    assert response.status_code == 302, response.content.decode()
    driver = Driver.objects.get(name="新人 運転")
    assert driver.insurance_expires_on == datetime.date(2026, 3, 31)
    assert [(a.weekday, a.starts_at, a.ends_at) for a in driver.availability.all()] == [
        (1, t("9:00"), t("12:00")),
        (3, t("13:00"), t("15:00")),
    ]


def test_driver_edit_replaces_slots_and_keeps_history(client_as) -> None:
    service = make_service()
    driver = make_driver(service, slots=((1, "9:00", "12:00"),))
    data = {
        "name": driver.name,
        "name_kana": "うんてん",
        "licence_class": "class1",
        "active": "on",
        **_slots([("2", "10:00", "11:00")]),
    }
    client_as("saiki").post(reverse("mobility:driver_edit", args=[driver.pk]), data)
    assert [(a.weekday, a.starts_at) for a in driver.availability.all()] == [(2, t("10:00"))]
    assert driver.availability.model.history.filter(history_type="-").exists()


def test_slot_with_end_before_start_is_refused_with_row_message(client_as) -> None:
    service = make_service()
    data = {
        "name": "x",
        "licence_class": "class1",
        "active": "on",
        **_slots([("1", "12:00", "09:00")]),
    }
    response = client_as("naokawa").post(reverse("mobility:driver_create", args=[service.pk]), data)
    assert response.status_code == 200
    assert "終了時刻は開始時刻より後にしてください" in response.content.decode()
    assert not Driver.objects.filter(service=service).exists()


def test_driver_exception_add_and_delete(client_as) -> None:
    service = make_service()
    driver = make_driver(service)
    client = client_as("naokawa")
    response = client.post(
        reverse("mobility:driver_exception_add", args=[driver.pk]),
        {"date": "2030-01-08", "available": "0", "note": "通院"},
    )
    assert response.status_code == 302
    exception = DriverException.objects.get(driver=driver)
    page = client.get(reverse("mobility:driver_detail", args=[driver.pk])).content.decode()
    assert "運転できない" in page
    client.post(reverse("mobility:driver_exception_delete", args=[exception.pk]))
    assert not DriverException.objects.filter(driver=driver).exists()


def test_vehicle_create_organisation_needs_owner_and_idle_windows_saved(client_as) -> None:
    service = make_service()
    client = client_as("naokawa")
    url = reverse("mobility:vehicle_create", args=[service.pk])
    base = {
        "name": "送迎車",
        "owner_kind": "organisation",
        "plate": "business",
        "seats": "6",
        "wheelchair_spaces": "1",
        "active": "on",
        **_slots([("1", "10:00", "15:00")]),
    }
    missing = client.post(url, base)
    assert "所有する団体を選んでください" in missing.content.decode()
    assert not Vehicle.objects.filter(service=service).exists()
    response = client.post(url, {**base, "owner_organisation": service.operator_id})
    assert response.status_code == 302
    vehicle = Vehicle.objects.get(service=service)
    assert [(w.weekday, w.starts_at) for w in vehicle.idle_windows.all()] == [(1, t("10:00"))]


def test_rider_create_then_back_to_booking(client_as) -> None:
    service = make_service()
    response = client_as("naokawa").post(
        reverse("mobility:rider_create", args=[service.pk]) + "?next=book",
        {
            "name": "新規 会員",
            "name_kana": "しんき かいいん",
            "consent_on": "令和7年5月1日",
            "active": "on",
            "next": "book",
        },
    )
    rider = Rider.objects.get(name="新規 会員")
    assert response["Location"].endswith(f"?rider={rider.pk}")
    assert rider.consent_on == datetime.date(2025, 5, 1)


def test_day_plan_page_run_move_confirm(client_as) -> None:
    service = make_service()
    a = make_own_car(make_driver(service, name="A"))
    make_own_car(make_driver(service, name="B"))
    ride = make_request(make_rider(service, name="見える 人"))
    client = client_as("naokawa")
    url = reverse("mobility:day_plan", args=[service.pk, DAY.isoformat()])
    page = client.get(url).content.decode()
    assert "配車計画を作成" in page and "見える 人" in page
    client.post(reverse("mobility:day_plan_run", args=[service.pk, DAY.isoformat()]))
    plan = DayPlan.objects.get(service=service, date=DAY)
    page = client.get(url).content.decode()
    assert "送迎表（印刷）" in page and "手で変更する" in page
    route_a = plan.routes.filter(vehicle=a).first() or plan.routes.create(
        driver=a.owner_driver, vehicle=a
    )
    response = client.post(
        reverse("mobility:day_plan_move", args=[service.pk, DAY.isoformat()]),
        {"request": ride.pk, "route": route_a.pk},
    )
    assert response.status_code == 302
    assert set(PlannedStop.objects.filter(request=ride).values_list("route_id", flat=True)) == {
        route_a.pk
    }
    client.post(reverse("mobility:day_plan_confirm", args=[service.pk, DAY.isoformat()]))
    plan.refresh_from_db()
    assert plan.status == DayPlan.Status.CONFIRMED


def test_infeasible_move_shows_reason_and_changes_nothing(client_as) -> None:
    service = make_service()
    make_own_car(make_driver(service, name="朝だけ", slots=((1, "8:00", "9:00"),)))
    make_own_car(make_driver(service, name="一日"))
    ride = make_request(make_rider(service), appointment_at=t("14:00"))
    client = client_as("naokawa")
    client.post(reverse("mobility:day_plan_run", args=[service.pk, DAY.isoformat()]))
    plan = DayPlan.objects.get(service=service)
    morning = plan.routes.filter(driver__name="朝だけ").first()
    if morning is None:
        driver = Driver.objects.get(service=service, name="朝だけ")
        morning = plan.routes.create(driver=driver, vehicle=driver.own_vehicles.get())
    before = list(
        PlannedStop.objects.filter(route__plan=plan).values_list("route_id", "request_id", "kind")
    )
    response = client.post(
        reverse("mobility:day_plan_move", args=[service.pk, DAY.isoformat()]),
        {"request": ride.pk, "route": morning.pk},
    )
    assert response.status_code == 400
    assert "この変更はできません" in response.content.decode()
    after = list(
        PlannedStop.objects.filter(route__plan=plan).values_list("route_id", "request_id", "kind")
    )
    assert before == after


def test_public_transport_alternative_is_marked(client_as, municipality) -> None:
    # The synthetic 佐伯市 feed (demo data) has a demand stop 仁田原 and a stop 直川支所前.
    service = make_service()
    rider = make_rider(service, home_latitude="32.865000", home_longitude="131.780000")
    ride = make_request(
        rider,
        to=(32.8930, 131.7935),
        appointment_at=None,
        earliest_pickup=t("7:30"),
        latest_pickup=t("11:00"),
        day=datetime.date(2030, 1, 8),
    )
    far = make_request(rider, to=(33.5, 130.4), appointment_at=t("10:00"))
    client_as("naokawa").post(
        reverse("mobility:day_plan_transit", args=[service.pk, DAY.isoformat()])
    )
    ride.refresh_from_db()
    far.refresh_from_db()
    assert "→" in ride.public_alternative
    assert far.public_alternative == ""
    page = (
        client_as("naokawa")
        .get(reverse("mobility:day_plan", args=[service.pk, DAY.isoformat()]))
        .content.decode()
    )
    assert "公共交通で行ける可能性あり" in page


def test_the_days_bookings_are_checked_against_public_transport_from_the_list(
    client_as,
) -> None:
    # Same synthetic 佐伯市 feed as above: no CSV upload, the day's bookings themselves.
    service = make_service()
    rider = make_rider(service, home_latitude="32.865000", home_longitude="131.780000")
    ride = make_request(
        rider,
        to=(32.8930, 131.7935),
        appointment_at=None,
        earliest_pickup=t("7:30"),
        latest_pickup=t("11:00"),
    )
    client = client_as("naokawa")
    url = reverse("mobility:day_plan_transit", args=[service.pk, DAY.isoformat()])
    listing = client.get(
        reverse("mobility:request_list", args=[service.pk]), {"date": DAY.isoformat()}
    ).content.decode()
    assert f'action="{url}"' in listing
    page = client.post(url, follow=True).content.decode()
    assert f"行ける予約: 1件（予約 {ride.pk}）" in page
    # The check is a write on the request: its history says who ran it.
    latest = ride.history.order_by("-history_date", "-pk").first()
    assert display_reason(latest.history_change_reason) == "公共交通との共存を確認"
    assert latest.history_user.username == "naokawa"


def test_driver_sheet_content(client_as, user_named) -> None:
    from tsunagu.mobility.rides import planning

    service = make_service()
    make_own_car(make_driver(service, name="運転 一郎"))
    make_request(
        make_rider(service, name="乗る 人", phone="0972-99-0000", uses_wheelchair=False),
        escort_minutes=40,
        mobility_aids="つえ",
    )
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=0.2
    )
    route = plan.routes.get()
    body = (
        client_as("naokawa").get(reverse("mobility:driver_sheet", args=[route.pk])).content.decode()
    )
    for text in (
        "運転 一郎",
        "乗る 人",
        "0972-99-0000",
        "診療所",
        "付き添い 約40分",
        "つえ",
        "mobility/rides.css",
        "印刷する",
    ):
        assert text in body, text
    stop_times = [s.arrives_at.strftime("%-H:%M") for s in route.stops.all()]
    assert all(time in body for time in stop_times)


def test_request_list_status_change_from_page(client_as) -> None:
    service = make_service()
    ride = make_request(make_rider(service))
    client = client_as("naokawa")
    page = client.get(
        reverse("mobility:request_list", args=[service.pk]), {"date": DAY.isoformat()}
    ).content.decode()
    assert f'id="status-{ride.pk}"' in page
    response = client.post(
        reverse("mobility:request_status", args=[ride.pk]),
        {"status": "unserved", "reason": "運転者不足"},
    )
    assert response.status_code == 302
    ride.refresh_from_db()
    assert ride.status == RideStatus.UNSERVED


def test_org_vehicle_in_plan(client_as, user_named) -> None:
    from tsunagu.mobility.rides import planning

    service = make_service()
    make_driver(service, name="職員")
    van = make_org_vehicle(service, idle=((1, "9:00", "12:00"),))
    make_request(make_rider(service), wheelchair=True)
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("saiki-sc"), time_limit_s=0.2
    )
    assert plan.routes.get().vehicle == van
