"""Small request helpers shared by every app's views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


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
