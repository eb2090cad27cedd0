"""Day planning from the database: availability, vehicles, wheelchair, escort, idle windows,
manual moves and the driver sheet."""

from __future__ import annotations

import datetime

import pytest

from tests.mobility.rides_helpers import (
    DAY,
    HOSPITAL,
    make_driver,
    make_org_vehicle,
    make_own_car,
    make_request,
    make_rider,
    make_service,
    t,
)
from tsunagu.core.errors import TsunaguError
from tsunagu.mobility.models import (
    DayPlan,
    DriverException,
    PlannedStop,
    RideStatus,
    UnservedRequest,
)
from tsunagu.mobility.rides import planning

pytestmark = pytest.mark.django_db
SOLVER_S = 0.2


# --- availability -------------------------------------------------------------------------------


def test_driver_windows_follow_the_weekly_pattern_of_the_weekday() -> None:
    service = make_service()
    driver = make_driver(
        service, slots=((1, "9:00", "12:00"), (1, "13:00", "15:00"), (2, "8:00", "10:00"))
    )
    assert planning.driver_windows(driver, DAY) == [(540.0, 720.0), (780.0, 900.0)]
    assert planning.driver_windows(driver, DAY + datetime.timedelta(days=1)) == [(480.0, 600.0)]
    assert planning.driver_windows(driver, DAY + datetime.timedelta(days=2)) == []


def test_day_off_exception_removes_the_whole_day() -> None:
    service = make_service()
    driver = make_driver(service, slots=((1, "9:00", "12:00"),))
    DriverException.objects.create(driver=driver, date=DAY, available=False)
    assert planning.driver_windows(driver, DAY) == []
    assert planning.driver_windows(driver, DAY + datetime.timedelta(days=7)) == [(540.0, 720.0)]


def test_hours_off_exception_cuts_the_pattern_and_extra_hours_add_to_it() -> None:
    service = make_service()
    driver = make_driver(service, slots=((1, "9:00", "12:00"),))
    DriverException.objects.create(
        driver=driver, date=DAY, available=False, starts_at=t("10:00"), ends_at=t("11:00")
    )
    DriverException.objects.create(
        driver=driver, date=DAY, available=True, starts_at=t("14:00"), ends_at=t("16:00")
    )
    assert planning.driver_windows(driver, DAY) == [(540.0, 600.0), (660.0, 720.0), (840.0, 960.0)]


def test_extra_hours_on_a_day_without_pattern() -> None:
    service = make_service()
    driver = make_driver(service, slots=((1, "9:00", "12:00"),))
    thursday = DAY + datetime.timedelta(days=2)
    DriverException.objects.create(
        driver=driver, date=thursday, available=True, starts_at=t("13:00"), ends_at=t("15:00")
    )
    assert planning.driver_windows(driver, thursday) == [(780.0, 900.0)]


def test_organisation_vehicle_is_driven_by_an_available_driver_only_in_its_idle_window() -> None:
    service = make_service()
    make_driver(service, name="車なし", slots=((1, "8:00", "17:00"),))
    vehicle = make_org_vehicle(service, idle=((1, "10:00", "12:00"),))
    day = planning.build_day(service, DAY)
    assert [(s.vehicle, s.window) for s in day.shifts.values()] == [(vehicle, (600.0, 720.0))]


def test_own_car_goes_with_its_owner_and_owner_is_not_double_booked() -> None:
    service = make_service()
    owner = make_driver(service, name="車あり", slots=((1, "9:00", "15:00"),))
    car = make_own_car(owner)
    org = make_org_vehicle(service, idle=((1, "10:00", "12:00"),))
    shifts = sorted(
        (s.vehicle.pk, s.window) for s in planning.build_day(service, DAY).shifts.values()
    )
    # The owner drives the organisation's car 10–12 and their own car around it.
    assert shifts == sorted(
        [(org.pk, (600.0, 720.0)), (car.pk, (540.0, 600.0)), (car.pk, (720.0, 900.0))]
    )


# --- planning -------------------------------------------------------------------------------------


