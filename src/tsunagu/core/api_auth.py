"""Authentication, throttling and error responses of the REST API (/api/v1/).

Two ways in:

- the browser's session (Django login), with CSRF protection on every write;
- ``Authorization: Bearer <token>`` for scripts. A token is a user id signed with the
  project's SECRET_KEY by :class:`django.core.signing.TimestampSigner`, issued by
  ``POST /api/v1/auth/token`` and valid for ``TSUNAGU_API_TOKEN_MAX_AGE_DAYS`` days
  (default 90). There is no token table (so no migration): a token cannot be revoked on
  its own. It stops working when it expires, when the user's password changes (the
  token carries a fingerprint of the password hash, like Django's session hash), when
  the user is deactivated, or for every token at once when SECRET_KEY is rotated.
  The user's memberships are read on each request, so a token never grants more than
  the user currently has.

Throttling reads its rates from settings on every request (so tests and operators can
change them): ``TSUNAGU_API_ANON_RATE`` (default 60/min per client address, public
endpoints and anonymous calls), ``TSUNAGU_API_USER_RATE`` (default 600/min per user) and
``TSUNAGU_API_TOKEN_RATE`` (default 10/min per address, token issue; django-axes also
locks a username+address pair after repeated failures). Counters live in Django's cache:
with the default per-process memory cache each server process counts on its own.
Client addresses come from REMOTE_ADDR; behind a reverse proxy set
``TSUNAGU_API_NUM_PROXIES`` to the number of proxies so X-Forwarded-For is used — never
trusted otherwise, or anyone could dodge the limit by sending a made-up header.

Errors always answer ``{"detail": <Japanese message>, "code": ..., "errors": [{"field",
"label", "message"}]}``.
"""

from __future__ import annotations

import datetime
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle
from ninja.utils import check_csrf
from pydantic import field_validator

from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError

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


def token_issue(user: Any) -> tuple[str, datetime.datetime]:
    """A bearer token for ``user`` and the moment it expires."""
    token = _signer().sign(f"{user.pk}.{_fingerprint(user)}")
    return token, timezone.now() + token_max_age()


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
    user_id, _sep, fingerprint = value.partition(".")
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


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For behind known proxies."""
    proxies = int(_setting("TSUNAGU_API_NUM_PROXIES", "0"))
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    return addresses[-min(proxies, len(addresses))] if addresses else remote


class SettingsRateThrottle(SimpleRateThrottle):
    """A rate limit whose rate is read from settings on every request."""

    setting_name = ""
    default_rate = ""

    def __init__(self) -> None:
        super().__init__(rate=self.default_rate)

    def current_rate(self) -> str:
        return _setting(self.setting_name, self.default_rate)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.current_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str:
        return client_address(request)


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


# --- errors ----------------------------------------------------------------------------


@dataclass
class FieldError:
    field: str | None
    label: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "message": self.message}


class ApiValidationError(Exception):
    """Field errors in the API's own field names, answered with 422."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


# Japanese labels of request fields, per body parameter name and field (filled by schemas).
_LABELS: dict[tuple[str | None, str], str] = {}


def register_labels(param: str | None, labels: dict[str, str]) -> None:
    for name, label in labels.items():
        _LABELS[(param, name)] = label
        _LABELS.setdefault((None, name), label)


def register_schema_labels(param: str, *schemas: type[Schema]) -> None:
    """Use each field's ``title`` as its Japanese label in error messages."""
    for schema in schemas:
        register_labels(
            param,
            {name: field.title for name, field in schema.model_fields.items() if field.title},
        )


def field_label(param: str | None, field: str | None) -> str:
    if not field:
        return ""
    head = field.split(".")[0]
    return _LABELS.get((param, head)) or _LABELS.get((None, head)) or head


