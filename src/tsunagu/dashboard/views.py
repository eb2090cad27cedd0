"""The dashboard: every registered panel that has something for the user.

Its panels read from most apps' tables (37 queries in a city), and it is the page every
user opens first and returns to most. Each rendered panel is kept in the shared cache
per user, language and day until one of the tables its queries read is written
(:func:`tsunagu.core.cache_versions.kept_by_tables`: a new issue recomputes the issue
panels, not the directory's), and for :data:`PANELS_SECONDS` at most, so that what
depends on the clock alone (a meeting starting, a follow-up falling due) shows within two
minutes. Nothing is kept inside a transaction.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from tsunagu.accounts.models import Role
from tsunagu.accounts.permissions import scope_for
from tsunagu.accounts.scope import forget_scope
from tsunagu.core.cache_versions import kept_by_tables, note_tables_read, reading_tables
from tsunagu.core.panels import Panel, panels

PANELS_SECONDS = 120


@dataclass(frozen=True)
class ShownPanel:
    key: str
    title: str
    html: str


def _rendered_panels(request: HttpRequest) -> list[ShownPanel]:
    """Each shown panel's key, title and HTML, kept until a table it read is written.

    Every panel also depends on the user and their scope (memberships, shared engagements),
    which the request read before the panel ran: the first panel computed in a request
    reads the scope afresh, and its tables count for every panel computed after it."""
    user = request.user
    prefix = f"tsunagu:dashboard:{user.pk}:{get_language()}:{timezone.localdate().isoformat()}"
    scope_tables: set[str] = set()

    def rendered(panel: Panel) -> str | None:
        if not scope_tables:
            forget_scope(user)
            with reading_tables() as read:
                scope_for(user)
            scope_tables.update(read, {user._meta.db_table})
        note_tables_read(scope_tables)
        context = panel.context(request)
        if context is None:
            return None
        return str(render_to_string(panel.template, {"panel_context": context}, request))

    shown = []
    for panel in panels():
        html = kept_by_tables(
            f"{prefix}:{panel.key}", functools.partial(rendered, panel), seconds=PANELS_SECONDS
        )
        if html is not None:
            shown.append(ShownPanel(panel.key, str(panel.title), mark_safe(html)))
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
