"""Forms of the continuity pages (stewards, contact log, handover)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.continuity.models import HandoverReason, InteractionChannel


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class _UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class StewardForm(forms.Form):
    steward = _UserChoice(label=_("担当"), queryset=None)
    deputies = _UsersChoice(
        label=_("副担当"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("担当が不在のときや異動のときに関係をつなぐ人（複数可）"),
    )
    since = forms.DateField(label=_("開始日"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steward"].queryset = users
        self.fields["deputies"].queryset = users
        self.fields["since"].initial = timezone.localdate()


class InteractionForm(forms.Form):
    occurred_on = forms.DateField(label=_("日付"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("方法"), choices=InteractionChannel.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("相手の団体"), queryset=None, required=False
    )
    people = forms.ModelMultipleChoiceField(label=_("相手の人"), queryset=None, required=False)
    their_side_text = forms.CharField(
        label=_("相手（名簿にない人）"),
        max_length=200,
        required=False,
        help_text=_("名簿に登録のない相手の名前や所属"),
    )
    our_side = _UsersChoice(
        label=_("こちら側の参加者"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばないときは記録する人だけ"),
    )
    summary = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))
    next_step = forms.CharField(label=_("次にすること"), max_length=300, required=False)
    next_step_on = forms.DateField(
        label=_("次にすることの期日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self, *args: Any, organisations: Any, people: Any, users: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations
        self.fields["people"].queryset = people
        self.fields["our_side"].queryset = users
        self.fields["occurred_on"].initial = timezone.localdate()


def _next_april_first() -> datetime.date:
    today = timezone.localdate()
    year = today.year if today < datetime.date(today.year, 4, 1) else today.year + 1
    return datetime.date(year, 4, 1)


class HandoverStartForm(forms.Form):
    leaver = _UserChoice(label=_("異動・退職する人"), queryset=None)
    reason = forms.ChoiceField(label=_("理由"), choices=HandoverReason.choices)
    effective_on = forms.DateField(
        label=_("発令日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("この日から前任者は利用できなくなります（通常は4月1日）"),
    )
    note = forms.CharField(
        label=_("全体の引継ぎメモ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaver"].queryset = users
        self.fields["effective_on"].initial = _next_april_first()


class HandoverNoteForm(forms.Form):
    effective_on = forms.DateField(
        label=_("発令日"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("全体の引継ぎメモ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class HandoverBulkForm(forms.Form):
    successor = _UserChoice(label=_("後任"), queryset=None)
    kind = forms.ChoiceField(label=_("種類"), required=False)
    area = forms.ChoiceField(label=_("地域"), required=False)
    only_unassigned = forms.BooleanField(
        label=_("後任が未定の項目だけ"), required=False, initial=True
    )

    def __init__(
        self, *args: Any, users: Any, kinds: list[tuple[str, str]], areas: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = users
        self.fields["kind"].choices = [("", _("すべての種類")), *kinds]
        self.fields["area"].choices = [("", _("すべての地域"))] + [(a, a) for a in areas]
