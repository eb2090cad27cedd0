"""``GET /metrics`` (see :mod:`.metrics` for what it shows and who may read it)."""

from __future__ import annotations

import ipaddress
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tsunagu.core.operations import metrics

PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
LOCAL = ("127.0.0.0/8", "::1/128")


def _address_allowed(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    # Through a proxy on this machine every request would look local: only a request with
    # no proxy header counts as coming from here.
    networks = list(settings.METRICS_ALLOWED_IPS)
    if not any(request.META.get(header) for header in PROXY_HEADERS):
        networks += LOCAL
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def _token_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    return bool(token) and secrets.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def metrics_page(request: HttpRequest) -> HttpResponse:
    if not (_token_allowed(request) or _address_allowed(request)):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(metrics.render(), content_type="text/plain; version=0.0.4; charset=utf-8")
