"""Forms of the referral pages (sender side) and of the receiver's inbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.care.referrals.models import ReferralOutcome, ReferralStatus
from tsunagu.care.residents.selectors import care_municipalities_for_user
from tsunagu.core.forms import FilterForm, WarekiDateField


class ReferralFilterForm(FilterForm):
    municipality = forms.ModelChoiceField(
        label=_("市町村"), queryset=None, required=False, empty_label=_("すべて")
    )
    status = forms.ChoiceField(
        label=_("状態"),
        choices=[("", _("すべて")), *ReferralStatus.choices],
        required=False,
    )
    stalled = forms.BooleanField(label=_("止まっているものだけ"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = care_municipalities_for_user(user)


def destination_value(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


class ReferralForm(forms.Form):
    """A new referral: the destination is one of the municipality's directory resources
    (``resource:<id>``) or 総合事業 instances (``program:<id>``)."""

    destination = forms.ChoiceField(label=_("つなぎ先"))
    wishes = forms.CharField(
        label=_("本人の希望（やりたいこと）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("受け手に伝わります。本人の言葉で（例: 体操をして、近所の人と話したい）。"),
    )
    accessibility_needs = forms.CharField(
        label=_("参加に必要な配慮"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("受け手に伝わります（例: 階段が苦手、送迎があると助かる）。"),
    )
    share_care_level = forms.BooleanField(
        label=_("要介護度などを受け手に伝える（本人の同意あり）"), required=False
    )
    note = forms.CharField(
        label=_("送り手のメモ"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("受け手には見えません。"),
    )

    def __init__(self, *args: Any, resources: list[Any], programs: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._choices: dict[str, tuple[str, Any]] = {}
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for kind, label, rows in (
            ("resource", _("地域資源（通いの場・サロンなど）"), resources),
            ("program", _("総合事業（サービスB・Cなど）"), programs),
        ):
            options = []
            for row in rows:
                value = destination_value(kind, row.pk)
                self._choices[value] = (kind, row)
                options.append((value, f"{row.name}（{row.provider.name}）"))
            if options:
                groups.append((str(label), options))
        self.fields["destination"].choices = [("", "—"), *groups]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        kind, row = self._choices[data.pop("destination")]
        return {
            "resource": row if kind == "resource" else None,
            "program": row if kind == "program" else None,
            **data,
        }


class ConfirmForm(forms.Form):
    """An action without input (send, accept): the button is the confirmation."""


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )


class StartForm(forms.Form):
    started_on = WarekiDateField(label=_("利用開始日（来られた日）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate().isoformat()})
        super().__init__(*args, **kwargs)


class EndForm(forms.Form):
    outcome = forms.ChoiceField(label=_("終了の理由"), choices=ReferralOutcome.choices)
    note = forms.CharField(
        label=_("補足"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ended_on = WarekiDateField(label=_("終了日"))


class CameForm(forms.Form):
    """The inbox's 「来られました」: the day, today unless changed (a date picker on phones)."""

    started_on = forms.DateField(
        label=_("来られた日"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("お断りの理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: 定員がいっぱいです。次の募集は4月です。"),
    )
