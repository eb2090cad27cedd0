"""Japanese dates: era calendar (和暦), Western calendar (西暦) and fiscal years (年度).

Pure standard library, no Django. Supported eras follow JIS X 0301 letters:
明治 M (from 明治6年1月1日 = 1873-01-01, when Japan adopted the Gregorian calendar),
大正 T, 昭和 S, 平成 H and 令和 R. Year 1 of an era is written 元年.

All user-facing error messages are Japanese and raised as :class:`WarekiError`
(a :class:`ValueError`); when the input names a real day in the wrong era the error
carries the correct spelling in ``suggestion``.

Supported range: :data:`MIN_DATE` (1873-01-01) to :data:`MAX_DATE` (2100-12-31). Input outside
it is refused (:func:`parse_date`, :func:`check_supported`); formatting never refuses: a date
stored before 1873 (by an old import, say) prints in 西暦 rather than break a page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "ERAS",
    "MAX_DATE",
    "MIN_DATE",
    "Era",
    "WarekiError",
    "check_supported",
    "era_of",
    "fiscal_year",
    "fiscal_year_range",
    "format_date",
    "format_fiscal_year",
    "parse_date",
    "parse_fiscal_year",
]


class WarekiError(ValueError):
    """Invalid Japanese date input; the message is Japanese and meant for the user."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


@dataclass(frozen=True)
class Era:
    """One Japanese era: kanji name, JIS X 0301 letter, first Western year and day range."""

    name: str
    letter: str
    first_year: int
    start: date
    end: date | None

    def year_of(self, d: date) -> int:
        """Era year (1 = 元年) of a date in this era."""
        return d.year - self.first_year + 1

    def last_year(self) -> int | None:
        """Last era year, or None for the current era."""
        return None if self.end is None else self.year_of(self.end)


MIN_DATE = date(1873, 1, 1)
"""First supported day: 明治6年1月1日, when Japan adopted the Gregorian calendar."""

MAX_DATE = date(2100, 12, 31)
"""Last accepted day of input: far enough for any plan, near enough to catch typos (20245年)."""

ERAS: tuple[Era, ...] = (
    Era("明治", "M", 1868, date(1868, 1, 25), date(1912, 7, 29)),
    Era("大正", "T", 1912, date(1912, 7, 30), date(1926, 12, 24)),
    Era("昭和", "S", 1926, date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", 1989, date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", 2019, date(2019, 5, 1), None),
)

_ERA_BY_TOKEN: dict[str, Era] = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}

_FORMAT_HINT = "例: 令和6年10月2日、2024-10-02、R6.10.2"
_FISCAL_FORMAT_HINT = "例: 令和6年度、R6年度、2024年度"
_MIN_DATE_MESSAGE = "明治6年1月1日（1873年1月1日）より前の日付は扱えません"
_MAX_DATE_MESSAGE = "2100年12月31日より後の日付は扱えません"

# Dashes people type instead of "-" (hyphens, minus, katakana long vowel mark).
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"))

_ERA = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR])"
_ERA_YEAR = r"(?P<eyear>元|[0-9]{1,3})"
_MONTH_DAY_KANJI = r"(?P<month>[0-9]{1,2})月(?P<day>[0-9]{1,2})日?"
_MONTH_DAY_SEP = r"(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
_YEAR = r"(?:西暦)?(?P<year>[0-9]{4})"

_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.ASCII)
    for p in (
        rf"{_ERA}{_ERA_YEAR}年{_MONTH_DAY_KANJI}",
        rf"{_ERA}{_ERA_YEAR}{_MONTH_DAY_SEP}",
        rf"{_YEAR}年{_MONTH_DAY_KANJI}",
        rf"{_YEAR}{_MONTH_DAY_SEP}",
        r"(?P<year>[0-9]{4})(?P<month>[0-9]{2})(?P<day>[0-9]{2})",
    )
)
_FISCAL_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.ASCII)
    for p in (
        rf"{_ERA}{_ERA_YEAR}(?:年度|年)?",
        r"(?:FY|西暦)?(?P<year>[0-9]{4})(?:年度|年)?",
    )
)


