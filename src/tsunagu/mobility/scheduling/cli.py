"""``tsunagu mobility solve-darp INSTANCE.txt [--time-limit S]``: solve a Cordeau instance.

Prints exactly one JSON line ``{"cost": …, "routes": [[node ids], …], "seconds": …}``; a bad file
gives a Japanese message naming the line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from .cordeau import CordeauFormatError, node_routes, read
from .solver import solve

# Kept back from the limit for printing and interpreter shutdown.
_EXIT_MARGIN_S = 0.5


def _process_age() -> float:
    """Seconds since this process started, when it was started for this command.

    The interpreter start-up and imports count against ``--time-limit`` like the solving does
    (Linux ``/proc``; 0 elsewhere, and 0 when called from a longer-lived process such as tests).
    """
    if "solve-darp" not in sys.argv:
        return 0.0
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return max(0.0, uptime - started)
    except (OSError, ValueError, IndexError):
        return 0.0


def cmd_solve_darp(args: argparse.Namespace) -> int:
    began = time.monotonic() - _process_age()
    try:
        instance = read(args.instance)
    except CordeauFormatError as error:
        print(f"エラー: {error}", file=sys.stderr)
        return 1
    limit = float(args.time_limit)
    if not limit > 0:
        print("エラー: --time-limit は正の秒数で指定してください", file=sys.stderr)
        return 1
    budget = limit - (time.monotonic() - began) - _EXIT_MARGIN_S
    solution = solve(instance.problem, max(0.1, budget))
    if solution.unserved:
        missing = ", ".join(str(r) for r, _ in solution.unserved)
        print(f"警告: 送迎できない依頼があります: {missing}", file=sys.stderr)
    result = {
        "cost": solution.cost,
        "routes": node_routes(instance, solution),
        "seconds": round(time.monotonic() - began, 3),
    }
    print(json.dumps(result), flush=True)
    return 0
