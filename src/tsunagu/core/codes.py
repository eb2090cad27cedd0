"""全国地方公共団体コード (local government codes), DOMAIN.md 3.3."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

_WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(first_five: str) -> int:
    """Check digit of a 5-digit code: (11 − Σ dᵢ·wᵢ mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(first_five, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def normalize_code(value: str) -> str:
    """Full-width digits and surrounding spaces are accepted (NFKC, then strip)."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def validate_local_government_code(value: str) -> None:
    """Raise a Japanese ValidationError unless value is a valid 6-digit code."""
    code = normalize_code(value)
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise ValidationError(
            "全国地方公共団体コードは6桁の数字（検査数字を含む）で入力してください（入力値: %(value)s）。",
            code="format",
            params={"value": value},
        )
    expected = check_digit(code[:5])
    if int(code[5]) != expected:
        raise ValidationError(
            "全国地方公共団体コード %(value)s の検査数字（6桁目）が正しくありません。"
            "先頭5桁 %(head)s の検査数字は %(expected)s です。",
            code="check_digit",
            params={"value": code, "head": code[:5], "expected": expected},
        )


def prefecture_code_of(municipality_code: str) -> str:
    """The prefecture's own 6-digit code (e.g. 406015 → 400009)."""
    head = municipality_code[:2] + "000"
    return head + str(check_digit(head))
