"""A request's pickup and drop-off windows, shared by the solver and the route checker."""

from __future__ import annotations

from tsunagu.mobility.scheduling.problem import DROPOFF, PICKUP, Request


def test_a_missing_window_is_the_whole_horizon():
    request = Request(id=1, pickup_location=0, dropoff_location=1, dropoff_window=(60.0, 90.0))
    assert request.window(PICKUP, 600.0) == (0.0, 600.0)
    assert request.window(DROPOFF, 600.0) == (60.0, 90.0)
