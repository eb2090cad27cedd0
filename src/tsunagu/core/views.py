from __future__ import annotations

import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from tsunagu import __version__


@functools.cache
def _migrations_on_disk() -> frozenset[tuple[str, str]]:
    """Every migration of the installed code: read from disk once per process (building the
    graph took ~25 ms, on every health check of a load balancer)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: database reachable, migrations applied."""
    body: dict[str, object] = {"version": __version__}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = {"ok": True, "vendor": connection.vendor}
        applied = MigrationRecorder(connection).applied_migrations()
        pending = [f"{app}.{name}" for app, name in sorted(_migrations_on_disk() - set(applied))]
        body["migrations"] = {"ok": not pending, "pending": pending}
    except Exception as exc:  # any failure to reach the database is a failed check
        body["database"] = {"ok": False, "error": exc.__class__.__name__}
        body.setdefault("migrations", {"ok": False, "pending": None})
    ok = body["database"]["ok"] and body["migrations"]["ok"]  # type: ignore[index]
    body["status"] = "ok" if ok else "error"
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    return redirect("accounts:login")
