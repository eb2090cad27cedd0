from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found, permission_denied

from tsunagu.core.errors import NotFound, PermissionDenied


class DomainErrorMiddleware:
    """Turn NotFound into a 404 page and every refusal into a 403 page, for every view.

    The response is returned, not raised: raising from ``process_exception`` chains the
    new exception to the original, and Django logs a 403 with its traceback, so each
    refusal printed two tracebacks. A refusal is expected behaviour: Django's request
    logger writes its one line ("Forbidden: /path", WARNING) for the returned response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return page_not_found(request, Http404(exception.message))
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, DjangoPermissionDenied(exception.message))
        if isinstance(exception, DjangoPermissionDenied):
            return permission_denied(request, exception)
        return None
