"""Tests for tsunagu.core.wareki: 和暦/西暦 parsing and formatting, fiscal years (年度)."""

import ast
import itertools
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tsunagu.core import wareki
from tsunagu.core.wareki import (
    ERAS,
    MIN_DATE,
    WarekiError,
    check_supported,
    era_of,
    fiscal_year,
    fiscal_year_range,
    format_date,
    format_fiscal_year,
    parse_date,
    parse_fiscal_year,
)


def fullwidth(text: str) -> str:
    """Turn ASCII characters into their full-width forms (2024/10/2 → ２０２４／１０／２)."""
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


def days_between(first: date, last: date, step: int) -> list[date]:
    count = (last - first).days // step + 1
    return [first + timedelta(days=i * step) for i in range(count)]


# ---------------------------------------------------------------------------
# parse_date: valid inputs
# ---------------------------------------------------------------------------

VALID_DATES = [
    # 西暦 with separators, kanji and compact forms
    ("2024/10/2", date(2024, 10, 2)),
    ("2024/10/02", date(2024, 10, 2)),
    ("2024-10-02", date(2024, 10, 2)),
    ("2024-1-2", date(2024, 1, 2)),
    ("2024.10.2", date(2024, 10, 2)),
    ("2024年10月2日", date(2024, 10, 2)),
    ("2024年10月2", date(2024, 10, 2)),
    ("西暦2024年10月2日", date(2024, 10, 2)),
    ("20241002", date(2024, 10, 2)),
    (" 2024-10-02 ", date(2024, 10, 2)),
    ("2024 年 10 月 2 日", date(2024, 10, 2)),
    # full-width digits and separators
    (fullwidth("2024年10月2日"), date(2024, 10, 2)),
    (fullwidth("2024/10/02"), date(2024, 10, 2)),
    (fullwidth("2024-10-02"), date(2024, 10, 2)),
    (fullwidth("2024.10.2"), date(2024, 10, 2)),
    (fullwidth("20241002"), date(2024, 10, 2)),
    # dashes typed by IMEs: minus sign, katakana long vowel mark, hyphen, en dash
    ("2024\u221210\u221202", date(2024, 10, 2)),
    ("2024\u30fc10\u30fc02", date(2024, 10, 2)),
    ("2024\u201010\u201002", date(2024, 10, 2)),
    ("2024\u201310\u201302", date(2024, 10, 2)),
    # 和暦 with JIS letters in either case
    ("R6.10.2", date(2024, 10, 2)),
    ("R06/10/02", date(2024, 10, 2)),
    ("r6-10-2", date(2024, 10, 2)),
    ("R6年10月2日", date(2024, 10, 2)),
    (fullwidth("R6.10.2"), date(2024, 10, 2)),
    ("H31.4.30", date(2019, 4, 30)),
    ("h31/04/30", date(2019, 4, 30)),
    ("R元.5.1", date(2019, 5, 1)),
    ("R1.5.1", date(2019, 5, 1)),
    # 和暦 with kanji era names
    ("令和6年10月2日", date(2024, 10, 2)),
    ("令和6年10月2", date(2024, 10, 2)),
    ("令和6.10.2", date(2024, 10, 2)),
    ("令和元年5月1日", date(2019, 5, 1)),
    ("令和1年5月1日", date(2019, 5, 1)),
    ("令和 6 年 10 月 2 日", date(2024, 10, 2)),
    ("令和\u30006年\u300010月\u30002日", date(2024, 10, 2)),
    ("\u3000令和6年10月2日\u3000", date(2024, 10, 2)),
    (
        "令和" + fullwidth("6") + "年" + fullwidth("10") + "月" + fullwidth("2") + "日",
        date(2024, 10, 2),
    ),
    ("令和06年10月02日", date(2024, 10, 2)),
    # single-character era ligatures
    ("\u32ff6年10月2日", date(2024, 10, 2)),  # ㋿
    ("\u32ff元年5月1日", date(2019, 5, 1)),
    ("\u337b元年1月8日", date(1989, 1, 8)),  # ㍻
    ("\u337c元年12月25日", date(1926, 12, 25)),  # ㍼
    ("\u337d元年7月30日", date(1912, 7, 30)),  # ㍽
    ("\u337e6年1月1日", date(1873, 1, 1)),  # ㍾
    # every era and its boundaries
    ("明治6年1月1日", date(1873, 1, 1)),
    ("M6.1.1", date(1873, 1, 1)),
    ("1873-01-01", date(1873, 1, 1)),
    ("明治45年7月29日", date(1912, 7, 29)),
    ("m45.7.29", date(1912, 7, 29)),
    ("大正元年7月30日", date(1912, 7, 30)),
    ("T1.7.30", date(1912, 7, 30)),
    ("大正15年12月24日", date(1926, 12, 24)),
    ("t15/12/24", date(1926, 12, 24)),
    ("昭和元年12月25日", date(1926, 12, 25)),
    ("S1.12.25", date(1926, 12, 25)),
    ("昭和64年1月7日", date(1989, 1, 7)),
    ("s64.1.7", date(1989, 1, 7)),
    ("平成元年1月8日", date(1989, 1, 8)),
    ("H1.1.8", date(1989, 1, 8)),
    ("平成31年4月30日", date(2019, 4, 30)),
    ("令和元年5月1日", date(2019, 5, 1)),
    ("昭和20年8月15日", date(1945, 8, 15)),
    ("平成12年2月29日", date(2000, 2, 29)),
    ("令和6年2月29日", date(2024, 2, 29)),
    ("2000-02-29", date(2000, 2, 29)),
    ("令和82年12月31日", date(2100, 12, 31)),  # the last supported day
]


