"""``tsunagu serve`` on Linux: gunicorn worker processes, behind the trusted proxy.

One real ``tsunagu serve`` runs as a subprocess (production mode, SQLite, a free port of
its own) on a copy of the test database with every migration marked applied (the test
database is built from the models, which CI checks against the migrations), and the
tests talk HTTP to it as nginx would. The server's options themselves are checked
without starting it.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.factories import UserFactory
from tsunagu.core.net import trusted_proxy_headers
from tsunagu.core.operations import server

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="gunicorn needs fork")

PUBLIC_HOST = "tsunagu.example.lg.jp"
STATIC_FILE = "/static/directory/directory.css"
WORKERS = 3
PASSWORD = "serve-test-password-9271"
FROM_NGINX = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Host": PUBLIC_HOST,
}


def _free_port() -> int:
    """A free port of this helper's range (18100-18199), else any free one."""
    for port in range(18150, 18200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _migrated_copy(path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """The test database (demo data and the user made by the test) in a file, every
    migration recorded as applied."""
    path.write_bytes(connection.connection.serialize())
    settings.MIGRATION_MODULES = {}  # the test run turns the migrations off: read them
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    assert graph.leaf_nodes()
    copy = sqlite3.connect(path)
    try:
        copy.execute(
            "CREATE TABLE IF NOT EXISTS django_migrations (id integer NOT NULL PRIMARY KEY"
            " AUTOINCREMENT, app varchar(255) NOT NULL, name varchar(255) NOT NULL,"
            " applied datetime NOT NULL)"
        )
        copy.execute("DELETE FROM django_migrations")
        copy.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, datetime('now'))",
            sorted(graph.nodes),
        )
        copy.commit()
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: dict[str, str] | None = None,
    ) -> tuple[http.client.HTTPResponse, str]:
        sent = {"Host": "127.0.0.1", **headers}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, text

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


