"""Forms of the resident pages. Dates accept 和暦 (:class:`~tsunagu.core.forms.WarekiDateField`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.care.models import (
    CareLevel,
    ConsentPurpose,
    Household,
    Resident,
    ResidentStatus,
    Sex,
)
from tsunagu.care.residents.selectors import (
    care_districts_for_user,
    care_municipalities_for_user,
)
from tsunagu.core.forms import FilterForm, WarekiDateField


def _blank(choices: Any, label: str = "—") -> list[tuple[str, str]]:
    return [("", label), *choices]


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.municipality.name} {obj.name}"


class ResidentFilterForm(FilterForm):
    q = forms.CharField(label=_("氏名・よみがな"), required=False, max_length=100)
    district = DistrictChoiceField(
        label=_("地区"), queryset=None, required=False, empty_label=_("すべて")
    )
    status = forms.ChoiceField(
        label=_("状態"), choices=_blank(ResidentStatus.choices, "すべて"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = care_districts_for_user(user)


class ResidentForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("市町村"), queryset=None)
    name = forms.CharField(label=_("氏名"), max_length=100)
    name_kana = forms.CharField(label=_("よみがな"), max_length=100)
    district = DistrictChoiceField(label=_("地区"), queryset=None, required=False)
    birth_date = WarekiDateField(label=_("生年月日"), required=False)
    sex = forms.ChoiceField(label=_("性別"), choices=_blank(Sex.choices), required=False)
    household = forms.ChoiceField(
        label=_("世帯"), choices=_blank(Household.choices), required=False
    )
    contact_name = forms.CharField(label=_("連絡先の方の氏名"), max_length=100, required=False)
    contact_relation = forms.CharField(label=_("続柄・関係"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("連絡先の電話番号"), max_length=20, required=False)

    def __init__(self, *args: Any, user: Any, resident: Resident | None = None, **kwargs: Any):
        if resident is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "municipality": resident.municipality_id,
                "name": resident.name,
                "name_kana": resident.name_kana,
                "district": resident.district_id,
                "birth_date": resident.birth_date,
                "sex": resident.sex,
                "household": resident.household,
                "contact_name": resident.contact_name,
                "contact_relation": resident.contact_relation,
                "contact_phone": resident.contact_phone,
            }
        super().__init__(*args, **kwargs)
        municipalities = care_municipalities_for_user(user)
        districts = care_districts_for_user(user)
        if resident is not None:
            del self.fields["municipality"]  # a resident does not move between municipalities
            districts = districts.filter(municipality_id=resident.municipality_id)
        else:
            self.fields["municipality"].queryset = municipalities
            if municipalities.count() == 1:
                self.fields["municipality"].initial = municipalities.first().pk
        self.fields["district"].queryset = districts
        self.fields["name"].help_text = _("デモ・研修では架空の氏名（例: デモ 花子）を使います。")


class CareLevelForm(forms.Form):
    level = forms.ChoiceField(label=_("要介護度など"), choices=CareLevel.choices)
    valid_from = WarekiDateField(label=_("有効期間の開始"), required=False)
    valid_until = WarekiDateField(label=_("有効期間の終了"), required=False)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("同意の内容"), choices=ConsentPurpose.choices)
    given_on = WarekiDateField(label=_("同意日"))
    detail = forms.CharField(label=_("補足"), max_length=200, required=False)


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = WarekiDateField(label=_("撤回日"))


class ResidentCloseForm(forms.Form):
    closed_on = WarekiDateField(label=_("終了日"))
    note = forms.CharField(
        label=_("理由（転出・死亡・利用終了など）"), max_length=80, required=False
    )