@pytest.mark.parametrize(("text", "expected"), VALID_DATES)
def test_parse_date_accepts_valid_form(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_parse_date_passes_a_date_through_unchanged() -> None:
    d = date(2024, 10, 2)
    assert parse_date(d) is d


def test_parse_date_passes_an_old_date_through_unchanged() -> None:
    d = date(1850, 1, 1)
    assert parse_date(d) is d


def test_parse_date_turns_a_datetime_into_its_date() -> None:
    result = parse_date(datetime(2024, 10, 2, 15, 30))
    assert result == date(2024, 10, 2)
    assert type(result) is date


# ---------------------------------------------------------------------------
# parse_date: invalid inputs
# ---------------------------------------------------------------------------

INVALID_DATES = [
    # empty
    ("", "日付が入力されていません"),
    ("   ", "日付が入力されていません"),
    ("\u3000\u3000", "日付が入力されていません"),
    # unreadable
    ("abc", "日付の形式が読み取れません: 'abc'"),
    ("2024/10", "日付の形式が読み取れません"),
    ("24/10/2", "日付の形式が読み取れません"),
    ("2024/10-02", "日付の形式が読み取れません"),
    ("2024-10-02-", "日付の形式が読み取れません"),
    ("2024-10-02T10:00", "日付の形式が読み取れません"),
    ("202410021", "日付の形式が読み取れません"),
    ("2024102", "日付の形式が読み取れません"),
    ("令和6年10月", "日付の形式が読み取れません"),
    ("令和6年10月2日午後", "日付の形式が読み取れません"),
    ("0元年1月1日", "日付の形式が読み取れません"),
    ("令和元元年1月1日", "日付の形式が読み取れません"),
    ("X6.10.2", "日付の形式が読み取れません"),
    ("慶応3年1月1日", "日付の形式が読み取れません"),
    ("令和1000年1月1日", "日付の形式が読み取れません"),
    ("令和100年1月1日", "2100年12月31日より後の日付は扱えません"),
    ("2024\u0662-10-02", "日付の形式が読み取れません"),  # Arabic-Indic digit is not a digit here
    # non-existent month or day
    ("2024-02-30", "2月30日は存在しない日付です"),
    ("令和6年2月30日", "2月30日は存在しない日付です"),
    ("R6.2.30", "2月30日は存在しない日付です"),
    ("2024-04-31", "4月31日は存在しない日付です"),
    ("2024-10-32", "10月32日は存在しない日付です"),
    ("2024-10-00", "10月0日は存在しない日付です"),
    ("2023-02-29", "2023年2月29日は存在しない日付です"),
    ("令和5年2月29日", "うるう年ではありません"),
    ("平成元年2月29日", "1989年はうるう年ではありません"),
    ("1900-02-29", "うるう年ではありません"),
    ("2024-13-01", "13月という月はありません"),
    ("R6.13.1", "13月という月はありません"),
    ("20241302", "13月という月はありません"),
    ("2024-00-10", "0月という月はありません"),
    # year 0
    ("令和0年5月1日", "令和0年という年はありません"),
    ("R0.5.1", "令和0年という年はありません"),
    ("平成0年1月8日", "平成0年という年はありません"),
    # before the Gregorian calendar was adopted
    ("明治5年12月31日", "明治6年1月1日（1873年1月1日）より前の日付は扱えません"),
    ("明治元年1月25日", "明治6年1月1日（1873年1月1日）より前の日付は扱えません"),
    ("M5.12.2", "明治6年1月1日（1873年1月1日）より前の日付は扱えません"),
    ("1872-12-31", "明治6年1月1日（1873年1月1日）より前の日付は扱えません"),
    ("0000-01-01", "明治6年1月1日（1873年1月1日）より前の日付は扱えません"),
    ("18000101", "明治6年1月1日（1873年1月1日）より前の日付は扱えません"),
]


@pytest.mark.parametrize(("text", "fragment"), INVALID_DATES)
def test_parse_date_rejects_invalid_input_with_japanese_message(text: str, fragment: str) -> None:
    with pytest.raises(WarekiError) as excinfo:
        parse_date(text)
    assert fragment in str(excinfo.value)
    assert excinfo.value.suggestion is None


def test_parse_date_format_error_gives_examples() -> None:
    with pytest.raises(WarekiError, match=r"例: 令和6年10月2日、2024-10-02、R6\.10\.2"):
        parse_date("xxx")


@pytest.mark.parametrize("value", [None, 20241002, 2024.5])
def test_parse_date_rejects_non_text(value: object) -> None:
    with pytest.raises(WarekiError):
        parse_date(value)  # type: ignore[arg-type]


# A real day written in the wrong era: the message and .suggestion name the right form.
ERA_MISMATCHES = [
    ("平成32年1月1日", "令和2年1月1日", "平成32年は平成の範囲外です"),
    ("H32.1.1", "令和2年1月1日", "平成32年は平成の範囲外です"),
    ("平成31年5月1日", "令和元年5月1日", "平成31年5月1日は平成の範囲外です"),
    ("H31.5.1", "令和元年5月1日", "平成の範囲外です"),
    ("令和元年4月30日", "平成31年4月30日", "令和元年4月30日は令和の範囲外です"),
    ("R1.4.30", "平成31年4月30日", "令和の範囲外です"),
    ("令和元年1月1日", "平成31年1月1日", "令和の範囲外です"),
    ("昭和64年1月8日", "平成元年1月8日", "昭和の範囲外です"),
    ("昭和65年1月1日", "平成2年1月1日", "昭和65年は昭和の範囲外です"),
    ("平成元年1月7日", "昭和64年1月7日", "平成の範囲外です"),
    ("明治45年7月30日", "大正元年7月30日", "明治の範囲外です"),
    ("明治46年1月1日", "大正2年1月1日", "明治46年は明治の範囲外です"),
    ("大正元年7月29日", "明治45年7月29日", "大正の範囲外です"),
    ("大正15年12月25日", "昭和元年12月25日", "大正の範囲外です"),
    ("大正16年1月1日", "昭和2年1月1日", "大正16年は大正の範囲外です"),
    ("昭和元年12月24日", "大正15年12月24日", "昭和の範囲外です"),
    ("昭和100年1月1日", "令和7年1月1日", "昭和の範囲外です"),
    ("㍻32年1月1日", "令和2年1月1日", "平成の範囲外です"),
]


@pytest.mark.parametrize(("text", "suggestion", "fragment"), ERA_MISMATCHES)
def test_parse_date_rejects_date_outside_its_era_and_suggests_right_form(
    text: str, suggestion: str, fragment: str
) -> None:
    with pytest.raises(WarekiError) as excinfo:
        parse_date(text)
    message = str(excinfo.value)
    assert fragment in message
    assert f"{suggestion}と書いてください" in message
    assert excinfo.value.suggestion == suggestion


ERA_MISMATCH_DAYS = [
    ("平成32年1月1日", date(2020, 1, 1)),
    ("平成31年5月1日", date(2019, 5, 1)),
    ("令和元年4月30日", date(2019, 4, 30)),
    ("昭和64年1月8日", date(1989, 1, 8)),
    ("大正元年7月29日", date(1912, 7, 29)),
    ("昭和100年1月1日", date(2025, 1, 1)),
]


@pytest.mark.parametrize(("text", "meant"), ERA_MISMATCH_DAYS)
def test_era_mismatch_suggestion_names_the_day_that_was_meant(text: str, meant: date) -> None:
    with pytest.raises(WarekiError) as excinfo:
        parse_date(text)
    suggestion = excinfo.value.suggestion
    assert suggestion is not None
    assert parse_date(suggestion) == meant


# ---------------------------------------------------------------------------
# format_date and era_of
# ---------------------------------------------------------------------------

FORMATTED = [
    (date(2024, 10, 2), "wareki", "令和6年10月2日"),
    (date(2019, 5, 1), "wareki", "令和元年5月1日"),
    (date(2020, 1, 1), "wareki", "令和2年1月1日"),
    (date(2019, 4, 30), "wareki", "平成31年4月30日"),
    (date(1989, 1, 8), "wareki", "平成元年1月8日"),
    (date(1989, 1, 7), "wareki", "昭和64年1月7日"),
    (date(1926, 12, 25), "wareki", "昭和元年12月25日"),
    (date(1926, 12, 24), "wareki", "大正15年12月24日"),
    (date(1912, 7, 30), "wareki", "大正元年7月30日"),
    (date(1912, 7, 29), "wareki", "明治45年7月29日"),
    (date(1873, 1, 1), "wareki", "明治6年1月1日"),
    (date(2024, 10, 2), "seireki", "2024年10月2日"),
    (date(1873, 1, 1), "seireki", "1873年1月1日"),
    (date(2024, 10, 2), "iso", "2024-10-02"),
    (date(1873, 1, 1), "iso", "1873-01-01"),
    (datetime(2024, 10, 2, 23, 59), "wareki", "令和6年10月2日"),
    (datetime(2024, 10, 2, 23, 59), "iso", "2024-10-02"),
]


@pytest.mark.parametrize(("d", "style", "expected"), FORMATTED)
def test_format_date(d: date, style: str, expected: str) -> None:
    assert format_date(d, style) == expected


def test_format_date_defaults_to_wareki() -> None:
    assert format_date(date(2024, 10, 2)) == "令和6年10月2日"


def test_format_date_rejects_unknown_style() -> None:
    with pytest.raises(ValueError, match="unknown date style"):
        format_date(date(2024, 10, 2), "kanji")


def test_format_date_rejects_non_date() -> None:
    with pytest.raises(TypeError):
        format_date("2024-10-02")  # type: ignore[arg-type]


def test_format_date_wareki_falls_back_to_seireki_before_1873() -> None:
    # A stored date out of range must never break a page: it prints in 西暦.
    assert format_date(date(1872, 12, 31)) == "1872年12月31日"
    assert format_date(date(1800, 1, 1)) == "1800年1月1日"
    assert format_date(datetime(1850, 1, 1, 10, 0)) == "1850年1月1日"


@pytest.mark.parametrize(
    ("style", "expected"), [("seireki", "1872年12月31日"), ("iso", "1872-12-31")]
)
def test_format_date_western_styles_allow_date_before_1873(style: str, expected: str) -> None:
    assert format_date(date(1872, 12, 31), style) == expected


ERA_BOUNDARIES = [
    (date(1873, 1, 1), ("明治", 6)),
    (date(1912, 7, 29), ("明治", 45)),
    (date(1912, 7, 30), ("大正", 1)),
    (date(1926, 12, 24), ("大正", 15)),
    (date(1926, 12, 25), ("昭和", 1)),
    (date(1989, 1, 7), ("昭和", 64)),
    (date(1989, 1, 8), ("平成", 1)),
    (date(2019, 4, 30), ("平成", 31)),
    (date(2019, 5, 1), ("令和", 1)),
    (date(2024, 10, 2), ("令和", 6)),
    (datetime(2019, 5, 1, 0, 0), ("令和", 1)),
]


@pytest.mark.parametrize(("d", "expected"), ERA_BOUNDARIES)
def test_era_of_at_era_boundaries(d: date, expected: tuple[str, int]) -> None:
    assert era_of(d) == expected


def test_era_of_rejects_date_before_1873() -> None:
    with pytest.raises(WarekiError):
        era_of(date(1872, 12, 31))


def test_eras_are_contiguous() -> None:
    assert MIN_DATE == date(1873, 1, 1)
    for earlier, later in itertools.pairwise(ERAS):
        assert earlier.end is not None
        assert later.start == earlier.end + timedelta(days=1)
        assert later.first_year == later.start.year
    assert ERAS[-1].end is None
    assert [e.letter for e in ERAS] == ["M", "T", "S", "H", "R"]


# ---------------------------------------------------------------------------
# round trips
# ---------------------------------------------------------------------------

ROUND_TRIP_DAYS = days_between(date(1873, 1, 1), date(2030, 12, 31), 17)
BOUNDARY_DAYS = [
    day
    for era in ERAS[1:]
    for day in (era.start - timedelta(days=1), era.start, era.start + timedelta(days=1))
]


@pytest.mark.parametrize("style", ["wareki", "seireki", "iso"])
def test_round_trip_every_17th_day_from_1873_to_2030(style: str) -> None:
    assert len(ROUND_TRIP_DAYS) > 3000
    failures = [d for d in ROUND_TRIP_DAYS if parse_date(format_date(d, style)) != d]
    assert failures == []


@pytest.mark.parametrize("style", ["wareki", "seireki", "iso"])
def test_round_trip_around_each_era_change(style: str) -> None:
    assert BOUNDARY_DAYS
    for d in BOUNDARY_DAYS:
        assert parse_date(format_date(d, style)) == d


def test_round_trip_through_jis_letter_and_full_width_forms() -> None:
    letters = {e.name: e.letter for e in ERAS}
    failures = []
    for d in ROUND_TRIP_DAYS + BOUNDARY_DAYS:
        name, year = era_of(d)
        letter_form = f"{letters[name]}{year:02d}.{d.month:02d}.{d.day:02d}"
        compact = d.strftime("%Y%m%d") if d.year >= 1000 else None
        forms = [letter_form, letter_form.lower(), fullwidth(format_date(d, "wareki"))]
        if compact:
            forms.append(compact)
        failures += [(form, d) for form in forms if parse_date(form) != d]
    assert failures == []


# ---------------------------------------------------------------------------
# fiscal years
# ---------------------------------------------------------------------------

FISCAL_YEARS = [
    (date(2025, 3, 31), 2024),
    (date(2025, 4, 1), 2025),
    (date(2024, 3, 31), 2023),
    (date(2024, 4, 1), 2024),
    (date(2024, 12, 31), 2024),
    (date(2025, 1, 1), 2024),
    (date(2019, 4, 30), 2019),
    (date(2019, 5, 1), 2019),
    (date(1989, 1, 7), 1988),
    (date(1989, 1, 8), 1988),
    (datetime(2025, 3, 31, 23, 59), 2024),
]


@pytest.mark.parametrize(("d", "expected"), FISCAL_YEARS)
def test_fiscal_year_turns_over_on_april_first(d: date, expected: int) -> None:
    assert fiscal_year(d) == expected


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2024, (date(2024, 4, 1), date(2025, 3, 31))),
        (2019, (date(2019, 4, 1), date(2020, 3, 31))),
        (1988, (date(1988, 4, 1), date(1989, 3, 31))),
    ],
)
def test_fiscal_year_range(fy: int, expected: tuple[date, date]) -> None:
    assert fiscal_year_range(fy) == expected


