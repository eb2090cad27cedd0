"""Who sees and does what: operator member, authorised staff, staff without the personal-data
right, another municipality, another prefecture. Riders' reads are logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.mobility.rides_helpers import (
    DAY,
    make_driver,
    make_own_car,
    make_request,
    make_rider,
    make_service,
)
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.core.jobs.models import Job
from tsunagu.mobility.models import DayPlan, Rider, RideRequest, RideStatus

pytestmark = pytest.mark.django_db

OPERATOR = "naokawa"  # member of 直川地域コミュニティ協議会
AUTHORISED = "saiki-sc"  # 佐伯市 coordinator with can_view_personal_data
UNAUTHORISED = "saiki"  # 佐伯市 staff without it
OTHER_TOWN = "kagoshima"  # 鹿児島市 staff
OTHER_PREFECTURE = "fukuoka"  # 福岡県 prefecture staff


@pytest.fixture
def setup(db):
    service = make_service()
    driver = make_driver(service)
    make_own_car(driver)
    rider = make_rider(service, name="秘密 花子")
    ride = make_request(rider)
    return service, driver, rider, ride


@pytest.mark.parametrize(
    ("username", "status"),
    [
        (OPERATOR, 200),
        (AUTHORISED, 200),
        (UNAUTHORISED, 200),
        (OTHER_TOWN, 404),
        (OTHER_PREFECTURE, 404),
    ],
)
def test_service_page_is_visible_within_the_municipality(
    client_as, setup, username, status
) -> None:
    service = setup[0]
    response = client_as(username).get(reverse("mobility:service_detail", args=[service.pk]))
    assert response.status_code == status
    if status == 200:
        assert "秘密 花子" not in response.content.decode()  # the service page shows counts only


@pytest.mark.parametrize(
    ("username", "status", "logged"),
    [
        (OPERATOR, 200, True),
        (AUTHORISED, 200, True),
        (UNAUTHORISED, 404, False),
        (OTHER_TOWN, 404, False),
        (OTHER_PREFECTURE, 404, False),
    ],
)
def test_rider_detail_only_for_operator_and_authorised_staff_and_logged(
    client_as, user_named, setup, username, status, logged
) -> None:
    rider = setup[2]
    response = client_as(username).get(reverse("mobility:rider_detail", args=[rider.pk]))
    assert response.status_code == status
    reads = PersonalDataReadLog.objects.filter(
        model_label="mobility.Rider", object_id=str(rider.pk)
    )
    assert reads.filter(user=user_named(username)).exists() is logged


@pytest.mark.parametrize(
    ("username", "names"), [(OPERATOR, True), (AUTHORISED, True), (UNAUTHORISED, False)]
)
def test_rider_list_shows_names_or_only_counts(client_as, setup, username, names) -> None:
    service = setup[0]
    response = client_as(username).get(reverse("mobility:rider_list", args=[service.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert ("秘密 花子" in body) is names
    if not names:
        assert "人数" in body


@pytest.mark.parametrize(
    ("username", "status"),
    [
        (OPERATOR, 200),
        (AUTHORISED, 200),
        (UNAUTHORISED, 403),
        (OTHER_TOWN, 404),
        (OTHER_PREFECTURE, 404),
    ],
)
def test_phone_booking_page(client_as, setup, username, status) -> None:
    service = setup[0]
    response = client_as(username).get(reverse("mobility:book", args=[service.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("username", "names"), [(OPERATOR, True), (AUTHORISED, True), (UNAUTHORISED, False)]
)
def test_request_list_hides_names_from_unauthorised_staff(
    client_as, setup, username, names
) -> None:
    service = setup[0]
    response = client_as(username).get(
        reverse("mobility:request_list", args=[service.pk]), {"date": DAY.isoformat()}
    )
    body = response.content.decode()
    assert response.status_code == 200
    # The request itself is listed; a typed address is the rider's, shown only with the right.
    assert ("診療所" in body) is names
    assert ("利用者が指定した場所" in body) is not names
    assert ("秘密 花子" in body) is names


@pytest.mark.parametrize("username", [UNAUTHORISED, OTHER_TOWN, OTHER_PREFECTURE])
def test_plan_run_refused_and_nothing_changes(client_as, setup, username) -> None:
    service, _driver, _rider, ride = setup
    response = client_as(username).post(
        reverse("mobility:day_plan_run", args=[service.pk, DAY.isoformat()])
    )
    assert response.status_code in (403, 404)
    assert not DayPlan.objects.filter(service=service).exists()
    assert not Job.objects.filter(kind="mobility.day_plan").exists()
    ride.refresh_from_db()
    assert ride.status == RideStatus.RECEIVED


@pytest.mark.parametrize("username", [UNAUTHORISED, OTHER_TOWN])
def test_status_change_refused_and_nothing_changes(client_as, setup, username) -> None:
    ride = setup[3]
    response = client_as(username).post(
        reverse("mobility:request_status", args=[ride.pk]), {"status": "cancelled", "reason": "x"}
    )
    assert response.status_code == 404  # requests carry the rider: not visible at all
    ride.refresh_from_db()
    assert ride.status == RideStatus.RECEIVED


@pytest.mark.parametrize(("username", "status"), [(UNAUTHORISED, 403), (OTHER_TOWN, 404)])
def test_rider_create_refused_and_nothing_changes(client_as, setup, username, status) -> None:
    service = setup[0]
    before = Rider.objects.count()
    response = client_as(username).post(
        reverse("mobility:rider_create", args=[service.pk]), {"name": "新規", "name_kana": "しんき"}
    )
    assert response.status_code == status
    assert Rider.objects.count() == before


@pytest.mark.parametrize(
    ("username", "status"), [(UNAUTHORISED, 200), (OPERATOR, 200), (OTHER_TOWN, 404)]
)
def test_drivers_are_visible_to_municipal_staff(client_as, setup, username, status) -> None:
    service, driver, _rider, _ride = setup
    assert (
        client_as(username).get(reverse("mobility:driver_detail", args=[driver.pk])).status_code
        == status
    )
    assert (
        client_as(username).get(reverse("mobility:driver_list", args=[service.pk])).status_code
        == status
    )


def test_driver_edit_by_other_municipality_is_404_and_viewer_cannot_edit(client_as, setup) -> None:
    driver = setup[1]
    url = reverse("mobility:driver_edit", args=[driver.pk])
    assert client_as(OTHER_TOWN).post(url, {"name": "x"}).status_code == 404
    driver.refresh_from_db()
    assert driver.name == "運転 太郎"


def test_oita_prefecture_staff_sees_service_but_not_riders(client_as, setup) -> None:
    service, _driver, rider, _ride = setup
    client = client_as("oita")
    assert client.get(reverse("mobility:service_detail", args=[service.pk])).status_code == 200
    assert client.get(reverse("mobility:rider_detail", args=[rider.pk])).status_code == 404


def test_driver_sheet_names_only_for_allowed_users_and_each_print_is_logged(
    client_as, user_named, setup
) -> None:
    from tsunagu.mobility.rides import planning

    service, _driver, rider, _ride = setup
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named(OPERATOR), time_limit_s=0.2
    )
    route = plan.routes.get()
    url = reverse("mobility:driver_sheet", args=[route.pk])
    allowed = client_as(OPERATOR).get(url).content.decode()
    assert "秘密 花子" in allowed and "0972-11-2233" in allowed
    # One row per rider printed, so a read of one person can be traced.
    assert (
        PersonalDataReadLog.objects.filter(
            user=user_named(OPERATOR), model_label="mobility.Rider", object_id=str(rider.pk)
        ).count()
        == 1
    )
    hidden = client_as(UNAUTHORISED).get(url).content.decode()
    assert "秘密 花子" not in hidden and "0972-11-2233" not in hidden
    assert not PersonalDataReadLog.objects.filter(user=user_named(UNAUTHORISED)).exists()
    assert client_as(OTHER_TOWN).get(url).status_code == 404


def test_api_lists_requests_only_for_allowed_users_with_read_log(
    client_as, user_named, setup
) -> None:
    service, _driver, _rider, ride = setup
    url = f"/api/v1/mobility/services/{service.pk}/requests?date={DAY.isoformat()}"
    response = client_as(OPERATOR).get(url)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [ride.pk]
    assert PersonalDataReadLog.objects.filter(
        user=user_named(OPERATOR), path__contains="/api/"
    ).exists()
    assert client_as(UNAUTHORISED).get(url).status_code == 403
    assert client_as(OTHER_TOWN).get(url).status_code == 404


def test_api_create_refused_for_unauthorised(client_as, setup) -> None:
    service, _driver, rider, _ride = setup
    before = RideRequest.objects.count()
    response = client_as(UNAUTHORISED).post(
        f"/api/v1/mobility/services/{service.pk}/requests",
        {
            "rider_id": rider.pk,
            "trip_date": DAY.isoformat(),
            "purpose": "hospital",
            "destination_label": "病院",
            "destination_latitude": 32.95,
            "destination_longitude": 131.89,
            "appointment_at": "10:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert RideRequest.objects.count() == before