@pytest.fixture
def served(db, tmp_path, settings) -> Iterator[Served]:
    if connection.vendor != "sqlite":
        pytest.skip("the served copy is made from the SQLite test database")
    user = UserFactory(username="serve-proxy-user")
    # Hashed with an algorithm of the server's own settings (the tests hash with MD5).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "servesalt", iterations=1000)
    user.save(update_fields=["password"])
    database = tmp_path / "tsunagu.sqlite3"
    _migrated_copy(database, settings)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TSUNAGU_")}
    env.update(
        {
            "TSUNAGU_ENV": "production",
            "TSUNAGU_SECRET_KEY": secrets.token_urlsafe(64),
            "TSUNAGU_ALLOWED_HOSTS": f"{PUBLIC_HOST},127.0.0.1",
            "TSUNAGU_DATA_DIR": str(tmp_path),
            "TSUNAGU_DATABASE_URL": f"sqlite:///{database}",
            "TSUNAGU_BEHIND_TLS_PROXY": "1",
            "TSUNAGU_TRUSTED_PROXY": "127.0.0.1",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
        }
    )
    command = [sys.executable, "-m", "tsunagu.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(WORKERS), "--threads", "2"]
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    running = Served(process, port)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail((tmp_path / "serve.log").read_text())
            try:
                response, _ = running.request("GET", "/healthz", {})
                if response.status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("tsunagu serve did not answer: " + (tmp_path / "serve.log").read_text())
            time.sleep(0.2)
        yield running
    finally:
        process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown (TERM waits)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_serve_runs_worker_processes_that_honour_the_trusted_proxy(served):
    workers = served.workers()

    assert len(workers) == WORKERS
    assert served.process.pid not in workers
    # every worker is up and accepting: more simultaneous requests than one worker's threads
    connections = []
    for _ in range(WORKERS * 2 + 2):
        conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        connections.append(conn)
    assert [c.getresponse().status for c in connections] == [200] * len(connections)

    # behind the trusted proxy (one server for both halves: starting one takes seconds)
    # https from nginx: served, not redirected again (no loop)
    response, _ = served.request("GET", STATIC_FILE, FROM_NGINX)
    assert response.status == 200

    # plain http through nginx: to https on the public host
    response, _ = served.request("GET", STATIC_FILE, {**FROM_NGINX, "X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.getheader("Location") == f"https://{PUBLIC_HOST}{STATIC_FILE}"

    # signed in through nginx, the session records the client's address, not nginx's nor
    # the one the client made up in front of it
    _, page = served.request("GET", "/accounts/login/", FROM_NGINX)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:500]
    response, _ = served.request(
        "POST",
        "/accounts/login/",
        {
            **FROM_NGINX,
            "X-Forwarded-For": "6.6.6.6, 203.0.113.9",
            "Origin": f"https://{PUBLIC_HOST}",
            "Referer": f"https://{PUBLIC_HOST}/accounts/login/",
        },
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": "serve-proxy-user",
            "password": PASSWORD,
        },
    )
    assert response.status == 302, response.status
    response, page = served.request("GET", "/accounts/security/", FROM_NGINX)
    assert response.status == 200
    assert "203.0.113.9" in page
    assert "6.6.6.6" not in page
    assert "127.0.0.1" not in page


# -- the options, without a server ----------------------------------------------------------


def test_workers_default_to_the_cores_plus_one_capped():
    assert server.default_workers(1) == 2
    assert server.default_workers(2) == 3
    assert server.default_workers(3) == 4
    assert server.default_workers(64) == server.MAX_WORKERS


def test_gunicorn_trusts_only_the_configured_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY = "10.0.0.5"

    options = server.gunicorn_options(host="127.0.0.1", port=8000, workers=3, threads=4)

    assert options["forwarded_allow_ips"] == "10.0.0.5"
    assert options["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}
    assert options["worker_class"] == "gthread"
    assert options["workers"] == 3


def test_gunicorn_trusts_no_forwarded_header_without_a_proxy(settings):
    # gunicorn's own default trusts X-Forwarded-Proto from 127.0.0.1: replaced
    settings.BEHIND_TLS_PROXY = False

    options = server.gunicorn_options(host="127.0.0.1", port=8000, workers=3, threads=4)

    assert options["forwarded_allow_ips"] == ""
    assert options["secure_scheme_headers"] == {}


def _seen_through_wrapper(remote: str, headers: dict[str, str]) -> dict[str, str]:
    seen: dict[str, str] = {}

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        seen.update({k: v for k, v in environ.items() if isinstance(v, str)})
        start_response("200 OK", [])
        return [b""]

    environ = {
        "REMOTE_ADDR": remote,
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    }
    trusted_proxy_headers(app)(environ, lambda status, headers: None)
    return seen


def test_the_wrapper_applies_the_trusted_proxys_headers(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY = "127.0.0.1"
    settings.TSUNAGU_API_NUM_PROXIES = 1

    seen = _seen_through_wrapper("127.0.0.1", FROM_NGINX)

    assert seen["REMOTE_ADDR"] == "203.0.113.9"
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_HOST"] == PUBLIC_HOST


def test_the_wrapper_drops_forwarded_headers_from_anyone_else(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY = "192.0.2.1"  # a direct connection, past nginx

    seen = _seen_through_wrapper("198.51.100.7", FROM_NGINX)

    assert seen["REMOTE_ADDR"] == "198.51.100.7"
    assert seen["wsgi.url_scheme"] == "http"
    assert not [k for k in seen if k.startswith("HTTP_X_FORWARDED")]


def test_the_wrapper_drops_forwarded_headers_without_a_proxy(settings):
    settings.BEHIND_TLS_PROXY = False

    seen = _seen_through_wrapper("127.0.0.1", FROM_NGINX)

    assert seen["REMOTE_ADDR"] == "127.0.0.1"
    assert not [k for k in seen if k.startswith("HTTP_X_FORWARDED")]


def test_serve_options_refuse_a_worker_count_below_one(capsys):
    from tsunagu.cli import build_parser

    parser = build_parser(with_apps=False)
    with pytest.raises(SystemExit):
        parser.parse_args(["serve", "--workers", "0"])
    assert "1以上の整数を指定してください" in capsys.readouterr().err

    args = parser.parse_args(["serve", "--server", "waitress", "--threads", "6"])
    assert (args.server, args.threads, args.workers) == ("waitress", 6, None)