def test_fiscal_year_range_ends_belong_to_that_fiscal_year() -> None:
    for fy in range(1873, 2100):
        first, last = fiscal_year_range(fy)
        assert fiscal_year(first) == fy
        assert fiscal_year(last) == fy
        assert fiscal_year(first - timedelta(days=1)) == fy - 1
        assert fiscal_year(last + timedelta(days=1)) == fy + 1


FORMATTED_FISCAL_YEARS = [
    (2024, "wareki", "令和6年度"),
    (2020, "wareki", "令和2年度"),
    (2019, "wareki", "令和元年度"),
    (2018, "wareki", "平成30年度"),
    (1989, "wareki", "平成元年度"),
    (1988, "wareki", "昭和63年度"),
    (1926, "wareki", "昭和元年度"),
    (1925, "wareki", "大正14年度"),
    (1912, "wareki", "大正元年度"),
    (1911, "wareki", "明治44年度"),
    (1873, "wareki", "明治6年度"),
    (2024, "seireki", "2024年度"),
    (2019, "seireki", "2019年度"),
]


@pytest.mark.parametrize(("fy", "style", "expected"), FORMATTED_FISCAL_YEARS)
def test_format_fiscal_year(fy: int, style: str, expected: str) -> None:
    assert format_fiscal_year(fy, style) == expected


