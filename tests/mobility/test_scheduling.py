"""Ride scheduling core: every constraint honoured by solve(), refused by check_route()."""

from __future__ import annotations

import itertools
import math

import pytest

from tsunagu.mobility.scheduling.feasibility import check_route, schedule_route
from tsunagu.mobility.scheduling.problem import (
    DROPOFF,
    PICKUP,
    Problem,
    Request,
    Solution,
    Stop,
    Vehicle,
)
from tsunagu.mobility.scheduling.solver import UNSERVED_BUSY, solve

# Locations (minutes apart as the crow flies): 0 = garage, then homes and destinations.
POINTS = [(0, 0), (10, 0), (20, 0), (0, 10), (10, 10), (20, 10), (40, 0), (0, 40)]
TRAVEL = [[math.dist(a, b) for b in POINTS] for a in POINTS]
LIMIT = 0.5
NINE = 540.0  # 9:00


def van(vid: str = "v1", **kw: object) -> Vehicle:
    defaults: dict[str, object] = {
        "start_location": 0,
        "end_location": 0,
        "available": (480.0, 1020.0),
        "capacity": {"seats": 3},
    }
    defaults.update(kw)
    return Vehicle(vid, **defaults)  # type: ignore[arg-type]


def problem(requests: list[Request], vehicles: list[Vehicle]) -> Problem:
    return Problem(requests=requests, vehicles=vehicles, travel=TRAVEL)


def stops_of(*items: tuple[str, str]) -> list[Stop]:
    return [Stop(request_id, kind, 0) for request_id, kind in items]  # type: ignore[arg-type]


def assert_consistent(p: Problem, solution: Solution) -> None:
    """Every route passes check_route and its times respect windows and ride times."""
    for route in solution.routes:
        assert check_route(p, route.vehicle_id, route.stops) == []
        picked: dict[object, float] = {}
        for stop in route.stops:
            request = p.request(stop.request_id)
            window = request.pickup_window if stop.kind == PICKUP else request.dropoff_window
            assert stop.start >= stop.arrival - 1e-6
            if window:
                assert window[0] - 1e-6 <= stop.start <= window[1] + 1e-6
            if stop.kind == PICKUP:
                picked[stop.request_id] = stop.start + request.pickup_service_min
            elif request.max_ride_min is not None:
                assert stop.start - picked[stop.request_id] <= request.max_ride_min + 1e-6
    legs = 0.0
    for route in solution.routes:
        vehicle = p.vehicle(route.vehicle_id)
        path = [vehicle.start_location, *(s.location for s in route.stops), vehicle.end_location]
        legs += sum(TRAVEL[a][b] for a, b in itertools.pairwise(path))
    assert solution.cost == pytest.approx(legs)


# --- solve() ---------------------------------------------------------------------------------


def test_solve_serves_every_request_within_windows() -> None:
    requests = [
        Request("a", 1, 2, pickup_window=(NINE, NINE + 15), max_ride_min=30),
        Request("b", 3, 4, dropoff_window=(NINE + 30, NINE + 45), max_ride_min=30),
        Request("c", 5, 1, pickup_window=(NINE + 60, NINE + 75), max_ride_min=30),
    ]
    p = problem(requests, [van("v1"), van("v2")])
    solution = solve(p, LIMIT)
    assert solution.unserved == []
    assert sorted(s.request_id for r in solution.routes for s in r.stops if s.kind == PICKUP) == [
        "a",
        "b",
        "c",
    ]
    assert_consistent(p, solution)


def test_solve_respects_time_limit_wall_clock() -> None:
    requests = [Request(f"r{i}", 1 + i % 5, 1 + (i + 2) % 5) for i in range(10)]
    solution = solve(problem(requests, [van("v1"), van("v2")]), 1.0)
    assert solution.seconds <= 1.3


def test_wheelchair_request_without_wheelchair_vehicle_is_listed_with_reason() -> None:
    chair = Request("w", 1, 2, load={"seats": 1, "wheelchair": 1})
    solution = solve(problem([chair], [van("v1")]), LIMIT)
    assert solution.routes == []
    assert solution.unserved == [("w", "車いすの乗れる車両がありません")]


def test_wheelchair_request_rides_the_wheelchair_vehicle() -> None:
    chair = Request("w", 1, 2, pickup_window=(NINE, NINE + 15), load={"seats": 1, "wheelchair": 1})
    plain = Request("s", 3, 4, pickup_window=(NINE, NINE + 15))
    lift = van("lift", capacity={"seats": 2, "wheelchair": 1})
    p = problem([chair, plain], [van("car"), lift])
    solution = solve(p, LIMIT)
    assert solution.unserved == []
    carrier = {s.request_id: r.vehicle_id for r in solution.routes for s in r.stops}
    assert carrier["w"] == "lift"
    assert_consistent(p, solution)


