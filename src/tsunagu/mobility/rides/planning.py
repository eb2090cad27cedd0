"""Day planning (配車計画): from the database to the solver and back.

:func:`build_day` turns the requests, drivers and vehicles of one service and date into a
:class:`~tsunagu.mobility.scheduling.problem.Problem`; :func:`plan_day` solves it and stores a
:class:`~tsunagu.mobility.models.DayPlan`; :func:`move_request` applies a manual change after
checking it with :func:`~tsunagu.mobility.scheduling.feasibility.check_route`.

Modelling choices (documented here because staff see their effect):

- **Travel time**: great-circle distance × ``road_factor`` ÷ ``average_speed_kmh`` (the
  service's settings); the cost the solver minimises is that road distance in km.
- **Drivers available on a date** = their weekly slots for that weekday, plus the extra hours of
  「この日は運転できる」 exceptions, minus 「運転できない」 exceptions (the hours given, or the
  whole day when no hours are given).
- **Vehicles**: a volunteer's own car goes with its owner, in the owner's hours. An
  organisation's vehicle (e.g. a 社会福祉法人's) is usable in its idle windows for that weekday
  and may be driven by any available driver; a driver is given to it for the overlap of their
  hours (preferring drivers without a car of their own), and that time is then no longer
  available for the driver's own car, so nobody drives two cars at once.
- **Time windows**: pick-up between 迎えの時刻（から）and（まで）; with only one of them the window
  is 30 minutes after / before it. An appointment time (予約時刻) means arriving at the
  destination between 30 minutes before and the appointment itself: drop-off window
  [appointment − 30 min, appointment].
- **Service times**: boarding (乗り降り) at both ends; the escort minutes (付き添い) are added to
  the drop-off, as the driver stays with the rider.
- **Loads**: a wheelchair user takes a wheelchair space (capacity dimension ``wheelchair``),
  other riders a seat; companions take seats. A request needing an escort (付き添い) is only
  given to drivers who can escort.
- **Statuses**: served requests become 配車済; requests left unserved stay 受付 and are listed
  with the reason until the plan is confirmed (確定), when they become 不成立 with that reason.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.core.distance import great_circle_m
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.history import attach_details, save_with_history
from tsunagu.mobility.models import (
    DayPlan,
    Driver,
    MobilityService,
    PlannedRoute,
    PlannedStop,
    RideRequest,
    RideStatus,
    UnservedRequest,
    Vehicle,
    VehicleOwnerKind,
)
from tsunagu.mobility.permissions import can_manage_rides
from tsunagu.mobility.scheduling import problem as sp

ROUTES_LABEL = gettext_lazy("運行と予約")
SMALL_DAY_BASE_S = 2.0
SMALL_DAY_PER_REQUEST_S = 0.25
DEFAULT_WINDOW_MIN = 30
APPOINTMENT_MARGIN_MIN = 30
MIN_SHIFT_MIN = 30  # shorter overlaps of a driver and a vehicle are not worth a route
ESCORT = "付き添い"
PLANNABLE = (RideStatus.RECEIVED, RideStatus.ASSIGNED)

Interval = tuple[float, float]


# --- time helpers ------------------------------------------------------------------------------


def minutes(value: datetime.time) -> float:
    return value.hour * 60 + value.minute + value.second / 60


def to_time(value: float) -> datetime.time:
    total = max(0, min(round(value), 24 * 60 - 1))
    return datetime.time(total // 60, total % 60)


def _union(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(intervals: Iterable[Interval], cut: Interval) -> list[Interval]:
    out: list[Interval] = []
    for start, end in intervals:
        if cut[1] <= start or cut[0] >= end:
            out.append((start, end))
            continue
        if start < cut[0]:
            out.append((start, cut[0]))
        if cut[1] < end:
            out.append((cut[1], end))
    return out


def _intersect(a: Interval, b: Interval) -> Interval | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if end > start else None


def driver_windows(driver: Driver, date: datetime.date) -> list[Interval]:
    """Minutes-from-midnight intervals when the driver can drive on ``date``
    (weekly pattern + extra hours − days or hours off)."""
    weekday = date.weekday()
    windows = [
        (minutes(a.starts_at), minutes(a.ends_at))
        for a in driver.availability.all()
        if a.weekday == weekday
    ]
    exceptions = [e for e in driver.exceptions.all() if e.date == date]
    windows += [
        (minutes(e.starts_at), minutes(e.ends_at))
        for e in exceptions
        if e.available and e.starts_at and e.ends_at
    ]
    result = _union(windows)
    for exception in exceptions:
        if exception.available:
            continue
        if exception.starts_at and exception.ends_at:
            result = _subtract(result, (minutes(exception.starts_at), minutes(exception.ends_at)))
        else:
            return []
    return result


def windows_text(windows: Iterable[Interval]) -> str:
    """``[(540, 720)]`` → ``"9:00–12:00"`` (— when empty)."""
    from tsunagu.mobility.scheduling.feasibility import hhmm

    return "、".join(f"{hhmm(a)}–{hhmm(b)}" for a, b in windows) or "—"


def vehicle_idle_windows(vehicle: Vehicle, date: datetime.date) -> list[Interval]:
    weekday = date.weekday()
    return _union(
        (minutes(w.starts_at), minutes(w.ends_at))
        for w in vehicle.idle_windows.all()
        if w.weekday == weekday
    )


def road_km(a: tuple[float, float], b: tuple[float, float], road_factor: float) -> float:
    """Estimated road distance: the great-circle distance times the service's road factor."""
    return float(great_circle_m(a[0], a[1], b[0], b[1])) / 1000.0 * road_factor