def test_format_fiscal_year_defaults_to_wareki() -> None:
    assert format_fiscal_year(2024) == "令和6年度"


def test_format_fiscal_year_rejects_unknown_style() -> None:
    with pytest.raises(ValueError, match="unknown fiscal year style"):
        format_fiscal_year(2024, "iso")


def test_format_fiscal_year_wareki_falls_back_to_seireki_before_1873() -> None:
    assert format_fiscal_year(1872) == "1872年度"


VALID_FISCAL_YEARS = [
    ("令和6年度", 2024),
    ("R6年度", 2024),
    ("r6年度", 2024),
    ("R06年度", 2024),
    ("\u32ff6年度", 2024),
    ("令和" + fullwidth("6") + "年度", 2024),
    ("令和 6 年度", 2024),
    ("令和\u30006\u3000年度", 2024),
    ("令和6", 2024),
    ("令和元年度", 2019),
    ("令和1年度", 2019),
    ("平成31年度", 2019),
    ("H31年度", 2019),
    ("平成30年度", 2018),
    ("平成元年度", 1989),
    ("昭和63年度", 1988),
    ("明治6年度", 1873),
    ("2024年度", 2024),
    ("2024", 2024),
    (fullwidth("2024") + "年度", 2024),
    ("FY2024", 2024),
    ("fy2024", 2024),
    (" 2024年度 ", 2024),
    (2024, 2024),
]


