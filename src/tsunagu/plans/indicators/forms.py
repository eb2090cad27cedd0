from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.plans.fields import FiscalYearTextField
from tsunagu.plans.indicators.models import IndicatorYear, YearBasis
from tsunagu.plans.indicators.services import FIELD_NAMES


class IndicatorForm(forms.Form):
    """One year's figures for one area; the area comes from the choices the user may edit."""

    area = forms.ChoiceField(label=_("地域"))
    year = FiscalYearTextField(label=_("年度（または年）"))
    source = forms.CharField(label=_("出典"), max_length=300)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas
        for name in FIELD_NAMES:
            if name == "is_synthetic":
                continue
            model_field = IndicatorYear._meta.get_field(name)
            field = model_field.formfield()
            field.required = False
            if name == "year_basis":
                field.initial = YearBasis.FISCAL
                field.required = True
            self.fields[name] = field


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル（.xlsx または CSV）"),
        help_text=_("1行目が見出し。全行を確認し、1件でも誤りがあれば何も登録しません。"),
    )


class CompareForm(forms.Form):
    compare = forms.MultipleChoiceField(
        label=_("比べる地域"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compare"].choices = choices
