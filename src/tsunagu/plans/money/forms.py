from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.directory.models import SogoServiceType
from tsunagu.plans.fields import FiscalYearTextField
from tsunagu.plans.money.models import CapKind

YEN = {"min_value": 0, "max_value": 10**13}


class ServiceCostForm(forms.Form):
    fiscal_year = FiscalYearTextField(label=_("年度"))
    service_type = forms.ChoiceField(label=_("サービスの種類"), choices=SogoServiceType.choices)
    amount = forms.IntegerField(label=_("事業費（円）"), **YEN)
    source = forms.CharField(label=_("出典"), max_length=300, required=False)


class CostCapForm(forms.Form):
    fiscal_year = FiscalYearTextField(label=_("年度"))
    kind = forms.ChoiceField(label=_("上限額の種類"), choices=CapKind.choices)
    amount = forms.IntegerField(label=_("上限額（円）"), **YEN)
    basis = forms.CharField(
        label=_("算定の根拠（文章）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("市町村が算定した根拠を文章で。ここでは計算しません。"),
    )
    individual_consultation = forms.BooleanField(label=_("個別協議あり"), required=False)
    consultation_amount = forms.IntegerField(
        label=_("個別協議による加算額（円）"), required=False, **YEN
    )
    source = forms.CharField(label=_("出典"), max_length=300, required=False)


class GrantForm(forms.Form):
    fiscal_year = FiscalYearTextField(label=_("年度"))
    program = forms.CharField(label=_("事業（交付の対象）"), max_length=200)
    amount = forms.IntegerField(label=_("交付額（円）"), **YEN)
    source = forms.CharField(label=_("出典"), max_length=300, required=False)


TARGETS = (
    ("home_b", "訪問型サービスB"),
    ("home_c", "訪問型サービスC"),
    ("day_b", "通所型サービスB"),
    ("day_c", "通所型サービスC"),
)
ORIGINS = (
    ("home_equivalent", "訪問型サービス（従前相当）"),
    ("day_equivalent", "通所型サービス（従前相当）"),
)


class WhatIfForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("基準の年度"), coerce=int)
    origin = forms.ChoiceField(label=_("移す元"), choices=ORIGINS)
    target = forms.ChoiceField(label=_("移す先"), choices=TARGETS)
    participants = forms.IntegerField(label=_("移る人数"), min_value=0, max_value=100000)
    from_unit_cost = forms.IntegerField(label=_("移す元の1人あたり年間費用（円）"), **YEN)
    to_unit_cost = forms.IntegerField(label=_("移す先の1人あたり年間費用（円）"), **YEN)

    def __init__(self, *args: Any, years: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = years
