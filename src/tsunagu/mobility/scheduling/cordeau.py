"""Cordeau (2006) dial-a-ride instances ↔ :class:`~.problem.Problem` (benchmark only).

Format: line 1 ``K n T Q L`` (vehicles, requests, maximum route duration, capacity, maximum ride
time), then ``2n+2`` lines ``id x y service load tw_start tw_end``: node 0 is the start depot,
``2n+1`` the end depot, ``1..n`` pick-ups and ``n+i`` the drop-off of request ``i``. Travel time
and cost are the Euclidean distance. Location ``k`` of the problem is node ``k``; request ``i``
has id ``i``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from .problem import PICKUP, Problem, Request, Solution, Vehicle


class CordeauFormatError(ValueError):
    """The file is not a Cordeau instance; the message (Japanese) names the line."""


@dataclass(frozen=True)
class Instance:
    name: str
    vehicles: int
    requests: int
    max_duration: float
    capacity: int
    max_ride: float
    problem: Problem


def _numbers(line: str, lineno: int, count: int, path: str) -> list[float]:
    parts = line.split()
    if len(parts) < count:
        raise CordeauFormatError(
            f"{path} の {lineno} 行目: 数値が {count} 個必要ですが {len(parts)} 個しかありません"
        )
    values = []
    for column, part in enumerate(parts[:count], start=1):
        try:
            value = float(part)
        except ValueError:
            raise CordeauFormatError(
                f"{path} の {lineno} 行目 {column} 列目: 「{part}」は数値ではありません"
            ) from None
        if not math.isfinite(value):
            raise CordeauFormatError(
                f"{path} の {lineno} 行目 {column} 列目: 「{part}」は有限の数値ではありません"
            )
        values.append(value)
    return values


def parse(text: str, name: str = "instance") -> Instance:
    """Parse the text of an instance; raise :class:`CordeauFormatError` naming the line."""
    lines = [(no, line) for no, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise CordeauFormatError(f"{name}: ファイルが空です")
    head_no, head = lines[0]
    k, n, t_max, q, l_max = _numbers(head, head_no, 5, name)
    if k != int(k) or n != int(n) or k < 1 or n < 0:
        raise CordeauFormatError(
            f"{name} の {head_no} 行目: 車両数と依頼数は正の整数でなければなりません"
        )
    k_i, n_i = int(k), int(n)
    expected = 2 * n_i + 2
    nodes = lines[1:]
    if len(nodes) < expected:
        last = nodes[-1][0] if nodes else head_no
        raise CordeauFormatError(
            f"{name}: 地点の行が {expected} 行必要ですが {len(nodes)} 行しかありません"
            f"（{last} 行目まで）"
        )
    rows = []
    for position, (no, line) in enumerate(nodes[:expected]):
        values = _numbers(line, no, 7, name)
        if int(values[0]) != position:
            raise CordeauFormatError(
                f"{name} の {no} 行目: 地点番号は {position} のはずですが {values[0]:g} です"
            )
        if values[5] > values[6]:
            raise CordeauFormatError(
                f"{name} の {no} 行目: 時間帯の始まり {values[5]:g} が終わり {values[6]:g} より後です"
            )
        rows.append(values)
    for i in range(1, n_i + 1):
        if rows[i][4] != -rows[n_i + i][4]:
            raise CordeauFormatError(
                f"{name} の {nodes[n_i + i][0]} 行目: 降車の人数 {rows[n_i + i][4]:g} が"
                f"乗車の人数 {rows[i][4]:g} と合いません"
            )
    coords = [(r[1], r[2]) for r in rows]
    travel = [[math.hypot(ax - bx, ay - by) for bx, by in coords] for ax, ay in coords]
    requests = [
        Request(
            id=i,
            pickup_location=i,
            dropoff_location=n_i + i,
            pickup_window=(rows[i][5], rows[i][6]),
            dropoff_window=(rows[n_i + i][5], rows[n_i + i][6]),
            pickup_service_min=rows[i][3],
            dropoff_service_min=rows[n_i + i][3],
            load={"seats": int(rows[i][4])},
            max_ride_min=l_max,
        )
        for i in range(1, n_i + 1)
    ]
    start, end = rows[0], rows[2 * n_i + 1]
    vehicles = [
        Vehicle(
            id=v,
            start_location=0,
            end_location=2 * n_i + 1,
            available=(start[5], end[6]),
            capacity={"seats": int(q)},
            max_duration_min=t_max,
        )
        for v in range(k_i)
    ]
    horizon = max(r[6] for r in rows)
    problem = Problem(requests=requests, vehicles=vehicles, travel=travel, horizon=horizon)
    return Instance(name, k_i, n_i, t_max, int(q), l_max, problem)


def read(path: str | Path) -> Instance:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CordeauFormatError(f"{path}: ファイルがありません") from None
    except UnicodeDecodeError:
        raise CordeauFormatError(f"{path}: テキストファイル（UTF-8）ではありません") from None
    except IsADirectoryError:
        raise CordeauFormatError(f"{path}: フォルダーです。ファイルを指定してください") from None
    return parse(text, str(path))


def node_routes(instance: Instance, solution: Solution) -> list[list[int]]:
    """The routes as Cordeau node ids in visiting order, without depots."""
    n = instance.requests
    return [
        [int(s.request_id) if s.kind == PICKUP else n + int(s.request_id) for s in route.stops]
        for route in solution.routes
    ]
