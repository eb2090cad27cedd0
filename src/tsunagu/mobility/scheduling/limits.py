"""How long a day plan's search may run (``TSUNAGU_DAY_PLAN_SECONDS``), read from the
environment when the settings load: plain Python, no Django."""

from __future__ import annotations

import math
import os

ENV_NAME = "TSUNAGU_DAY_PLAN_SECONDS"
DEFAULT_SECONDS = 10.0
MIN_SECONDS = 0.1  # the solver needs a few tenths for its first plan and one descent
MAX_SECONDS = 600.0  # a plan run in the web request (without a worker) must still end


def day_plan_seconds_from_env(environ: dict[str, str] | None = None) -> float:
    """The configured seconds or the default; ValueError with a Japanese message for a value
    that is not a number of seconds in the accepted range."""
    raw = (os.environ if environ is None else environ).get(ENV_NAME, "").strip()
    if not raw:
        return DEFAULT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (MIN_SECONDS <= value <= MAX_SECONDS):
        raise ValueError(
            f"{ENV_NAME}「{raw}」は配車計画の探索時間（秒）として使えません。"
            f"{MIN_SECONDS:g}〜{MAX_SECONDS:g} の数にしてください（既定は {DEFAULT_SECONDS:g}）。"
        )
    return value
