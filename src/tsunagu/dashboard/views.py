"""The dashboard: every registered panel that has something for the user.

Its panels read from most apps' tables (37 queries in a city), and it is the page every
user opens first and returns to most. The rendered panels are kept in the shared cache
per user, language and day under the data version that any database write renews
(:mod:`tsunagu.core.cache_versions`), and for :data:`PANELS_SECONDS` at most, so that
what depends on the clock alone (a meeting starting, a follow-up falling due) shows within
two minutes. Nothing is kept inside a transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from tsunagu.accounts.models import Role
from tsunagu.accounts.permissions import scope_for
from tsunagu.core.cache_versions import data_version
from tsunagu.core.panels import render_context

PANELS_SECONDS = 120


@dataclass(frozen=True)
class ShownPanel:
    key: str
    title: str
    html: str


def _rendered_panels(request: HttpRequest) -> list[ShownPanel]:
    """Each shown panel's key, title and HTML, kept until the next write (see the module)."""
    version = data_version.kept()
    key = None
    if version is not None:
        key = (
            f"tsunagu:dashboard:{version}:{request.user.pk}:{get_language()}"
            f":{timezone.localdate().isoformat()}"
        )
        kept = cache.get(key)
        if kept is not None:
            return kept
    shown = [
        ShownPanel(
            panel.key,
            str(panel.title),
            mark_safe(render_to_string(panel.template, {"panel_context": context}, request)),
        )
        for panel, context in render_context(request)
    ]
    if key is not None:
        cache.set(key, shown, PANELS_SECONDS)
    return shown


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The page after login: every registered panel that has something for this user."""
    return render(
        request,
        "dashboard/home.html",
        {
            "panels": _rendered_panels(request),
            "scope_empty": scope_for(request.user).is_empty,
            "is_advisor": request.user.memberships.filter(role=Role.ADVISOR).exists(),
        },
    )
