"""Request-level hardening: the request size limit and the Content-Security-Policy header.

- :class:`RequestSizeLimitMiddleware` answers 413 to a request whose body is larger than
  ``TSUNAGU_MAX_UPLOAD_MB`` (default 100 MB) before any view reads it. Django limits form
  fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files; ``tsunagu serve`` gives
  waitress the same bound (``max_request_body_size``) for bodies without a Content-Length.
- :class:`ContentSecurityPolicyMiddleware` sets ``Content-Security-Policy`` (see
  :func:`content_security_policy`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def max_request_bytes() -> int:
    return int(float(getattr(settings, "TSUNAGU_MAX_UPLOAD_MB", 100)) * 1024 * 1024)


class RequestSizeLimitMiddleware:
    """413 for a request body over ``TSUNAGU_MAX_UPLOAD_MB``, before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_request_bytes()
        if length > limit:
            message = _(
                "送信されたデータが大きすぎます（%(size)s MB。上限は %(limit)s MB です）。"
                "ファイルを分けてから送ってください。"
            ) % {"size": f"{length / 1024 / 1024:,.1f}", "limit": f"{limit / 1024 / 1024:,.0f}"}
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def content_security_policy() -> str:
    """The policy: everything from this site only, plus the map tiles' host for images."""
    tiles = getattr(settings, "TILE_URL", "")
    tile_origin = ""
    if tiles.startswith(("https://", "http://")):
        tile_origin = "/".join(tiles.split("/")[:3])
    img = " ".join(filter(None, ["'self'", "data:", tile_origin]))
    style = "'self'" + ("" if getattr(settings, "CSP_STRICT_STYLES", False) else " 'unsafe-inline'")
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {style}",
        f"img-src {img}",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


class ContentSecurityPolicyMiddleware:
    """Sets ``Content-Security-Policy`` on every response that has none yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header not in response:
            response[self.header] = content_security_policy()
        return response
