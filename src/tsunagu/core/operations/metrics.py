"""The ``/metrics`` page: request figures in Prometheus's text format (hand-written).

Figures are kept per process and written to ``<data dir>/metrics/<pid>.json`` at most every
few seconds, so that the page, answered by any one of ``tsunagu serve``'s worker processes,
adds up every process's figures (counters of processes that have ended stay in the sum, as
Prometheus expects of counters). ``tsunagu serve`` starts with an empty folder.

Other figures (the background jobs, say) are added by registering a collector:
``register_collector("jobs", function)``; ``function()`` returns lines of Prometheus's text
format (with their ``# HELP``/``# TYPE``). Access: from this machine (no proxy header),
from ``TSUNAGU_METRICS_ALLOWED_IPS`` (addresses or networks) or with
``Authorization: Bearer <TSUNAGU_METRICS_TOKEN>``.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

from tsunagu.core.plugins import hooks, register_hook

METRICS_COLLECTORS = "metrics_collectors"
# Seconds; the buckets of the request duration histogram.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
FLUSH_SECONDS = 5.0

_lock = threading.Lock()
_requests: dict[str, int] = {}  # status class ("2xx") -> count
_durations: dict[str, list[float]] = {}  # url name -> [bucket counts…, +Inf count, sum]
_last_flush = 0.0


def register_collector(key: str, collector: Callable[[], Iterable[str]]) -> None:
    """Add figures to ``/metrics``: ``collector()`` returns Prometheus text lines."""
    register_hook(METRICS_COLLECTORS, key, collector)


def observe_request(*, url_name: str, status: int, seconds: float) -> None:
    global _last_flush
    status_class = f"{status // 100}xx"
    with _lock:
        _requests[status_class] = _requests.get(status_class, 0) + 1
        row = _durations.setdefault(url_name, [0.0] * (len(BUCKETS) + 2))
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                row[i] += 1
        row[len(BUCKETS)] += 1
        row[len(BUCKETS) + 1] += seconds
        now = time.monotonic()
        due = now - _last_flush >= FLUSH_SECONDS
        if due:
            _last_flush = now
    if due:
        flush()


def _folder() -> Path:
    return Path(getattr(settings, "METRICS_DIR", Path(settings.DATA_DIR) / "metrics"))


def _snapshot() -> dict[str, object]:
    with _lock:
        return {
            "requests": dict(_requests),
            "durations": {k: list(v) for k, v in _durations.items()},
        }


def flush() -> None:
    """Write this process's figures for the other processes' ``/metrics`` answers."""
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{os.getpid()}.json"
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(_snapshot()))
        os.replace(partial, path)
    except OSError:
        pass  # figures are best effort; a full disk is reported by the startup check


def reset_folder() -> None:
    """Start counting afresh (``tsunagu serve`` at start)."""
    folder = _folder()
    if folder.is_dir():
        for path in folder.glob("*.json"):
            path.unlink(missing_ok=True)


def reset() -> None:
    """Forget this process's figures (tests)."""
    with _lock:
        _requests.clear()
        _durations.clear()


def _merged() -> tuple[dict[str, int], dict[str, list[float]]]:
    requests: dict[str, int] = {}
    durations: dict[str, list[float]] = {}
    snapshots = []
    folder = _folder()
    own = f"{os.getpid()}.json"
    if folder.is_dir():
        for path in folder.glob("*.json"):
            if path.name == own:
                continue
            try:
                snapshots.append(json.loads(path.read_text()))
            except (OSError, ValueError):
                continue
    snapshots.append(_snapshot())  # this process: its figures now
    for snapshot in snapshots:
        for key, count in snapshot["requests"].items():
            requests[key] = requests.get(key, 0) + int(count)
        for name, row in snapshot["durations"].items():
            total = durations.setdefault(name, [0.0] * (len(BUCKETS) + 2))
            for i, value in enumerate(row):
                total[i] += value
    return requests, durations


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render() -> str:
    requests, durations = _merged()
    lines = [
        "# HELP tsunagu_requests_total Requests answered, by status class.",
        "# TYPE tsunagu_requests_total counter",
    ]
    lines += [
        f'tsunagu_requests_total{{status="{key}"}} {count}'
        for key, count in sorted(requests.items())
    ]
    lines += [
        "# HELP tsunagu_request_duration_seconds Request duration, by URL name.",
        "# TYPE tsunagu_request_duration_seconds histogram",
    ]
    for name, row in sorted(durations.items()):
        label = _label(name)
        for i, bound in enumerate(BUCKETS):
            lines.append(
                f'tsunagu_request_duration_seconds_bucket{{url_name="{label}",le="{bound}"}} {int(row[i])}'
            )
        count = int(row[len(BUCKETS)])
        lines.append(
            f'tsunagu_request_duration_seconds_bucket{{url_name="{label}",le="+Inf"}} {count}'
        )
        lines.append(f'tsunagu_request_duration_seconds_count{{url_name="{label}"}} {count}')
        lines.append(
            f'tsunagu_request_duration_seconds_sum{{url_name="{label}"}} {row[len(BUCKETS) + 1]:.6f}'
        )
    for collector in hooks(METRICS_COLLECTORS):
        lines.extend(collector())
    return "\n".join(lines) + "\n"
