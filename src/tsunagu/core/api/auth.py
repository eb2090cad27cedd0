"""Authentication, throttling and error responses of the REST API (/api/v1/).

Two ways in:

- the browser's session (Django login), with CSRF protection on every write;
- ``Authorization: Bearer <token>`` for scripts. A token is a user id signed with the
  project's SECRET_KEY by :class:`django.core.signing.TimestampSigner`, issued by
  ``POST /api/v1/auth/token`` and valid for ``TSUNAGU_API_TOKEN_MAX_AGE_DAYS`` days
  (default 90). Each token carries a random key recorded by the accounts app (the
  ``api_token_issued`` hook), so it can be revoked on its own from the account page or
  ``DELETE /api/v1/account/tokens/{id}``. It also stops working when it expires, when the
  user's password changes (the token carries a fingerprint of the password hash, like
  Django's session hash), when the user is deactivated, or for every token at once when
  SECRET_KEY is rotated.
  The user's memberships are read on each request, so a token never grants more than
  the user currently has.

Throttling reads its rates from settings on every request (so tests and operators can
change them): ``TSUNAGU_API_ANON_RATE`` (default 60/min per client address, public
endpoints and anonymous calls), ``TSUNAGU_API_USER_RATE`` (default 600/min per user) and
``TSUNAGU_API_TOKEN_RATE`` (default 10/min per address, token issue; django-axes also
locks a username+address pair after repeated failures); ``off`` turns a limit off. Counters
live in Django's cache, shared by the server processes (:mod:`tsunagu.core.ratelimit`).
Client addresses come from :func:`tsunagu.core.net.client_address`: REMOTE_ADDR, or
behind a reverse proxy (``TSUNAGU_BEHIND_TLS_PROXY=1``, ``TSUNAGU_API_NUM_PROXIES``) the
address the proxy appended to X-Forwarded-For — never a header the client made up.

Error responses (one shape for every app) are in :mod:`tsunagu.core.api.errors`.
"""

from __future__ import annotations

import datetime
import os
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle
from ninja.utils import check_csrf
from pydantic import field_validator

from tsunagu.core.api.errors import ErrorOut, error_payload, register_schema_labels
from tsunagu.core.plugins import hooks
from tsunagu.core.ratelimit import SettingsRateThrottle

TOKEN_SALT = "tsunagu.api.token"
DEFAULT_TOKEN_MAX_AGE_DAYS = 90


def _setting(name: str, default: str) -> str:
    """A Django setting, else the environment variable of the same name, else ``default``."""
    value = getattr(settings, name, None)
    if value in (None, ""):
        value = os.environ.get(name) or default
    return str(value)


# --- tokens ----------------------------------------------------------------------------


def token_max_age() -> datetime.timedelta:
    return datetime.timedelta(
        days=int(_setting("TSUNAGU_API_TOKEN_MAX_AGE_DAYS", str(DEFAULT_TOKEN_MAX_AGE_DAYS)))
    )


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=TOKEN_SALT)


def _fingerprint(user: Any) -> str:
    # Changes with the password hash: a password change ends every token of the user.
    return user.get_session_auth_hash()[:24]


# Extension points (accounts keeps the table of issued tokens, so each can be revoked):
# ``api_token_issued(*, user, expires_at, name) -> key`` records a token and returns the
# random key the signed token carries; ``api_token_active(*, user, key) -> bool`` says
# whether that token is still on (not revoked).
API_TOKEN_ISSUED = "api_token_issued"
API_TOKEN_ACTIVE = "api_token_active"


def token_issue(user: Any, *, name: str = "") -> tuple[str, datetime.datetime]:
    """A bearer token for ``user`` and the moment it expires."""
    expires_at = timezone.now() + token_max_age()
    keys = [issue(user=user, expires_at=expires_at, name=name) for issue in hooks(API_TOKEN_ISSUED)]
    value = f"{user.pk}.{_fingerprint(user)}" + (f".{keys[0]}" if keys else "")
    return _signer().sign(value), expires_at


