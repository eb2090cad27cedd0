"""Forms of the 道路運送法 check (guided questions) and the cost-sharing calculator."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.forms import WarekiDateField
from tsunagu.mobility.legal import check as legal

# Plain-language choices shown on the form (the API keeps the English values).
PAYMENT_CHOICES = [
    ("none", _("何も受け取らない")),
    ("voluntary_thanks", _("乗った人が気持ちでお礼を渡すことがある（金額は決めず、求めない）")),
    ("actual_costs_only", _("ガソリン代など、実際にかかった費用（実費）だけを受け取る")),
    ("fare", _("運賃や料金表がある（1回○円、1km○円など）")),
    ("ride_linked_fee", _("会費を集めていて、乗ることと結びついている（乗り放題の会費など）")),
    ("goods", _("お礼の品（野菜など、金額に換算しにくいもの）を受け取ることがある")),
]
COST_ITEM_CHOICES = [
    ("fuel", _("ガソリン代（燃料代）")),
    ("tolls", _("有料道路の通行料")),
    ("parking", _("駐車場代")),
    ("insurance", _("保険料（2024年3月1日からの運送で実費に含められます）")),
    ("vehicle_rental", _("車の借り上げ費用（2024年3月1日からの運送で実費に含められます）")),
    ("driver_pay", _("運転する人への報酬・日当")),
    ("depreciation", _("車の減価償却費（車の値下がり分）")),
    ("other", _("その他の費用")),
]
SUBSIDY_CHOICES = [
    ("none", _("補助金は使わない")),
    ("indirect_only", _("調整役の人件費や事務費など、運送以外の費用だけに使う")),
    ("transport", _("運転する人への支払いや車の費用など、運送そのものに使う")),
]
VEHICLE_CHOICES = [
    ("private", _("自家用車（白ナンバー）：個人の車、団体の車")),
    ("business", _("事業用自動車（緑ナンバー）：タクシー・バス会社の車")),
]
OPERATOR_CHOICES = [(key, label) for key, label in legal.OPERATOR_TYPES.items()]
SERVICE_KIND_CHOICES = [
    (
        "welfare_members",
        _("介護や支援が必要な会員（要介護・要支援・事業対象者・障害のある人など）"),
    ),
    ("transit_gap_area", _("バスやタクシーが使いにくい地域（交通空白地）の住民や来訪者")),
    ("general", _("どなたでも（特に限らない）")),
]


class LegalCheckForm(forms.Form):
    """One question per fieldset, radio buttons, explanations for non-specialists."""

    trip_date = WarekiDateField(
        label=_("いつからの運送ですか"),
        help_text=_(
            "2024年3月1日から国の考え方（ガイドライン）が変わりました。始める日（または確かめたい"
            "運送の日）を入れてください。例: 令和6年10月1日、2024-10-01"
        ),
    )
    rider_payment = forms.ChoiceField(
        label=_("乗った人から何を受け取りますか"),
        choices=PAYMENT_CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "乗った人や家族などが、乗ったことの代わりに渡すもの（反対給付）があるかどうかで、"
            "「有償」かどうかが決まります。"
        ),
    )
    actual_cost_items = forms.MultipleChoiceField(
        label=_("実費として受け取るもの（「実費だけ」を選んだとき）"),
        choices=COST_ITEM_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "実費として認められるのは、ガソリン代・通行料・駐車場代と、2024年3月1日からは保険料・"
            "車の借り上げ費用です。運転する人への報酬などは実費になりません。"
        ),
    )
    subsidy_covers = forms.ChoiceField(
        label=_("市町村などの補助金を何に使いますか"),
        choices=SUBSIDY_CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "補助金が運送そのものに使われると、乗った人の代わりに対価を払っているとみなされる"
            "ことがあります。"
        ),
    )
    vehicle = forms.ChoiceField(
        label=_("どの車を使いますか"),
        choices=VEHICLE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("ナンバープレートの色で分かります。"),
    )
    operator_type = forms.ChoiceField(
        label=_("運営するのはどんな団体ですか"),
        choices=OPERATOR_CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "法人格のない自治会・地域コミュニティ協議会・ボランティア団体は「営利を目的としない"
            "任意団体」を選んでください。"
        ),
    )
    service_kind = forms.ChoiceField(
        label=_("だれを運びますか"),
        choices=SERVICE_KIND_CHOICES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trip_date"].initial = timezone.localdate()

    def plan(self) -> dict[str, Any]:
        """The cleaned answers as a PLAN.json object."""
        data = self.cleaned_data
        return {
            "rider_payment": data["rider_payment"],
            "actual_cost_items": list(data.get("actual_cost_items") or []),
            "subsidy_covers": data["subsidy_covers"],
            "vehicle": data["vehicle"],
            "operator_type": data["operator_type"],
            "service_kind": data["service_kind"],
            "trip_date": data["trip_date"].isoformat(),
        }

    @staticmethod
    def initial_from_plan(plan: dict[str, Any]) -> dict[str, Any]:
        initial = {k: v for k, v in plan.items() if k in legal.PLAN_KEYS}
        if isinstance(initial.get("trip_date"), str):
            try:
                initial["trip_date"] = datetime.date.fromisoformat(initial["trip_date"])
            except ValueError:
                initial.pop("trip_date")
        return initial


class CostShareForm(forms.Form):
    """費用の分担（実費）の計算: everything a volunteer driver knows about one ride."""

    trip_date = WarekiDateField(label=_("運送の日"))
    fuel_price = forms.DecimalField(
        label=_("ガソリンの値段（1リットルあたり・円）"),
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        decimal_places=1,
        help_text=_("例: 175"),
    )
    fuel_economy = forms.DecimalField(
        label=_("車の燃費（1リットルで走る km）"),
        min_value=Decimal("0.1"),
        max_value=Decimal("100"),
        decimal_places=1,
        help_text=_("例: 15（車検証や取扱説明書、またはふだんの実績）"),
    )
    distance_km = forms.DecimalField(
        label=_("走る距離（往復・km）"),
        min_value=Decimal("0"),
        max_value=Decimal("2000"),
        decimal_places=1,
        help_text=_("迎えに行く道のりと、送り届けて戻る道のりを合わせた距離です。"),
    )
    tolls = forms.IntegerField(
        label=_("有料道路の通行料（円）"), min_value=0, max_value=100000, initial=0
    )
    parking = forms.IntegerField(
        label=_("駐車場代（円）"), min_value=0, max_value=100000, initial=0
    )
    insurance = forms.IntegerField(
        label=_("1回あたりの保険料（円）"),
        min_value=0,
        max_value=100000,
        initial=0,
        help_text=_(
            "2024年3月1日からの運送だけ実費に含められます。それより前の日付では計算に入れません。"
        ),
    )
    riders = forms.IntegerField(
        label=_("一緒に乗って費用を分ける人数"), min_value=1, max_value=50, initial=1
    )
    planned_charge = forms.IntegerField(
        label=_("予定している1人あたりの負担額（円・任意）"),
        min_value=0,
        max_value=1000000,
        required=False,
        help_text=_("入れると、実費を超えていないかを確かめます。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trip_date"].initial = timezone.localdate()

    def compute(self) -> legal.CostShare:
        data = self.cleaned_data
        return legal.cost_share(
            fuel_price_yen_per_l=data["fuel_price"],
            fuel_economy_km_per_l=data["fuel_economy"],
            distance_km=data["distance_km"],
            trip_date=data["trip_date"],
            tolls_yen=data["tolls"] or 0,
            parking_yen=data["parking"] or 0,
            insurance_yen_per_ride=data["insurance"] or 0,
            riders=data["riders"],
            planned_charge_per_rider=data.get("planned_charge"),
        )