@pytest.mark.parametrize(("text", "expected"), VALID_FISCAL_YEARS)
def test_parse_fiscal_year_accepts_valid_form(text: str, expected: int) -> None:
    assert parse_fiscal_year(text) == expected


INVALID_FISCAL_YEARS = [
    ("", "年度が入力されていません", None),
    ("\u3000", "年度が入力されていません", None),
    ("abc", "年度の形式が読み取れません: 'abc'", None),
    ("24年度", "年度の形式が読み取れません", None),
    ("2024/10/2", "年度の形式が読み取れません", None),
    ("令和6年度度", "年度の形式が読み取れません", None),
    ("0元年度", "年度の形式が読み取れません", None),
    ("令和0年度", "令和0年という年はありません", None),
    ("1872年度", "1873年度（明治6年度）より前の年度は扱えません", None),
    ("明治5年度", "1873年度（明治6年度）より前の年度は扱えません", None),
    ("平成32年度", "平成32年度は平成の範囲外です", "令和2年度"),
    ("H32年度", "平成の範囲外です", "令和2年度"),
    ("昭和64年度", "昭和64年度は昭和の範囲外です", "平成元年度"),
    ("大正16年度", "大正の範囲外です", "昭和2年度"),
    ("明治46年度", "明治の範囲外です", "大正2年度"),
]