def test_plan_serves_requests_and_sets_status(user_named) -> None:
    service = make_service()
    driver = make_driver(service)
    make_own_car(driver)
    ride = make_request(make_rider(service), appointment_at=t("10:00"))
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=SOLVER_S
    )
    ride.refresh_from_db()
    assert ride.status == RideStatus.ASSIGNED
    route = plan.routes.get()
    stops = list(route.stops.order_by("sequence"))
    assert [(s.kind, s.request_id) for s in stops] == [("pickup", ride.pk), ("dropoff", ride.pk)]
    assert t("9:30") <= stops[1].arrives_at <= t("10:00")  # appointment window [appt − 30, appt]
    assert plan.history.exists()


def test_wheelchair_request_without_wheelchair_vehicle_is_unserved_with_that_reason(
    user_named,
) -> None:
    service = make_service()
    driver = make_driver(service)
    make_own_car(driver, wheelchair=0)
    ride = make_request(make_rider(service, uses_wheelchair=True), wheelchair=True)
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=SOLVER_S
    )
    row = UnservedRequest.objects.get(plan=plan, request=ride)
    assert "車いす" in row.reason
    ride.refresh_from_db()
    assert ride.status == RideStatus.RECEIVED  # 不成立 only when the plan is confirmed
    planning.confirm_plan(plan=plan, actor=user_named("naokawa"))
    ride.refresh_from_db()
    assert ride.status == RideStatus.UNSERVED and "車いす" in ride.status_reason


def test_wheelchair_request_goes_to_the_vehicle_with_wheelchair_space(user_named) -> None:
    service = make_service()
    make_own_car(make_driver(service, name="自家用"), wheelchair=0)
    make_driver(service, name="職員", slots=((1, "8:00", "17:00"),))
    van = make_org_vehicle(service, idle=((1, "8:00", "17:00"),), wheelchair=1)
    ride = make_request(make_rider(service), wheelchair=True)
    planning.plan_day(service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=SOLVER_S)
    assert PlannedStop.objects.get(request=ride, kind="pickup").route.vehicle == van


def test_escort_minutes_lengthen_the_route(user_named) -> None:
    def route_minutes(escort: int) -> tuple[float, float]:
        service = make_service(name=f"付き添い{escort}")
        make_own_car(make_driver(service))
        ride = make_request(
            make_rider(service),
            escort_minutes=escort,
            appointment_at=None,
            earliest_pickup=t("9:00"),
            latest_pickup=t("9:00"),
        )
        plan = planning.plan_day(
            service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=SOLVER_S
        )
        route = plan.routes.get()
        dropoff = PlannedStop.objects.get(route=route, request=ride, kind="dropoff")
        stay = planning.minutes(dropoff.departs_at) - planning.minutes(dropoff.arrives_at)
        return planning.minutes(route.ends_at) - planning.minutes(route.starts_at), stay

    plain, plain_stay = route_minutes(0)
    escorted, escorted_stay = route_minutes(45)
    assert escorted - plain >= 44  # the driver stays with the rider (minute rounding)
    assert escorted_stay >= 45 + 3 and plain_stay >= 3  # escort + boarding at the drop-off


def test_idle_window_is_respected(user_named) -> None:
    service = make_service()
    make_driver(service, slots=((1, "8:00", "17:00"),))
    make_org_vehicle(service, idle=((1, "10:00", "12:00"),))
    inside = make_request(make_rider(service), appointment_at=t("11:00"))
    outside = make_request(make_rider(service, name="午後"), appointment_at=t("15:00"))
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=SOLVER_S
    )
    route = plan.routes.get()
    assert route.starts_at >= t("10:00") and route.ends_at <= t("12:00")
    assert set(route.stops.values_list("request_id", flat=True)) == {inside.pk}
    assert UnservedRequest.objects.filter(plan=plan, request=outside).exists()


