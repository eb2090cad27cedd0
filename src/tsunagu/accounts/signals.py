"""Signed-in browsers: recorded at sign-in, forgotten at sign-out (see models.UserSession)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from tsunagu.accounts import services

    if request is not None and hasattr(request, "session"):
        services.session_record(request=request, user=user)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from tsunagu.accounts import services

    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        services.session_forget(session_key=session_key)


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="tsunagu.accounts.session_record")
    user_logged_out.connect(_logged_out, dispatch_uid="tsunagu.accounts.session_forget")
