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

from tsunagu.accounts import selectors, services
from tsunagu.accounts.forms import LanguageForm, LoginForm, PreferencesForm
from tsunagu.core.http import safe_next
from tsunagu.core.plugins import hooks

# Apps with secret calendar addresses list them on the security page:
# ``function(request, user) -> list[tuple[label, url]]``.
CALENDAR_FEEDS = "account_calendar_feeds"


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


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's signed-in browsers, API tokens and secret calendar addresses."""
    user = request.user
    feeds = [feed for provide in hooks(CALENDAR_FEEDS) for feed in provide(request, user)]
    return render(
        request,
        "accounts/security.html",
        {
            "sessions": selectors.sessions_of(user=user),
            "current_session_key": request.session.session_key,
            "tokens": selectors.api_tokens_of(user=user),
            "feeds": feeds,
        },
    )


@require_POST
@login_required
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_own(user=request.user, pk=pk)
    if session.session_key == request.session.session_key:
        messages.info(request, _("このブラウザーからはログアウトボタンでログアウトしてください。"))
        return redirect("accounts:security")
    services.session_end(session=session, actor=request.user)
    messages.success(request, _("そのブラウザーをログアウトさせました。"))
    return redirect("accounts:security")


@require_POST
@login_required
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = services.sessions_end_others(
        user=request.user, actor=request.user, current_session_key=request.session.session_key
    )
    messages.success(
        request, _("ほかのブラウザー %(count)d 件をログアウトさせました。") % {"count": count}
    )
    return redirect("accounts:security")


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get_own(user=request.user, pk=pk)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("API トークンを失効させました。"))
    return redirect("accounts:security")


@require_POST
@login_required
def calendar_feeds_rotate(request: HttpRequest) -> HttpResponse:
    services.calendar_feeds_rotate(user=request.user, actor=request.user)
    messages.success(
        request,
        _("カレンダーの秘密のアドレスを発行し直しました。以前のアドレスはもう使えません。"),
    )
    return redirect("accounts:security")
