"""Rate limits per client address: the API's throttles and the public pages' limit.

Both count requests in Django's cache (a sliding window per client address, django-ninja's
:class:`~ninja.throttling.SimpleRateThrottle`), read their rate from settings on every
request (so tests and operators can change it) and name the client with
:func:`tsunagu.core.net.client_address`: REMOTE_ADDR, or behind the trusted reverse proxy
the address the proxy appended to X-Forwarded-For, never a header the client made up.
The cache is shared by every server process (files in the data directory, or Redis with
``TSUNAGU_REDIS_URL``, which several app servers need to count together).

- :class:`SettingsRateThrottle`: the base of the API's throttles (:mod:`tsunagu.core.api.auth`).
- :func:`public_page`: the pages anyone may open without signing in (the landing page,
  the public directory, its map and large-print lists, the certified bodies) answer 429
  with a Japanese page and ``Retry-After`` beyond ``TSUNAGU_PUBLIC_RATE_LIMIT`` requests
  (default ``120/min``; ``off`` turns it off) from one address. Signed-in users are not
  limited by it.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from ninja.throttling import SimpleRateThrottle

from tsunagu.core.net import client_address

# "120/min", "120/m", "2000/hour", "10/5s" (as django-ninja reads them), or "off".
RATE_PATTERN = re.compile(r"^\d+/\d*(s|sec|m|min|h|hour|d|day)$")
OFF = "off"


def _setting(name: str, default: str) -> str:
    """A Django setting, else the environment variable of the same name, else ``default``."""
    value = getattr(settings, name, None)
    if value in (None, ""):
        value = os.environ.get(name) or default
    return str(value).strip()


def check_rate(name: str, rate: str) -> str:
    """``rate`` if it is a rate (or ``off``); ImproperlyConfigured with a clear message."""
    if rate.lower() == OFF or RATE_PATTERN.match(rate):
        return rate
    raise ImproperlyConfigured(
        f"{name}={rate!r} は回数制限として読めません。「120/min」（1分あたり120回）、"
        "「2000/hour」のように書くか、制限しない場合は off にしてください。"
        f" / {name} must look like 120/min or 2000/hour, or be off."
    )


class SettingsRateThrottle(SimpleRateThrottle):
    """A rate limit whose rate is read from settings on every request."""

    setting_name = ""
    default_rate = ""

    def __init__(self) -> None:
        super().__init__(rate=self.default_rate)

    def current_rate(self) -> str | None:
        rate = check_rate(self.setting_name, _setting(self.setting_name, self.default_rate))
        return None if rate.lower() == OFF else rate

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.current_rate()
        if self.rate is None:
            return True  # "off"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str:
        return client_address(request)


class PublicPageRateThrottle(SettingsRateThrottle):
    """Public pages opened without signing in, per client address."""

    scope = "public"
    setting_name = "TSUNAGU_PUBLIC_RATE_LIMIT"
    default_rate = "120/min"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None  # staff at work are not limited by the residents' limit
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def too_many_requests(request: HttpRequest, wait: float | None) -> HttpResponse:
    """The 429 page: in Japanese, with ``Retry-After`` (seconds)."""
    seconds = max(1, math.ceil(wait)) if wait else 60
    html = render_to_string("429.html", {"retry_after": seconds}, request=request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(seconds)
    return response


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Limit a page anyone may open to ``TSUNAGU_PUBLIC_RATE_LIMIT`` per client address."""

    @functools.wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle = PublicPageRateThrottle()  # one per request: it keeps the request's history
        if not throttle.allow_request(request):
            return too_many_requests(request, throttle.wait())
        return view(request, *args, **kwargs)

    limited.public_rate_limited = True  # type: ignore[attr-defined]
    return limited
