"""The HTTP server behind ``tsunagu serve``: gunicorn on Linux, waitress elsewhere.

One Python process runs Python code on one core at a time (the GIL), so ``tsunagu serve``
starts several worker processes on Linux (gunicorn, run programmatically so that it stays
one command) and keeps waitress, pure Python and one process, for Windows and for
``--server waitress``.

Both servers trust the reverse proxy's ``X-Forwarded-*`` headers only from
``TSUNAGU_TRUSTED_PROXY`` and only with ``TSUNAGU_BEHIND_TLS_PROXY=1`` (see
:mod:`tsunagu.core.net`). waitress does it itself (:func:`~tsunagu.core.net.waitress_proxy_options`);
gunicorn is given the same address as ``forwarded_allow_ips`` and ``X-Forwarded-Proto`` as
its only ``secure_scheme_headers``, but it passes every header on to the application
whoever sent it, and it never sets ``REMOTE_ADDR`` or the host from them, so the
application is wrapped in :func:`~tsunagu.core.net.trusted_proxy_headers` (waitress's own
translation, with the same options): the headers of the trusted proxy are applied, anyone
else's are dropped.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

SERVERS = ("gunicorn", "waitress")
# Threads per gunicorn worker process: they cover the waits on the database and the disk;
# the processes cover the cores.
GUNICORN_THREADS = 4
WAITRESS_THREADS = 8
# A worker that does not answer gunicorn's heartbeat for this long is restarted. Long work
# (imports, day plans) runs as background jobs, but a large export still takes seconds.
GUNICORN_TIMEOUT_SECONDS = 120
MAX_WORKERS = 8


def default_server() -> str:
    """gunicorn where it runs (it needs ``fork``), waitress on Windows."""
    return "waitress" if sys.platform == "win32" else "gunicorn"


def default_workers(cores: int | None = None) -> int:
    """Worker processes for this machine: ``cores + 1``, at most :data:`MAX_WORKERS`.

    One process per core keeps every core busy while requests compute, one more covers a
    process held by a long request; each process's :data:`GUNICORN_THREADS` threads cover the
    waits on the database and the disk (gunicorn's ``2 × cores + 1`` is for processes of one
    thread). Measured with ``bench/load.py`` on the 2-core machine, 50 users, 7 Dec 2026: 3
    processes gave p95 182 ms (SQLite) and 260 ms (PostgreSQL) where 5 gave 230 and 307 ms:
    fewer processes compete less with the database for the cores, and each keeps its search
    columns and caches warm for more requests. The cap: each process holds its own
    Django, its own copy of the search columns and of the Japanese dictionary (about
    150-250 MB) and up to ``threads`` database connections, so 8 processes of 4 threads
    hold 32 connections per app server (PostgreSQL's default ``max_connections`` is 100:
    three app servers and the workers still fit). Set ``--workers`` past it on large hosts.
    """
    count = cores if cores is not None else (os.cpu_count() or 1)
    return max(1, min(max(1, count) + 1, MAX_WORKERS))


WSGIApplication = Callable[..., Any]


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn's settings for ``tsunagu serve`` (also read by the tests)."""
    from django.conf import settings

    behind_proxy = bool(getattr(settings, "BEHIND_TLS_PROXY", False))
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": GUNICORN_TIMEOUT_SECONDS,
        "graceful_timeout": 30,
        "proc_name": "tsunagu",
        # gunicorn's defaults trust X-Forwarded-Proto (and two other headers) from
        # 127.0.0.1: replaced by our settings, so that nothing is trusted unless told to.
        "forwarded_allow_ips": settings.TRUSTED_PROXY if behind_proxy else "",
        "secure_scheme_headers": {"X-FORWARDED-PROTO": "https"} if behind_proxy else {},
        # The app logs one line per request itself (core.operations.requestlog).
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        # Headers with underscores (X_Forwarded_For) could pose as dashed ones: dropped.
        "header_map": "drop",
    }


def run_gunicorn(
    load_application: Callable[[], WSGIApplication],
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
) -> None:
    """Serve the application ``load_application()`` returns, loaded in each worker."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from tsunagu.core.net import trusted_proxy_headers

    options = gunicorn_options(host=host, port=port, workers=workers, threads=threads)

    class TsunaguApplication(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            # Only these settings: no gunicorn.conf.py from the working directory and no
            # GUNICORN_CMD_ARGS (BaseApplication reads neither).
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Callable[..., Any]:
            # In each worker after the fork (no preloading): its own database connections.
            from django.urls import get_resolver

            application = trusted_proxy_headers(load_application())
            # Every app's URLs and views imported now, not during the first user's request.
            get_resolver().url_patterns  # noqa: B018
            return application

    # The start-up checks opened a connection: never share one socket between processes.
    connections.close_all()
    TsunaguApplication().run()


def run_waitress(application: WSGIApplication, *, host: str, port: int, threads: int) -> None:
    from waitress import serve

    from tsunagu.core.net import waitress_proxy_options
    from tsunagu.core.security import max_request_bytes

    # Behind a TLS proxy, trust its X-Forwarded-* headers (from it alone): see core.net.
    serve(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="tsunagu",
        max_request_body_size=max_request_bytes(),
        **waitress_proxy_options(),
    )