def test_request_needing_a_feature_only_goes_to_vehicles_offering_it() -> None:
    stretcher = Request("x", 1, 2, needs=frozenset({"stretcher"}))
    p = problem([stretcher], [van("car"), van("amb", allowed=frozenset({"stretcher"}))])
    solution = solve(p, LIMIT)
    assert [r.vehicle_id for r in solution.routes] == ["amb"]
    alone = solve(problem([stretcher], [van("car")]), LIMIT)
    assert alone.unserved == [("x", "条件（stretcher）に合う車両がありません")]


def test_load_larger_than_any_vehicle_is_listed_with_reason() -> None:
    group = Request("g", 1, 2, load={"seats": 5})
    solution = solve(problem([group], [van("v1")]), LIMIT)
    assert solution.unserved == [("g", "定員（座席 5）の足りる車両がありません")]


def test_window_that_a_direct_trip_cannot_meet_is_listed_with_reason() -> None:
    late = Request("l", 1, 6, pickup_window=(NINE, NINE + 5), dropoff_window=(NINE, NINE + 10))
    solution = solve(problem([late], [van("v1")]), LIMIT)
    ((request_id, reason),) = solution.unserved
    assert request_id == "l" and "間に合いません" in reason


def test_direct_ride_longer_than_max_ride_time_is_listed_with_reason() -> None:
    far = Request("f", 1, 6, max_ride_min=20)  # 30 minutes direct
    solution = solve(problem([far], [van("v1")]), LIMIT)
    ((_, reason),) = solution.unserved
    assert "最大乗車時間（20分）" in reason


def test_request_outside_every_drivers_availability_is_listed_with_reason() -> None:
    evening = Request("e", 1, 2, pickup_window=(1100.0, 1110.0))
    solution = solve(problem([evening], [van("v1", available=(480.0, 1020.0))]), LIMIT)
    assert solution.unserved == [("e", "運転者・車両の空いている時間内に送迎できません")]


def test_overlapping_requests_beyond_the_fleet_are_listed_as_busy() -> None:
    # Two rides at the same time in opposite directions, one car: one must stay unserved.
    east = Request("east", 1, 6, pickup_window=(NINE, NINE + 5), max_ride_min=40)
    north = Request("north", 3, 7, pickup_window=(NINE, NINE + 5), max_ride_min=40)
    p = problem([east, north], [van("v1")])
    solution = solve(p, LIMIT)
    assert len(solution.unserved) == 1
    assert solution.unserved[0][1] == UNSERVED_BUSY
    assert_consistent(p, solution)


def test_capacity_splits_simultaneous_riders_over_vehicles() -> None:
    riders = [
        Request(f"r{i}", 1, 2, pickup_window=(NINE, NINE + 5), max_ride_min=15) for i in range(3)
    ]
    p = problem(riders, [van("v1", capacity={"seats": 2}), van("v2", capacity={"seats": 2})])
    solution = solve(p, LIMIT)
    assert solution.unserved == []
    assert len(solution.routes) == 2
    assert_consistent(p, solution)


def test_route_duration_limit_forces_a_second_vehicle() -> None:
    morning = Request("m", 1, 2, pickup_window=(NINE, NINE + 5))
    noon = Request("n", 1, 2, pickup_window=(NINE + 180, NINE + 185))
    vehicles = [van("v1", max_duration_min=120), van("v2", max_duration_min=120)]
    p = problem([morning, noon], vehicles)
    solution = solve(p, LIMIT)
    assert solution.unserved == []
    assert len(solution.routes) == 2
    for route in solution.routes:
        assert route.end - route.start <= 120 + 1e-6


def test_escort_time_keeps_the_driver_at_the_drop_off() -> None:
    escort = Request(
        "e", 1, 2, pickup_window=(NINE, NINE + 5), dropoff_service_min=45, max_ride_min=15
    )
    after = Request("n", 3, 4, pickup_window=(NINE, NINE + 120))
    p = problem([escort, after], [van("v1")])
    solution = solve(p, LIMIT)
    assert solution.unserved == []
    (route,) = solution.routes
    kinds = [(s.request_id, s.kind) for s in route.stops]
    drop = kinds.index(("e", DROPOFF))
    assert drop + 1 < len(route.stops)  # "n" cannot be fetched during e's 15-minute ride
    following = route.stops[drop + 1]
    assert following.arrival >= route.stops[drop].start + 45 + TRAVEL[2][following.location] - 1e-6
    assert_consistent(p, solution)


