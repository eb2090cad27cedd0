"""Public pages (no login): the list of certified resident-led bodies."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tsunagu.bodies import selectors
from tsunagu.bodies.models import CertificationApplication
from tsunagu.core.ratelimit import public_page

# --- public ----------------------------------------------------------------------------


@public_page
def certified_public(request: HttpRequest) -> HttpResponse:
    """The public list of certified resident-led bodies (no login)."""
    certified = list(selectors.certified_bodies_public())
    groups: dict[Any, list[CertificationApplication]] = {}
    for application in certified:
        groups.setdefault(application.body.municipality, []).append(application)
    return render(
        request,
        "bodies/certified_public.html",
        {"groups": list(groups.items()), "today": timezone.localdate()},
    )