# --- the problem of a day ----------------------------------------------------------------------


@dataclass
class Shift:
    """One driver with one vehicle for one window: a solver vehicle."""

    key: str
    driver: Driver
    vehicle: Vehicle
    window: Interval
    depot: tuple[float, float]


@dataclass
class Day:
    service: MobilityService
    date: datetime.date
    problem: sp.Problem
    requests: dict[int, RideRequest]
    shifts: dict[str, Shift]
    unplannable: list[tuple[RideRequest, str]] = field(default_factory=list)
    idle_drivers: list[tuple[Driver, str]] = field(default_factory=list)


def _point(lat: Any, lon: Any) -> tuple[float, float] | None:
    if lat is None or lon is None:
        return None
    return (float(lat), float(lon))


def _depot(
    service: MobilityService, *candidates: tuple[float, float] | None
) -> tuple[float, float] | None:
    for candidate in (*candidates, _point(service.base_latitude, service.base_longitude)):
        if candidate is not None:
            return candidate
    return None


def _shifts(
    service: MobilityService, date: datetime.date
) -> tuple[list[Shift], list[tuple[Driver, str]]]:
    drivers = list(
        Driver.objects.filter(service=service, active=True).prefetch_related(
            "availability", "exceptions"
        )
    )
    vehicles = list(
        Vehicle.objects.filter(service=service, active=True)
        .select_related("owner_driver")
        .prefetch_related("idle_windows")
        .order_by("pk")
    )
    free = {d.pk: driver_windows(d, date) for d in drivers}
    owners = {v.owner_driver_id for v in vehicles if v.owner_kind == VehicleOwnerKind.VOLUNTEER}
    shifts: list[Shift] = []
    idle: list[tuple[Driver, str]] = []

    def add(
        driver: Driver, vehicle: Vehicle, window: Interval, depot: tuple[float, float] | None
    ) -> None:
        if depot is None:
            idle.append((driver, _("出発地（車庫・自宅・拠点）の位置がわからないため、使えません")))
            return
        key = f"d{driver.pk}-v{vehicle.pk}-{int(window[0])}"
        shifts.append(Shift(key, driver, vehicle, window, depot))

    # Organisation vehicles first: their idle windows are the scarce resource.
    for vehicle in vehicles:
        if vehicle.owner_kind != VehicleOwnerKind.ORGANISATION:
            continue
        garage = _point(vehicle.garage_latitude, vehicle.garage_longitude)
        for idle_window in vehicle_idle_windows(vehicle, date):
            uncovered = [idle_window]
            while uncovered:
                best: tuple[float, int, Driver, Interval] | None = None
                for driver in drivers:
                    for part in uncovered:
                        for window in free[driver.pk]:
                            overlap = _intersect(part, window)
                            if overlap is None or overlap[1] - overlap[0] < MIN_SHIFT_MIN:
                                continue
                            # Longest overlap first; then drivers without their own car.
                            rank = (overlap[1] - overlap[0], 0 if driver.pk in owners else 1)
                            if best is None or rank > (best[0], best[1]):
                                best = (rank[0], rank[1], driver, overlap)
                if best is None:
                    break
                _length, _own, driver, overlap = best
                add(driver, vehicle, overlap, _depot(service, garage))
                free[driver.pk] = _subtract(free[driver.pk], overlap)
                uncovered = [piece for part in uncovered for piece in _subtract([part], overlap)]
    for vehicle in vehicles:
        if vehicle.owner_kind != VehicleOwnerKind.VOLUNTEER or vehicle.owner_driver is None:
            continue
        owner = next((d for d in drivers if d.pk == vehicle.owner_driver_id), None)
        if owner is None:
            continue
        home = _point(owner.home_latitude, owner.home_longitude)
        garage = _point(vehicle.garage_latitude, vehicle.garage_longitude)
        for window in free[owner.pk]:
            if window[1] - window[0] >= MIN_SHIFT_MIN:
                add(owner, vehicle, window, _depot(service, home, garage))
        free[owner.pk] = []
    used = {s.driver.pk for s in shifts}
    for driver in drivers:
        if driver.pk not in used and driver_windows(driver, date):
            idle.append(
                (driver, _("使える車両がない（自家用車なし、団体の車両の空き時間と合わない）"))
            )
    return shifts, idle


