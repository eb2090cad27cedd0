"""The API's base schemas, shared by every app: the input boundary, ids, references, pages.

* :class:`CleanIn` refuses control characters (other than TAB, LF, CR) in any string of the
  body, reported on the field that holds it; :class:`ApiIn` adds "unknown fields are errors".
* :data:`WarekiDate` / :data:`JapanDateTime` accept ISO text (dates also in 和暦) or a real
  date, never a number (pydantic would read ``-5.1e-197`` as 1970-01-01), and only within the
  supported range (1873-01-01 to 2100-12-31, :mod:`tsunagu.core.wareki`).
* :data:`Id` (an id the databases can store), :class:`Ref` / :class:`MunicipalityRef` (a
  record named in a response) and :class:`Page` (the envelope of every list).
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, field_validator

from tsunagu.core import wareki
from tsunagu.core.validators import control_character_in, control_character_message

__all__ = [
    "DATETIME_ERROR",
    "DATETIME_HELP",
    "DATE_HELP",
    "MAX_ID",
    "MUNICIPALITY_CODE_HELP",
    "ApiIn",
    "CleanIn",
    "Id",
    "JapanDateTime",
    "MunicipalityRef",
    "OptionalJapanDateTime",
    "OptionalWarekiDate",
    "Page",
    "Ref",
    "WarekiDate",
    "choices_help",
    "reject_control_characters",
]

DATE_HELP = "西暦（2024-10-01）または和暦（令和6年10月1日、R6.10.1）"
DATETIME_HELP = (
    "ISO 8601 の日時（例: 2025-04-17T14:00:00+09:00）。時差を省くと日本時間として扱います"
)
DATE_TYPE_ERROR = "日付は文字列（例: 2024-10-01、令和6年10月1日）で指定してください。"
DATETIME_ERROR = "日時の形式が正しくありません（例: 2025-04-17T14:00:00+09:00、2025-04-17T14:00）。"


def reject_control_characters(value: Any) -> Any:
    """Raise ValueError if any string in value (nested lists and dicts too) has a control char."""
    if isinstance(value, str):
        character = control_character_in(value)
        if character is not None:
            raise ValueError(control_character_message(character))
    elif isinstance(value, dict):
        for key, item in value.items():
            reject_control_characters(key)
            reject_control_characters(item)
    elif isinstance(value, list | tuple):
        for item in value:
            reject_control_characters(item)
    return value


class CleanIn(Schema):
    """Request bodies whose text never holds control characters (TAB, LF, CR allowed)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return reject_control_characters(value)


class ApiIn(CleanIn):
    """Request bodies: unknown fields and control characters are errors, not silently kept."""

    model_config = ConfigDict(extra="forbid")


def _in_range(value: Any) -> Any:
    if value is not None:
        try:
            wareki.check_supported(value)
        except wareki.WarekiError as exc:
            raise ValueError(exc.message) from None
    return value


def _parse_date(value: Any) -> Any:
    # Strict: text or a date, never a number (read as seconds since 1970 otherwise).
    if isinstance(value, bool | int | float):
        raise ValueError(DATE_TYPE_ERROR)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return wareki.parse_date(text)
        except wareki.WarekiError as exc:
            raise ValueError(str(exc)) from exc
    return value


def _parse_datetime(value: Any) -> Any:
    """ISO 8601 text (full-width digits folded) → datetime; numbers are refused."""
    if isinstance(value, bool | int | float):
        raise ValueError(DATETIME_ERROR)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            return None
        try:
            return datetime.datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(DATETIME_ERROR) from exc
    return value


def _japan_time(value: datetime.datetime | None) -> datetime.datetime | None:
    # A time typed without an offset means Japan time (what a user in Japan means by 14:00).
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


WarekiDate = Annotated[datetime.date, BeforeValidator(_parse_date), AfterValidator(_in_range)]
OptionalWarekiDate = Annotated[
    datetime.date | None, BeforeValidator(_parse_date), AfterValidator(_in_range)
]
JapanDateTime = Annotated[
    datetime.datetime,
    BeforeValidator(_parse_datetime),
    AfterValidator(_japan_time),
    AfterValidator(_in_range),
]
OptionalJapanDateTime = Annotated[
    datetime.datetime | None,
    BeforeValidator(_parse_datetime),
    AfterValidator(_japan_time),
    AfterValidator(_in_range),
]


# --- ids, references, pages ------------------------------------------------------------

MAX_ID = 9_223_372_036_854_775_807  # the largest id the databases store
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
MUNICIPALITY_CODE_HELP = "全国地方公共団体コード（6桁、例: 香春町 406015）"


def choices_help(choices: Any) -> str:
    """``code=label`` pairs for a field description (what a client may send)."""
    return "、".join(f"{value}={label}" for value, label in choices.choices)


class Ref(Schema):
    id: int
    name: str = Field(..., description="名称")


class MunicipalityRef(Schema):
    id: int
    code: str = Field(..., description="全国地方公共団体コード（6桁）")
    name: str = Field(..., description="名称")


class Page(Schema):
    """What every list answers beside its ``items``."""

    count: int = Field(..., description="条件に合う件数")
    page: int = Field(..., description="ページ番号（1から）")
    per_page: int = Field(..., description="1ページの件数")
    has_next: bool = Field(..., description="次のページがあるか")
