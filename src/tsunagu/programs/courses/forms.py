"""Forms of the service C pages (each writes through one service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.care.checklist.rules import CRITERIA
from tsunagu.care.models import CareLevel
from tsunagu.core.forms import WarekiDateField
from tsunagu.directory.selectors import organisation_list_visible_to, resource_list_visible_to
from tsunagu.programs.courses.models import Course, Outcome, Participant
from tsunagu.programs.courses.readiness import OPEN_RESOURCE_STATUSES, receiver_q
from tsunagu.programs.courses.selectors import (
    checklists_of,
    referral_choices_for,
    service_c_programs_for,
)

DATE_HELP = _("例: 2025-04-01、令和7年4月1日")
YES_NO = (("", _("未確認")), ("yes", _("はい")), ("no", _("いいえ")))
_BOOL = {"yes": True, "no": False, "": None}


def yes_no(value: str) -> bool | None:
    return _BOOL.get(value)


def yes_no_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class CourseForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("総合事業の実施事業（訪問型C・通所型C）"), queryset=Course.objects.none()
    )
    name = forms.CharField(label=_("コース名"), max_length=200)
    provider = forms.ModelChoiceField(
        label=_("実施する団体（リハ職など）"), queryset=Course.objects.none(), required=False
    )
    starts_on = WarekiDateField(label=_("開始日"), help_text=DATE_HELP)
    ends_on = WarekiDateField(label=_("終了日"), help_text=DATE_HELP)
    capacity = forms.IntegerField(label=_("定員（人）"), min_value=1)
    target_criteria = forms.TypedMultipleChoiceField(
        label=_("対象とするチェックリストの基準"),
        choices=[(c.number, f"{c.number}. {c.name}") for c in CRITERIA],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_levels = forms.MultipleChoiceField(
        label=_("対象とする要介護度など"),
        choices=CareLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_note = forms.CharField(
        label=_("対象者像"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programs = service_c_programs_for(user)
        self.fields["program"].queryset = programs
        self.fields["provider"].queryset = organisation_list_visible_to(user=user).order_by("name")


class SettingsForm(forms.Form):
    min_months = forms.IntegerField(label=_("期間の下限（月）"), min_value=1, max_value=24)
    max_months = forms.IntegerField(label=_("期間の上限（月）"), min_value=1, max_value=24)


class SessionForm(forms.Form):
    date = WarekiDateField(label=_("日付"), help_text=DATE_HELP)
    topic = forms.CharField(label=_("内容"), max_length=200, required=False)


class ResidentPickForm(forms.Form):
    resident = forms.IntegerField(
        label=_("住民の番号"),
        min_value=1,
        help_text=_("住民の詳細ページの番号（住民一覧から開いた画面の「住民 #」）"),
    )


class EnrolForm(forms.Form):
    enrolled_on = WarekiDateField(label=_("参加開始日"), help_text=DATE_HELP)
    justification_checklist = forms.ModelChoiceField(
        label=_("参加の根拠（基本チェックリスト）"), queryset=Course.objects.none(), required=False
    )
    justification_note = forms.CharField(
        label=_("参加の根拠（アセスメントのメモ）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goal_own_words = forms.CharField(
        label=_("本人の言葉での目標"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例: また一人で買い物に行きたい"),
    )

    def __init__(self, *args: Any, resident: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["justification_checklist"].queryset = resident.checklists.order_by(
            "-answered_on", "-pk"
        )


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("測れる目標"), max_length=200, help_text=_("例: 買い物に一人で行ける")
    )


class AssessmentForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("いつの評価"), choices=(("start", _("開始時")), ("end", _("終了時")))
    )
    checklist = forms.ModelChoiceField(
        label=_("基本チェックリスト"), queryset=Course.objects.none(), required=False
    )
    goal_status = forms.CharField(
        label=_("目標の状態（自由記述）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklists_of(participant)


class CandidateForm(forms.Form):
    resource = forms.ModelChoiceField(
        label=_("地域資源（通いの場・サロン・サービスBなど）"),
        queryset=Course.objects.none(),
        required=False,
    )
    program = forms.ModelChoiceField(
        label=_("総合事業の実施事業"), queryset=Course.objects.none(), required=False
    )
    note = forms.CharField(label=_("メモ"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_id = participant.course.municipality_id
        self.fields["resource"].queryset = (
            resource_list_visible_to(user=user)
            .filter(receiver_q(), municipality_id=municipality_id)
            .filter(status__in=OPEN_RESOURCE_STATUSES)
            .order_by("name")
        )
        program_model = Course._meta.get_field("program").related_model
        self.fields["program"].queryset = program_model.objects.filter(
            municipality_id=municipality_id
        ).order_by("name")


class GraduateForm(forms.Form):
    graduated_on = WarekiDateField(label=_("卒業（終了）日"), help_text=DATE_HELP)
    outcome = forms.ChoiceField(label=_("結果"), choices=Outcome.choices)
    discontinue_reason = forms.CharField(
        label=_("中断の理由（中断のとき必須）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    referral = forms.ModelChoiceField(
        label=_("受皿へのつなぎ（送付済みのもの）"), queryset=Course.objects.none(), required=False
    )
    no_receiver_reason = forms.CharField(
        label=_("つながない理由（つなぎがないとき必須）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = referral_choices_for(participant)
        self.fields["referral"].label_from_instance = lambda r: (
            f"{r.resource or r.program}（{r.get_status_display()}）"
        )


class FollowUpForm(forms.Form):
    done_on = WarekiDateField(label=_("実施日"), help_text=DATE_HELP)
    still_taking_part = forms.ChoiceField(
        label=_("受皿に参加し続けている"), choices=YES_NO, required=False
    )
    came_back = forms.ChoiceField(
        label=_("サービス利用者に戻った（要支援・要介護、またはサービスCに再参加）"),
        choices=YES_NO,
        required=False,
    )
    note = forms.CharField(
        label=_("メモ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
