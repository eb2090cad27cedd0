"""Error responses of the REST API (/api/v1/), shared by every app's router.

Errors always answer ``{"detail": <Japanese message>, "code": ..., "errors": [{"field",
"label", "message"}]}``: :func:`install_error_handlers` maps the project's errors
(:class:`~tsunagu.core.errors.TsunaguError` → 400/403/404), field errors
(:class:`ApiValidationError`, Django and pydantic validation → 422), throttling (429) and
authentication (401) to that shape. Field labels come from the schemas' titles
(:func:`register_schema_labels`). :data:`READ_ERRORS` / :data:`WRITE_ERRORS` are the
``response=`` entries a read / write operation documents.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError


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


READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
