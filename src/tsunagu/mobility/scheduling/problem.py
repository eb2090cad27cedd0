"""Data model of one day of ride scheduling (配車計画の入出力), shared by the app and the benchmark.

This module is the stable interface between the RIDES day planner (which builds a
:class:`Problem` from the database) and the solver (:func:`tsunagu.mobility.scheduling.solver.solve`).
It is pure Python: no Django, no OR-Tools.

Conventions
-----------
- **Times** are minutes from midnight as floats (``8:30`` is ``510.0``). Durations are minutes.
- **Locations** are integer indices into ``Problem.travel`` and ``Problem.cost``
  (square matrices, ``travel[a][b]`` = driving minutes from location ``a`` to ``b``;
  ``cost[a][b]`` = what the objective sums, e.g. km; defaults to ``travel``).
- **Service times** (乗降・付き添い時間) are spent at the stop by the driver; an escort
  (付き添い) is simply a long ``dropoff_service_min`` / ``pickup_service_min``.
- **Ride time** (乗車時間) of a request = start of service at the drop-off minus the end of
  service at the pick-up (``start(dropoff) - start(pickup) - pickup_service_min``), i.e.
  waiting with the passenger aboard counts, as in Cordeau (2006).
- **Loads** are per resource: ``{"seats": 1}``, ``{"seats": 1, "wheelchair": 1}``. A vehicle
  carries a resource up to ``capacity.get(resource, 0)``; a wheelchair user is modelled by the
  ``"wheelchair"`` resource (a vehicle without ``"wheelchair"`` capacity cannot take them).
- **Eligibility** (``Vehicle.allowed``): ``None`` = any request; a set of features = the vehicle
  may take requests whose ``Request.needs`` are all in the set (e.g. ``{"wheelchair", "stretcher"}``);
  a callable ``allowed(request) -> bool`` for anything else (e.g. a driver a passenger refuses).
- **Availability** (運転者の勤務時間と車両の空き時間): ``Vehicle.available = (start, end)`` is the
  intersection of the driver's shift and the vehicle's idle window; the route leaves
  ``start_location`` no earlier than ``start`` and reaches ``end_location`` no later than ``end``.
  A driver/vehicle with several disjoint windows in a day is given as several ``Vehicle`` s
  (distinct ids). ``Vehicle.breaks`` are fixed intervals inside the window when the vehicle
  neither drives nor serves a stop (e.g. 休憩); passengers stay aboard only if ride times allow.
- **Route duration** (拘束時間): ``end - start`` of the route including waiting, at most
  ``max_duration_min``.

Output: :class:`Solution` with one :class:`Route` per used vehicle (stops in visiting order,
each with arrival and start of service), the unserved requests with a reason in Japanese, the
cost (sum of ``cost`` over all driven legs, including the legs from/to the depots, in doubles)
and the wall-clock seconds spent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

RequestId = int | str
VehicleId = int | str
Window = tuple[float, float]

PICKUP: Literal["pickup"] = "pickup"
DROPOFF: Literal["dropoff"] = "dropoff"


@dataclass(frozen=True)
class Request:
    """One ride request (送迎依頼): pick up at one place, drop off at another."""

    id: RequestId
    pickup_location: int
    dropoff_location: int
    pickup_window: Window | None = None
    dropoff_window: Window | None = None
    pickup_service_min: float = 0.0
    dropoff_service_min: float = 0.0
    load: dict[str, int] = field(default_factory=lambda: {"seats": 1})
    max_ride_min: float | None = None
    needs: frozenset[str] = frozenset()

    def window(self, kind: str, horizon: float) -> Window:
        """The time window of the pickup or drop-off; no window means the whole horizon."""
        window = self.pickup_window if kind == PICKUP else self.dropoff_window
        return window if window is not None else (0.0, horizon)


@dataclass(frozen=True)
class Vehicle:
    """One vehicle with its driver for one availability window (車両と運転者)."""

    id: VehicleId
    start_location: int
    end_location: int
    available: Window = (0.0, 1440.0)
    capacity: dict[str, int] = field(default_factory=lambda: {"seats": 4})
    max_duration_min: float | None = None
    allowed: frozenset[str] | Callable[[Request], bool] | None = None
    breaks: tuple[Window, ...] = ()

    def may_carry(self, request: Request) -> bool:
        """Whether this vehicle may take the request at all (features and capacity)."""
        if self.allowed is not None:
            if callable(self.allowed):
                if not self.allowed(request):
                    return False
            elif not request.needs <= self.allowed:
                return False
        elif request.needs:
            return False
        return all(amount <= self.capacity.get(key, 0) for key, amount in request.load.items())


@dataclass
class Problem:
    """A day to plan: requests, vehicles, travel-time and cost matrices, day horizon."""

    requests: list[Request]
    vehicles: list[Vehicle]
    travel: Sequence[Sequence[float]]
    cost: Sequence[Sequence[float]] | None = None
    horizon: float = 1440.0

    def cost_matrix(self) -> Sequence[Sequence[float]]:
        return self.cost if self.cost is not None else self.travel

    def request(self, request_id: RequestId) -> Request:
        for request in self.requests:
            if request.id == request_id:
                return request
        raise KeyError(request_id)

    def vehicle(self, vehicle_id: VehicleId) -> Vehicle:
        for vehicle in self.vehicles:
            if vehicle.id == vehicle_id:
                return vehicle
        raise KeyError(vehicle_id)


@dataclass(frozen=True)
class Stop:
    """One stop of a route: ``arrival`` at the place, ``start`` of service (after waiting)."""

    request_id: RequestId
    kind: Literal["pickup", "dropoff"]
    location: int
    arrival: float = 0.0
    start: float = 0.0


@dataclass
class Route:
    """The stops of one vehicle in visiting order; ``start``/``end`` at the depots."""

    vehicle_id: VehicleId
    stops: list[Stop]
    start: float = 0.0
    end: float = 0.0
    cost: float = 0.0


@dataclass
class Solution:
    routes: list[Route]
    unserved: list[tuple[RequestId, str]]
    cost: float
    seconds: float
