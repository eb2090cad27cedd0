"""Parsing cell values (choices, yes/no, weekly slots, dated sessions) and names within a municipality."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.validators import EmailValidator, URLValidator
from django.utils import translation

from tsunagu.core import wareki
from tsunagu.directory.imports.columns import CellError, nfkc, normalise_name
from tsunagu.directory.models import (
    OrganisationType,
    Visibility,
)

# --- value parsing ------------------------------------------------------------------------


def _choice_lookup(choices: Any) -> dict[str, str]:
    """Codes and labels (Japanese, the part before （, each part split on ・, English)."""
    lookup: dict[str, str] = {}

    def add(text: str, code: str) -> None:
        key = _choice_key(text)
        if key:
            lookup.setdefault(key, code)

    for language in ("ja", "en"):
        with translation.override(language):
            for code, label in choices.choices:
                label = str(label)
                add(label, code)
                base = re.split(r"[（(]", label)[0]
                add(base, code)
                if "・" in base:
                    for part in base.split("・"):
                        add(part, code)
    for code, _label in choices.choices:
        add(code, code)
    return lookup


def _choice_key(text: str) -> str:
    text = nfkc(text).replace("サービス・活動", "サービス")  # the 2024 names are aliases
    return re.sub(r"[\s_\-]", "", text).casefold()


_CHOICE_ALIASES: dict[Any, dict[str, str]] = {
    OrganisationType: {
        "社協": "social_welfare_council",
        "包括": "community_care_center",
        "地域包括": "community_care_center",
        "NPO": "npo",
        "特定非営利活動法人": "npo",
        "コミュニティ協議会": "community_council",
        "協議会": "community_council",
        "役場": "department",
        "市役所": "department",
        "行政": "department",
        "企業": "company",
        "会社": "company",
        "ボランティア": "volunteer_group",
        "病院": "medical_institution",
        "診療所": "medical_institution",
    },
    Visibility: {"公開": "public", "関係者": "partners", "内部": "internal", "非公開": "internal"},
}

_TRUE = {"はい", "○", "◯", "〇", "yes", "y", "true", "1", "有", "あり", "対象", "✓", "✔", "全域"}
_FALSE = {"いいえ", "×", "✕", "no", "n", "false", "0", "無", "なし", "-", "―", "対象外"}

_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])

_WEEKDAYS = "月火水木金土日"
_TIME = r"(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分?)?)"
_SLOT_RE = re.compile(
    rf"^(?:(毎週)|第([1-5])週?)?\s*([{_WEEKDAYS}])(?:曜日|曜)?"
    rf"(?:\s*{_TIME})?(?:\s*[〜~\-]\s*{_TIME})?$"
)
_CLOCK = r"[0-9０-９]{1,2}[:：][0-9０-９]{2}"
_SESSION_TIMES_RE = re.compile(rf"^({_CLOCK})(?:\s*[〜~～\-－]\s*({_CLOCK}))?(?:\s+|$)")


def _time(hour: str | None, minute: str | None, minute_kanji: str | None = None) -> Any:
    if hour is None:
        return None
    h, m = int(hour), int(minute or minute_kanji or 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise CellError(f"時刻「{hour}:{minute or minute_kanji or '00'}」が正しくありません。")
    return datetime.time(h, m)


def parse_weekly_slot(text: str) -> dict[str, Any]:
    """「毎週水曜 10:00〜12:00」「第2金曜」「水曜日 9時〜12時」 → WeeklySlot fields."""
    normalised = nfkc(text).strip().replace("から", "〜").replace("まで", "")
    match = _SLOT_RE.match(normalised)
    if match is None:
        raise CellError(
            f"曜日ごとの日程「{text}」が読み取れません（例: 毎週水曜 10:00〜12:00、第2金曜）。"
        )
    groups = match.groups()
    week = int(groups[1]) if groups[1] else None
    return {
        "weekday": _WEEKDAYS.index(groups[2]),
        "week_of_month": week,
        "opens_at": _time(groups[3], groups[4], groups[5]),
        "closes_at": _time(groups[6], groups[7], groups[8]),
    }


def format_weekly_slot(slot: Any) -> str:
    prefix = f"第{slot.week_of_month}" if slot.week_of_month else "毎週"
    text = f"{prefix}{_WEEKDAYS[slot.weekday]}曜"
    if slot.opens_at:
        text += f" {slot.opens_at:%H:%M}"
    if slot.closes_at:
        text += f"〜{slot.closes_at:%H:%M}" if slot.opens_at else f" 〜{slot.closes_at:%H:%M}"
    return text


def parse_session(text: str) -> dict[str, Any]:
    """「2025-05-14 10:00〜12:00 備考」「令和7年5月14日」 → DatedSession fields.

    The note is kept as written (no width folding), so it survives export → import.
    """
    parts = re.split(r"\s+", text.strip(), maxsplit=1)
    rest = parts[1] if len(parts) > 1 else ""
    try:
        day = wareki.parse_date(parts[0])
    except wareki.WarekiError as exc:
        raise CellError(f"開催日「{text}」の日付が正しくありません（{exc.message}）。") from None
    match = _SESSION_TIMES_RE.match(rest)

    def clock(value: str | None) -> Any:
        if not value:
            return None
        hour, minute = nfkc(value).split(":")
        return _time(hour, minute)

    note = (rest[match.end() :] if match else rest).strip()
    if len(note) > 200:
        raise CellError(f"開催日「{text[:20]}…」の備考は200文字以内で入力してください。")
    return {
        "date": day,
        "opens_at": clock(match[1]) if match else None,
        "closes_at": clock(match[2]) if match else None,
        "note": note,
    }


def format_session(session: Any) -> str:
    text = session.date.isoformat()
    if session.opens_at:
        text += f" {session.opens_at:%H:%M}"
        if session.closes_at:
            text += f"〜{session.closes_at:%H:%M}"
    if session.note:
        text += f" {session.note}"
    return text


def _slot_tuple(slot: Any) -> tuple[Any, ...]:
    get = slot.get if isinstance(slot, dict) else lambda k: getattr(slot, k)
    return (get("weekday"), get("week_of_month"), get("opens_at"), get("closes_at"))


def _session_tuple(session: Any) -> tuple[Any, ...]:
    get = session.get if isinstance(session, dict) else lambda k: getattr(session, k)
    return (get("date"), get("opens_at"), get("closes_at"), get("note") or "")


# --- lookups within the municipality ------------------------------------------------------


class _NameIndex:
    """Records by normalised name; ambiguous names are reported, not guessed."""

    def __init__(self, records: Iterable[Any], *names: Callable[[Any], str]) -> None:
        self.by_key: dict[str, list[Any]] = {}
        self.display: list[str] = []
        for record in records:
            self.display.append(str(record))
            for name_of in names:
                key = normalise_name(name_of(record))
                if key:
                    bucket = self.by_key.setdefault(key, [])
                    if record not in bucket:
                        bucket.append(record)

    def find(self, text: str) -> list[Any]:
        return self.by_key.get(normalise_name(text), [])

    def suggestion(self, text: str) -> str:
        close = difflib.get_close_matches(nfkc(text), self.display, n=1, cutoff=0.6)
        return f"もしかして「{close[0]}」ですか？" if close else ""
