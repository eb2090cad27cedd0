"""Reads of a user's own API tokens and signed-in browsers (always the user's own)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from tsunagu.accounts.models import ApiToken, UserSession
from tsunagu.core.errors import NotFound


def api_tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    """The user's tokens that still work (neither revoked nor expired), newest first."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def api_token_get_own(*, user: Any, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise NotFound()
    return token


def api_token_find(*, user: Any, key: str) -> ApiToken | None:
    """The token of ``user`` named by ``key`` (as carried by the signed token), if any."""
    return ApiToken.objects.filter(user=user, key=key).first()


def sessions_of(*, user: Any) -> QuerySet[UserSession]:
    """The user's signed-in browsers whose session has not expired, most recently seen first."""
    sessions = UserSession.objects.filter(user=user)
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        sessions = sessions.filter(session_key__in=live)
    return sessions.order_by("-last_seen_at")


def session_get_own(*, user: Any, pk: int) -> UserSession:
    session = UserSession.objects.filter(user=user, pk=pk).first()
    if session is None:
        raise NotFound()
    return session
