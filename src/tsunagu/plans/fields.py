"""Form fields shared by the plans features."""

from __future__ import annotations

from typing import Any

from django import forms

from tsunagu.core import wareki


class FiscalYearTextField(forms.CharField):
    """A year typed as 2021, 令和3年度, R3 …; cleaned to the western year (int)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "例: 令和3年度、R3、2021")
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return wareki.parse_fiscal_year(text)
        except wareki.WarekiError as error:
            raise forms.ValidationError(str(error)) from None
