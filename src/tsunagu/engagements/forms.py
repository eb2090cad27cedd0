"""Forms of the accompanying-support pages.

Forms parse what was typed, with every choice limited to the engagement's municipality and
to what the user may see; views hand ``cleaned_data`` to ``engagements.services``, which
validate the whole record (``full_clean``) and write it with history. Model validation is
therefore not repeated here (see :class:`ServiceModelForm`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.fields import field_names
from tsunagu.core.forms import FilterForm, WarekiDateField
from tsunagu.core.wareki import fiscal_year as fiscal_year_of
from tsunagu.core.wareki import format_fiscal_year
from tsunagu.directory.models import OrganisationType
from tsunagu.engagements.commands import (
    EngagementFields,
    MilestoneFields,
    ParticipantFields,
    ProgramFields,
)
from tsunagu.engagements.models import (
    Contact,
    Engagement,
    EngagementAdvisor,
    EngagementStatus,
    FollowUp,
    Milestone,
    ParticipantKind,
    Roadmap,
    SelectionStatus,
    SupportProgram,
    Visit,
)

FIRST_FISCAL_YEAR = 2015  # 地域支援事業 as reorganised in 平成27年度


def fiscal_year_choices(first: int | None = None, last: int | None = None) -> list[tuple[int, str]]:
    current = fiscal_year_of(timezone.localdate())
    first = first or FIRST_FISCAL_YEAR
    last = last or current + 5
    return [(year, format_fiscal_year(year)) for year in range(last, first - 1, -1)]


class FiscalYearField(forms.TypedChoiceField):
    """A fiscal year chosen by its 和暦 name (令和6年度), stored as the Western start year."""

    def __init__(self, *args: Any, years: list[tuple[int, str]] | None = None, **kw: Any) -> None:
        kw.setdefault("coerce", int)
        kw.setdefault("empty_value", None)
        super().__init__(*args, choices=years or fiscal_year_choices(), **kw)

    def set_years(self, first: int, last: int) -> None:
        self.choices = [("", "---------"), *reversed(fiscal_year_choices(first, last))]


class ServiceModelForm(forms.ModelForm):
    """A ModelForm whose instance the service validates and saves (not the form)."""

    def _post_clean(self) -> None:  # the service calls full_clean with the whole record
        pass


def directory_organisations(user: Any, municipality: Any) -> QuerySet[Any]:
    """Visible organisations of the municipality, and prefecture-level partners of its prefecture."""
    from tsunagu.directory.selectors import organisation_list_visible_to

    return (
        organisation_list_visible_to(user=user)
        .filter(
            Q(municipality=municipality)
            | Q(municipality__isnull=True, prefecture_id=municipality.prefecture_id)
            | Q(municipality__isnull=True, prefecture__isnull=True)
        )
        .order_by("org_type", "name")
    )


# --- filters -------------------------------------------------------------------------------


class EngagementFilterForm(FilterForm):
    fiscal_year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *EngagementStatus.choices]
    )
    theme = forms.CharField(label=_("テーマ"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("市町村"), required=False, queryset=None, empty_label=_("すべて")
    )

    def __init__(self, *args: Any, municipalities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", _("すべて")), *fiscal_year_choices()]  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class InsightSearchForm(FilterForm):
    q = forms.CharField(
        label=_("キーワード"),
        required=False,
        max_length=100,
        help_text=_("表記のゆれ（買い物・買物 など）も探します。"),
    )
    tag = forms.CharField(label=_("タグ"), required=False, max_length=50)
    theme = forms.CharField(label=_("支援のテーマ"), required=False, max_length=100)
    realised_by = forms.CharField(
        label=_("気づいた人"), required=False, max_length=100, help_text=_("例: 市職員、社協")
    )
    fiscal_year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None
    )
    municipality = forms.ModelChoiceField(
        label=_("市町村"), required=False, queryset=None, empty_label=_("すべて")
    )

    def __init__(self, *args: Any, municipalities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", _("すべて")), *fiscal_year_choices()]  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class OverviewForm(FilterForm):
    prefecture = forms.ModelChoiceField(
        label=_("都道府県"), required=False, queryset=None, empty_label=_("すべて")
    )

    def __init__(self, *args: Any, prefectures: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].queryset = prefectures  # type: ignore[attr-defined]


# --- programs ------------------------------------------------------------------------------


class ProgramForm(ServiceModelForm):
    first_fiscal_year = FiscalYearField(label=_("開始年度"))
    last_fiscal_year = FiscalYearField(
        label=_("終了年度"), required=False, help_text=_("続いている場合は空欄")
    )

    class Meta:
        model = SupportProgram
        fields = list(field_names(ProgramFields))
        widgets = {
            "owner_kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "partner_organisations": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "first_reminder_days": _("空欄なら都道府県の設定（なければ90日）"),
            "repeat_reminder_days": _("空欄なら都道府県の設定（なければ180日）"),
        }

    def __init__(self, *args: Any, prefectures: QuerySet[Any], user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tsunagu.directory.selectors import organisation_list_visible_to

        self.fields["owner_prefecture"].queryset = prefectures  # type: ignore[attr-defined]
        self.fields["partner_organisations"].queryset = organisation_list_visible_to(  # type: ignore[attr-defined]
            user=user
        ).filter(municipality__isnull=True)
        self.fields["last_fiscal_year"].choices = [("", "---------"), *fiscal_year_choices()]  # type: ignore[attr-defined]


class SelectionForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("市町村"), queryset=None)
    fiscal_year = FiscalYearField(label=_("年度"))
    status = forms.ChoiceField(
        label=_("結果"), choices=SelectionStatus.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("備考"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, program: SupportProgram, municipalities: QuerySet[Any], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        last = program.last_fiscal_year or fiscal_year_of(timezone.localdate()) + 1
        self.fields["fiscal_year"].choices = fiscal_year_choices(program.first_fiscal_year, last)  # type: ignore[attr-defined]


# --- engagements ---------------------------------------------------------------------------


class EngagementCreateForm(ServiceModelForm):
    municipality = forms.ModelChoiceField(label=_("市町村"), queryset=None)
    fiscal_year = FiscalYearField(label=_("年度"))
    started_on = WarekiDateField(label=_("支援開始日"), required=False)

    class Meta:
        model = Engagement
        fields = ["program", "municipality", "fiscal_year", "theme", "reasons", "background"]
        widgets = {
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "background": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "reasons": _("応募した理由を、事例表にそのまま載る言葉で書きます。"),
            "background": _("それまでの取組や、応募に至った経緯です。"),
        }

    def __init__(self, *args: Any, municipalities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["program"].queryset = SupportProgram.objects.select_related(  # type: ignore[attr-defined]
            "owner_prefecture"
        ).order_by("owner_kind", "name")
        self.fields["program"].label_from_instance = lambda p: f"{p.name}（{p.owner_label}）"  # type: ignore[attr-defined]


class EngagementForm(ServiceModelForm):
    fiscal_year = FiscalYearField(label=_("年度"))
    started_on = WarekiDateField(label=_("支援開始日"), required=False)
    ended_on = WarekiDateField(label=_("支援終了日"), required=False)

    class Meta:
        model = Engagement
        fields = list(field_names(EngagementFields))
        widgets = {
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "background": forms.Textarea(attrs={"rows": 4}),
            "post_support_actions": forms.Textarea(attrs={"rows": 5}),
            "points_of_attention": forms.Textarea(attrs={"rows": 5}),
            "requests_to_government": forms.Textarea(attrs={"rows": 4}),
            "bodies": forms.CheckboxSelectMultiple,
            "issues": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "post_support_actions": _("事例表「2 伴走的支援後の取組」に載ります。"),
            "points_of_attention": _("事例表「3 留意点」に載ります。"),
            "requests_to_government": _("事例表「4 国等への意見・要望」に載ります。"),
        }

    def __init__(self, *args: Any, engagement: Engagement, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, instance=engagement, **kwargs)
        from tsunagu.bodies.models import ConsultativeBody
        from tsunagu.regional_issues.models import RegionalIssue

        municipality = engagement.municipality
        fields = self.fields
        fields["bodies"].queryset = ConsultativeBody.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        ).order_by("kind", "name")
        fields["issues"].queryset = RegionalIssue.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        ).order_by("-raised_on")
        fields["organisations"].queryset = directory_organisations(user, municipality)  # type: ignore[attr-defined]
        fields["follow_up_of"].queryset = Engagement.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        ).exclude(pk=engagement.pk)


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("新しい状態"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("「停滞」にするときは必須です（例: 担当者の異動）。"),
    )
    at = WarekiDateField(
        label=_("変更した日"),
        required=False,
        help_text=_("空欄なら今日。過去の日付も入力できます。"),
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(EngagementStatus.choices)
        self.fields["to"].choices = [(s, labels[s]) for s in allowed]  # type: ignore[attr-defined]


class AdvisorForm(ServiceModelForm):
    class Meta:
        model = EngagementAdvisor
        fields = ["name", "affiliation", "role", "person", "organisation", "user"]
        help_texts = {
            "role": _("例: アドバイザー、スーパーバイザー"),
            "user": _(
                "アドバイザーの役割を持つアカウントを選ぶと、その人はこの支援の記録だけを見て、"
                "訪問・気づき・連絡を記録できます。"
            ),
        }

    def __init__(self, *args: Any, engagement: Engagement, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from tsunagu.accounts.models import Role
        from tsunagu.directory.selectors import person_list_visible_to

        self.fields["organisation"].queryset = directory_organisations(  # type: ignore[attr-defined]
            user, engagement.municipality
        )
        self.fields["person"].queryset = person_list_visible_to(user=user).order_by("name")  # type: ignore[attr-defined]
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(is_active=True, memberships__role=Role.ADVISOR)
            .distinct()
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"  # type: ignore[attr-defined]


# --- visits --------------------------------------------------------------------------------


class VisitForm(ServiceModelForm):
    visited_on = WarekiDateField(label=_("訪問日"))
    number = forms.IntegerField(
        label=_("回"), required=False, min_value=1, help_text=_("空欄なら次の回")
    )

    class Meta:
        model = Visit
        fields = ["number", "visited_on", "focus", "lecture", "advice", "summary", "meeting"]
        widgets = {
            "lecture": forms.Textarea(attrs={"rows": 3}),
            "advice": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "meeting": _(
                "会議体の会議として出席を記録した場合に選びます（出席者はその会議に残ります）。"
            ),
        }

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tsunagu.bodies.models import Meeting

        self.fields["meeting"].queryset = (  # type: ignore[attr-defined]
            Meeting.objects.filter(body__municipality=engagement.municipality)
            .select_related("body")
            .order_by("-starts_at")
        )


class ParticipantForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("区分"), choices=[("", "---------"), *ParticipantKind.choices], required=False
    )
    department = forms.CharField(label=_("部署名"), required=False, max_length=200)
    organisation = forms.ModelChoiceField(label=_("団体（名簿）"), required=False, queryset=None)
    organisation_name = forms.CharField(
        label=_("団体名（名簿にない場合）"), required=False, max_length=200
    )
    organisation_type = forms.ChoiceField(
        label=_("団体の種別"),
        required=False,
        choices=[("", "---------"), *OrganisationType.choices],
    )
    person_name = forms.CharField(label=_("氏名・役職"), required=False, max_length=200)
    headcount = forms.IntegerField(label=_("人数"), required=False, min_value=1, max_value=999)

    def __init__(self, *args: Any, organisations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            data.get(name)
            for name in ("department", "organisation", "organisation_name", "person_name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.is_blank():
            return data
        kind = data.get("kind")
        if not kind:
            # Infer the kind: a department name means 庁内; an organisation means 外部.
            kind = (
                ParticipantKind.DEPARTMENT
                if data.get("department") and not data.get("organisation")
                else ParticipantKind.OUTSIDE
            )
            data["kind"] = kind
        if kind == ParticipantKind.DEPARTMENT and not data.get("department"):
            self.add_error("department", _("部署名を入力してください。"))
        if kind == ParticipantKind.OUTSIDE:
            if not (data.get("organisation") or data.get("organisation_name")):
                self.add_error("organisation_name", _("団体名を入力するか名簿から選んでください。"))
            if not (data.get("organisation_type") or data.get("organisation")):
                self.add_error("organisation_type", _("団体の種別を選んでください。"))
        return data

    def row(self) -> ParticipantFields:
        data = self.cleaned_data
        return ParticipantFields(
            kind=data["kind"],
            department=data.get("department") or "",
            organisation=data.get("organisation"),
            organisation_name=data.get("organisation_name") or "",
            organisation_type=data.get("organisation_type") or "",
            person_name=data.get("person_name") or "",
            headcount=data.get("headcount") or 1,
        )


class BaseParticipantFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, organisations: QuerySet[Any], **kwargs: Any) -> None:
        self.organisations = organisations
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"organisations": self.organisations}

    def rows(self) -> list[ParticipantFields]:
        return [form.row() for form in self.forms if form.has_changed() and not form.is_blank()]


def participant_formset(extra: int) -> type[BaseParticipantFormSet]:
    return forms.formset_factory(
        ParticipantForm, formset=BaseParticipantFormSet, extra=extra, max_num=200
    )


class InsightForm(forms.Form):
    text = forms.CharField(
        label=_("気づき"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    realised_by = forms.CharField(
        label=_("気づいた人"),
        required=False,
        max_length=100,
        help_text=_("例: 市職員、地域包括、社協"),
    )
    visit = forms.ModelChoiceField(label=_("きっかけの訪問"), required=False, queryset=None)
    tags = forms.CharField(
        label=_("タグ"),
        required=False,
        max_length=300,
        help_text=_("「、」かスペースで区切ります（例: 移動支援、庁内連携）。"),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("関係する団体"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, engagement: Engagement, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = engagement.visits.order_by("number")  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = directory_organisations(  # type: ignore[attr-defined]
            user, engagement.municipality
        )


class ContactForm(ServiceModelForm):
    contacted_on = WarekiDateField(label=_("日付"))

    class Meta:
        model = Contact
        fields = ["contacted_on", "channel", "with_whom", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class FollowUpForm(ServiceModelForm):
    followed_on = WarekiDateField(label=_("実施日"))
    next_due_on = WarekiDateField(
        label=_("次のフォローアップ予定日"),
        required=False,
        help_text=_("空欄なら設定された間隔（標準180日）のあとに通知します。"),
    )

    class Meta:
        model = FollowUp
        fields = ["followed_on", "by_whom", "what", "next_step", "next_due_on"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 3}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }


class FollowUpSettingsForm(forms.Form):
    first_reminder_days = forms.IntegerField(
        label=_("最後の訪問からフォローアップ通知までの日数"), min_value=1, max_value=3650
    )
    repeat_reminder_days = forms.IntegerField(
        label=_("フォローアップ通知を繰り返す間隔（日）"), min_value=1, max_value=3650
    )
    send_email = forms.BooleanField(label=_("メールでも知らせる"), required=False)


# --- roadmaps ------------------------------------------------------------------------------


class RoadmapForm(ServiceModelForm):
    first_fiscal_year = FiscalYearField(label=_("開始年度"))
    last_fiscal_year = FiscalYearField(label=_("終了年度"))

    class Meta:
        model = Roadmap
        fields = ["title", "description", "first_fiscal_year", "last_fiscal_year", "engagement"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engagement"].queryset = Engagement.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        )


class MilestoneForm(ServiceModelForm):
    fiscal_year = FiscalYearField(label=_("年度"))
    due_on = WarekiDateField(
        label=_("期限"), required=False, help_text=_("空欄ならその年度の末日（3月31日）")
    )
    done_on = WarekiDateField(label=_("完了日"), required=False)

    class Meta:
        model = Milestone
        fields = list(field_names(MilestoneFields))
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, roadmap: Roadmap, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [  # type: ignore[attr-defined]
            (year, format_fiscal_year(year)) for year in roadmap.fiscal_years
        ]
        self.fields["owner_organisation"].queryset = directory_organisations(  # type: ignore[attr-defined]
            user, roadmap.municipality
        )
