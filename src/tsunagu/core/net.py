"""The client's address behind a reverse proxy, and the server's trusted-proxy options.

Behind nginx (``TSUNAGU_BEHIND_TLS_PROXY=1``) every connection comes from the proxy. Two
things must then agree on who the client is:

- the server (``tsunagu serve``, waitress) trusts the proxy's ``X-Forwarded-*`` headers
  only from ``TSUNAGU_TRUSTED_PROXY`` (default 127.0.0.1): it sets the scheme (https, so
  Django does not redirect again), the host and REMOTE_ADDR to what the proxy saw, and
  removes the headers when anyone else sends them;
- the app (API rate limits, django-axes login throttling) reads the address with
  :func:`client_address`: REMOTE_ADDR, or the ``TSUNAGU_API_NUM_PROXIES``-th address from
  the right of X-Forwarded-For, which the trusted proxies appended themselves. A
  made-up X-Forwarded-For sent by the client sits further left and is never read.

Both read the same settings, so waitress and any other WSGI server given the same
options name the same client.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

from django.conf import settings
from django.http import HttpRequest

# The X-Forwarded-* headers nginx sets (see docs/operator-guide.md); "forwarded" (RFC 7239)
# cannot be combined with them in waitress and nginx does not send it by default.
TRUSTED_PROXY_HEADERS = frozenset(
    {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"}
)


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value in (None, ""):
        value = os.environ.get(name) or default
    return str(value)


def proxy_count() -> int:
    """How many proxies stand before the server (0: clients connect directly)."""
    return max(0, int(_setting("TSUNAGU_API_NUM_PROXIES", "0")))


def _valid(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address.strip().strip("[]")))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address (REMOTE_ADDR, or X-Forwarded-For behind known proxies), or
    None when there is no valid one. django-axes reads it (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies = proxy_count()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    if not addresses:
        return remote
    return _valid(addresses[-min(proxies, len(addresses))]) or remote


def client_address(request: HttpRequest) -> str:
    """:func:`client_ip`, or ``"unknown"`` (the API rate limits' bucket name)."""
    return client_ip(request) or "unknown"


def waitress_proxy_options() -> dict[str, Any]:
    """Keyword arguments for ``waitress.serve``: the trusted proxy, when there is one."""
    if not getattr(settings, "BEHIND_TLS_PROXY", False):
        return {}
    return {
        "trusted_proxy": settings.TRUSTED_PROXY,
        "trusted_proxy_count": max(1, proxy_count()),
        "trusted_proxy_headers": set(TRUSTED_PROXY_HEADERS),
        "clear_untrusted_proxy_headers": True,
    }


def trusted_proxy_headers(application: Any) -> Any:
    """``application`` behind waitress's own proxy-header translation, for other servers.

    gunicorn passes every ``X-Forwarded-*`` header on, whoever sent it, and never sets
    ``REMOTE_ADDR`` or the host from them: wrapped so, the application sees exactly what it
    sees under waitress given :func:`waitress_proxy_options` (the same function, the same
    options): the trusted proxy's headers applied, anyone else's removed, and every one of
    them removed when there is no proxy. Read at each request, so it follows the settings.
    """
    from waitress.proxy_headers import proxy_headers_middleware

    def translated(environ: dict[str, Any], start_response: Any) -> Any:
        options = waitress_proxy_options()
        middleware = proxy_headers_middleware(
            application,
            trusted_proxy=options.get("trusted_proxy"),
            trusted_proxy_count=options.get("trusted_proxy_count", 1),
            trusted_proxy_headers=options.get("trusted_proxy_headers"),
            clear_untrusted=True,
        )
        return middleware(environ, start_response)

    return translated
