"""Forms of the regional-issue pages.

Forms only parse and check what was typed, with every choice limited to the issue's
municipality (and to what the user may see); the views hand the cleaned values to
``tsunagu.regional_issues.services``, which do every write (with history).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.forms import FilterForm, WarekiDateField
from tsunagu.core.widgets import ManyCheckboxes, ManyOptions, SearchPicker
from tsunagu.regional_issues.flags import FLAG_STALE, FLAG_UNASSIGNED
from tsunagu.regional_issues.models import (
    STAGE_ORDER,
    IssueStage,
    RegionalIssue,
    Theme,
)

PRIVACY_HELP = _(
    "個人が特定できる情報（氏名・住所・病名・家族の状況など）は書かないでください。"
    "地域ケア個別会議や相談から出た課題も、個人の事例ではなく「地域の課題」として書きます。"
)
DEFAULT_PERIOD = "12"
PERIOD_CHOICES = [
    ("3", _("過去3か月")),
    ("6", _("過去6か月")),
    ("12", _("過去1年")),
    ("24", _("過去2年")),
    ("36", _("過去3年")),
]
FLAG_CHOICES = [
    ("", _("すべて")),
    (FLAG_UNASSIGNED, _("担い手未定")),
    (FLAG_STALE, _("停滞")),
]


def _limit(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    if name in form.fields:
        form.fields[name].queryset = queryset  # type: ignore[attr-defined]


def _set_bodies(form: forms.BaseForm, bodies: QuerySet[Any], *, several: bool) -> None:
    field = form.fields["body"]
    field.queryset = bodies.select_related("municipality").order_by(  # type: ignore[attr-defined]
        "municipality__code", "kind", "name"
    )
    if several:  # bodies of several municipalities: say whose
        field.label_from_instance = lambda body: f"{body.name}（{body.municipality.name}）"  # type: ignore[attr-defined]


def directory_organisations(user: Any, municipality: Any) -> QuerySet[Any]:
    """Visible organisations of the municipality, and prefecture-level partners of its prefecture."""
    from tsunagu.directory.selectors import organisation_list_visible_to

    return organisation_list_visible_to(user=user).filter(
        Q(municipality=municipality)
        | Q(municipality__isnull=True, prefecture_id=municipality.prefecture_id)
    )


def directory_people(user: Any, municipality: Any) -> QuerySet[Any]:
    from tsunagu.directory.selectors import person_list_visible_to

    return (
        person_list_visible_to(user=user)
        .filter(Q(municipality=municipality) | Q(roles__organisation__municipality=municipality))
        .distinct()
        .order_by("name_kana", "name")
    )


def municipal_meetings(municipality: Any) -> QuerySet[Any]:
    from tsunagu.bodies.models import Meeting

    return (
        Meeting.objects.filter(body__municipality=municipality)
        .select_related("body")
        .order_by("-starts_at")
    )


def municipal_bodies(municipality: Any) -> QuerySet[Any]:
    from tsunagu.bodies.models import ConsultativeBody

    return ConsultativeBody.objects.filter(municipality=municipality).order_by("kind", "name")


class IssueFilterForm(FilterForm):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("市町村"), required=False, queryset=None, empty_label=_("すべて")
    )
    theme = forms.ModelChoiceField(
        label=_("テーマ"), required=False, queryset=Theme.objects.all(), empty_label=_("すべて")
    )
    area = forms.ChoiceField(label=_("地域"), required=False)
    stage = forms.ChoiceField(
        label=_("段階"), required=False, choices=[("", _("すべて")), *IssueStage.choices]
    )
    body = forms.ModelChoiceField(
        label=_("扱う会議体"), required=False, queryset=None, empty_label=_("すべて")
    )
    flag = forms.ChoiceField(label=_("フラグ"), required=False, choices=FLAG_CHOICES)

    def __init__(
        self,
        *args: Any,
        municipalities: QuerySet[Any],
        bodies: QuerySet[Any],
        area_choices: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        if municipalities.count() <= 1:
            del self.fields["municipality"]
        _set_bodies(self, bodies, several=municipalities.count() > 1)
        self.fields["area"].choices = [("", _("すべて")), *area_choices]  # type: ignore[attr-defined]


def pick_url(municipality: Any, name: str) -> str:
    from django.urls import reverse

    return reverse("regional_issues:pick", args=[municipality.pk, name])


class IssueForm(forms.ModelForm):
    raised_on = WarekiDateField(label=_("提起日"))
    started_on = WarekiDateField(
        label=_("実行開始日"),
        required=False,
        help_text=_("「実行」に進めるときに必要です。和暦・西暦のどちらでも入力できます。"),
    )

    class Meta:
        model = RegionalIssue
        fields = [
            "title",
            "description",
            "themes",
            "daily_life_areas",
            "districts",
            "body",
            "source_kind",
            "source_meeting",
            "source_note",
            "raised_on",
            "raised_by_organisation",
            "raised_by_person",
            "target",
            "plan",
            "started_on",
            "organisations",
            "resources",
            "source",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            # Django's markup written in Python: a city's lists are long (core/widgets.py)
            "themes": ManyCheckboxes,
            "daily_life_areas": ManyCheckboxes,
            "districts": ManyCheckboxes,
            "body": ManyOptions,
            "source_meeting": ManyOptions,
            "raised_by_person": ManyOptions,
            "source_kind": forms.RadioSelect,
            "target": forms.Textarea(attrs={"rows": 3}),
            "plan": forms.Textarea(attrs={"rows": 5}),
            # every organisation and resource of the municipality: thousands of options in a
            # city, so above a town's size the choice is searched, not listed (SearchPicker)
            "raised_by_organisation": ManyOptions,
            "organisations": SearchPicker,
            "resources": SearchPicker,
        }
        help_texts = {
            "title": _("例: デマンドバスの乗り場まで行けない人がいる"),
            "description": PRIVACY_HELP,
            "source_note": PRIVACY_HELP,
            "target": _(
                "誰に（例: 乗り場まで歩けない高齢者）と、どの地域でかを書きます。"
                "対象の地域は上の日常生活圏域・地区でも選んでください。「準備」に進めるときに必要です。"
            ),
            "plan": _("アイディアを採用すると、ここに追記されます。"),
            "body": _("この課題を扱い、進み具合を見守る会議体です。"),
            "source_meeting": _("課題が出された会議です（会議体の会議として登録されている場合）。"),
            "organisations": _("同じ市町村の地域資源ディレクトリから選びます。"),
            "resources": _("同じ市町村の地域資源ディレクトリから選びます。"),
            "source": _("資料名・調査名など（任意）"),
        }

    PICKED = ("organisations", "resources")

    def __init__(
        self,
        *args: Any,
        municipality: Any,
        user: Any,
        full_lists: bool = False,
        full_list_url: str = "",
        **kwargs: Any,
    ) -> None:
        """``full_lists`` lists every organisation and resource as a checkbox even in a city
        (the page's 「全件の一覧から選ぶ」 link, ``full_list_url``); otherwise a long list
        is a search box whose matches come from :func:`pick_url`."""
        super().__init__(*args, **kwargs)
        from tsunagu.directory.selectors import resource_list_visible_to

        self.municipality = municipality
        # Choices are labelled by name: thousands of rows in a large municipality, so read only
        # what the labels and the checks of a choice need (no related rows).
        choice_columns = ("pk", "name", "municipality", "prefecture")
        organisations = (
            directory_organisations(user, municipality)
            .order_by("name_kana", "name")
            .select_related(None)
            .only(*choice_columns)
        )
        _limit(self, "themes", Theme.objects.all())
        _limit(self, "daily_life_areas", municipality.daily_life_areas.all())
        _limit(self, "districts", municipality.districts.all())
        _limit(self, "body", municipal_bodies(municipality))
        _limit(self, "source_meeting", municipal_meetings(municipality))
        _limit(self, "raised_by_organisation", organisations)
        _limit(self, "raised_by_person", directory_people(user, municipality))
        _limit(self, "organisations", organisations)
        _limit(
            self,
            "resources",
            resource_list_visible_to(user=user)
            .filter(municipality=municipality)
            .order_by("name_kana", "name")
            .select_related(None)
            .only(*choice_columns, "provider"),
        )
        # A town without daily-life areas (香春町) should not see an empty group.
        for name in ("daily_life_areas", "districts", "resources", "organisations"):
            if not self.fields[name].queryset.exists():  # type: ignore[attr-defined]
                del self.fields[name]
        for name in self.PICKED:
            if name in self.fields and not full_lists:
                widget = self.fields[name].widget
                widget.search_url = pick_url(municipality, name)  # type: ignore[attr-defined]
                widget.full_list_url = full_list_url  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        meeting = data.get("source_meeting")
        if meeting is not None and data.get("body") is None:
            data["body"] = meeting.body  # raised at a meeting: it sits at that body unless chosen
        return data


def _stage_label(value: str, current: str, held_from: str) -> str:
    labels = dict(IssueStage.choices)
    label = str(labels[value])
    if value == IssueStage.ON_HOLD:
        return str(_("%(label)s（理由が必要です）") % {"label": label})
    if current == IssueStage.ON_HOLD:
        if value == held_from:
            return str(_("%(label)s（保留前の段階に戻す）") % {"label": label})
        return label
    if STAGE_ORDER.index(value) < STAGE_ORDER.index(current):
        return str(_("%(label)s（戻す・理由が必要です）") % {"label": label})
    return label


def suggested_stage(issue: RegionalIssue) -> str:
    """The stage a user most likely wants next: the following one, or back from 保留."""
    if issue.stage == IssueStage.ON_HOLD:
        return issue.held_from_stage or IssueStage.IDENTIFIED
    index = STAGE_ORDER.index(issue.stage)
    if index + 1 < len(STAGE_ORDER):
        return STAGE_ORDER[index + 1]
    return ""


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("次の段階"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("理由・経緯"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("段階を戻すときと保留にするときは必ず書いてください。進めるときも書けます。"),
    )

    def __init__(self, *args: Any, issue: RegionalIssue, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"to_stage": suggested_stage(issue)})
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [  # type: ignore[attr-defined]
            (value, _stage_label(value, issue.stage, issue.held_from_stage))
            for value in [*STAGE_ORDER, IssueStage.ON_HOLD]
            if value != issue.stage
        ]


class ExecutingActorForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("団体"),
        queryset=None,
        help_text=_("地域資源ディレクトリに登録された団体から選びます。"),
    )
    role = forms.CharField(
        label=_("役割"),
        max_length=200,
        help_text=_("例: 運転ボランティアの調整、送迎の実施、見守りの声かけ"),
    )
    agreed_on = WarekiDateField(label=_("合意した日"), required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class ExecutingActorEndForm(forms.Form):
    ended_on = WarekiDateField(label=_("終了日"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class IdeaForm(forms.Form):
    text = forms.CharField(
        label=_("アイディア"), widget=forms.Textarea(attrs={"rows": 3}), help_text=PRIVACY_HELP
    )
    proposer_person = forms.ModelChoiceField(
        label=_("提案者"), required=False, queryset=None, empty_label=_("（選ばない）")
    )
    proposer_organisation = forms.ModelChoiceField(
        label=_("提案した団体"), required=False, queryset=None, empty_label=_("（選ばない）")
    )
    meeting = forms.ModelChoiceField(
        label=_("出た会議"), required=False, queryset=None, empty_label=_("（選ばない）")
    )

    def __init__(self, *args: Any, issue: RegionalIssue, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "idea")
        super().__init__(*args, **kwargs)
        municipality = issue.municipality
        _limit(self, "proposer_person", directory_people(user, municipality))
        _limit(
            self,
            "proposer_organisation",
            directory_organisations(user, municipality).order_by("name_kana", "name"),
        )
        meetings = municipal_meetings(municipality)
        if issue.body_id:
            meetings = meetings.filter(body_id=issue.body_id)
        _limit(self, "meeting", meetings)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("コメント"), widget=forms.Textarea(attrs={"rows": 3}), help_text=PRIVACY_HELP
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)


class DashboardForm(FilterForm):
    municipality = forms.ModelChoiceField(
        label=_("市町村"), required=False, queryset=None, empty_label=_("すべて")
    )
    body = forms.ModelChoiceField(
        label=_("会議体"), required=False, queryset=None, empty_label=_("（選んでください）")
    )
    period = forms.ChoiceField(label=_("期間"), required=False, choices=PERIOD_CHOICES)

    def __init__(
        self,
        data: Any = None,
        *,
        municipalities: QuerySet[Any],
        bodies: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        if data is not None and not data.get("period"):
            data = data.copy()
            data["period"] = DEFAULT_PERIOD  # the select shows the period actually counted
        super().__init__(data, initial={"period": DEFAULT_PERIOD}, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        if municipalities.count() <= 1:
            del self.fields["municipality"]
        _set_bodies(self, bodies, several=municipalities.count() > 1)
