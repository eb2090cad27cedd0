"""What can run in the background: job kinds and the daily (periodic) jobs.

Apps register their kinds from ``plugin.register()`` with handlers named as
``"module:function"`` strings, so start-up imports none of the work (OR-Tools, openpyxl …).
A handler is ``handler(context: JobContext) -> dict | None`` (the result shown on the job
page); it raises :class:`~tsunagu.core.errors.TsunaguError` for a failure the user can fix.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tsunagu.core.plugins import load_callable


@dataclass(frozen=True)
class JobKind:
    code: str  # "directory.import"
    label: str  # Japanese, shown in the job list (translated at display)
    handler: str  # "module:function"
    # Steps are idempotent (all-or-nothing, or safe to repeat): a job whose worker died is
    # run again (at least once) instead of being marked 中断.
    resumable: bool = False
    max_attempts: int = 3
    # The job page goes on to the result by itself once done (the day plan: the user is
    # waiting for it); otherwise it shows a 結果を見る link.
    redirect_on_done: bool = False


@dataclass(frozen=True)
class Periodic:
    """A job the worker enqueues once a day at ``at`` (Asia/Tokyo), or at its first start
    after that time (a worker that was down catches up once, not once per missed day)."""

    kind: str
    at: datetime.time
    title: str


_KINDS: dict[str, JobKind] = {}
_PERIODIC: dict[str, Periodic] = {}


def register_job_kind(kind: JobKind) -> None:
    _KINDS[kind.code] = kind


def register_periodic(periodic: Periodic) -> None:
    _PERIODIC[periodic.kind] = periodic


def job_kind(code: str) -> JobKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(
            f"unknown job kind {code!r}: register it with register_job_kind"
        ) from None


def job_kinds() -> list[JobKind]:
    return [_KINDS[code] for code in sorted(_KINDS)]


def periodic_jobs() -> list[Periodic]:
    return [_PERIODIC[code] for code in sorted(_PERIODIC)]


def handler_of(kind: JobKind):
    return load_callable(kind.handler)


def job_redirects_on_done(code: str) -> bool:
    kind = _KINDS.get(code)
    return bool(kind and kind.redirect_on_done)


def job_kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind else code
