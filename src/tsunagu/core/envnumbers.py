"""Numbers read from the environment when the settings load, with a Japanese message that
names the variable, the value and the accepted range. Plain Python, no Django: the pure
cores (``transit.walking``, ``mobility.scheduling.limits``) read them before settings exist."""

from __future__ import annotations

import math
import os


def number_from_env(
    name: str,
    *,
    default: float,
    low: float,
    high: float,
    what: str,
    environ: dict[str, str] | None = None,
) -> float:
    """``name``'s value, or ``default`` when unset or blank; ValueError when it is not a
    number from ``low`` to ``high`` (``what`` says what the number is, in Japanese)."""
    raw = (os.environ if environ is None else environ).get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (low <= value <= high):
        raise ValueError(
            f"{name}「{raw}」は{what}として使えません。"
            f"{low:g}〜{high:g} の数にしてください（既定は {default:g}）。"
        )
    return value