def test_break_is_kept_free_of_stops() -> None:
    requests = [
        Request("a", 1, 2, pickup_window=(NINE, NINE + 30)),
        Request("b", 3, 4, pickup_window=(NINE + 60, NINE + 120)),
    ]
    lunch = (NINE + 20, NINE + 80)
    p = problem(requests, [van("v1", breaks=(lunch,))])
    solution = solve(p, LIMIT)
    assert solution.unserved == []
    (route,) = solution.routes
    for stop in route.stops:
        request = p.request(stop.request_id)
        service = request.pickup_service_min if stop.kind == PICKUP else 0.0
        assert stop.start + service <= lunch[0] + 1e-6 or stop.start >= lunch[1] - 1e-6
    assert check_route(p, "v1", route.stops) == []


# --- check_route(): manual moves ---------------------------------------------------------------


@pytest.fixture
def day() -> Problem:
    requests = [
        Request("a", 1, 2, pickup_window=(NINE, NINE + 15), max_ride_min=30),
        Request("b", 3, 4, pickup_window=(NINE + 30, NINE + 45), max_ride_min=30),
        Request(
            "w", 4, 5, pickup_window=(NINE + 30, NINE + 60), load={"seats": 1, "wheelchair": 1}
        ),
        Request("far", 1, 6, max_ride_min=35),
    ]
    vehicles = [
        van("car", capacity={"seats": 1}, max_duration_min=300),
        van("lift", capacity={"seats": 3, "wheelchair": 1}, available=(480.0, 630.0)),
    ]
    return problem(requests, vehicles)


def test_check_route_accepts_a_feasible_order_and_schedules_it(day: Problem) -> None:
    stops = stops_of(("a", PICKUP), ("a", DROPOFF), ("b", PICKUP), ("b", DROPOFF))
    assert check_route(day, "lift", stops) == []
    route = schedule_route(day, "lift", stops)
    assert route is not None
    assert NINE <= route.stops[0].start <= NINE + 15
    assert route.stops[1].start >= route.stops[0].start + TRAVEL[1][2] - 1e-6


def test_check_route_refuses_drop_off_before_pick_up(day: Problem) -> None:
    violations = check_route(day, "lift", stops_of(("a", DROPOFF), ("a", PICKUP)))
    assert violations == ["依頼「a」の降車が乗車より前になっています"]


def test_check_route_refuses_a_missing_drop_off_and_duplicates(day: Problem) -> None:
    assert check_route(day, "lift", stops_of(("a", PICKUP))) == [
        "依頼「a」の降車がこの車両の行程にありません"
    ]
    twice = check_route(day, "lift", stops_of(("a", PICKUP), ("a", PICKUP), ("a", DROPOFF)))
    assert any("重複" in v for v in twice)


def test_check_route_refuses_capacity_overflow(day: Problem) -> None:
    stops = stops_of(("a", PICKUP), ("b", PICKUP), ("a", DROPOFF), ("b", DROPOFF))
    violations = check_route(day, "car", stops)
    assert violations == ["2番目の停車（依頼「b」の乗車）で座席が定員 1 を超えます（2）"]


def test_check_route_refuses_wheelchair_on_a_car_without_lift(day: Problem) -> None:
    violations = check_route(day, "car", stops_of(("w", PICKUP), ("w", DROPOFF)))
    assert violations == ["依頼「w」: この車両には車いすで乗れません"]


def test_check_route_refuses_a_missed_time_window(day: Problem) -> None:
    # The wheelchair ride first (9:30 at the earliest) makes "a" miss its 9:15 pick-up.
    stops = stops_of(("w", PICKUP), ("w", DROPOFF), ("a", PICKUP), ("a", DROPOFF))
    (violation,) = check_route(day, "lift", stops)
    assert "3番目の停車（依頼「a」の乗車）に時間帯（9:00〜9:15）内に着けません" in violation


def test_check_route_refuses_ride_time_over_the_maximum(day: Problem) -> None:
    # "a" (10 minutes direct, at most 30) rides along to the far destination (30 minutes) first.
    big = Problem(requests=day.requests, vehicles=[van("big")], travel=TRAVEL)
    stops = stops_of(("a", PICKUP), ("far", PICKUP), ("far", DROPOFF), ("a", DROPOFF))
    assert check_route(big, "big", stops) == ["依頼「a」の乗車時間が最大 30 分を超えます"]


def test_check_route_refuses_return_after_availability(day: Problem) -> None:
    # The lift is free only until 10:30; the far ride cannot end in time after "w".
    stops = stops_of(("w", PICKUP), ("w", DROPOFF), ("far", PICKUP), ("far", DROPOFF))
    (violation,) = check_route(day, "lift", stops)
    assert "帰着できません" in violation


def test_check_route_refuses_route_longer_than_max_duration(day: Problem) -> None:
    short = Problem(
        requests=day.requests,
        vehicles=[van("car", capacity={"seats": 1}, max_duration_min=60)],
        travel=TRAVEL,
    )
    # Fetching "a" at 9:00 and then "far" keeps the driver out for more than an hour.
    stops = stops_of(("a", PICKUP), ("a", DROPOFF), ("far", PICKUP), ("far", DROPOFF))
    assert check_route(short, "car", stops) == ["拘束時間が最大 60 分を超えます"]


