from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import DateStyle


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("表示言語"), choices=settings.LANGUAGES)
    date_style = forms.ChoiceField(label=_("日付の表示"), choices=DateStyle.choices)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("表示言語"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