def from_django_validation_error(
    error: DjangoValidationError,
    *,
    field_names: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
) -> ApiValidationError:
    """Translate a model ValidationError into API field names and Japanese labels."""
    field_names = field_names or {}
    labels = labels or {}
    errors: list[FieldError] = []
    if hasattr(error, "error_dict"):
        for name, field_errors in error.error_dict.items():
            api_name = None if name == "__all__" else field_names.get(name, name)
            for item in field_errors:
                for message in item.messages:
                    errors.append(
                        FieldError(api_name, labels.get(name, field_label(None, api_name)), message)
                    )
    else:
        errors = [FieldError(None, "", message) for message in error.messages]
    return ApiValidationError(errors)


# Marked for makemessages; translated when an error is answered.
_PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("必須の項目です。"),
    "string_type": N_("文字列で指定してください。"),
    "string_too_short": N_("{min_length}文字以上で入力してください。"),
    "string_too_long": N_("{max_length}文字以内で入力してください。"),
    "int_type": N_("整数で指定してください。"),
    "int_parsing": N_("整数で指定してください。"),
    "int_from_float": N_("整数で指定してください。"),
    "float_type": N_("数値で指定してください。"),
    "float_parsing": N_("数値で指定してください。"),
    "decimal_type": N_("数値で指定してください。"),
    "decimal_parsing": N_("数値で指定してください。"),
    "decimal_max_digits": N_("数値の桁数が多すぎます（{max_digits}桁まで）。"),
    "decimal_max_places": N_("小数点以下は{decimal_places}桁までにしてください。"),
    "bool_type": N_("true または false で指定してください。"),
    "bool_parsing": N_("true または false で指定してください。"),
    "greater_than": N_("{gt}より大きい値を指定してください。"),
    "greater_than_equal": N_("{ge}以上の値を指定してください。"),
    "less_than": N_("{lt}より小さい値を指定してください。"),
    "less_than_equal": N_("{le}以下の値を指定してください。"),
    "date_type": N_("日付で指定してください（例: 2024-10-01、令和6年10月1日）。"),
    "date_parsing": N_("日付の形式が正しくありません（例: 2024-10-01、令和6年10月1日）。"),
    "date_from_datetime_parsing": N_(
        "日付の形式が正しくありません（例: 2024-10-01、令和6年10月1日）。"
    ),
    "date_from_datetime_inexact": N_("日付だけを指定してください（例: 2024-10-01）。"),
    "time_type": N_("時刻で指定してください（例: 10:00）。"),
    "time_parsing": N_("時刻の形式が正しくありません（例: 10:00）。"),
    "enum": N_("次のいずれかを指定してください: {expected}"),
    "literal_error": N_("次のいずれかを指定してください: {expected}"),
    "list_type": N_("配列（[...]）で指定してください。"),
    "dict_type": N_("オブジェクト（{{...}}）で指定してください。"),
    "model_type": N_("オブジェクト（{{...}}）で指定してください。"),
    "model_attributes_type": N_("オブジェクト（{{...}}）で指定してください。"),
    "json_invalid": N_("JSON の形式が正しくありません。"),
    "json_type": N_("JSON の形式が正しくありません。"),
    "extra_forbidden": N_("この項目は指定できません（項目名の誤りではありませんか）。"),
    "too_long": N_("指定できるのは{max_length}件までです。"),
    "too_short": N_("{min_length}件以上を指定してください。"),
}


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error") or error.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        return message
    template = _PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return _("入力内容が正しくありません。")
    try:
        return _(template).format(**{k: v for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return _(template)


def _from_ninja_validation_error(exc: NinjaValidationError) -> list[FieldError]:
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        source = loc[0] if loc else ""
        param = loc[1] if source == "body" and len(loc) > 1 else None
        parts = loc[2:] if source == "body" else loc[1:]
        field = ".".join(parts) or (param if source != "body" else None)
        errors.append(FieldError(field, field_label(param, field), _pydantic_message(error)))
    return errors


def error_payload(detail: str, *, code: str, errors: Iterable[FieldError] = ()) -> dict[str, Any]:
    return {"detail": detail, "code": code, "errors": [e.as_dict() for e in errors]}


def _summary(errors: list[FieldError]) -> str:
    parts = [
        f"{e.label or e.field}: {e.message}" if (e.label or e.field) else e.message for e in errors
    ]
    return _("入力内容に誤りがあります。") + " " + " / ".join(parts)


class ErrorOut(Schema):
    """Every error response."""

    detail: str = Field(..., description="日本語のエラーメッセージ")
    code: str = Field(..., description="エラーの種類（invalid, not_found, permission_denied …）")
    errors: list[dict[str, Any]] = Field(
        default_factory=list,
        description="項目ごとの誤り: field（API の項目名）、label（項目の日本語名）、message",
    )


def install_error_handlers(api: Any) -> None:
    """Answer every error of ``api`` with a Japanese message (and the field, where known)."""

    def respond(request: HttpRequest, payload: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, payload, status=status)

    def tsunagu_error(request: HttpRequest, exc: TsunaguError) -> HttpResponse:
        if isinstance(exc, NotFound):
            return respond(request, error_payload(exc.message, code=exc.code), 404)
        if isinstance(exc, PermissionDenied):
            return respond(request, error_payload(exc.message, code=exc.code), 403)
        errors = [FieldError(exc.field, field_label(None, exc.field), exc.message)]
        return respond(request, error_payload(exc.message, code=exc.code, errors=errors), 400)

    def api_validation_error(request: HttpRequest, exc: ApiValidationError) -> HttpResponse:
        payload = error_payload(_summary(exc.errors), code="invalid", errors=exc.errors)
        return respond(request, payload, 422)

    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api_validation_error(request, from_django_validation_error(exc))

    def request_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return api_validation_error(request, ApiValidationError(_from_ninja_validation_error(exc)))

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, error_payload(_("見つかりません。"), code="not_found"), 404)

    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = math.ceil(exc.wait) if exc.wait else None
        message = (
            _("リクエストが多すぎます。%(seconds)s 秒ほど待ってから再度お試しください。")
            % {"seconds": wait}
            if wait
            else _("リクエストが多すぎます。しばらく待ってから再度お試しください。")
        )
        return respond(request, error_payload(message, code="throttled"), 429)

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message
        if message == "Unauthorized":
            message = _(
                "ログインするか、API トークン（Authorization: Bearer <トークン>）を付けてください。"
            )
        response = respond(request, error_payload(message, code="unauthenticated"), 401)
        response["WWW-Authenticate"] = 'Bearer realm="tsunagu"'
        return response

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        messages = {
            400: _("リクエストの形式が正しくありません。"),
            403: _("この操作を行う権限がありません。"),
            404: _("見つかりません。"),
        }
        message = exc.message
        if not any("\u3040" <= ch <= "\u9fff" for ch in message):  # not already Japanese
            message = messages.get(exc.status_code, message)
        return respond(request, error_payload(message, code="http_error"), exc.status_code)

    api.add_exception_handler(TsunaguError, tsunagu_error)
    api.add_exception_handler(ApiValidationError, api_validation_error)
    api.add_exception_handler(DjangoValidationError, django_validation_error)
    api.add_exception_handler(NinjaValidationError, request_validation_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)


# --- token endpoint --------------------------------------------------------------------

router = Router(tags=["認証"])


class TokenIn(Schema):
    username: str = Field(..., title="ユーザー名", max_length=150)
    password: str = Field(..., title="パスワード", max_length=256)

    @field_validator("username", "password")
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
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="API トークンの発行",
    description=(
        "ユーザー名とパスワードで API トークンを発行します。以後のリクエストに "
        "`Authorization: Bearer <token>` ヘッダーを付けてください。"
        "トークンの有効期間は既定で90日（TSUNAGU_API_TOKEN_MAX_AGE_DAYS）。"
        "トークンは個別に失効させられません。パスワードの変更または利用停止で、"
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
    token, expires_at = token_issue(user)
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
    response={200: TokenUserOut, 401: ErrorOut},
    summary="認証中の利用者",
    description="トークンまたはセッションが有効かを確かめ、認証中の利用者を返します。",
)
def whoami(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return {"id": user.pk, "username": user.username, "display_name": user.display_name}
