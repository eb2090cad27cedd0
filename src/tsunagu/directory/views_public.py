"""Public directory pages (no login)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.directory import selectors


def public_search(request: HttpRequest) -> HttpResponse:
    resources = selectors.public_resource_list()[:50]
    return render(request, "directory/public_search.html", {"resources": resources})