class TokenError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def token_user(token: str) -> Any:
    """The active user a token was issued to; TokenError (Japanese message) otherwise."""
    try:
        value = _signer().unsign(token.strip(), max_age=token_max_age())
    except signing.SignatureExpired as exc:
        raise TokenError(
            _(
                "API トークンの有効期限が切れています。POST /api/v1/auth/token で再発行してください。"
            )
        ) from exc
    except signing.BadSignature as exc:
        raise TokenError(_("API トークンが正しくありません。")) from exc
    user_id, fingerprint, key = [*value.split("."), "", ""][:3]
    user = get_user_model().objects.filter(pk=user_id if user_id.isdigit() else None).first()
    if (
        user is None
        or not user.is_active
        or not constant_time_compare(fingerprint, _fingerprint(user))
    ):
        raise TokenError(
            _(
                "API トークンは無効になっています（パスワード変更または利用停止）。再発行してください。"
            )
        )
    # Tokens issued before the token table have no key: they end with their expiry date.
    if key and not all(active(user=user, key=key) for active in hooks(API_TOKEN_ACTIVE)):
        raise TokenError(_("この API トークンは失効しています。再発行してください。"))
    return user


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` (see the module docstring for what a token is)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            user = token_user(token)
        except TokenError as exc:
            raise AuthenticationError(401, exc.message) from exc
        # Downstream code (history middleware, language, scope caching) reads request.user.
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session; writes need the CSRF token (X-CSRFToken header)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # answered with 401, not with a CSRF failure
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise HttpError(
                403,
                _(
                    "CSRF トークンが確認できません。ページを再読み込みするか、"
                    "X-CSRFToken ヘッダーを付けてください。"
                ),
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def default_auth() -> list[Any]:
    return [BearerTokenAuth(), SessionAuth()]


# --- throttling ------------------------------------------------------------------------


class AnonymousRateThrottle(SettingsRateThrottle):
    """Calls without a signed-in user, per client address (public endpoints always)."""

    scope = "anon"
    setting_name = "TSUNAGU_API_ANON_RATE"
    default_rate = "60/min"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(SettingsRateThrottle):
    """Calls of a signed-in user (session or token), per user."""

    scope = "user"
    setting_name = "TSUNAGU_API_USER_RATE"
    default_rate = "600/min"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        if user is None or getattr(user, "pk", None) is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class TokenIssueRateThrottle(SettingsRateThrottle):
    """Token requests per client address: password guessing is slowed down here too."""

    scope = "token"
    setting_name = "TSUNAGU_API_TOKEN_RATE"
    default_rate = "10/min"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def default_throttles() -> list[SimpleRateThrottle]:
    return [AnonymousRateThrottle(), UserRateThrottle()]


# --- token endpoint --------------------------------------------------------------------

router = Router(tags=["認証"])


class TokenIn(Schema):
    username: str = Field(..., title="ユーザー名", max_length=150)
    password: str = Field(..., title="パスワード", max_length=256)
    name: str = Field("", title="名前（任意。一覧で見分けるため）", max_length=100)

    @field_validator("username", "password", "name")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        # PostgreSQL cannot compare text containing NUL: answer 422, not 500.
        if "\x00" in value:
            raise ValueError("使えない文字（NUL）が含まれています。")
        return value


class TokenUserOut(Schema):
    id: int
    username: str = Field(..., description="ユーザー名")
    display_name: str = Field(..., description="表示名")


class TokenOut(Schema):
    token: str = Field(..., description="Authorization: Bearer <token> として送るトークン")
    token_type: str = Field("Bearer", description="常に Bearer")
    expires_at: datetime.datetime = Field(..., description="有効期限（この日時を過ぎると無効）")
    user: TokenUserOut


register_schema_labels("credentials", TokenIn)


@router.post(
    "/token",
    auth=None,
    throttle=[TokenIssueRateThrottle()],
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="API トークンの発行",
    description=(
        "ユーザー名とパスワードで API トークンを発行します。以後のリクエストに "
        "`Authorization: Bearer <token>` ヘッダーを付けてください。"
        "トークンの有効期間は既定で90日（TSUNAGU_API_TOKEN_MAX_AGE_DAYS）。"
        "トークンは1つずつ失効させられます（アカウントのページ、または "
        "DELETE /api/v1/account/tokens/{id}）。パスワードの変更または利用停止で、"
        "その利用者のすべてのトークンが無効になります。"
        "失敗が続くと一時的にロックされます（ログイン画面と共通）。"
    ),
)
def token_create(request: HttpRequest, credentials: TokenIn) -> Any:
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if getattr(request, "axes_locked_out", False):
        # Answer in JSON here instead of letting AxesMiddleware render its HTML page.
        request.axes_locked_out = False
        return Status(
            429,
            error_payload(
                _(
                    "ログインの失敗が続いたため、一時的にロックされています。"
                    "しばらく待ってから再度お試しください。"
                ),
                code="locked_out",
            ),
        )
    if user is None or not user.is_active:
        return Status(
            401,
            error_payload(
                _("ユーザー名またはパスワードが正しくありません。"), code="invalid_credentials"
            ),
        )
    token, expires_at = token_issue(user, name=credentials.name)
    return Status(
        200,
        {
            "token": token,
            "token_type": "Bearer",
            "expires_at": expires_at,
            "user": {"id": user.pk, "username": user.username, "display_name": user.display_name},
        },
    )


@router.get(
    "/me",
    response={200: TokenUserOut, 401: ErrorOut, 429: ErrorOut},
    summary="認証中の利用者",
    description="トークンまたはセッションが有効かを確かめ、認証中の利用者を返します。",
)
def whoami(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return {"id": user.pk, "username": user.username, "display_name": user.display_name}