def _normalize(text: str) -> str:
    """NFKC, unify dashes, drop all whitespace and upper-case era letters."""
    normalized = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return re.sub(r"\s+", "", normalized).upper()


def _era_year_text(era: Era, year: int) -> str:
    return f"{era.name}{'元' if year == 1 else year}年"


def _era_year_value(era: Era, raw: str) -> int:
    year = 1 if raw == "元" else int(raw)
    if year == 0:
        raise WarekiError(f"{era.name}0年という年はありません（1年目は{era.name}元年です）")
    return year


def _build_date(year: int, month: int, day: int, written_year: str) -> date:
    """Make a date, with Japanese messages for a bad month or day."""
    if not 1 <= month <= 12:
        raise WarekiError(f"{month}月という月はありません")
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if month == 2 and day == 29:
        raise WarekiError(
            f"{written_year}2月29日は存在しない日付です（{year}年はうるう年ではありません）"
        ) from None
    raise WarekiError(f"{month}月{day}日は存在しない日付です") from None


def _check_era(era: Era, era_year: int, d: date) -> None:
    """Raise when a real day was written in an era it does not belong to."""
    if era.start <= d and (era.end is None or d <= era.end):
        return
    suggestion = format_date(d)
    year_text = _era_year_text(era, era_year)
    last_year = era.last_year()
    if last_year is not None and era_year > last_year:
        detail = f"{year_text}は{era.name}の範囲外です（{era.name}は{last_year}年まで）"
    elif era.end is not None and d > era.end:
        detail = (
            f"{year_text}{d.month}月{d.day}日は{era.name}の範囲外です"
            f"（{era.name}は{format_date(era.end)}まで）"
        )
    else:
        detail = (
            f"{year_text}{d.month}月{d.day}日は{era.name}の範囲外です"
            f"（{era.name}は{format_date(era.start)}から）"
        )
    raise WarekiError(f"{detail}。{suggestion}と書いてください", suggestion=suggestion)


def parse_date(text: str | date) -> date:
    """Parse 西暦 or 和暦 text into a date; a date passes through (a datetime becomes its date).

    Accepts e.g. 令和6年10月2日, 令和元年5月1日, R6.10.2, r06/10/02, ㋿6年10月2日,
    2024-10-02, 2024/10/2, 2024.10.2, 2024年10月2日, 20241002, with full-width characters
    and spaces tolerated. Raises WarekiError for anything invalid.
    """
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if text is None or (isinstance(text, str) and not text.strip()):
        raise WarekiError("日付が入力されていません")
    if not isinstance(text, str):
        raise WarekiError(f"日付は文字列で入力してください: {text!r}")
    normalized = _normalize(text)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(normalized)
        if match is None:
            continue
        month, day = int(match["month"]), int(match["day"])
        groups = match.groupdict()
        if groups.get("era") is not None:
            era = _ERA_BY_TOKEN[groups["era"]]
            era_year = _era_year_value(era, groups["eyear"])
            year = era.first_year + era_year - 1
            d = _build_date(year, month, day, _era_year_text(era, era_year))
            if d < MIN_DATE:
                raise WarekiError(_MIN_DATE_MESSAGE)
            _check_era(era, era_year, d)
            return check_supported(d)
        year = int(match["year"])
        if year < MIN_DATE.year:
            raise WarekiError(_MIN_DATE_MESSAGE)
        return check_supported(_build_date(year, month, day, f"{year}年"))
    raise WarekiError(f"日付の形式が読み取れません: '{text.strip()}'。{_FORMAT_HINT}")


def check_supported(d: date) -> date:
    """Return the date (or datetime) if within MIN_DATE..MAX_DATE, else raise WarekiError."""
    day = d.date() if isinstance(d, datetime) else d
    if day < MIN_DATE:
        raise WarekiError(_MIN_DATE_MESSAGE)
    if day > MAX_DATE:
        raise WarekiError(_MAX_DATE_MESSAGE)
    return d


def era_of(d: date) -> tuple[str, int]:
    """Return (era kanji name, era year) of a date, e.g. ("令和", 6) for 2024-10-02."""
    day = d.date() if isinstance(d, datetime) else d
    if day < MIN_DATE:
        raise WarekiError(_MIN_DATE_MESSAGE)
    era = next(e for e in reversed(ERAS) if e.start <= day)
    return era.name, era.year_of(day)


