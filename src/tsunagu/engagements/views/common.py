"""What the engagement pages share: page sizes, the detail URL, saving a form, the form page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tsunagu.core.errors import TsunaguError
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import raise_if_access
from tsunagu.engagements.models import Engagement

PER_PAGE = 50
PARTICIPANT_ROWS = 6  # blank participant rows offered on the visit form
MORE_ROWS = 4  # rows added by 「行を追加」


def detail_url(engagement: Engagement, anchor: str = "") -> str:
    url = reverse("engagements:detail", args=[engagement.pk])
    return f"{url}#{anchor}" if anchor else url


def form_saved(request: HttpRequest, form: Any, message: str, save: Callable[[], Any]) -> bool:
    """Whether a POSTed, valid form was saved by ``save()`` (then with ``message``). A
    write error is shown on the form instead, which keeps what was typed."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except (TsunaguError, ValidationError) as error:
        raise_if_access(error)
        apply_validation_error(form, error)
        return False
    messages.success(request, message)
    return True


def form_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "engagements/form.html", context, status=status)


def record_page(
    request: HttpRequest,
    engagement: Engagement,
    form: Any,
    *,
    save: Callable[[], Any],
    saved_message: str,
    title: str,
    anchor: str,
    lead: str = "",
) -> HttpResponse:
    """The page that adds one record to an engagement (advisor, insight, contact, follow-up):
    saved, back to the engagement's ``anchor`` section; otherwise the form (again)."""
    if form_saved(request, form, saved_message, save):
        return redirect(detail_url(engagement, anchor))
    context = {
        "form": form,
        "engagement": engagement,
        "title": title,
        "cancel_url": detail_url(engagement, anchor),
    }
    if lead:
        context["lead"] = lead
    return form_page(request, context)
