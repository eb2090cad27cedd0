from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.core.forms import WarekiDateField
from tsunagu.plans.councils.models import AgeBand, FormationStage, Gender


class FormationForm(forms.Form):
    area_label = forms.CharField(label=_("区域（旧小学校区など）"), max_length=100)
    district = forms.ModelChoiceField(
        label=_("地区（地図に出すとき）"), queryset=None, required=False
    )
    stage = forms.ChoiceField(label=_("段階"), choices=FormationStage.choices)
    preparatory_name = forms.CharField(label=_("準備会の名称"), max_length=200, required=False)
    preparatory_on = WarekiDateField(label=_("準備会の発足日"), required=False)
    preparatory_text = forms.CharField(
        label=_("準備会の発足（出典の表記）"),
        max_length=40,
        required=False,
        help_text=_("例: 令和3年3月（月までしか分からないときはその表記）"),
    )
    council_name = forms.CharField(label=_("協議会の名称"), max_length=200, required=False)
    council_on = WarekiDateField(label=_("協議会の設立日"), required=False)
    council_text = forms.CharField(
        label=_("協議会の設立（出典の表記）"), max_length=40, required=False
    )
    source = forms.CharField(label=_("出典"), max_length=300, required=False)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


class KeyPersonForm(forms.Form):
    sub_area = forms.CharField(label=_("地域（自治会など）"), max_length=100)
    age_band = forms.ChoiceField(label=_("年齢層"), choices=AgeBand.choices)
    gender = forms.ChoiceField(label=_("性別"), choices=Gender.choices)
    role = forms.CharField(label=_("立場"), max_length=100, required=False)
