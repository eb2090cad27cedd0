"""Ride scheduling with Google OR-Tools (pickup and delivery with time windows, DARP).

Call :func:`solve` with a :class:`~tsunagu.mobility.scheduling.problem.Problem`; it returns a
:class:`~tsunagu.mobility.scheduling.problem.Solution` within ``time_limit_s`` seconds of wall
clock (model building included). Requests that no vehicle could serve even alone are found by
cheap prechecks and listed with the reason; the others go into the routing model, where each
request may be dropped at a large penalty, so a request the solver cannot fit is listed as
「時間帯が重なり、空いている運転者・車両がありません」.

Search: several insertion heuristics each build a first plan and the best one (most requests
served, then cheapest) is kept; if it leaves requests out, a short descent with the operators
that insert left-out requests runs first; then guided local search runs until the time limit.
Maximum ride time is both a pickup-to-delivery limit of the time dimension (checked cheaply by
the routing filters) and a CP constraint (so that no plan breaking it is ever accepted).
Settings are in :class:`Options` (defaults tuned on ``bench/darp_cordeau.py``).

The routing model works in integers: times are scaled by ``TIME_SCALE`` and rounded so that an
integer-feasible plan stays feasible in doubles (travel and service times rounded up, window ends
and ride/duration limits rounded down); costs are recomputed in doubles afterwards.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from .feasibility import check_route, hhmm, resource_name, schedule_route
from .problem import DROPOFF, PICKUP, Problem, Request, RequestId, Route, Solution, Stop, Vehicle

TIME_SCALE = 100
COST_SCALE = 1000
UNSERVED_BUSY = "時間帯が重なり、空いている運転者・車両がありません"
NO_VEHICLES = "この日に運行できる車両・運転者がいません"
INSERT_OPERATORS = (
    "use_relocate_and_make_active",
    "use_exchange_and_make_active",
    "use_node_pair_swap_active",
    "use_inactive_lns",
    "use_extended_swap_active",
)
# The solver keeps this much of the time limit for extracting and timing the routes.
_MARGIN_S = 0.3


@dataclass
class Options:
    """Search settings (tuned on the Cordeau benchmark, see bench/darp_cordeau.py)."""

    # Each strategy builds a first plan; the one serving most requests at the lowest cost
    # starts the local search (insertion heuristics alone often leave a tight request out).
    first_solutions: tuple[str, ...] = (
        "LOCAL_CHEAPEST_COST_INSERTION",
        "LOCAL_CHEAPEST_INSERTION",
        "PARALLEL_CHEAPEST_INSERTION",
    )
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    guided_local_search_lambda: float = 0.2
    ride_filter: bool = True
    # Share of the time for a descent with the insertion operators when the first plan leaves
    # requests out; without them the search may keep a request out in a local optimum.
    insert_phase_share: float = 0.25
    # Independent searches from the best distinct first plans, sharing the time.
    restarts: int = 3
    operators_off: tuple[str, ...] = ()
    operators_on: tuple[str, ...] = ()
    log: bool = False


def _ceil(value: float) -> int:
    return math.ceil(value * TIME_SCALE - 1e-9)


def _floor(value: float) -> int:
    return math.floor(value * TIME_SCALE + 1e-9)


def _solo_feasible(problem: Problem, vehicle: Vehicle, request: Request) -> bool:
    """Can this vehicle serve the request alone (windows, availability, breaks, ride, duration)?"""
    stops = [
        Stop(request.id, PICKUP, request.pickup_location),
        Stop(request.id, DROPOFF, request.dropoff_location),
    ]
    return not check_route(problem, vehicle.id, stops)


def precheck(problem: Problem, request: Request) -> str | None:
    """Why no vehicle can serve this request even alone (Japanese), or None if some can."""
    p_lo, p_hi = request.window(PICKUP, problem.horizon)
    d_lo, d_hi = request.window(DROPOFF, problem.horizon)
    if p_lo > p_hi or d_lo > d_hi:
        return "希望時間帯の始まりが終わりより後になっています"
    if not problem.vehicles:
        return NO_VEHICLES
    carriers = [v for v in problem.vehicles if v.may_carry(request)]
    if not carriers:
        if request.load.get("wheelchair", 0) > 0 and not any(
            v.capacity.get("wheelchair", 0) >= request.load["wheelchair"] for v in problem.vehicles
        ):
            return "車いすの乗れる車両がありません"
        for resource, amount in sorted(request.load.items()):
            if not any(v.capacity.get(resource, 0) >= amount for v in problem.vehicles):
                return f"定員（{resource_name(resource)} {amount}）の足りる車両がありません"
        if request.needs:
            return "条件（" + "、".join(sorted(request.needs)) + "）に合う車両がありません"
        return "この依頼を受けられる車両がありません"
    direct = problem.travel[request.pickup_location][request.dropoff_location]
    if request.max_ride_min is not None and direct > request.max_ride_min + 1e-9:
        return (
            f"直行しても乗車時間（{direct:.0f}分）が最大乗車時間（{request.max_ride_min:g}分）"
            "を超えます"
        )
    earliest_drop = p_lo + request.pickup_service_min + direct
    if earliest_drop > d_hi + 1e-9:
        return f"希望の乗車時間帯から直行しても降車の時間帯（{hhmm(d_hi)}まで）に間に合いません"
    if not any(_solo_feasible(problem, v, request) for v in carriers) or (
        _tight_windows(problem, request) is None
    ):
        return "運転者・車両の空いている時間内に送迎できません"
    return None


def _tight_windows(
    problem: Problem, request: Request, direct: int | None = None
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Integer time windows of pick-up and drop-off narrowed by what the model implies anyway.

    Cordeau's instances give a window on one end only; the other end's window follows from the
    direct trip, the maximum ride time and the depots. Narrowing keeps the feasible set but lets
    insertion heuristics and propagation see it. ``direct`` is the integer pick-up service plus
    travel; None when the windows cannot be met at all.
    """
    horizon = _floor(problem.horizon)
    if direct is None:
        direct = _ceil(request.pickup_service_min) + _ceil(
            problem.travel[request.pickup_location][request.dropoff_location]
        )
    p_lo, p_hi = (
        _ceil(x) if k == 0 else _floor(x)
        for k, x in enumerate(request.window(PICKUP, problem.horizon))
    )
    d_lo, d_hi = (
        _ceil(x) if k == 0 else _floor(x)
        for k, x in enumerate(request.window(DROPOFF, problem.horizon))
    )
    carriers = [v for v in problem.vehicles if v.may_carry(request)] or problem.vehicles
    travel = problem.travel
    p_lo = max(
        p_lo,
        0,
        min(
            _ceil(v.available[0]) + _ceil(travel[v.start_location][request.pickup_location])
            for v in carriers
        ),
    )
    d_hi = min(d_hi, horizon, max(
        _floor(v.available[1])
        - _ceil(request.dropoff_service_min)
        - _ceil(travel[request.dropoff_location][v.end_location])
        for v in carriers
    ))  # fmt: skip
    limit = (
        _floor(request.max_ride_min + request.pickup_service_min)
        if request.max_ride_min is not None
        else None
    )
    for _ in range(2):
        d_lo = max(d_lo, p_lo + direct)
        p_hi = min(p_hi, d_hi - direct)
        if limit is not None:
            p_lo = max(p_lo, d_lo - limit)
            d_hi = min(d_hi, p_hi + limit)
    if p_lo > p_hi or d_lo > d_hi:
        return None
    return (p_lo, p_hi), (d_lo, d_hi)


