"""Forms of program instances: the instance, enrolment, end of enrolment, participant counts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.areas.models import DailyLifeArea, District
from tsunagu.core.choices import Weekday
from tsunagu.core.forms import WarekiDateField
from tsunagu.directory.models import Organisation, Resource, SogoServiceType
from tsunagu.directory.selectors import organisation_list_visible_to, resource_list_visible_to
from tsunagu.programs.instances.models import (
    Funding,
    InstanceStatus,
    PriceUnit,
    ProgramInstance,
)
from tsunagu.programs.instances.services import InstanceFields


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class InstanceForm(forms.Form):
    service_type = forms.ChoiceField(
        label=_("総合事業の類型"), choices=_blank(SogoServiceType.choices)
    )
    name = forms.CharField(label=_("名称"), max_length=200)
    provider = forms.ModelChoiceField(
        label=_("実施主体（団体）"), queryset=Organisation.objects.none()
    )
    resource = forms.ModelChoiceField(
        label=_("地域資源（サービス・活動）"),
        queryset=Resource.objects.none(),
        required=False,
        help_text=_("地域資源の一覧に載っているサービス・活動があれば選んでください。"),
    )
    status = forms.ChoiceField(label=_("状態"), choices=InstanceStatus.choices)
    description = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    daily_life_areas = forms.ModelMultipleChoiceField(
        label=_("日常生活圏域"),
        queryset=DailyLifeArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばなければ市町村全域です。"),
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("地区"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    schedule_note = forms.CharField(label=_("日程"), max_length=300, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("曜日"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(label=_("定員（人）"), min_value=0, required=False)
    unit_price_yen = forms.IntegerField(label=_("単価（円）"), min_value=0, required=False)
    price_unit = forms.ChoiceField(
        label=_("単価の単位"), choices=_blank(PriceUnit.choices), required=False
    )
    cap_yen = forms.IntegerField(
        label=_("上限額（円）"),
        min_value=0,
        required=False,
        help_text=_("設定されている場合のみ。"),
    )
    funding = forms.ChoiceField(label=_("財源"), choices=_blank(Funding.choices), required=False)
    funding_note = forms.CharField(
        label=_("財源の補足（補助金名など）"), max_length=200, required=False
    )
    starts_on = WarekiDateField(label=_("開始日"), required=False)
    ends_on = WarekiDateField(label=_("終了日"), required=False)
    source = forms.CharField(label=_("出典・情報源"), max_length=300, required=False)

    def __init__(self, *args: Any, municipality: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = {"municipality": municipality}
        providers = organisation_list_visible_to(user=user).filter(municipality=municipality)
        self.fields["provider"].queryset = providers.order_by("name")
        self.fields["resource"].queryset = (
            resource_list_visible_to(user=user).filter(**own).order_by("name")
        )
        self.fields["daily_life_areas"].queryset = DailyLifeArea.objects.filter(**own)
        self.fields["districts"].queryset = District.objects.filter(**own)

    @classmethod
    def initial_of(cls, instance: ProgramInstance) -> dict[str, Any]:
        initial = {
            name: getattr(instance, name)
            for name in cls.base_fields
            if name not in ("provider", "resource", "daily_life_areas", "districts")
        }
        initial["provider"] = instance.provider_id
        initial["resource"] = instance.resource_id
        initial["daily_life_areas"] = list(instance.daily_life_areas.all())
        initial["districts"] = list(instance.districts.all())
        return initial

    def to_fields(self) -> InstanceFields:
        data = dict(self.cleaned_data)
        for name in ("daily_life_areas", "districts", "weekdays"):
            data[name] = tuple(data[name] or ())
        return InstanceFields(**data)


class EnrolForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("住民"), queryset=None)
    starts_on = WarekiDateField(label=_("利用開始日"))

    def __init__(self, *args: Any, residents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        # The minimum: name and district, never health details.
        self.fields["resident"].label_from_instance = lambda r: (
            f"{r.name}（{r.district.name}）" if r.district_id else r.name
        )


class EnrolmentEndForm(forms.Form):
    ends_on = WarekiDateField(label=_("利用終了日"))


class CountForm(forms.Form):
    period_start = WarekiDateField(label=_("期間の開始"))
    period_end = WarekiDateField(label=_("期間の終了"))
    support_1 = forms.IntegerField(label=_("要支援1（人）"), min_value=0, initial=0)
    support_2 = forms.IntegerField(label=_("要支援2（人）"), min_value=0, initial=0)
    program_eligible = forms.IntegerField(label=_("事業対象者（人）"), min_value=0, initial=0)
    care_needed = forms.IntegerField(label=_("要介護（人）"), min_value=0, initial=0)
    other = forms.IntegerField(label=_("その他・不明（人）"), min_value=0, initial=0)
    visits = forms.IntegerField(label=_("延べ利用回数"), min_value=0, required=False)
    note = forms.CharField(label=_("補足・出典"), max_length=300, required=False)


class InstanceFilterForm(forms.Form):
    service_type = forms.ChoiceField(
        label=_("類型"), choices=_blank(SogoServiceType.choices), required=False
    )
    area = forms.ModelChoiceField(
        label=_("日常生活圏域"), queryset=DailyLifeArea.objects.none(), required=False
    )
    provider = forms.ModelChoiceField(
        label=_("実施主体"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, areas: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["provider"].queryset = providers
