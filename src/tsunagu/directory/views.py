"""Directory pages (being built: see helper brief)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.directory import selectors


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    resources = selectors.resource_list_visible_to(user=request.user)[:50]
    return render(request, "directory/search.html", {"resources": resources})
