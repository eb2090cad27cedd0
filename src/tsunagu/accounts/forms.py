from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import DateStyle


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("表示言語"), choices=settings.LANGUAGES)
    date_style = forms.ChoiceField(label=_("日付の表示"), choices=DateStyle.choices)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("表示言語"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class LoginForm(AuthenticationForm):
    """Django's login form without autofocus, so the first Tab reaches the skip link."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