@dataclass
class _Model:
    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel
    requests: list[Request]
    time_dimension: pywrapcp.RoutingDimension


def _build(problem: Problem, requests: list[Request], options: Options) -> _Model:
    vehicles = problem.vehicles
    n_req = len(requests)
    n_veh = len(vehicles)
    # Nodes: 2i pick-up and 2i+1 drop-off of request i, then vehicle starts, then vehicle ends.
    locations: list[int] = []
    services: list[int] = []
    for request in requests:
        locations += [request.pickup_location, request.dropoff_location]
        services += [_ceil(request.pickup_service_min), _ceil(request.dropoff_service_min)]
    locations += [v.start_location for v in vehicles] + [v.end_location for v in vehicles]
    services += [0] * (2 * n_veh)
    n_nodes = len(locations)
    starts = [2 * n_req + k for k in range(n_veh)]
    ends = [2 * n_req + n_veh + k for k in range(n_veh)]
    manager = pywrapcp.RoutingIndexManager(n_nodes, n_veh, starts, ends)
    routing = pywrapcp.RoutingModel(manager)

    travel = problem.travel
    cost = problem.cost_matrix()
    time_matrix = [
        [
            services[a] + _ceil(travel[locations[a]][locations[b]]) if a != b else 0
            for b in range(n_nodes)
        ]
        for a in range(n_nodes)
    ]
    cost_matrix = [
        [round(cost[locations[a]][locations[b]] * COST_SCALE) for b in range(n_nodes)]
        for a in range(n_nodes)
    ]
    cost_index = routing.RegisterTransitMatrix(cost_matrix)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_index)
    time_index = routing.RegisterTransitMatrix(time_matrix)
    horizon = _floor(problem.horizon)
    routing.AddDimension(time_index, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")

    resources = sorted({key for r in requests for key in r.load})
    for resource in resources:
        demand = []
        for request in requests:
            amount = request.load.get(resource, 0)
            demand += [amount, -amount]
        demand += [0] * (2 * n_veh)
        demand_index = routing.RegisterUnaryTransitVector(demand)
        routing.AddDimensionWithVehicleCapacity(
            demand_index, 0, [v.capacity.get(resource, 0) for v in vehicles], True, resource
        )

    for k, vehicle in enumerate(vehicles):
        lo, hi = vehicle.available
        lo_i, hi_i = max(0, _ceil(lo)), min(horizon, _floor(hi))
        time_dim.CumulVar(routing.Start(k)).SetRange(lo_i, hi_i)
        time_dim.CumulVar(routing.End(k)).SetRange(lo_i, hi_i)
        if vehicle.max_duration_min is not None:
            time_dim.SetSpanUpperBoundForVehicle(_floor(vehicle.max_duration_min), k)
        if vehicle.breaks:
            solver = routing.solver()
            intervals = [
                solver.FixedDurationIntervalVar(
                    _floor(s), _floor(s), _ceil(e) - _floor(s), False, f"break {k} {j}"
                )
                for j, (s, e) in enumerate(vehicle.breaks)
            ]
            time_dim.SetBreakIntervalsOfVehicle(intervals, k, services)
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.Start(k)))

    penalty = 10**10
    solver = routing.solver()
    for i, request in enumerate(requests):
        pick = manager.NodeToIndex(2 * i)
        drop = manager.NodeToIndex(2 * i + 1)
        routing.AddPickupAndDelivery(pick, drop)
        solver.Add(routing.VehicleVar(pick) == routing.VehicleVar(drop))
        solver.Add(time_dim.CumulVar(pick) <= time_dim.CumulVar(drop))
        windows = _tight_windows(problem, request, time_matrix[2 * i][2 * i + 1])
        assert windows is not None, "precheck lets only requests with windows through"
        for node, (lo, hi) in ((pick, windows[0]), (drop, windows[1])):
            time_dim.CumulVar(node).SetRange(lo, hi)
            routing.AddDisjunction([node], penalty)
        allowed = [k for k, v in enumerate(vehicles) if v.may_carry(request)]
        if len(allowed) < n_veh:
            # (SetAllowedVehiclesForIndex does not accept a Python list in this OR-Tools.)
            banned = [k for k in range(n_veh) if k not in allowed]
            routing.VehicleVar(pick).RemoveValues(banned)
            routing.VehicleVar(drop).RemoveValues(banned)
        if request.max_ride_min is not None:
            limit = _floor(request.max_ride_min + request.pickup_service_min)
            # The routing filters check this limit only approximately; the constraint makes the
            # CP propagation refuse any plan breaking it.
            if options.ride_filter:
                time_dim.SetPickupToDeliveryLimitFunctionForPair(lambda _a, _b, lim=limit: lim, i)
            solver.Add(time_dim.CumulVar(drop) - time_dim.CumulVar(pick) <= limit)
    return _Model(manager, routing, requests, time_dim)


