"""The walking speed of every transit estimate (gap analysis and coexistence check).

One figure for both pages and the CLI, so "5 minutes' walk" means the same distance
everywhere. Default 80 m per minute: the figure of 不動産の表示に関する公正競争規約施行規則
(第9条第9号, 徒歩による所要時間は道路距離80mにつき1分), the convention residents and staff
know from every property listing. Slower walkers are covered by the walking distance the user
chooses; a municipality that plans with another figure (e.g. 4 km/h ≈ 67 m/min for older
people) sets ``TSUNAGU_WALKING_SPEED_M_PER_MIN``.

Pure (no Django needed): ``tsunagu mobility gap`` runs without settings and reads the same
environment variable.
"""

from __future__ import annotations

from tsunagu.core.envnumbers import number_from_env

DEFAULT_WALK_M_PER_MIN = 80.0
ENV_NAME = "TSUNAGU_WALKING_SPEED_M_PER_MIN"
# A person walks 20–150 m per minute; outside that the setting is a typo (km/h, m/s).
MIN_WALK_M_PER_MIN = 20.0
MAX_WALK_M_PER_MIN = 150.0


def walking_speed_from_env(environ: dict[str, str] | None = None) -> float:
    """The speed from ``TSUNAGU_WALKING_SPEED_M_PER_MIN`` or the default; ValueError (with a
    Japanese message) for a value that is not a plausible walking speed."""
    return number_from_env(
        ENV_NAME,
        default=DEFAULT_WALK_M_PER_MIN,
        low=MIN_WALK_M_PER_MIN,
        high=MAX_WALK_M_PER_MIN,
        what="歩く速さ（分速、m）",
        environ=environ,
    )


def walk_m_per_min() -> float:
    """The configured walking speed (m per minute): the Django setting when settings are
    loaded, else the environment variable, else the default."""
    try:
        from django.conf import settings

        if settings.configured:
            return float(getattr(settings, "WALKING_SPEED_M_PER_MIN", DEFAULT_WALK_M_PER_MIN))
    except ImportError:  # pragma: no cover - Django is always installed with tsunagu
        pass
    return walking_speed_from_env()
