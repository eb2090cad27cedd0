"""Small request helpers shared by every app's views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from tsunagu.core.errors import NotFound, PermissionDenied
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.history import history_entries


def int_param(value: Any) -> int | None:
    """A query or form value as an int, or None when it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def safe_next(request: HttpRequest, fallback: str, *, target: str | None = None) -> str:
    """Where to go back to: the asked-for `next` when it stays on this site, else fallback.

    `target` defaults to the request's `next` (POST, then GET); a view that has
    already read it from a form passes it instead.
    """
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def raise_if_access(error: Exception) -> None:
    """Let a denial (403/404) through a view's error handling instead of showing it on a form."""
    if isinstance(error, PermissionDenied | NotFound):
        raise error


def show_on_form(form: Any, error: Exception) -> None:
    """Show a user's error on the form; a denial still answers 403/404."""
    raise_if_access(error)
    apply_validation_error(form, error)


def history_page(request: HttpRequest, obj: Any, back_url: str) -> HttpResponse:
    """The change history of one record, as this user may read it."""
    return render(
        request,
        "core/history.html",
        {
            "object": obj,
            "entries": history_entries(obj, user=request.user),
            "back_url": back_url,
        },
    )