def test_check_route_refuses_a_stop_during_a_break() -> None:
    ride = Request("a", 1, 2, pickup_window=(NINE, NINE + 10))
    p = problem([ride], [van("v1", breaks=((NINE - 30, NINE + 30),))])
    assert check_route(p, "v1", stops_of(("a", PICKUP), ("a", DROPOFF))) == [
        "休憩（8:30〜9:30）を取れる時間がありません"
    ]


def test_check_route_names_unknown_vehicle_and_request(day: Problem) -> None:
    assert check_route(day, "bus", []) == ["車両「bus」がありません"]
    assert check_route(day, "car", stops_of(("zz", PICKUP))) == [
        "1番目の停車: 依頼「zz」がありません"
    ]


def test_manual_move_to_another_vehicle_is_checked(day: Problem) -> None:
    # given a plan that the solver made
    plan = solve(day, LIMIT)
    assert_consistent(day, plan)
    routes = {r.vehicle_id: [(s.request_id, s.kind) for s in r.stops] for r in plan.routes}
    assert ("w", PICKUP) in routes["lift"]
    # when the dispatcher moves the wheelchair ride onto the car, then it is refused
    moved = stops_of(*routes.get("car", []), ("w", PICKUP), ("w", DROPOFF))
    assert "依頼「w」: この車両には車いすで乗れません" in check_route(day, "car", moved)
    # when "a" and "b" are put one after the other on the one-seat car, it is accepted and timed
    both = stops_of(("a", PICKUP), ("a", DROPOFF), ("b", PICKUP), ("b", DROPOFF))
    assert check_route(day, "car", both) == []
    timed = schedule_route(day, "car", both)
    assert timed is not None and timed.stops[2].start >= NINE + 30
    # when "b" is squeezed in before "a" is dropped off, the seat is taken
    squeezed = stops_of(("a", PICKUP), ("b", PICKUP), ("a", DROPOFF), ("b", DROPOFF))
    assert any("定員" in v for v in check_route(day, "car", squeezed))


def test_check_route_refuses_a_feature_the_vehicle_lacks(day: Problem) -> None:
    stretcher = Request("s", 1, 2, needs=frozenset({"stretcher"}))
    p = Problem(requests=[stretcher], vehicles=day.vehicles, travel=TRAVEL)
    assert check_route(p, "lift", stops_of(("s", PICKUP), ("s", DROPOFF))) == [
        "依頼「s」: この車両では条件（stretcher）を満たせません"
    ]


def test_vehicle_predicate_decides_which_requests_it_may_take() -> None:
    # e.g. a passenger who must not ride with a given driver
    requests = [Request("x", 1, 2), Request("y", 3, 4)]
    picky = van("picky", allowed=lambda request: request.id != "x")
    p = problem(requests, [picky, van("other")])
    solution = solve(p, LIMIT)
    assert solution.unserved == []
    carrier = {s.request_id: r.vehicle_id for r in solution.routes for s in r.stops}
    assert carrier["x"] == "other"
    assert check_route(p, "picky", stops_of(("x", PICKUP), ("x", DROPOFF))) == [
        "依頼「x」はこの車両では受けられません"
    ]


def test_day_without_vehicles_lists_every_request() -> None:
    solution = solve(problem([Request("a", 1, 2), Request("b", 3, 4)], []), LIMIT)
    assert solution.routes == []
    assert solution.unserved == [
        ("a", "この日に運行できる車両・運転者がいません"),
        ("b", "この日に運行できる車両・運転者がいません"),
    ]


def test_schedule_route_drops_riders_on_arrival_not_at_the_latest_time() -> None:
    """Waiting happens before a pick-up, never with the rider aboard before a drop-off."""
    requests = [
        Request("a", 1, 2, pickup_window=(600.0, 630.0), dropoff_service_min=48, max_ride_min=60),
        Request("b", 3, 4, pickup_window=(780.0, 810.0), max_ride_min=60),
    ]
    p = problem(requests, [van("v1")])
    stops = stops_of(("a", PICKUP), ("a", DROPOFF), ("b", PICKUP), ("b", DROPOFF))

    route = schedule_route(p, "v1", stops)

    assert route is not None
    for stop in route.stops:
        if stop.kind == DROPOFF:
            assert stop.start == pytest.approx(stop.arrival)
    a_pick, a_drop, b_pick, _ = route.stops
    assert a_drop.arrival == pytest.approx(a_pick.start + TRAVEL[1][2])
    assert 780.0 <= b_pick.start <= 810.0
    assert check_route(p, "v1", route.stops) == []
