"""The day plan's solver runs outside the transaction (issue 18: on SQLite the transaction
holds the write lock, and every booking and sign-in waited for the solver's seconds); a day
that changed while it ran is solved again, so a ride cancelled meanwhile stays cancelled."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from tests.mobility.rides_helpers import DAY, make_request, make_rider, make_service, t
from tsunagu.mobility.models import RideRequest, RideStatus
from tsunagu.mobility.rides import planning, services

pytestmark = pytest.mark.django_db


def _day_with_two_rides() -> tuple[Any, RideRequest, RideRequest]:
    from tests.mobility.rides_helpers import make_driver, make_own_car

    service = make_service()
    make_own_car(make_driver(service))
    keep = make_request(make_rider(service, name="残る"), appointment_at=t("9:00"))
    cancel = make_request(make_rider(service, name="取消"), appointment_at=t("11:00"))
    return service, keep, cancel


def test_the_solver_runs_outside_the_writing_transaction(monkeypatch, user_named) -> None:
    service, keep, _cancel = _day_with_two_rides()
    depths = []
    solve = planning._solve

    def watched(day: Any, limit: float) -> Any:
        depths.append(connection.in_atomic_block and len(connection.savepoint_ids))
        return solve(day, limit)

    monkeypatch.setattr(planning, "_solve", watched)
    plan = planning.plan_day(
        service=service, date=DAY, actor=user_named("naokawa"), time_limit_s=0.2
    )
    # the test's own transaction is the only one open while it solves (no savepoint of plan_day)
    assert depths == [0]
    keep.refresh_from_db()
    assert keep.status == RideStatus.ASSIGNED and plan.routes.count() == 1


def test_a_ride_cancelled_while_solving_is_solved_again_and_stays_cancelled(
    monkeypatch, user_named
) -> None:
    service, keep, cancel = _day_with_two_rides()
    actor = user_named("naokawa")
    solve = planning._solve
    calls = []

    def cancelling_meanwhile(day: Any, limit: float) -> Any:
        calls.append(sorted(day.requests))
        result = solve(day, limit)
        if len(calls) == 1:  # a dispatcher cancels while the first solve runs
            ride = RideRequest.objects.get(pk=cancel.pk)
            services.ride_set_status(
                ride=ride, status=RideStatus.CANCELLED, reason="入院", actor=actor
            )
        return result

    monkeypatch.setattr(planning, "_solve", cancelling_meanwhile)
    planning.plan_day(service=service, date=DAY, actor=actor, time_limit_s=0.2)
    assert calls == [sorted([keep.pk, cancel.pk]), [keep.pk]]
    cancel.refresh_from_db()
    keep.refresh_from_db()
    assert cancel.status == RideStatus.CANCELLED
    assert keep.status == RideStatus.ASSIGNED


@pytest.mark.parametrize(("setting", "expected"), [(0.4, 0.4), (10.0, 2.5)])
def test_the_operators_limit_caps_the_search_and_a_small_day_stops_sooner(
    monkeypatch, settings, user_named, setting: float, expected: float
) -> None:
    """``TSUNAGU_DAY_PLAN_SECONDS`` caps the solver; a day of two requests gets 2 s + 0.25 s
    per request when that is less."""
    from tsunagu.mobility.scheduling import solver

    service, _keep, _cancel = _day_with_two_rides()
    settings.TSUNAGU_DAY_PLAN_SECONDS = setting
    limits = []
    solve = solver.solve

    def recorded(problem: Any, time_limit_s: float, **kwargs: Any) -> Any:
        limits.append(time_limit_s)
        return solve(problem, time_limit_s=0.2, **kwargs)

    monkeypatch.setattr(solver, "solve", recorded)
    plan = planning.plan_day(service=service, date=DAY, actor=user_named("naokawa"))
    assert limits == [pytest.approx(expected)]
    assert plan.routes.count() == 1


def test_the_setting_is_read_from_the_environment_and_refused_out_of_range() -> None:
    from tsunagu.mobility.scheduling.limits import ENV_NAME, day_plan_seconds_from_env

    assert day_plan_seconds_from_env({}) == 10.0
    assert day_plan_seconds_from_env({ENV_NAME: " 3.5 "}) == 3.5
    for bad in ("0", "-1", "abc", "nan", "601"):
        with pytest.raises(ValueError, match=r"0\.1〜600 の数にしてください") as refused:
            day_plan_seconds_from_env({ENV_NAME: bad})
        assert f"「{bad}」" in str(refused.value)
