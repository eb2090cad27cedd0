"""Form fields shared by every app, and the input checks every form field gets.

:func:`install_boundary_validation` (called once at start-up by ``CoreConfig.ready``) gives
every text field of every form (Django's ``CharField`` and the model form fields built on it)
the control-character check, and every date/date-time field the supported-date-range check,
so no app's form can forget them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from tsunagu.core import wareki
from tsunagu.core.validators import validate_no_control_characters, validate_supported_date


def install_boundary_validation() -> None:
    """Give every form text field the control-character check, date fields the range check."""
    # Field.__init__ copies default_validators into each field's validators; subclasses that
    # declare their own (EmailField, URLField …) already refuse control characters.
    forms.CharField.default_validators = [validate_no_control_characters]
    forms.DateField.default_validators = [validate_supported_date]
    forms.DateTimeField.default_validators = [validate_supported_date]


class FilterForm(forms.Form):
    """Filters of a list page (GET): invalid values are ignored rather than reported.

    ``valid_data()`` gives every field, None where the value is empty or does not parse.
    """

    def valid_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {key: None for key in self.fields}
        if self.is_bound:
            self.is_valid()
            data.update({k: v for k, v in getattr(self, "cleaned_data", {}).items() if v})
        return data


class WarekiDateField(forms.CharField):
    """A date typed in 西暦 or 和暦 (令和6年10月2日, R6.10.2, 2024-10-02 …)."""

    widget = forms.TextInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No max_length: CharField's length validator would run on the parsed date.
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "和暦・西暦のどちらでも入力できます（例: 令和6年10月1日、2024-10-01、R6.10.1）。"
            ),
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return wareki.format_date(value, "wareki")
        return value

    def to_python(self, value: Any) -> datetime.date | None:
        try:
            if isinstance(value, datetime.date):
                return wareki.check_supported(value)
            text = super().to_python(value)
            if not text:
                return None
            return wareki.parse_date(text)
        except wareki.WarekiError as exc:
            raise forms.ValidationError(str(exc), code="invalid_date") from exc

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "text")
        attrs.setdefault("maxlength", "40")
        attrs.setdefault("autocomplete", "off")
        return attrs


def apply_validation_error(form: forms.BaseForm, error: Exception) -> None:
    """Put a model ValidationError or TsunaguError onto the form, by field where known."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    from tsunagu.core.errors import TsunaguError

    if isinstance(error, TsunaguError):
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return
    assert isinstance(error, ValidationError)
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target if field != NON_FIELD_ERRORS else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
