"""Forms of the service B pages. They only parse; the services decide and validate."""

from __future__ import annotations

from typing import Any

from django import forms

from tsunagu.core.forms import WarekiDateField
from tsunagu.programs.service_b.models import (
    AccountDirection,
    AccountScope,
    ActivityKind,
    ApplicationKind,
    BelowThresholdRule,
    GroupStatus,
    PeriodKind,
    ServiceKind,
)

MET_CHOICES = [("", "未確認"), ("yes", "はい（満たしている）"), ("no", "いいえ")]


class GroupForm(forms.Form):
    municipality = forms.ModelChoiceField(queryset=None, label="市町村")
    name = forms.CharField(label="団体名", max_length=200)
    organisation = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="団体（地域資源）",
        help_text="地域資源に登録された団体。未登録なら空のまま。",
    )
    service_kind = forms.ChoiceField(label="サービス・活動の類型", choices=ServiceKind.choices)
    status = forms.ChoiceField(label="状況", choices=GroupStatus.choices)
    started_on = WarekiDateField(label="活動開始日", required=False)
    ended_on = WarekiDateField(label="活動終了日", required=False)
    member_count = forms.IntegerField(label="活動員の人数", min_value=0, required=False)
    member_names = forms.CharField(
        label="活動員の氏名（必要な場合のみ）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="名簿が必要な場合だけ、1行に1人。最小限にしてください。",
    )
    description = forms.CharField(
        label="活動の内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, municipalities: Any, organisations: Any, editing: bool = False, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["municipality"].queryset = municipalities
        self.fields["organisation"].queryset = organisations
        if editing:
            del self.fields["municipality"]


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="活動", choices=ActivityKind.choices)
    detail = forms.CharField(label="内容", max_length=200, required=False)
    share_percent = forms.IntegerField(
        label="活動に占める割合（%）", min_value=0, max_value=100, required=False
    )
    share_group = forms.CharField(
        label="割合をまとめて示す活動",
        max_length=100,
        required=False,
        help_text="例: 買物・通院の外出同行（報告書が2つの活動をまとめて8割としているとき）",
    )


class PolicyForm(forms.Form):
    threshold_percent = forms.IntegerField(
        label="全額対象となる要支援・事業対象者の割合（%以上）",
        min_value=0,
        max_value=100,
        help_text="鹿児島市の例: 半数以上（50%）で運営費全体が補助の対象。",
    )
    below_rule = forms.ChoiceField(
        label="割合が基準未満のとき",
        choices=BelowThresholdRule.choices,
        help_text="既定の「按分」は公的な資料で確認できていない仮の規則です [U]。"
        "市町村の要綱に合わせて選んでください。",
    )
    fixed_rate_percent = forms.IntegerField(
        label="定率（%）", min_value=0, max_value=100, required=False
    )
    period_kind = forms.ChoiceField(label="集計の期間", choices=PeriodKind.choices)
    note = forms.CharField(
        label="根拠・備考", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequirementForm(forms.Form):
    text = forms.CharField(label="要件", max_length=200, help_text="例: 1回30分以上の生活援助")


class PeriodForm(forms.Form):
    starts_on = WarekiDateField(label="期間の開始")
    ends_on = WarekiDateField(label="期間の終了")
    users_total = forms.IntegerField(label="利用者数", min_value=0, required=False)
    users_eligible = forms.IntegerField(
        label="うち要支援者・事業対象者の数", min_value=0, required=False
    )


class CountsForm(forms.Form):
    users_total = forms.IntegerField(label="利用者数", min_value=0, required=False)
    users_eligible = forms.IntegerField(
        label="うち要支援者・事業対象者の数", min_value=0, required=False
    )


class ResidentsForm(forms.Form):
    residents = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="利用者（住民の記録）",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, residents: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["residents"].queryset = residents


class ApplicationCreateForm(forms.Form):
    kind = forms.ChoiceField(label="種類", choices=ApplicationKind.choices)


class AccountLineForm(forms.Form):
    scope = forms.ChoiceField(label="会計", choices=AccountScope.choices)
    direction = forms.ChoiceField(label="収支", choices=AccountDirection.choices)
    item = forms.CharField(label="費目", max_length=100)
    amount = forms.IntegerField(label="金額（円）", min_value=0, max_value=10**12)
    note = forms.CharField(label="備考", max_length=200, required=False)


class CheckForm(forms.Form):
    met = forms.ChoiceField(label="満たしているか", choices=MET_CHOICES, required=False)
    note = forms.CharField(label="備考", max_length=200, required=False)

    def met_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("met") or "")


class ReturnForm(forms.Form):
    return_reason = forms.CharField(
        label="差し戻しの理由", widget=forms.Textarea(attrs={"rows": 3})
    )
