"""The paper-like entry form (様式第一) and the upload forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.care.checklist.models import ChecklistRecord
from tsunagu.care.checklist.rules import ANSWERED_ITEMS, ITEMS, ITEMS_BY_NUMBER
from tsunagu.core.forms import WarekiDateField

ANSWER_CHOICES = (("yes", _("はい")), ("no", _("いいえ")))
_VALUE = {"yes": True, "no": False}


class ChecklistForm(forms.Form):
    answered_on = WarekiDateField(label=_("記入日"), help_text=_("例: 2024-10-02、令和6年10月2日"))
    height_cm = forms.DecimalField(
        label=_("身長（cm）"), required=False, max_digits=6, decimal_places=2, min_value=0
    )
    weight_kg = forms.DecimalField(
        label=_("体重（kg）"), required=False, max_digits=6, decimal_places=2, min_value=0
    )
    note = forms.CharField(
        label=_("メモ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, record: ChecklistRecord | None = None, **kwargs: Any) -> None:
        if record is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {
                "answered_on": record.answered_on,
                "height_cm": record.height_cm,
                "weight_kg": record.weight_kg,
                "note": record.note,
            }
            for n, value in record.answers().items():
                initial[f"q{n}"] = "" if value is None else ("yes" if value else "no")
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for n in ANSWERED_ITEMS:
            self.fields[f"q{n}"] = forms.ChoiceField(
                label=f"{n}. {ITEMS_BY_NUMBER[n].question}",
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "answer"}),
            )

    def groups(self) -> list[tuple[str, list[tuple[int, forms.BoundField]]]]:
        """The questions by domain, in the paper form's order (item 12 is height/weight)."""
        result: list[tuple[str, list[tuple[int, forms.BoundField]]]] = []
        for item in ITEMS:
            if item.number == 12:
                continue
            if not result or result[-1][0] != item.domain:
                result.append((item.domain, []))
            result[-1][1].append((item.number, self[f"q{item.number}"]))
        return result

    def answers(self) -> dict[int, bool | None]:
        return {n: _VALUE.get(self.cleaned_data.get(f"q{n}") or "") for n in ANSWERED_ITEMS}


class ImportForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("市町村"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("ファイル（.xlsx または CSV）"))

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class SurveyForm(ImportForm):
    title = forms.CharField(label=_("調査名"), max_length=200)
    conducted_on = forms.DateField(label=_("調査日（基準日）"), required=False)
    note = forms.CharField(
        label=_("メモ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["municipality", "title", "conducted_on", "file", "note"]