@pytest.mark.parametrize(("text", "fragment", "suggestion"), INVALID_FISCAL_YEARS)
def test_parse_fiscal_year_rejects_invalid_input(
    text: str, fragment: str, suggestion: str | None
) -> None:
    with pytest.raises(WarekiError) as excinfo:
        parse_fiscal_year(text)
    assert fragment in str(excinfo.value)
    assert excinfo.value.suggestion == suggestion
    if suggestion is not None:
        assert f"{suggestion}と書いてください" in str(excinfo.value)


@pytest.mark.parametrize("style", ["wareki", "seireki"])
def test_fiscal_year_round_trip(style: str) -> None:
    for fy in range(1873, 2101):
        assert parse_fiscal_year(format_fiscal_year(fy, style)) == fy


# ---------------------------------------------------------------------------
# the error type and the module's dependencies
# ---------------------------------------------------------------------------


def test_wareki_error_is_a_value_error() -> None:
    assert issubclass(WarekiError, ValueError)
    with pytest.raises(ValueError):
        parse_date("令和6年2月30日")


def test_wareki_error_suggestion_defaults_to_none() -> None:
    error = WarekiError("日付が入力されていません")
    assert error.suggestion is None
    assert str(error) == "日付が入力されていません"


def test_wareki_module_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(wareki.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


@pytest.mark.parametrize("text", ["2101-01-01", "令和83年1月1日", "9999/12/31"])
def test_parse_date_rejects_dates_after_2100(text: str) -> None:
    with pytest.raises(WarekiError, match="2100年12月31日より後の日付は扱えません"):
        parse_date(text)


def test_check_supported_accepts_the_range_and_refuses_outside() -> None:
    assert check_supported(date(1873, 1, 1)) == date(1873, 1, 1)
    assert check_supported(date(2100, 12, 31)) == date(2100, 12, 31)
    with pytest.raises(WarekiError, match="1873年1月1日"):
        check_supported(datetime(1850, 1, 1, 10, 0))
    with pytest.raises(WarekiError):
        check_supported(date(2101, 1, 1))
