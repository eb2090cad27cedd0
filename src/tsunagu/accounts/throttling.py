"""Login throttling: django-axes, with a second, higher limit per client address.

Axes locks a username + address pair after ``AXES_FAILURE_LIMIT`` failures (5): someone
guessing one person's password from one place. Password spraying tries a few passwords
over many usernames from one address and never reaches that limit, so this handler also
refuses every login from an address that failed ``TSUNAGU_LOGIN_ADDRESS_FAILURE_LIMIT``
times (20) within the cool-off time, whatever the usernames. The limit is higher than the
per-user one because an office behind one NAT address shares it.

The address is :func:`tsunagu.core.net.client_ip` (``AXES_CLIENT_IP_CALLABLE``): the
real client behind the reverse proxy, never the proxy itself.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the cool-off time, any username."""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitedHandler(AxesDatabaseHandler):
    """Axes' database handler, also locked per address after many failures (spraying)."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        # Axes decides "locked out" (the 429 page) after recording the failure, from the
        # username+address count alone: the address count is added here.
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False):
            if address_locked(request):
                request.axes_locked_out = True
                request.axes_credentials = credentials


def address_locked(request: HttpRequest) -> bool:
    limit = settings.TSUNAGU_LOGIN_ADDRESS_FAILURE_LIMIT
    return limit > 0 and address_failures(request) >= limit
