"""How long a day plan's search may run (``TSUNAGU_DAY_PLAN_SECONDS``), read from the
environment when the settings load: plain Python, no Django."""

from __future__ import annotations

from tsunagu.core.envnumbers import number_from_env

ENV_NAME = "TSUNAGU_DAY_PLAN_SECONDS"
DEFAULT_SECONDS = 10.0
MIN_SECONDS = 0.1  # the solver needs a few tenths for its first plan and one descent
MAX_SECONDS = 600.0  # a plan run in the web request (without a worker) must still end


def day_plan_seconds_from_env(environ: dict[str, str] | None = None) -> float:
    """The configured seconds or the default; ValueError with a Japanese message for a value
    that is not a number of seconds in the accepted range."""
    return number_from_env(
        ENV_NAME,
        default=DEFAULT_SECONDS,
        low=MIN_SECONDS,
        high=MAX_SECONDS,
        what="配車計画の探索時間（秒）",
        environ=environ,
    )