def _parameters(
    options: Options,
    seconds: float,
    first_solution: str | None = None,
    *,
    metaheuristic: str | None = None,
    insert: bool = True,
) -> pywrapcp.DefaultRoutingSearchParameters:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, first_solution or options.first_solutions[0]
    )
    params.local_search_metaheuristic = getattr(
        routing_enums_pb2.LocalSearchMetaheuristic, metaheuristic or options.metaheuristic
    )
    params.guided_local_search_lambda_coefficient = options.guided_local_search_lambda
    params.time_limit.FromMilliseconds(max(1, int(seconds * 1000)))
    params.log_search = options.log
    operators = params.local_search_operators
    if insert:
        for name in INSERT_OPERATORS:
            setattr(operators, name, optional_boolean_pb2.BOOL_TRUE)
    for name in options.operators_off:
        setattr(operators, name, optional_boolean_pb2.BOOL_FALSE)
    for name in options.operators_on:
        setattr(operators, name, optional_boolean_pb2.BOOL_TRUE)
    return params


def _routes_of(model: _Model, assignment: pywrapcp.Assignment) -> list[list[tuple[int, str]]]:
    routing, manager = model.routing, model.manager
    routes: list[list[tuple[int, str]]] = []
    for k in range(routing.vehicles()):
        index = routing.NextVar(routing.Start(k))
        stops: list[tuple[int, str]] = []
        index = assignment.Value(routing.NextVar(routing.Start(k)))
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            stops.append((node // 2, PICKUP if node % 2 == 0 else DROPOFF))
            index = assignment.Value(routing.NextVar(index))
        routes.append(stops)
    return routes


Plan = list[list[tuple[int, str]]]


def _first_routes(
    problem: Problem, candidates: list[Request], options: Options, remaining: Callable[[], float]
) -> list[Plan]:
    """First plans over ``options.first_solutions``, best first (most served, then cheapest)."""
    found: list[tuple[int, int, Plan]] = []
    for strategy in options.first_solutions:
        model = _build(problem, candidates, options)
        params = _parameters(options, remaining() / 4, strategy)
        params.solution_limit = 1
        assignment = model.routing.SolveWithParameters(params)
        if assignment is None:
            continue
        routes = _routes_of(model, assignment)
        key = (_count_unserved(candidates, routes), assignment.ObjectiveValue(), routes)
        if all(key[:2] != other[:2] for other in found):
            found.append(key)
    found.sort(key=lambda item: item[:2])
    return [routes for _, _, routes in found]


def _plan_key(problem: Problem, candidates: Sequence[Request], routes: Plan) -> tuple[int, float]:
    """(unserved requests, cost in doubles) of a plan, to compare restarts."""
    cost = problem.cost_matrix()
    total = 0.0
    for vehicle, stops in zip(problem.vehicles, routes, strict=True):
        if not stops:
            continue
        places = [
            candidates[i].pickup_location if kind == PICKUP else candidates[i].dropoff_location
            for i, kind in stops
        ]
        path = [vehicle.start_location, *places, vehicle.end_location]
        total += sum(cost[a][b] for a, b in itertools.pairwise(path))
    return _count_unserved(candidates, routes), total


def solve(problem: Problem, time_limit_s: float = 30.0, options: Options | None = None) -> Solution:
    """Plan the day: routes for the vehicles and the unserved requests with their reason."""
    began = time.monotonic()
    options = options or Options()
    unserved: list[tuple[RequestId, str]] = []
    candidates: list[Request] = []
    for request in problem.requests:
        reason = precheck(problem, request)
        if reason is None:
            candidates.append(request)
        else:
            unserved.append((request.id, reason))
    if not candidates or not problem.vehicles:
        unserved += [(r.id, UNSERVED_BUSY) for r in candidates]
        return Solution([], unserved, 0.0, time.monotonic() - began)

    def remaining() -> float:
        return max(0.05, time_limit_s - (time.monotonic() - began) - _MARGIN_S)

    starts: list[Plan | None] = [*_first_routes(problem, candidates, options, remaining)]
    starts = starts[: max(1, options.restarts)] or [None]
    best: tuple[tuple[int, float], Plan] | None = None
    for run, routes in enumerate(starts):
        share = remaining() / (len(starts) - run)
        if routes is not None and _count_unserved(candidates, routes):
            # Phase 1: a quick descent with the insertion operators to get every request in.
            routes = _improve(
                problem, candidates, options, routes, share * options.insert_phase_share,
                metaheuristic="GREEDY_DESCENT", insert=True,
            )  # fmt: skip
        # Phase 2: the metaheuristic for the rest of this run's share.
        share = remaining() / (len(starts) - run)
        routes = _improve(
            problem, candidates, options, routes, share,
            metaheuristic=options.metaheuristic,
            insert=routes is None or _count_unserved(candidates, routes) > 0,
        )  # fmt: skip
        if routes is not None:
            key = _plan_key(problem, candidates, routes)
            if best is None or key < best[0]:
                best = (key, routes)
    if best is None:
        unserved += [(r.id, UNSERVED_BUSY) for r in candidates]
        return Solution([], unserved, 0.0, time.monotonic() - began)
    return _solution(problem, candidates, best[1], unserved, began)


def _count_unserved(candidates: Sequence[Request], routes: list[list[tuple[int, str]]]) -> int:
    return len(candidates) - sum(len(r) for r in routes) // 2


def _improve(
    problem: Problem,
    candidates: list[Request],
    options: Options,
    routes: Plan | None,
    seconds: float,
    *,
    metaheuristic: str,
    insert: bool,
) -> list[list[tuple[int, str]]] | None:
    """Local search from ``routes`` (or from scratch when None) for ``seconds``."""
    model = _build(problem, candidates, options)
    params = _parameters(options, seconds, metaheuristic=metaheuristic, insert=insert)
    assignment = None
    if routes is not None:
        model.routing.CloseModelWithParameters(params)
        initial = model.routing.ReadAssignmentFromRoutes(
            [[model.manager.NodeToIndex(2 * i + (kind == DROPOFF)) for i, kind in route]
             for route in routes],
            True,
        )  # fmt: skip
        if initial is not None:
            assignment = model.routing.SolveFromAssignmentWithParameters(initial, params)
    if assignment is None:
        assignment = model.routing.SolveWithParameters(params)
    if assignment is None:
        return routes
    return _routes_of(model, assignment)


def _repair(problem: Problem, vehicle_id: object, plan: list[Stop]) -> Route | None:
    while plan:
        for request_id in dict.fromkeys(s.request_id for s in plan):
            trial = [s for s in plan if s.request_id != request_id]
            route = schedule_route(problem, vehicle_id, trial)  # type: ignore[arg-type]
            if route is not None:
                return route
        plan = [s for s in plan if s.request_id != plan[0].request_id]
    return None


def _solution(
    problem: Problem,
    candidates: Sequence[Request],
    routes: list[list[tuple[int, str]]],
    unserved: list[tuple[RequestId, str]],
    began: float,
) -> Solution:
    out: list[Route] = []
    served: set[RequestId] = set()
    for vehicle, stops in zip(problem.vehicles, routes, strict=True):
        if not stops:
            continue
        plan = [
            Stop(
                candidates[i].id,
                kind,  # type: ignore[arg-type]
                candidates[i].pickup_location if kind == PICKUP else candidates[i].dropoff_location,
            )
            for i, kind in stops
        ]
        route = schedule_route(problem, vehicle.id, plan)
        if route is None:
            # Safety net: the integer model is stricter than doubles, so this should not happen;
            # if it does, leave out requests until the route can be driven rather than promise it.
            route = _repair(problem, vehicle.id, plan)
        if route is None or not route.stops:
            continue
        out.append(route)
        served.update(s.request_id for s in route.stops)
    unserved += [(r.id, UNSERVED_BUSY) for r in candidates if r.id not in served]
    return Solution(out, unserved, sum(r.cost for r in out), time.monotonic() - began)
