from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.accounts.models import Role
from tsunagu.accounts.permissions import scope_for
from tsunagu.core.panels import render_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The page after login: every registered panel that has something for this user."""
    return render(
        request,
        "dashboard/home.html",
        {
            "panels": render_context(request),
            "scope_empty": scope_for(request.user).is_empty,
            "is_advisor": request.user.memberships.filter(role=Role.ADVISOR).exists(),
        },
    )
