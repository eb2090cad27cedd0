"""Input checks shared by every form and the API: text without control characters, dates in range.

Stored text ends up in pages, PDFs, CSV and .xlsx; a vertical tab or a U+0001 typed or pasted
once made every .xlsx export of the municipality answer 500. Only TAB, LF and CR (a textarea's
line end) are allowed among the control characters. Dates must lie in the range
:mod:`tsunagu.core.wareki` supports (1873-01-01 to 2100-12-31).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError

from tsunagu.core import wareki

# C0 controls except TAB, LF, CR; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_BUT_NUL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character_in(text: str, *, nul: bool = True) -> str | None:
    """The first control character text may not contain, or None."""
    match = (_CONTROL if nul else _CONTROL_BUT_NUL).search(text)
    return match.group() if match else None


def control_character_message(character: str) -> str:
    if character == "\x00":
        return "使えない文字（NUL）が含まれています。"
    return (
        f"使えない制御文字（U+{ord(character):04X}）が含まれています。"
        "改行とタブ以外の制御文字を削除してください。"
    )


def validate_no_control_characters(value: Any) -> None:
    """Django validator: refuse text containing a control character other than TAB, LF, CR."""
    # NUL is left to Django's own ProhibitNullCharactersValidator on the same field.
    if isinstance(value, str) and (character := control_character_in(value, nul=False)):
        raise ValidationError(control_character_message(character), code="control_character")


def validate_supported_date(value: Any) -> None:
    """Django validator: refuse a date or date-time outside the supported 和暦 range."""
    if isinstance(value, datetime.date):
        try:
            wareki.check_supported(value)
        except wareki.WarekiError as exc:
            raise ValidationError(exc.message, code="date_out_of_range") from None
