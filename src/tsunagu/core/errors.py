"""The one exception type for errors a user can cause.

Services raise :class:`TsunaguError` with a Japanese message and, where it applies,
the form field or import location it concerns; views turn it into a form error and
the API into a 4xx response carrying the same message.
"""

from __future__ import annotations


class TsunaguError(Exception):
    """A problem with what the user asked for, explained in Japanese."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return self.message


class NotFound(TsunaguError):
    """Missing, or not visible to this user: the two are deliberately indistinguishable."""

    def __init__(self, message: str = "見つかりません。") -> None:
        super().__init__(message, code="not_found")


class PermissionDenied(TsunaguError):
    """The user may see the object but not do this to it."""

    def __init__(self, message: str = "この操作を行う権限がありません。") -> None:
        super().__init__(message, code="permission_denied")
