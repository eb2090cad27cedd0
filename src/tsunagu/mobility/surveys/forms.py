"""Forms of needs surveys: the survey itself, one answer sheet, and the file import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.areas.models import District, Municipality
from tsunagu.core.forms import WarekiDateField
from tsunagu.directory.models import Organisation
from tsunagu.mobility.models import (
    MobilityService,
    NeedsSurvey,
    SurveyResponse,
    TripFrequency,
    WalkDistance,
    WouldUse,
)
from tsunagu.mobility.surveys.commands import ResponseFields

YES_NO_UNKNOWN = [("", _("無回答")), ("true", _("はい")), ("false", _("いいえ"))]


def _yes_no(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


class SurveyForm(forms.Form):
    """A survey of one municipality (the municipality is chosen before the form)."""

    title = forms.CharField(
        label=_("調査名"),
        max_length=200,
        help_text=_("例: 直川地域 高齢者の移動に関するアンケート調査"),
    )
    conducted_by = forms.ModelChoiceField(
        label=_("実施団体"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("調査を行った団体。この団体の会員も調査を編集できます。"),
    )
    service = forms.ModelChoiceField(
        label=_("関係する移動支援の取組"), queryset=MobilityService.objects.none(), required=False
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("対象地区"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conducted_from = WarekiDateField(label=_("調査開始日"), required=False)
    conducted_to = WarekiDateField(label=_("調査終了日"), required=False)
    distributed = forms.IntegerField(
        label=_("配布数"), min_value=0, required=False, help_text=_("わからなければ空欄")
    )
    note = forms.CharField(
        label=_("備考"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    source = forms.CharField(
        label=_("出典・情報源"),
        max_length=300,
        required=False,
        help_text=_("集計値だけを入力したときは、その出典を書いてください。"),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["conducted_by"].queryset = Organisation.objects.filter(
            municipality=municipality
        ).order_by("name")
        self.fields["service"].queryset = MobilityService.objects.filter(
            municipality=municipality
        ).order_by("name")
        self.fields["districts"].queryset = District.objects.filter(
            municipality=municipality
        ).order_by("id")

    @staticmethod
    def initial_from(survey: NeedsSurvey) -> dict[str, Any]:
        return {
            "title": survey.title,
            "conducted_by": survey.conducted_by_id,
            "service": survey.service_id,
            "districts": [d.pk for d in survey.districts.all()],
            "conducted_from": survey.conducted_from,
            "conducted_to": survey.conducted_to,
            "distributed": survey.distributed,
            "note": survey.note,
            "source": survey.source,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("conducted_from"), data.get("conducted_to")
        if start and end and end < start:
            self.add_error(
                "conducted_to", _("調査終了日は調査開始日と同じか、それより後にしてください。")
            )
        return data


class ResponseForm(forms.Form):
    """One answer sheet, in the order of the questionnaire."""

    respondent_ref = forms.CharField(
        label=_("回答票の番号"), max_length=40, required=False, help_text=_("氏名は入れません")
    )
    district = forms.ModelChoiceField(
        label=_("地区"), queryset=District.objects.none(), required=False
    )
    age_band = forms.CharField(
        label=_("年代"), max_length=16, required=False, help_text=_("例: 75〜79歳")
    )
    lives_alone = forms.ChoiceField(
        label=_("ひとり暮らし"), choices=YES_NO_UNKNOWN, widget=forms.RadioSelect, required=False
    )
    would_use = forms.ChoiceField(
        label=_("ボランティアによる送迎を利用したいですか"),
        choices=WouldUse.choices,
        widget=forms.RadioSelect,
        initial=WouldUse.UNKNOWN,
    )
    destinations = forms.MultipleChoiceField(
        label=_("どこへ行くときに使いたいですか（いくつでも）"),
        choices=[
            ("dest_hospital", _("通院")),
            ("dest_shopping", _("買い物")),
            ("dest_bank", _("金融機関")),
            ("dest_city_office", _("役所")),
            ("dest_gathering_place", _("通いの場")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    dest_other = forms.CharField(label=_("その他の行き先"), max_length=100, required=False)
    frequency = forms.ChoiceField(
        label=_("どのくらい利用したいですか"),
        choices=TripFrequency.choices,
        widget=forms.RadioSelect,
        initial=TripFrequency.UNKNOWN,
    )
    aids = forms.MultipleChoiceField(
        label=_("歩くときに使っているもの（いくつでも）"),
        choices=[
            ("uses_cane", _("つえ")),
            ("uses_walker", _("歩行器・シルバーカー")),
            ("uses_wheelchair", _("車いす")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    walk_to_stop = forms.ChoiceField(
        label=_("バス停までどのくらい歩けますか"),
        choices=WalkDistance.choices,
        widget=forms.RadioSelect,
        initial=WalkDistance.UNKNOWN,
    )
    can_book_by_phone = forms.ChoiceField(
        label=_("電話で予約できますか"),
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    troubles = forms.CharField(
        label=_("移動で困っていること（自由記述）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    weight = forms.IntegerField(
        label=_("人数"),
        min_value=1,
        initial=1,
        help_text=_("ふつうは1。集計した数しかないときは、同じ回答をした人数を入れます。"),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(
            municipality=municipality
        ).order_by("id")

    @staticmethod
    def initial_from(response: SurveyResponse) -> dict[str, Any]:
        def yes_no(value: bool | None) -> str:
            return "" if value is None else ("true" if value else "false")

        return {
            "respondent_ref": response.respondent_ref,
            "district": response.district_id,
            "age_band": response.age_band,
            "lives_alone": yes_no(response.lives_alone),
            "would_use": response.would_use,
            "destinations": [
                name
                for name in (
                    "dest_hospital",
                    "dest_shopping",
                    "dest_bank",
                    "dest_city_office",
                    "dest_gathering_place",
                )
                if getattr(response, name)
            ],
            "dest_other": response.dest_other,
            "frequency": response.frequency,
            "aids": [
                name
                for name in ("uses_cane", "uses_walker", "uses_wheelchair")
                if getattr(response, name)
            ],
            "walk_to_stop": response.walk_to_stop,
            "can_book_by_phone": yes_no(response.can_book_by_phone),
            "troubles": response.troubles,
            "weight": response.weight,
        }

    def response_fields(self) -> ResponseFields:
        """The cleaned answers as an answer sheet's fields."""
        data = self.cleaned_data
        destinations = set(data.get("destinations") or [])
        aids = set(data.get("aids") or [])
        return ResponseFields(
            respondent_ref=data["respondent_ref"],
            district=data.get("district"),
            age_band=data["age_band"],
            lives_alone=_yes_no(data.get("lives_alone") or ""),
            would_use=data["would_use"],
            dest_hospital="dest_hospital" in destinations,
            dest_shopping="dest_shopping" in destinations,
            dest_bank="dest_bank" in destinations,
            dest_city_office="dest_city_office" in destinations,
            dest_gathering_place="dest_gathering_place" in destinations,
            dest_other=data["dest_other"],
            frequency=data["frequency"],
            uses_cane="uses_cane" in aids,
            uses_walker="uses_walker" in aids,
            uses_wheelchair="uses_wheelchair" in aids,
            walk_to_stop=data["walk_to_stop"],
            can_book_by_phone=_yes_no(data.get("can_book_by_phone") or ""),
            troubles=data["troubles"],
            weight=data["weight"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("回答のファイル（.xlsx または .csv）"),
        help_text=_(
            "様式と同じ見出しの行を1行目に。CSV は UTF-8（BOM付きも可）または Shift_JIS で保存して"
            "ください。誤りが一つでもあれば、何も取り込みません。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    replace = forms.BooleanField(
        label=_("いま入力されている回答をすべて置き換える"),
        required=False,
        help_text=_("チェックしないときは、今の回答に追加します。"),
    )