def _windows(ride: RideRequest) -> tuple[Interval | None, Interval | None]:
    pickup: Interval | None = None
    if ride.earliest_pickup and ride.latest_pickup:
        pickup = (minutes(ride.earliest_pickup), minutes(ride.latest_pickup))
    elif ride.earliest_pickup:
        start = minutes(ride.earliest_pickup)
        pickup = (start, start + DEFAULT_WINDOW_MIN)
    elif ride.latest_pickup:
        end = minutes(ride.latest_pickup)
        pickup = (max(0.0, end - DEFAULT_WINDOW_MIN), end)
    dropoff: Interval | None = None
    if ride.appointment_at:
        appointment = minutes(ride.appointment_at)
        dropoff = (max(0.0, appointment - APPOINTMENT_MARGIN_MIN), appointment)
    return pickup, dropoff


def trip_span(ride: Any) -> Interval | None:
    """The minutes of the day a trip may take: from its earliest pick-up (or, with only an
    appointment, the start of the arrival window) to its latest pick-up or the appointment."""
    pickup, dropoff = _windows(ride)
    windows = [w for w in (pickup, dropoff) if w is not None]
    if not windows:
        return None
    return (min(w[0] for w in windows), max(w[1] for w in windows))


def spans_overlap(a: Interval | None, b: Interval | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def overlapping_trips(rides: list[RideRequest]) -> dict[int, RideRequest]:
    """Rides of one rider whose times overlap an earlier-booked ride of the same rider:
    ``{later ride pk: the earlier ride}``. One person cannot be in two cars at once, so the
    later booking is likely a duplicate (二重予約)."""
    found: dict[int, RideRequest] = {}
    by_rider: dict[int, list[RideRequest]] = {}
    for ride in sorted(rides, key=lambda r: r.pk):
        for earlier in by_rider.get(ride.rider_id, []):
            if earlier.pk not in found and spans_overlap(trip_span(earlier), trip_span(ride)):
                found[ride.pk] = earlier
                break
        by_rider.setdefault(ride.rider_id, []).append(ride)
    return found


def build_day(
    service: MobilityService,
    date: datetime.date,
    *,
    extra: Iterable[RideRequest] = (),
) -> Day:
    """The solver input for a service and date: requests 受付/配車済 of that day (plus ``extra``)."""
    rides = list(
        RideRequest.objects.filter(service=service, trip_date=date, status__in=PLANNABLE)
        .select_related("rider")
        .order_by("pk")
    )
    known = {r.pk for r in rides}
    rides += [r for r in extra if r.pk not in known]
    duplicates = overlapping_trips(rides)
    shifts, idle = _shifts(service, date)
    points: list[tuple[float, float]] = []
    index: dict[tuple[float, float], int] = {}

    def location(point: tuple[float, float]) -> int:
        if point not in index:
            index[point] = len(points)
            points.append(point)
        return index[point]

    vehicles: list[sp.Vehicle] = []
    for shift in shifts:
        depot = location(shift.depot)
        vehicles.append(
            sp.Vehicle(
                id=shift.key,
                start_location=depot,
                end_location=depot,
                available=shift.window,
                capacity={
                    "seats": shift.vehicle.seats,
                    "wheelchair": shift.vehicle.wheelchair_spaces,
                },
                allowed=frozenset({ESCORT}) if shift.driver.can_escort else frozenset(),
            )
        )
    requests: list[sp.Request] = []
    unplannable: list[tuple[RideRequest, str]] = []
    by_id: dict[int, RideRequest] = {}
    boarding = float(service.boarding_minutes)
    for ride in rides:
        origin = _point(ride.origin_latitude, ride.origin_longitude)
        destination = _point(ride.destination_latitude, ride.destination_longitude)
        if origin is None or destination is None:
            unplannable.append((ride, _("出発地か行き先の位置（緯度・経度）がわかりません")))
            continue
        if ride.pk in duplicates:
            unplannable.append(
                (
                    ride,
                    _(
                        "同じ利用会員の予約 %(n)s と時間が重なるため配車しません"
                        "（二重予約のおそれ）。本当に別の送迎なら時刻を直し、"
                        "重複ならどちらかをキャンセルしてください"
                    )
                    % {"n": duplicates[ride.pk].pk},
                )
            )
            continue
        pickup_window, dropoff_window = _windows(ride)
        if ride.wheelchair:
            load = {"wheelchair": 1, "seats": ride.companions}
        else:
            load = {"seats": 1 + ride.companions}
        requests.append(
            sp.Request(
                id=ride.pk,
                pickup_location=location(origin),
                dropoff_location=location(destination),
                pickup_window=pickup_window,
                dropoff_window=dropoff_window,
                pickup_service_min=boarding,
                dropoff_service_min=boarding + ride.escort_minutes,
                load=load,
                max_ride_min=float(service.max_ride_minutes),
                needs=frozenset({ESCORT}) if ride.escort_minutes else frozenset(),
            )
        )
        by_id[ride.pk] = ride
    factor = float(service.road_factor)
    speed = float(service.average_speed_kmh)
    km = [[road_km(a, b, factor) for b in points] for a in points]
    travel = [[d / speed * 60 for d in row] for row in km]
    problem = sp.Problem(requests=requests, vehicles=vehicles, travel=travel, cost=km)
    return Day(
        service=service,
        date=date,
        problem=problem,
        requests=by_id,
        shifts={s.key: s for s in shifts},
        unplannable=unplannable,
        idle_drivers=idle,
    )


# --- storing a plan ----------------------------------------------------------------------------


def _require(actor: Any, service: MobilityService) -> None:
    if not can_manage_rides(actor, service):
        raise PermissionDenied(_("配車計画を作る権限がありません。"))


def _store_route(plan: DayPlan, shift: Shift, route: sp.Route, problem: sp.Problem) -> PlannedRoute:
    planned = PlannedRoute.objects.create(
        plan=plan,
        driver=shift.driver,
        vehicle=shift.vehicle,
        starts_at=to_time(route.start),
        ends_at=to_time(route.end),
        km=Decimal(str(round(route.cost, 2))),
    )
    _store_stops(planned, route, problem)
    return planned


def _service_min(problem: sp.Problem, stop: sp.Stop) -> float:
    request = problem.request(stop.request_id)
    return request.pickup_service_min if stop.kind == sp.PICKUP else request.dropoff_service_min


def _sheet_time(problem: sp.Problem, stop: sp.Stop) -> float:
    """The time on the driver's sheet: when the rider gets in (start of service) for a
    pick-up; for a drop-off, arrival (or the window's opening if that is later).

    The solver's timetable may start a drop-off's service later than the arrival, with the
    rider waiting aboard. Serving it on arrival is always feasible: the next stop only gets
    more time, and the rider's ride only gets shorter.
    """
    if stop.kind == sp.PICKUP:
        return stop.start
    window = problem.request(stop.request_id).dropoff_window
    return max(stop.arrival, window[0]) if window else stop.arrival


def _store_stops(planned: PlannedRoute, route: sp.Route, problem: sp.Problem) -> None:
    """Sheet time (see :func:`_sheet_time`) and departure = that + boarding (+ escort)."""
    rows = []
    for number, stop in enumerate(route.stops, start=1):
        at = _sheet_time(problem, stop)
        rows.append(
            PlannedStop(
                route=planned,
                sequence=number,
                request_id=int(stop.request_id),
                kind=stop.kind,
                arrives_at=to_time(at),
                departs_at=to_time(at + _service_min(problem, stop)),
            )
        )
    PlannedStop.objects.bulk_create(rows)


def _set_status(ride: RideRequest, status: str, reason: str, actor: Any, action: str) -> None:
    if ride.status != status or ride.status_reason != reason:
        ride.status = status
        ride.status_reason = reason
        save_with_history(ride, actor=actor, action=action)


def _route_lines(plan: DayPlan) -> list[str]:
    """The plan's routes as the plan's history lists them: vehicle, driver, times, rides
    (by booking number only: the history shows no rider)."""
    if plan.pk is None:
        return []
    lines = []
    for route in plan.routes.select_related("driver", "vehicle").order_by("starts_at", "pk"):
        rides = [
            str(stop.request_id)
            for stop in route.stops.order_by("sequence")
            if stop.kind == sp.PICKUP
        ]
        times = (
            f"{route.starts_at:%H:%M}〜{route.ends_at:%H:%M}"
            if route.starts_at and route.ends_at
            else ""
        )
        lines.append(f"{route.vehicle}・{route.driver} {times}: 予約 {'、'.join(rides) or '—'}")
    return lines


def _record_plan(plan: DayPlan, actor: Any, action: str, before: list[str], note: str = "") -> None:
    """Save the plan with history; its routes (replaced rows) before and after go with it."""
    save_with_history(plan, actor=actor, action=action, note=note)
    attach_details(plan, [(ROUTES_LABEL, before, _route_lines(plan))])


def _refresh_total(plan: DayPlan) -> None:
    plan.total_km = sum((r.km for r in plan.routes.all()), Decimal("0"))


def _day_key(day: Day) -> tuple[Any, ...]:
    """What the solver was given: a plan solved for one key is valid for another day read
    with the same key (requests with their windows and needs, vehicles, shifts)."""
    return (
        tuple(day.problem.requests),
        tuple(day.problem.vehicles),
        tuple(sorted((ride.pk, reason) for ride, reason in day.unplannable)),
    )


SOLVE_OUTSIDE_TRIES = 2


def plan_day(
    *,
    service: MobilityService,
    date: datetime.date,
    actor: Any,
    time_limit_s: float | None = None,
) -> DayPlan:
    """Solve the day and store the plan (replacing an earlier one of the same date).

    ``time_limit_s`` caps the search; by default the ``TSUNAGU_DAY_PLAN_SECONDS`` setting
    (10 s unless the operator sets it, see mobility.scheduling.limits), and a small day
    stops sooner.

    The solver's seconds run outside the transaction: on SQLite the transaction holds the
    database's write lock from its start, and every other writer (bookings, minutes,
    sign-ins) waited for the solver (issue 18's load benchmark: waits of up to 10 s). The
    day is read again inside the transaction; if a request or a shift changed meanwhile it
    is solved again, and after :data:`SOLVE_OUTSIDE_TRIES` tries inside the transaction,
    as before."""
    _require(actor, service)
    if time_limit_s is None:
        time_limit_s = settings.TSUNAGU_DAY_PLAN_SECONDS
    for _attempt in range(SOLVE_OUTSIDE_TRIES):
        day = build_day(service, date)
        solution, seconds = _solve(day, time_limit_s)
        with transaction.atomic():
            if _day_key(build_day(service, date)) == _day_key(day):
                return _store_plan(service, date, actor, day, solution, seconds)
    with transaction.atomic():
        day = build_day(service, date)
        solution, seconds = _solve(day, time_limit_s)
        return _store_plan(service, date, actor, day, solution, seconds)


def _solve(day: Day, time_limit_s: float) -> tuple[Any, float]:
    from tsunagu.mobility.scheduling.solver import solve

    began = time.monotonic()
    # The search runs until its limit; a small day does not need the full ~10 s.
    limit = min(
        time_limit_s, SMALL_DAY_BASE_S + SMALL_DAY_PER_REQUEST_S * len(day.problem.requests)
    )
    solution = solve(day.problem, time_limit_s=limit)
    return solution, time.monotonic() - began


def _store_plan(
    service: MobilityService,
    date: datetime.date,
    actor: Any,
    day: Day,
    solution: Any,
    seconds: float,
) -> DayPlan:
    plan = DayPlan.objects.select_for_update().filter(service=service, date=date).first()
    before = _route_lines(plan) if plan is not None else []
    if plan is None:
        plan = DayPlan(service=service, date=date, created_by=actor)
    else:
        plan.routes.all().delete()
        plan.unserved.all().delete()
    plan.status = DayPlan.Status.DRAFT
    plan.solver_seconds = round(seconds, 3)
    plan.total_km = Decimal(str(round(solution.cost, 2)))
    save_with_history(plan, actor=actor, action="mobility.plan.create")
    served: set[int] = set()
    for route in solution.routes:
        _store_route(plan, day.shifts[str(route.vehicle_id)], route, day.problem)
        served.update(int(s.request_id) for s in route.stops)
    attach_details(plan, [(ROUTES_LABEL, before, _route_lines(plan))])
    unserved = [(day.requests[int(rid)], reason) for rid, reason in solution.unserved]
    unserved += day.unplannable
    UnservedRequest.objects.bulk_create(
        UnservedRequest(plan=plan, request=ride, reason=reason[:300]) for ride, reason in unserved
    )
    for ride_id in served:
        _set_status(day.requests[ride_id], RideStatus.ASSIGNED, "", actor, "mobility.ride.planned")
    for ride, _reason in unserved:
        _set_status(ride, RideStatus.RECEIVED, "", actor, "mobility.ride.not_planned")
    return plan


@transaction.atomic
def confirm_plan(*, plan: DayPlan, actor: Any) -> DayPlan:
    """確定: requests still unserved become 不成立 with the plan's reason."""
    _require(actor, plan.service)
    for row in plan.unserved.select_related("request"):
        if row.request.status == RideStatus.RECEIVED:
            _set_status(
                row.request,
                RideStatus.UNSERVED,
                row.reason,
                actor,
                "mobility.ride.unserved_at_confirm",
            )
    plan.status = DayPlan.Status.CONFIRMED
    save_with_history(plan, actor=actor, action="mobility.plan.confirm")
    return plan


def _route_stops(route: PlannedRoute) -> list[sp.Stop]:
    return [
        sp.Stop(stop.request_id, stop.kind, 0)  # type: ignore[arg-type]
        for stop in route.stops.order_by("sequence")
    ]


def _shift_for(day: Day, route: PlannedRoute) -> list[str]:
    """Solver vehicle ids that match the route's driver and vehicle (best match first)."""
    keys = [
        key
        for key, shift in day.shifts.items()
        if shift.driver.pk == route.driver_id and shift.vehicle.pk == route.vehicle_id
    ]
    start = minutes(route.starts_at) if route.starts_at else None

    def distance(key: str) -> float:
        window = day.shifts[key].window
        if start is None or window[0] <= start <= window[1]:
            return 0.0
        return min(abs(start - window[0]), abs(start - window[1]))

    return sorted(keys, key=distance)


def _located(day: Day, stops: list[sp.Stop]) -> list[sp.Stop]:
    out = []
    for stop in stops:
        request = day.problem.request(stop.request_id)
        where = request.pickup_location if stop.kind == sp.PICKUP else request.dropoff_location
        out.append(sp.Stop(stop.request_id, stop.kind, where))
    return out


def _reschedule(
    plan: DayPlan, route: PlannedRoute, day: Day, stops: list[sp.Stop], key: str | None
) -> list[str]:
    """Re-time (or empty) a route; returns violations, storing nothing when there are some."""
    from tsunagu.mobility.scheduling.feasibility import check_route, schedule_route

    if not stops:
        route.delete()
        return []
    keys = [key] if key else _shift_for(day, route)
    if not keys:
        return [_("この運転者と車両は、この日は使えません（運転できる時間帯・車両の空き時間）")]
    located = _located(day, stops)
    violations: list[str] = []
    for candidate in keys:
        problems = check_route(day.problem, candidate, located)
        if problems:
            violations = violations or problems
            continue
        timed = schedule_route(day.problem, candidate, located)
        assert timed is not None
        route.stops.all().delete()
        route.starts_at = to_time(timed.start)
        route.ends_at = to_time(timed.end)
        route.km = Decimal(str(round(timed.cost, 2)))
        route.save()
        _store_stops(route, timed, day.problem)
        return []
    return violations


@transaction.atomic
def move_request(
    *,
    plan: DayPlan,
    ride: RideRequest,
    route: PlannedRoute,
    pickup_position: int | None,
    dropoff_position: int | None,
    actor: Any,
) -> None:
    """Put ``ride`` on ``route`` (another one, or the same to reorder) at the given 1-based
    positions of the new stop order; refuse with the Japanese reasons if infeasible."""
    _require(actor, plan.service)
    before = _route_lines(plan)
    if (
        route.plan_id != plan.pk
        or ride.service_id != plan.service_id
        or ride.trip_date != plan.date
    ):
        raise TsunaguError(_("この配車計画の予約と運行を選んでください。"))
    if ride.status not in PLANNABLE:
        raise TsunaguError(_("受付・配車済の予約だけ動かせます。"), field="request")
    day = build_day(plan.service, plan.date, extra=[ride])
    if ride.pk not in day.requests:
        reason = next((r for x, r in day.unplannable if x.pk == ride.pk), "")
        raise TsunaguError(_("この予約は配車できません: %(reason)s") % {"reason": reason})
    target = [s for s in _route_stops(route) if s.request_id != ride.pk]
    n = len(target)
    p = min(max(1, pickup_position or n + 1), n + 1)
    target.insert(p - 1, sp.Stop(ride.pk, sp.PICKUP, 0))
    d = min(max(p + 1, dropoff_position or n + 2), n + 2)
    target.insert(d - 1, sp.Stop(ride.pk, sp.DROPOFF, 0))
    violations = _reschedule(plan, route, day, target, None)
    if violations:
        raise TsunaguError(
            _("この変更はできません: %(reasons)s") % {"reasons": "、".join(violations)},
            field="route",
        )
    for other in plan.routes.exclude(pk=route.pk):
        stops = _route_stops(other)
        if any(s.request_id == ride.pk for s in stops):
            remaining = [s for s in stops if s.request_id != ride.pk]
            # Removing a ride never makes a route infeasible; keep the old times if it did.
            _reschedule(plan, other, day, remaining, None)
    UnservedRequest.objects.filter(plan=plan, request=ride).delete()
    _set_status(ride, RideStatus.ASSIGNED, "", actor, "mobility.ride.plan_manual_change")
    _refresh_total(plan)
    if plan.status == DayPlan.Status.CONFIRMED:
        plan.status = DayPlan.Status.DRAFT
    _record_plan(plan, actor, "mobility.plan.manual_change", before, note=f"予約 {ride.pk}")


def remove_from_plan(ride: RideRequest, *, actor: Any) -> None:
    """Take a cancelled (or 不成立) ride off its plan and re-time the route it was on; the
    plan's history records who did it and why."""
    plan = DayPlan.objects.filter(service=ride.service, date=ride.trip_date).first()
    if plan is None:
        return
    UnservedRequest.objects.filter(plan=plan, request=ride).delete()
    routes = list(plan.routes.filter(stops__request=ride).distinct())
    if not routes:
        return
    before = _route_lines(plan)
    day = build_day(plan.service, plan.date)
    for route in routes:
        remaining = [s for s in _route_stops(route) if s.request_id != ride.pk]
        if _reschedule(plan, route, day, remaining, None):
            # The route no longer fits today's drivers/vehicles: drop the stops, keep times.
            route.stops.filter(request=ride).delete()
            for number, stop in enumerate(route.stops.order_by("sequence"), start=1):
                PlannedStop.objects.filter(pk=stop.pk).update(sequence=number)
    _refresh_total(plan)
    _record_plan(
        plan,
        actor,
        "mobility.plan.remove_ride",
        before,
        note=f"予約 {ride.pk}（{ride.get_status_display()}）",
    )
