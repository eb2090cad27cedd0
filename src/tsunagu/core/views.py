from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from tsunagu import __version__


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: database reachable, migrations applied."""
    body: dict[str, object] = {"version": __version__}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = {"ok": True, "vendor": connection.vendor}
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        pending = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
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
