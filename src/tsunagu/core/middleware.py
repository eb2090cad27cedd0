from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from tsunagu.core.errors import NotFound, PermissionDenied


class DomainErrorMiddleware:
    """Turn NotFound into 404 and PermissionDenied into 403 for every view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(exception.message)
        return None
