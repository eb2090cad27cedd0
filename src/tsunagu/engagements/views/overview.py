"""The prefecture overview and the follow-up reminder settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import scope_for, scope_q
from tsunagu.areas.models import Municipality, Prefecture
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import raise_if_access
from tsunagu.engagements import permissions, selectors, services
from tsunagu.engagements.forms import FollowUpSettingsForm, OverviewForm
from tsunagu.engagements.models import (
    DEFAULT_FIRST_REMINDER_DAYS,
    DEFAULT_REPEAT_REMINDER_DAYS,
    FollowUpSettings,
)
from tsunagu.engagements.views.common import form_page

# --- prefecture overview and follow-up settings --------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = scope_for(user)
    prefectures = Prefecture.objects.filter(
        pk__in=Municipality.objects.filter(scope_q(user, municipality_field="pk")).values(
            "prefecture_id"
        )
    ).order_by("code")
    form = OverviewForm(request.GET or None, prefectures=prefectures)
    prefecture = form.valid_data().get("prefecture")
    if prefecture is None and len(scope.prefecture_ids) == 1:
        prefecture = prefectures.filter(pk__in=scope.prefecture_ids).first()
    today = timezone.localdate()
    rows = selectors.prefecture_overview(user=user, prefecture=prefecture, today=today)
    config = None
    if prefecture is not None:
        config = FollowUpSettings.objects.filter(prefecture=prefecture).first()
    return render(
        request,
        "engagements/overview.html",
        {
            "form": form,
            "prefecture": prefecture,
            "rows": rows,
            "today": today,
            "first_days": config.first_reminder_days if config else DEFAULT_FIRST_REMINDER_DAYS,
            "repeat_days": config.repeat_reminder_days if config else DEFAULT_REPEAT_REMINDER_DAYS,
            "can_configure": prefecture is not None
            and permissions.can_edit_followup_settings(user, prefecture),
        },
    )


@login_required
def follow_up_settings(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    prefecture = Prefecture.objects.filter(pk=pk).first()
    if prefecture is None:
        raise NotFound()
    if not permissions.can_edit_followup_settings(user, prefecture):
        raise PermissionDenied()
    config = FollowUpSettings.objects.filter(prefecture=prefecture).first()
    initial = {
        "first_reminder_days": config.first_reminder_days
        if config
        else DEFAULT_FIRST_REMINDER_DAYS,
        "repeat_reminder_days": config.repeat_reminder_days
        if config
        else DEFAULT_REPEAT_REMINDER_DAYS,
        "send_email": config.send_email if config else True,
    }
    form = FollowUpSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_settings_update(
                prefecture=prefecture, actor=user, **form.cleaned_data
            )
        except TsunaguError as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("フォローアップ通知の設定を保存しました。"))
            return redirect(reverse("engagements:overview") + f"?prefecture={prefecture.pk}")
    return form_page(
        request,
        {
            "form": form,
            "title": _("フォローアップ通知の設定"),
            "lead": prefecture.name,
            "cancel_url": reverse("engagements:overview"),
        },
    )
