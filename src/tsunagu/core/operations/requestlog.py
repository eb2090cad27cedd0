"""One log line per request (logger ``tsunagu.requests``), and the request figures.

The line holds what an operator needs and no personal data: the user's id (never a name),
the method, the path without its query string (searches carry names and addresses there),
the URL's name, the status and the duration. ``TSUNAGU_LOG_FORMAT=json`` writes each line as
one JSON object (for journald/Loki/Elasticsearch); ``text`` (the default) as readable text.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

from tsunagu.core.operations import metrics

logger = logging.getLogger("tsunagu.requests")


class RequestLogMiddleware:
    """Outermost middleware: times the whole request, logs it, counts it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        url_name = (match.view_name if match else "") or "<unresolved>"
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        metrics.observe_request(url_name=url_name, status=response.status_code, seconds=duration)
        logger.info(
            "%s %s %s %.1fms user=%s",
            request.method,
            request.path,
            response.status_code,
            duration * 1000,
            user_id if user_id is not None else "-",
            extra={
                "request_fields": {
                    "user_id": user_id,
                    "method": request.method,
                    "path": request.path,  # never the query string
                    "url_name": url_name,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                }
            },
        )
        return response


class JsonFormatter(logging.Formatter):
    """Each record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "request_fields", None)
        if fields:
            body["event"] = "request"
            body.update(fields)
        else:
            body["message"] = record.getMessage()
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False, default=str)
