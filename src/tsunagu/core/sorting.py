"""Natural order of names (自然順): 「第1圏域 < 第2圏域 < 第10圏域」.

Areas and bodies are often numbered (第1圏域 … 第14圏域, 第2層協議体, 3丁目). Ordered as text,
「第10圏域」 comes before 「第1圏域」; here each run of digits compares as a number.
Full-width digits (第１０) are read as digits (NFKC), and kanji numerals after 第 (第十二圏域)
as the number they spell. Everything else compares as text (code point order, no よみ), and
equal keys fall back to the original text, so the order is total and stable.

The ``natsort`` library was considered: it handles digit runs (and full-width digits) but
not kanji numerals such as 第十二, and is not a dependency of the project; this is 40 lines.

Two ways to use it:

* :func:`natural_key` / :func:`natural_sorted` for lists already read from the database;
* :func:`natural_order` for a QuerySet that must stay a QuerySet (a form's choices, a
  selector's result): the ranks are computed here, in Python, and the database orders by them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")

_NUMBER = re.compile(r"([0-9]+)")
_KANJI_ORDINAL = re.compile(r"第([〇零一二三四五六七八九十百千]+)")
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_KANJI_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}


def kanji_number(text: str) -> int:
    """「十二」→ 12, 「二十」→ 20, 「百五」→ 105, 「一〇」→ 10 (digit by digit)."""
    if not any(c in _KANJI_UNITS for c in text):
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    total, digit = 0, 0
    for char in text:
        if char in _KANJI_UNITS:
            total += (digit or 1) * _KANJI_UNITS[char]
            digit = 0
        else:
            digit = _KANJI_DIGITS[char]
    return total + digit


def natural_key(text: str | None) -> tuple[tuple[Any, ...], str]:
    """Sort key: text parts and numbers alternate (text, number, text, …), so parts at the
    same position always have the same type; the original text breaks ties."""
    original = text or ""
    normal = unicodedata.normalize("NFKC", original)
    normal = _KANJI_ORDINAL.sub(lambda m: f"第{kanji_number(m.group(1))}", normal)
    parts = _NUMBER.split(normal)
    key = tuple(int(part) if k % 2 else part.casefold() for k, part in enumerate(parts))
    return key, original


def natural_sorted(
    items: Iterable[T], *, key: Callable[[T], str | None] = attrgetter("name")
) -> list[T]:
    """``items`` in the natural order of ``key(item)`` (by default the ``name``)."""
    return sorted(items, key=lambda item: natural_key(key(item)))


def natural_order(queryset: Any, field: str = "name") -> Any:
    """An ``order_by`` expression putting ``queryset``'s rows in the natural order of
    ``field``: ``qs.order_by("municipality__code", natural_order(qs))``.

    The distinct values are read once and ranked in Python (a database cannot do this
    portably); a value added after that read sorts last.
    """
    from django.db.models import Case, IntegerField, Value, When

    values = set(queryset.order_by().values_list(field, flat=True).distinct())
    ranked = sorted(values, key=natural_key)
    if not ranked:
        return Value(0)
    return Case(
        *[When(**{field: value}, then=Value(rank)) for rank, value in enumerate(ranked)],
        default=Value(len(ranked)),
        output_field=IntegerField(),
    )


def naturally_ordered(queryset: Any, *leading: str, field: str = "name") -> Any:
    """``queryset`` ordered by the ``leading`` fields, then naturally by ``field``, then pk:
    ``naturally_ordered(municipality.districts.all())``."""
    return queryset.order_by(*leading, natural_order(queryset, field), "pk")
