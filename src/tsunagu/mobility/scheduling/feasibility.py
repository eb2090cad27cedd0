"""Feasibility of one route (配車の手動変更の確認) and its timetable.

Call :func:`check_route` before accepting a manual move (a stop dragged to another vehicle or
position): it answers the violations in Japanese, an empty list meaning the route can be driven.
:func:`schedule_route` gives the timetable (arrival and start of service at each stop) of a
feasible route; the solver uses it to report its routes in doubles.

The route's times form a simple temporal network: every constraint (travel with waiting allowed,
time windows, availability, maximum ride time, maximum duration) is a difference
``x_v - x_u <= w`` between two service start times, so a fixed order of stops is feasible exactly
when the constraint graph has no negative cycle (Bellman–Ford), and the earliest feasible time of
every stop is a shortest path. Breaks (``Vehicle.breaks``) are placed in the gap between two stops
where they fit — before the departure, after the return, or while nobody is aboard if possible —
and then enforced as difference constraints too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .problem import DROPOFF, PICKUP, Problem, Request, Route, Stop, Vehicle, VehicleId

EPS = 1e-6


def hhmm(minutes: float) -> str:
    """``510.0`` → ``"8:30"`` (rounded to the minute, for messages)."""
    total = round(minutes)
    return f"{total // 60}:{total % 60:02d}"


@dataclass
class _Node:
    label: str
    location: int
    service: float
    earliest: float
    latest: float


@dataclass
class _Net:
    """Difference constraints over nodes 0..n-1 plus the origin ``n`` (time zero)."""

    size: int
    edges: list[tuple[int, int, float]]

    def add(self, u: int, v: int, w: float) -> None:
        """x_v - x_u <= w."""
        self.edges.append((u, v, w))

    def earliest(self, extra: Sequence[tuple[int, int, float]] = ()) -> list[float] | None:
        """Earliest feasible times, or None if the constraints contradict (negative cycle)."""
        origin = self.size
        # Earliest times: y = -x satisfies y_u - y_v <= w, so shortest paths on reversed edges.
        dist = [math.inf] * (self.size + 1)
        dist[origin] = 0.0
        edges = [*self.edges, *extra]
        for _ in range(self.size + 1):
            changed = False
            for u, v, w in edges:
                if dist[v] + w < dist[u] - EPS:
                    dist[u] = dist[v] + w
                    changed = True
            if not changed:
                return [-d for d in dist[: self.size]]
        return None

    def latest(self, extra: Sequence[tuple[int, int, float]] = ()) -> list[float] | None:
        """Latest feasible times (shortest paths from the origin), None if contradictory."""
        origin = self.size
        dist = [math.inf] * (self.size + 1)
        dist[origin] = 0.0
        edges = [*self.edges, *extra]
        for _ in range(self.size + 1):
            changed = False
            for u, v, w in edges:
                if dist[u] + w < dist[v] - EPS:
                    dist[v] = dist[u] + w
                    changed = True
            if not changed:
                return dist[: self.size]
        return None


def _request_label(request: Request, kind: str) -> str:
    return f"依頼「{request.id}」の{'乗車' if kind == PICKUP else '降車'}"


class _RouteModel:
    def __init__(self, problem: Problem, vehicle: Vehicle, stops: Sequence[Stop]) -> None:
        self.problem = problem
        self.vehicle = vehicle
        self.stops = list(stops)
        self.requests = {r.id: r for r in problem.requests}
        start, end = vehicle.available
        nodes = [_Node("出発", vehicle.start_location, 0.0, start, end)]
        for stop in self.stops:
            request = self.requests[stop.request_id]
            lo, hi = request.window(stop.kind, problem.horizon)
            service = (
                request.pickup_service_min if stop.kind == PICKUP else request.dropoff_service_min
            )
            location = request.pickup_location if stop.kind == PICKUP else request.dropoff_location
            nodes.append(
                _Node(_request_label(request, stop.kind), location, service, max(lo, start), hi)
            )
        nodes.append(_Node("帰着", vehicle.end_location, 0.0, start, end))
        self.nodes = nodes
        self.travel = problem.travel

    def leg(self, k: int) -> float:
        return float(self.travel[self.nodes[k].location][self.nodes[k + 1].location])

    def _edges(self, gaps: dict[int, list[tuple[float, float]]]) -> list[tuple[int, int, float]]:
        """Travel with waiting, windows, availability, and breaks put in the given gaps.

        Gap ``k`` lies between node ``k`` and ``k + 1``; gap ``-1`` is before the departure and
        gap ``len(nodes) - 1`` after the return.
        """
        nodes = self.nodes
        origin, last = len(nodes), len(nodes) - 1
        edges: list[tuple[int, int, float]] = []
        for k, node in enumerate(nodes):
            edges.append((origin, k, node.latest))
            edges.append((k, origin, -node.earliest))
        for k in range(last):
            breaks = gaps.get(k, [])
            pause = sum(e - s for s, e in breaks)
            edges.append((k + 1, k, -(nodes[k].service + self.leg(k) + pause)))
            for b_start, b_end in breaks:
                edges.append((origin, k, b_start - nodes[k].service))
                edges.append((k + 1, origin, -b_end))
        edges += [(0, origin, -b_end) for _, b_end in gaps.get(-1, [])]
        edges += [(origin, last, b_start) for b_start, _ in gaps.get(last, [])]
        return edges

    def place_breaks(self, extra: Sequence[tuple[int, int, float]]) -> None:
        """Give each break a gap: before or after the route, else where nobody is aboard."""
        self.gaps: dict[int, list[tuple[float, float]]] = {}
        self.unplaced: list[tuple[float, float]] = []
        start, end = self.vehicle.available
        breaks = sorted(b for b in self.vehicle.breaks if b[1] > start and b[0] < end)
        if not breaks:
            return
        last = len(self.nodes) - 1
        onboard, empty, busy = 0, [], []
        for k in range(last):
            if k > 0:
                stop = self.stops[k - 1]
                onboard += 1 if stop.kind == PICKUP else -1
            (empty if onboard == 0 else busy).append(k)
        order = [-1, last, *empty, *busy]
        size = len(self.nodes)
        for brk in breaks:
            chosen = None
            for constraints in (extra, ()):
                for k in order:
                    trial = {**self.gaps, k: sorted([*self.gaps.get(k, []), brk])}
                    if _Net(size, [*self._edges(trial), *constraints]).earliest() is not None:
                        chosen = trial
                        break
                if chosen is not None:
                    break
            if chosen is None:
                self.unplaced.append(brk)
            else:
                self.gaps = chosen

    def base_net(self) -> tuple[_Net, list[str]]:
        """Travel, windows, availability and breaks; messages for the violated ones."""
        extra = [edge for _, edge in self.ride_edges()]
        duration = self.duration_edge()
        if duration is not None:
            extra.append(duration)
        self.place_breaks(extra)
        if self.unplaced:
            return _Net(len(self.nodes), []), [
                f"休憩（{hhmm(s)}〜{hhmm(e)}）を取れる時間がありません" for s, e in self.unplaced
            ]
        net = _Net(len(self.nodes), self._edges(self.gaps))
        if net.earliest() is not None:
            return net, []
        return net, [self._first_late_stop(self.gaps)]

    def arrival(self, k: int, start_k: float) -> float:
        """Arrival at node k+1 leaving node k after its service, driving around the breaks."""
        t = start_k + self.nodes[k].service
        to_drive = self.leg(k)
        for b_start, b_end in self.gaps.get(k, []):
            driven = min(to_drive, max(0.0, b_start - t))
            to_drive -= driven
            t = max(t + driven, b_end) if to_drive > 0 else t + driven
        return t + to_drive

    def _first_late_stop(self, gaps: dict[int, list[tuple[float, float]]]) -> str:
        t = max([self.nodes[0].earliest, *(e for _, e in gaps.get(-1, []))])
        for k in range(len(self.nodes) - 1):
            pause = sum(e - s for s, e in gaps.get(k, []))
            t = t + self.nodes[k].service + self.leg(k) + pause
            t = max([t, self.nodes[k + 1].earliest, *(e for _, e in gaps.get(k, []))])
            node = self.nodes[k + 1]
            if t > node.latest + EPS:
                if k + 1 == len(self.nodes) - 1:
                    return (
                        f"運転者・車両の空いている時間（{hhmm(self.vehicle.available[1])}まで）"
                        f"に帰着できません（早くても {hhmm(t)}）"
                    )
                return (
                    f"{k + 1}番目の停車（{node.label}）に時間帯（{hhmm(node.earliest)}〜"
                    f"{hhmm(node.latest)}）内に着けません（早くても {hhmm(t)}）"
                )
        return "時間帯を守れる時刻の組み合わせがありません"

    def ride_edges(self) -> list[tuple[Request, tuple[int, int, float]]]:
        picked: dict[object, int] = {}
        edges = []
        for k, stop in enumerate(self.stops, start=1):
            request = self.requests[stop.request_id]
            if stop.kind == PICKUP:
                picked[stop.request_id] = k
            elif request.max_ride_min is not None and stop.request_id in picked:
                p = picked[stop.request_id]
                edges.append((request, (p, k, request.max_ride_min + request.pickup_service_min)))
        return edges

    def duration_edge(self) -> tuple[int, int, float] | None:
        if self.vehicle.max_duration_min is None:
            return None
        return (0, len(self.nodes) - 1, self.vehicle.max_duration_min)


def _structure_violations(problem: Problem, vehicle: Vehicle, stops: Sequence[Stop]) -> list[str]:
    requests = {r.id: r for r in problem.requests}
    violations: list[str] = []
    seen: dict[tuple[object, str], int] = {}
    for position, stop in enumerate(stops, start=1):
        if stop.request_id not in requests:
            violations.append(f"{position}番目の停車: 依頼「{stop.request_id}」がありません")
            continue
        if stop.kind not in (PICKUP, DROPOFF):
            violations.append(f"{position}番目の停車: 種類「{stop.kind}」が正しくありません")
            continue
        key = (stop.request_id, stop.kind)
        if key in seen:
            violations.append(
                f"{position}番目の停車: {_request_label(requests[stop.request_id], stop.kind)}"
                f"が {seen[key]}番目と重複しています"
            )
        seen.setdefault(key, position)
    for (request_id, kind), position in seen.items():
        request = requests[request_id]
        other = DROPOFF if kind == PICKUP else PICKUP
        if (request_id, other) not in seen:
            missing = "降車" if other == DROPOFF else "乗車"
            violations.append(f"依頼「{request_id}」の{missing}がこの車両の行程にありません")
        elif kind == PICKUP and seen[(request_id, DROPOFF)] < position:
            violations.append(f"依頼「{request_id}」の降車が乗車より前になっています")
        if kind == PICKUP and not vehicle.may_carry(request):
            if request.load.get("wheelchair", 0) > vehicle.capacity.get("wheelchair", 0):
                violations.append(f"依頼「{request_id}」: この車両には車いすで乗れません")
            elif over := [k for k, v in request.load.items() if v > vehicle.capacity.get(k, 0)]:
                violations.append(
                    f"依頼「{request_id}」: この車両では定員（{resource_name(over[0])}）が足りません"
                )
            elif request.needs:
                needs = "、".join(sorted(request.needs))
                violations.append(
                    f"依頼「{request_id}」: この車両では条件（{needs}）を満たせません"
                )
            else:
                violations.append(f"依頼「{request_id}」はこの車両では受けられません")
    if violations:
        return violations
    onboard: dict[str, int] = {}
    reported: set[str] = set()
    for position, stop in enumerate(stops, start=1):
        request = requests[stop.request_id]
        sign = 1 if stop.kind == PICKUP else -1
        for resource, amount in request.load.items():
            onboard[resource] = onboard.get(resource, 0) + sign * amount
            limit = vehicle.capacity.get(resource, 0)
            if onboard[resource] > limit and resource not in reported:
                reported.add(resource)
                violations.append(
                    f"{position}番目の停車（{_request_label(request, stop.kind)}）で"
                    f"{resource_name(resource)}が定員 {limit} を超えます（{onboard[resource]}）"
                )
    return violations


def resource_name(resource: str) -> str:
    """Japanese name of a load resource for messages (``seats`` → 座席)."""
    return {"seats": "座席", "wheelchair": "車いす席"}.get(resource, resource)


def check_route(problem: Problem, vehicle_id: VehicleId, stops: Sequence[Stop]) -> list[str]:
    """Violations (Japanese) of driving ``stops`` in this order with this vehicle; [] if none.

    Only ``request_id`` and ``kind`` of each stop are read (times are recomputed). Checks: each
    stop once and pick-up before drop-off on the same vehicle, eligibility (wheelchair, features),
    capacity per resource, time windows, the vehicle's availability and breaks, maximum ride time
    of each request, maximum route duration.
    """
    try:
        vehicle = problem.vehicle(vehicle_id)
    except KeyError:
        return [f"車両「{vehicle_id}」がありません"]
    violations = _structure_violations(problem, vehicle, stops)
    if violations:
        return violations
    model = _RouteModel(problem, vehicle, stops)
    net, violations = model.base_net()
    if violations:
        return violations
    every = [edge for _, edge in model.ride_edges()]
    duration = model.duration_edge()
    if net.earliest([*every, *([duration] if duration else [])]) is not None:
        return []  # the common case: no need to find out which limit is broken
    accepted: list[tuple[int, int, float]] = []
    for request, edge in model.ride_edges():
        if net.earliest([*accepted, edge]) is None:
            violations.append(
                f"依頼「{request.id}」の乗車時間が最大 {request.max_ride_min:g} 分を超えます"
            )
        else:
            accepted.append(edge)
    duration = model.duration_edge()
    if duration is not None and net.earliest([*accepted, duration]) is None:
        violations.append(f"拘束時間が最大 {vehicle.max_duration_min:g} 分を超えます")
    return violations


def schedule_route(problem: Problem, vehicle_id: VehicleId, stops: Sequence[Stop]) -> Route | None:
    """The timetable of a feasible route, or None if infeasible.

    The vehicle returns as early as possible; given that return, the departure and every pick-up
    are as late as possible and every drop-off happens on arrival, so waiting happens before
    picking passengers up rather than with them aboard, and the route is short for the driver.
    """
    if check_route(problem, vehicle_id, stops):
        return None
    vehicle = problem.vehicle(vehicle_id)
    model = _RouteModel(problem, vehicle, stops)
    net, _ = model.base_net()
    extra = [edge for _, edge in model.ride_edges()]
    duration = model.duration_edge()
    if duration is not None:
        extra.append(duration)
    earliest = net.earliest(extra)
    if earliest is None:  # pragma: no cover - check_route said feasible
        return None
    last, origin = len(model.nodes) - 1, len(model.nodes)
    times = net.latest([*extra, (origin, last, earliest[last])]) or earliest
    # "As late as possible" is right for the departure and the pick-ups (the driver waits, not
    # the riders) but not for a drop-off: its latest time would keep the rider aboard until the
    # maximum ride time. Drop a rider on arrival (or when the window opens). Moving a drop-off
    # earlier only makes later arrivals earlier, so every later time stays feasible.
    for k, stop in enumerate(stops):
        if stop.kind == DROPOFF:
            on_arrival = max(model.arrival(k, times[k]), model.nodes[k + 1].earliest)
            times[k + 1] = min(times[k + 1], on_arrival)
    cost_matrix = problem.cost_matrix()
    out: list[Stop] = []
    cost = 0.0
    for k in range(len(model.nodes) - 1):
        a, b = model.nodes[k], model.nodes[k + 1]
        cost += float(cost_matrix[a.location][b.location])
        if k < len(stops):
            stop = stops[k]
            out.append(
                Stop(
                    stop.request_id, stop.kind, b.location, model.arrival(k, times[k]), times[k + 1]
                )
            )
    return Route(vehicle.id, out, start=times[0], end=times[-1], cost=cost)
