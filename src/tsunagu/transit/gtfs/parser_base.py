"""The reader's shared state and its cell readers: problems and warnings collected so far,
the feed being built, and integers, dates and times read with a warning when they are off."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator

from tsunagu.core.distance import great_circle_m
from tsunagu.transit.gtfs.feed import (
    GtfsFeed,
    parse_date,
    parse_time,
)
from tsunagu.transit.gtfs.problems import (
    MAX_PROBLEMS,
    MAX_WARNINGS,
    ProblemList,
)
from tsunagu.transit.gtfs.source import CsvTable, FeedSource, cell

SHORT_TIME_RE = re.compile(r"^\s*(\d{1,3}):([0-5]\d)\s*$")
DASHED_DATE_RE = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*$")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, good enough to spot misplaced stops."""
    return float(great_circle_m(lat1, lon1, lat2, lon2)) / 1000.0


class ParserBase:
    """State shared by the file readers (network, timetable, extras) that make up the parser."""

    def __init__(self, source: FeedSource) -> None:
        self.source = source
        self.problems = ProblemList(MAX_PROBLEMS)
        self.warnings = ProblemList(MAX_WARNINGS)
        self.feed = GtfsFeed(source_name=source.path.name)
        self.stop_lines: dict[str, int] = {}
        # stop_id → (line, column, message) for coordinates that are missing or unusable
        self.bad_coordinates: dict[str, tuple[int, str, str]] = {}
        self.dropped_trips: set[str] = set()
        self.used_stops: set[str] = set()

    # helpers --------------------------------------------------------------------------------

    def warn(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.warnings.add(file, line, column, message)

    def table(
        self, name: str, required_columns: tuple[str, ...] = (), *, critical: bool = True
    ) -> CsvTable | None:
        """Open a file; a decoding failure or missing column is an error for core files.

        For other files the same is a warning and the file is skipped (None).
        """
        if not self.source.has(name):
            return None
        data = self.source.read_bytes(name)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            message = (
                "文字コードを UTF-8 として読めません。GTFS は UTF-8 で保存する決まりです"
                "（Shift_JIS で保存されている可能性があります。UTF-8 で保存し直してください）。"
            )
            if critical:
                self.problems.add(name, line, None, message)
            else:
                self.warn(name, line, None, message + "このファイルは使わずに取り込みました。")
            return None
        table = CsvTable(name, text)
        if table.empty:
            return table
        missing = [c for c in required_columns if c not in table.columns]
        for col in missing:
            if critical:
                self.problems.add(name, 1, col, f"必須の列 {col} がありません。")
            else:
                self.warn(
                    name,
                    1,
                    col,
                    f"必須の列 {col} がないため、このファイルは使わずに取り込みました。",
                )
        if missing and not critical:
            return None
        return table

    def core_table(self, name: str, required_columns: tuple[str, ...]) -> CsvTable | None:
        """A core file with rows to read: None when it is absent, unreadable or empty (an error)."""
        t = self.table(name, required_columns)
        if t is None:
            return None
        if t.empty:
            self.problems.add(name, None, None, "ファイルが空です（見出し行もありません）。")
            return None
        return t

    def keyed_rows(
        self, name: str, t: CsvTable, column: str, seen: dict[str, int]
    ) -> Iterator[tuple[int, list[str], str]]:
        """(line, row, key) for rows whose ``column`` is set and not seen before.

        An empty key or a repeated one is a warning and the row is skipped; ``seen`` maps each
        key to its first line (the caller may keep it, e.g. stop lines).
        """
        i_key = t.index(column)
        for line, row in t.rows():
            key = cell(row, i_key)
            if not key:
                self.warn(name, line, column, f"{column} が空の行は使わずに取り込みました。")
                continue
            if key in seen:
                self.warn(
                    name,
                    line,
                    column,
                    f'{column} "{key}" が重複しています（{seen[key]}行目）。最初の行だけを使います。',
                )
                continue
            seen[key] = line
            yield line, row, key

    def int_value(
        self,
        name: str,
        line: int,
        column: str,
        value: str,
        default: int,
        allowed: Iterable[int] | None = None,
        *,
        consequence: str = "",
    ) -> int:
        """An integer cell; anything unusable is a warning and gives ``default``."""
        if value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            try:
                as_float = float(value)
            except ValueError:
                as_float = math.nan
            if not as_float.is_integer():
                self.warn(
                    name,
                    line,
                    column,
                    f'{column} が整数ではありません（"{value}"）。{consequence or f"{default} として扱います。"}',
                )
                return default
            number = int(as_float)
        if allowed is not None and number not in allowed:
            self.warn(
                name,
                line,
                column,
                f'{column} の値 "{value}" は GTFS の決まりにありません。'
                f"{consequence or f'{default} として扱います。'}",
            )
            return default
        return number

    def date_value(self, name: str, line: int, column: str, raw: str) -> dt.date | None:
        """``YYYYMMDD``; ``YYYY-MM-DD`` / ``YYYY/MM/DD`` are accepted with a warning."""
        parsed = parse_date(raw)
        if parsed is not None:
            return parsed
        m = DASHED_DATE_RE.match(raw)
        if m is not None:
            try:
                parsed = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                parsed = None
            if parsed is not None:
                self.warn(
                    name,
                    line,
                    column,
                    f'{column} は YYYYMMDD で書く決まりです（"{raw}"）。日付として読み取りました。',
                )
                return parsed
        return None

    def time_value(self, name: str, line: int, column: str, raw: str) -> tuple[int | None, bool]:
        """(seconds, ok): ``H:MM`` is read with a warning; ok is False when unreadable."""
        if raw == "":
            return None, True
        parsed = parse_time(raw)
        if parsed is not None:
            return parsed, True
        m = SHORT_TIME_RE.match(raw)
        if m is not None:
            self.warn(
                name,
                line,
                column,
                f"{column} は HH:MM:SS で書く決まりです。秒を 00 として読み取りました。",
            )
            return int(m.group(1)) * 3600 + int(m.group(2)) * 60, True
        return None, False