def test_request_without_coordinates_is_listed_unserved(user_named) -> None:
    service = make_service()
    make_own_car(make_driver(service))
    ride = make_request(make_rider(service, home_latitude=None, home_longitude=None))
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=SOLVER_S
    )
    assert "緯度" in UnservedRequest.objects.get(plan=plan, request=ride).reason


def test_replanning_replaces_the_plan_of_the_day(user_named) -> None:
    service = make_service()
    make_own_car(make_driver(service))
    make_request(make_rider(service))
    first = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=SOLVER_S
    )
    second = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=SOLVER_S
    )
    assert first.pk == second.pk
    assert DayPlan.objects.filter(service=service, date=DAY).count() == 1
    assert second.routes.count() == 1


def test_unauthorised_staff_cannot_plan_and_nothing_changes(user_named) -> None:
    from tsunagu.core.errors import PermissionDenied

    service = make_service()
    make_own_car(make_driver(service))
    ride = make_request(make_rider(service))
    with pytest.raises(PermissionDenied):
        planning.plan_day(
            service=service, date=DAY, actor=user_named("saiki"), time_limit_s=SOLVER_S
        )
    ride.refresh_from_db()
    assert ride.status == RideStatus.RECEIVED
    assert not DayPlan.objects.filter(service=service).exists()


# --- manual moves ---------------------------------------------------------------------------------


def _two_drivers(user_named):
    service = make_service()
    a = make_own_car(make_driver(service, name="A", slots=((1, "8:00", "12:00"),)))
    b = make_own_car(make_driver(service, name="B", slots=((1, "8:00", "9:40"),)))
    early = make_request(
        make_rider(service, name="早い"),
        appointment_at=None,
        earliest_pickup=t("8:30"),
        latest_pickup=t("9:00"),
    )
    late = make_request(make_rider(service, name="遅い"), to=HOSPITAL, appointment_at=t("11:00"))
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=SOLVER_S
    )
    return service, plan, a, b, early, late


def test_manual_move_to_a_driver_who_is_not_available_then_is_refused(user_named) -> None:
    _service, plan, _a, b, _early, late = _two_drivers(user_named)
    route_b = plan.routes.filter(vehicle=b).first() or plan.routes.create(
        driver=b.owner_driver, vehicle=b
    )
    before = sorted(
        PlannedStop.objects.filter(route__plan=plan).values_list("route_id", "request_id", "kind")
    )
    with pytest.raises(TsunaguError) as error:
        planning.move_request(
            plan=plan,
            ride=late,
            route=route_b,
            pickup_position=None,
            dropoff_position=None,
            actor=user_named("naokawa"),
        )
    assert "この変更はできません" in error.value.message
    after = sorted(
        PlannedStop.objects.filter(route__plan=plan).values_list("route_id", "request_id", "kind")
    )
    assert before == after


def test_manual_move_to_a_feasible_route_is_applied(user_named) -> None:
    _service, plan, a, _b, early, _late = _two_drivers(user_named)
    route_a = plan.routes.get(vehicle=a)
    planning.move_request(
        plan=plan,
        ride=early,
        route=route_a,
        pickup_position=1,
        dropoff_position=2,
        actor=user_named("naokawa"),
    )
    stops = list(route_a.stops.order_by("sequence").values_list("request_id", "kind"))
    assert stops[:2] == [(early.pk, "pickup"), (early.pk, "dropoff")]
    assert PlannedStop.objects.filter(route__plan=plan, request=early).count() == 2


def test_reorder_that_drops_off_before_pickup_is_refused(user_named) -> None:
    _service, plan, a, _b, early, late = _two_drivers(user_named)
    route_a = plan.routes.get(vehicle=a)
    planning.move_request(
        plan=plan,
        ride=early,
        route=route_a,
        pickup_position=1,
        dropoff_position=2,
        actor=user_named("naokawa"),
    )
    with pytest.raises(TsunaguError):
        # the late hospital trip first makes the early pick-up window impossible
        planning.move_request(
            plan=plan,
            ride=late,
            route=route_a,
            pickup_position=1,
            dropoff_position=2,
            actor=user_named("naokawa"),
        )
