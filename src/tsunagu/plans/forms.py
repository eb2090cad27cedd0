"""Forms of plans, role agreements and PDCA (the services validate and save)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.forms import WarekiDateField
from tsunagu.core.wareki import fiscal_year as fiscal_year_of
from tsunagu.engagements.forms import (
    FiscalYearField,
    ServiceModelForm,
    directory_organisations,
    fiscal_year_choices,
)
from tsunagu.engagements.models import Engagement
from tsunagu.plans.agreements.models import AgreedRole, RoleAgreement
from tsunagu.plans.pdca.models import PdcaCycle
from tsunagu.plans.records.models import LinkKind, Plan, PlanItem


def _plan_years() -> list[tuple[int, str]]:
    current = fiscal_year_of(timezone.localdate())
    return fiscal_year_choices(2000, current + 15)


class PlanForm(ServiceModelForm):
    first_fiscal_year = FiscalYearField(label=_("計画期間の初年度"), required=False)
    last_fiscal_year = FiscalYearField(label=_("計画期間の最終年度"), required=False)

    class Meta:
        model = Plan
        fields = [
            "kind",
            "title",
            "term_number",
            "first_fiscal_year",
            "last_fiscal_year",
            "adopted_year",
            "adopted_month",
            "owner_organisation",
            "owner_department",
            "description",
            "source",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = [("", "---------"), *_plan_years()]
        self.fields["first_fiscal_year"].choices = years  # type: ignore[attr-defined]
        self.fields["last_fiscal_year"].choices = years  # type: ignore[attr-defined]
        self.fields["owner_organisation"].queryset = directory_organisations(  # type: ignore[attr-defined]
            user, municipality
        )


class PlanItemForm(ServiceModelForm):
    class Meta:
        model = PlanItem
        fields = ["parent", "number", "title", "description", "wording_inferred", "sort_order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goals = plan.items.filter(parent__isnull=True)
        if self.instance.pk:
            goals = goals.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = goals  # type: ignore[attr-defined]
        self.fields["parent"].help_text = _("空のときは目標（1段目）になります。")


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=LinkKind.choices, widget=forms.HiddenInput)
    target = forms.TypedChoiceField(label=_("つなぐ記録"), coerce=int)
    note = forms.CharField(label=_("どう役立つか"), max_length=300, required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], label: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "---------"), *choices]  # type: ignore[attr-defined]
        self.fields["target"].label = label


class AgreementForm(ServiceModelForm):
    agreed_on = WarekiDateField(label=_("合意した日"), required=False)

    class Meta:
        model = RoleAgreement
        fields = ["title", "vision", "engagement", "agreed_on", "agreed_by", "source"]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 4}),
            "agreed_by": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engagement"].queryset = Engagement.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        )


class AgreedRoleForm(ServiceModelForm):
    class Meta:
        model = AgreedRole
        fields = ["organisation", "department", "role", "inferred", "sort_order"]
        widgets = {"role": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = directory_organisations(  # type: ignore[attr-defined]
            user, municipality
        )


class ReviewForm(forms.Form):
    reviewed_on = WarekiDateField(label=_("見直した日"))
    by_whom = forms.CharField(label=_("見直した人・場"), max_length=200, required=False)
    note = forms.CharField(
        label=_("見直しの内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PdcaForm(ServiceModelForm):
    class Meta:
        model = PdcaCycle
        fields = [
            "goal",
            "indicator",
            "target",
            "indicator_value",
            "check_note",
            "insights",
            "act",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "check_note": forms.Textarea(attrs={"rows": 3}),
            "act": forms.Textarea(attrs={"rows": 3}),
            "insights": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, insights: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["insights"].queryset = insights  # type: ignore[attr-defined]
        self.fields["insights"].help_text = _("この年度の訪問で記録した気づきから選びます。")


class PdcaYearForm(forms.Form):
    fiscal_year = FiscalYearField(label=_("年度"))
