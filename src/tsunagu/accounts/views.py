from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts import services
from tsunagu.accounts.forms import LanguageForm, LoginForm, PreferencesForm
from tsunagu.core.http import safe_next


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:preferences")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, _("パスワードを変更しました。"))
        return super().form_valid(form)


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch language: saved on the user when signed in, in a cookie always."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect(
            safe_next(request, reverse("dashboard:home"), target=request.POST.get("next") or "")
        )
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_preferences_update(
            user=request.user,
            language=language,
            date_style=request.user.date_style,
            actor=request.user,
        )
    translation.activate(language)
    response = HttpResponseRedirect(
        safe_next(request, reverse("dashboard:home"), target=form.cleaned_data.get("next") or "")
    )
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    return response


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(
        request.POST or None, initial={"language": user.language, "date_style": user.date_style}
    )
    if request.method == "POST" and form.is_valid():
        services.user_preferences_update(user=user, actor=user, **form.cleaned_data)
        translation.activate(user.language)
        messages.success(request, _("表示設定を保存しました。"))
        return redirect("accounts:preferences")
    memberships = user.memberships.select_related("prefecture", "municipality").order_by(
        "-starts_on"
    )
    return render(request, "accounts/preferences.html", {"form": form, "memberships": memberships})