def format_date(d: date, style: str = "wareki") -> str:
    """Format a date: "wareki" 令和6年10月2日, "seireki" 2024年10月2日, "iso" 2024-10-02.

    A date before 明治6年 has no 和暦 here: it is printed in 西暦 (never an error on a page).
    """
    if not isinstance(d, date):
        raise TypeError(f"format_date() expects a date, got {type(d).__name__}")
    if style == "wareki" and (d.date() if isinstance(d, datetime) else d) < MIN_DATE:
        style = "seireki"
    if style == "wareki":
        name, year = era_of(d)
        return f"{name}{'元' if year == 1 else year}年{d.month}月{d.day}日"
    if style == "seireki":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "iso":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    raise ValueError(f"unknown date style {style!r}; use 'wareki', 'seireki' or 'iso'")


def fiscal_year(d: date) -> int:
    """Fiscal year (年度) of a date: April 1 of N to March 31 of N+1 is fiscal year N."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_range(fy: int) -> tuple[date, date]:
    """First and last day of fiscal year fy: (fy-04-01, (fy+1)-03-31)."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def _fiscal_era(fy: int) -> tuple[str, int]:
    """Era used to name fiscal year fy.

    The era in force at the end of the fiscal year (2019 → 令和元年度), except when that era
    only began in January-March of fy+1 and would give year 0: then the era in force on
    December 31 of fy (1988 → 昭和63年度). Both amount to the era of December 31 of fy.
    """
    if fy < MIN_DATE.year:
        raise WarekiError("1873年度（明治6年度）より前の年度は扱えません")
    return era_of(date(fy, 12, 31))


def format_fiscal_year(fy: int, style: str = "wareki") -> str:
    """Format a fiscal year: "wareki" 令和6年度 (2019 → 令和元年度), "seireki" 2024年度.

    A year before 1873 is printed in 西暦, as :func:`format_date` does.
    """
    if style == "wareki" and fy < MIN_DATE.year:
        style = "seireki"
    if style == "wareki":
        name, year = _fiscal_era(fy)
        return f"{name}{'元' if year == 1 else year}年度"
    if style == "seireki":
        return f"{fy}年度"
    raise ValueError(f"unknown fiscal year style {style!r}; use 'wareki' or 'seireki'")


def parse_fiscal_year(text: str | int) -> int:
    """Parse 令和6年度, R6年度, 令和元年度, 2024年度 or 2024 (str or int) into the fiscal year.

    An era year is accepted when its fiscal year overlaps the era (平成31年度 = 2019);
    otherwise WarekiError suggests the right name (平成32年度 → 令和2年度).
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        raise WarekiError("年度が入力されていません")
    if isinstance(text, int) and not isinstance(text, bool):
        fy = text
    elif not isinstance(text, str):
        raise WarekiError(f"年度は文字列で入力してください: {text!r}")
    else:
        fy = _parse_fiscal_text(text)
    if fy < MIN_DATE.year:
        raise WarekiError("1873年度（明治6年度）より前の年度は扱えません")
    return fy


def _parse_fiscal_text(text: str) -> int:
    normalized = _normalize(text)
    for pattern in _FISCAL_PATTERNS:
        match = pattern.fullmatch(normalized)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("era") is None:
            return int(match["year"])
        era = _ERA_BY_TOKEN[groups["era"]]
        era_year = _era_year_value(era, groups["eyear"])
        fy = era.first_year + era_year - 1
        if fy < MIN_DATE.year:
            raise WarekiError("1873年度（明治6年度）より前の年度は扱えません")
        first, last = fiscal_year_range(fy)
        if last < era.start or (era.end is not None and first > era.end):
            suggestion = format_fiscal_year(fy)
            raise WarekiError(
                f"{_era_year_text(era, era_year)}度は{era.name}の範囲外です。"
                f"{suggestion}と書いてください",
                suggestion=suggestion,
            )
        return fy
    raise WarekiError(f"年度の形式が読み取れません: '{text.strip()}'。{_FISCAL_FORMAT_HINT}")
