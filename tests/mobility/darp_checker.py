"""Independent feasibility checker for Cordeau DARP solutions (used by tests and bench).

Independent of the solver on purpose: it re-reads the instance file itself, recomputes the
Euclidean distances, walks every route with waiting from scratch, and decides whether start
times exist that satisfy time windows, maximum ride time and maximum route duration with a
linear program (scipy's HiGHS), not with the solver's own timing code.

Model (Cordeau 2006): B_k = start of service at node k; along a route
B_next >= B_k + d_k + t(k, next); e_k <= B_k <= l_k; ride time of request i is
B_{n+i} - (B_i + d_i) <= L; route duration B_end - B_start <= T; load <= Q after every stop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

TOLERANCE = 1e-6


@dataclass
class DarpInstance:
    K: int
    n: int
    T: float
    Q: int
    L: float
    x: list[float]
    y: list[float]
    service: list[float]
    load: list[int]
    early: list[float]
    late: list[float]

    def dist(self, a: int, b: int) -> float:
        return math.sqrt((self.x[a] - self.x[b]) ** 2 + (self.y[a] - self.y[b]) ** 2)


@dataclass
class CheckResult:
    cost: float
    violations: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.violations


def read_instance(path: str | Path) -> DarpInstance:
    rows = [line.split() for line in Path(path).read_text().splitlines() if line.strip()]
    K, n = int(rows[0][0]), int(rows[0][1])
    T, Q, L = float(rows[0][2]), int(float(rows[0][3])), float(rows[0][4])
    nodes = rows[1 : 2 * n + 3]
    assert len(nodes) == 2 * n + 2, "truncated instance"
    return DarpInstance(
        K, n, T, Q, L,
        x=[float(r[1]) for r in nodes],
        y=[float(r[2]) for r in nodes],
        service=[float(r[3]) for r in nodes],
        load=[int(float(r[4])) for r in nodes],
        early=[float(r[5]) for r in nodes],
        late=[float(r[6]) for r in nodes],
    )  # fmt: skip


def _schedulable(
    inst: DarpInstance, path: list[int], *, ride: bool = True, duration: bool = True
) -> bool:
    """Is there a vector of start times satisfying all time constraints of one route? (LP)"""
    m = len(path)
    rows: list[np.ndarray] = []
    rhs: list[float] = []

    def leq(coeffs: dict[int, float], bound: float) -> None:
        row = np.zeros(m)
        for k, c in coeffs.items():
            row[k] += c
        rows.append(row)
        rhs.append(bound)

    for k in range(m - 1):
        a, b = path[k], path[k + 1]
        leq({k: 1.0, k + 1: -1.0}, -(inst.service[a] + inst.dist(a, b)))
    position = {node: k for k, node in enumerate(path)}
    for i in range(1, inst.n + 1 if ride else 1):
        if i in position and inst.n + i in position:
            p, d = position[i], position[inst.n + i]
            leq({d: 1.0, p: -1.0}, inst.L + inst.service[i])
    if duration:
        leq({m - 1: 1.0, 0: -1.0}, inst.T)
    bounds = [(inst.early[node], inst.late[node]) for node in path]
    result = linprog(
        c=np.zeros(m), A_ub=np.array(rows), b_ub=np.array(rhs), bounds=bounds, method="highs"
    )
    if result.status != 0:
        return False
    times = result.x
    # Re-verify the LP's answer in plain arithmetic with a small tolerance.
    for k in range(m - 1):
        a, b = path[k], path[k + 1]
        if times[k + 1] < times[k] + inst.service[a] + inst.dist(a, b) - TOLERANCE:
            return False
    return all(
        inst.early[node] - TOLERANCE <= times[k] <= inst.late[node] + TOLERANCE
        for k, node in enumerate(path)
    )


def check(instance_path: str | Path, routes: list[list[int]]) -> CheckResult:
    """Check node-id routes (without depots) against the instance; cost recomputed."""
    inst = read_instance(instance_path)
    n = inst.n
    violations: list[str] = []
    cost = 0.0
    if len(routes) > inst.K:
        violations.append(f"{len(routes)} routes for {inst.K} vehicles")
    seen: dict[int, int] = {}
    for r, route in enumerate(routes):
        for node in route:
            if not 1 <= node <= 2 * n:
                violations.append(f"route {r}: node {node} is not a request node")
            elif node in seen:
                violations.append(f"node {node} visited twice (routes {seen[node]} and {r})")
            else:
                seen[node] = r
    for i in range(1, n + 1):
        if i not in seen or n + i not in seen:
            violations.append(f"request {i} not served completely")
        elif seen[i] != seen[n + i]:
            violations.append(f"request {i}: pickup and delivery on different routes")
    if violations:
        return CheckResult(math.nan, violations)

    for r, route in enumerate(routes):
        path = [0, *route, 2 * n + 1]
        cost += sum(inst.dist(path[k], path[k + 1]) for k in range(len(path) - 1))
        onboard = 0
        picked: set[int] = set()
        for node in route:
            if node <= n:
                picked.add(node)
            elif node - n not in picked:
                violations.append(f"route {r}: delivery {node} before its pickup {node - n}")
            onboard += inst.load[node]
            if onboard > inst.Q:
                violations.append(f"route {r}: load {onboard} > Q={inst.Q} at node {node}")
        # Earliest times with waiting: a window missed here cannot be met by any schedule.
        t = inst.early[0]
        for k in range(1, len(path)):
            a, b = path[k - 1], path[k]
            t = max(t + inst.service[a] + inst.dist(a, b), inst.early[b])
            if t > inst.late[b] + TOLERANCE:
                violations.append(f"route {r}: node {b} reached at {t:.3f} > {inst.late[b]}")
                break
        else:
            if not _schedulable(inst, path):
                # Name the culprit: which limit, when lifted, makes the route schedulable.
                if _schedulable(inst, path, ride=False):
                    violations.append(f"route {r}: ride time over L={inst.L:g}")
                elif _schedulable(inst, path, duration=False):
                    violations.append(f"route {r}: route duration over T={inst.T:g}")
                else:
                    violations.append(f"route {r}: ride time over L and duration over T")
    return CheckResult(cost, violations)
