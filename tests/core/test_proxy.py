"""Behind a TLS reverse proxy: waitress trusts X-Forwarded-* from the proxy alone.

A real waitress server runs in a thread with the options ``tsunagu serve`` gives it, in
front of the Django application, and the tests talk HTTP to it from 127.0.0.1.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator

import pytest
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from waitress.server import create_server

from tsunagu import cli
from tsunagu.core.net import client_address, client_ip, waitress_proxy_options

STATIC_FILE = "/static/directory/directory.css"  # served without the database
PUBLIC_HOST = "tsunagu.example.lg.jp"


@pytest.fixture
def production_behind_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY = "127.0.0.1"
    settings.TSUNAGU_API_NUM_PROXIES = 1
    settings.ALLOWED_HOSTS = [PUBLIC_HOST, "127.0.0.1"]
    return settings


class Server:
    """Waitress on a free port in front of Django; records what the app saw of each request."""

    def __init__(self, **options: object) -> None:
        self.seen: list[dict[str, str]] = []
        django_app = WSGIHandler()  # built now, so it reads the test's settings

        def app(environ, start_response):  # type: ignore[no-untyped-def]
            request = WSGIRequest(environ)
            self.seen.append(
                {
                    "client": client_address(request),
                    "scheme": environ["wsgi.url_scheme"],
                    "host": request.get_host(),
                }
            )
            return django_app(environ, start_response)

        self.server = create_server(app, host="127.0.0.1", port=0, **options)
        self.port = self.server.effective_port
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        # waitress's own loop, one pass at a time, so that close() happens in this thread
        while not self.stopping.is_set():
            self.server.asyncore.loop(timeout=0.05, map=self.server._map, count=1)
        self.server.close()

    def get(self, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)


@pytest.fixture
def serve() -> Iterator:
    servers: list[Server] = []

    def start() -> Server:
        server = Server(**waitress_proxy_options())
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


FROM_NGINX = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Host": PUBLIC_HOST,
}


def test_a_request_the_trusted_proxy_marks_https_is_served_not_redirected(
    production_behind_proxy, serve
):
    server = serve()

    response = server.get(STATIC_FILE, FROM_NGINX)

    assert response.status == 200
    assert server.seen[-1]["scheme"] == "https"


def test_the_app_sees_the_real_client_address_and_host_behind_the_trusted_proxy(
    production_behind_proxy, serve
):
    server = serve()

    server.get(STATIC_FILE, FROM_NGINX)

    assert server.seen[-1]["client"] == "203.0.113.9"
    assert server.seen[-1]["host"] == PUBLIC_HOST


def test_a_plain_http_request_through_the_proxy_is_redirected_to_https(
    production_behind_proxy, serve
):
    server = serve()

    response = server.get(STATIC_FILE, {**FROM_NGINX, "X-Forwarded-Proto": "http"})

    assert response.status == 301
    assert response.getheader("Location") == f"https://{PUBLIC_HOST}{STATIC_FILE}"


def test_a_forwarded_for_address_made_up_by_the_client_is_not_read(production_behind_proxy, serve):
    server = serve()

    # nginx appends the address it saw to what the client sent
    server.get(STATIC_FILE, {**FROM_NGINX, "X-Forwarded-For": "6.6.6.6, 203.0.113.9"})

    assert server.seen[-1]["client"] == "203.0.113.9"


def test_forwarded_headers_from_an_address_that_is_not_the_proxy_are_dropped(
    production_behind_proxy, serve
):
    production_behind_proxy.TRUSTED_PROXY = "192.0.2.1"  # the tests connect from 127.0.0.1
    server = serve()

    response = server.get(STATIC_FILE, FROM_NGINX)

    assert response.status == 301
    assert server.seen[-1]["client"] == "127.0.0.1"
    assert server.seen[-1]["scheme"] == "http"


def test_without_a_proxy_forwarded_headers_are_dropped(production_behind_proxy, serve):
    production_behind_proxy.BEHIND_TLS_PROXY = False
    production_behind_proxy.TSUNAGU_API_NUM_PROXIES = 0
    server = serve()

    response = server.get(STATIC_FILE, FROM_NGINX)

    assert response.status == 301
    assert server.seen[-1]["client"] == "127.0.0.1"


def test_two_proxies_take_the_address_the_outer_proxy_saw(production_behind_proxy, serve):
    production_behind_proxy.TSUNAGU_API_NUM_PROXIES = 2  # load balancer, then nginx
    server = serve()

    server.get(STATIC_FILE, {**FROM_NGINX, "X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.0.0.2"})

    assert server.seen[-1]["client"] == "203.0.113.9"


def test_serve_hands_the_trusted_proxy_to_waitress(production_behind_proxy, monkeypatch):
    calls = []
    monkeypatch.setattr("waitress.serve", lambda app, **options: calls.append(options))

    cli._serve("127.0.0.1", 8000, 4)

    [options] = calls
    assert options["trusted_proxy"] == "127.0.0.1"
    assert options["trusted_proxy_count"] == 1
    assert {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"} <= set(
        options["trusted_proxy_headers"]
    )


def test_serve_trusts_no_proxy_unless_told_to(settings, monkeypatch):
    settings.BEHIND_TLS_PROXY = False
    calls = []
    monkeypatch.setattr("waitress.serve", lambda app, **options: calls.append(options))

    cli._serve("127.0.0.1", 8000, 4)

    [options] = calls
    assert "trusted_proxy" not in options


def test_a_forwarded_value_that_is_not_an_address_falls_back_to_the_peer(settings, rf):
    settings.TSUNAGU_API_NUM_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="'; DROP TABLE")

    assert client_ip(request) == "127.0.0.1"


def test_a_request_without_any_address_has_no_client_ip_for_axes(rf):
    request = rf.get("/")
    request.META.pop("REMOTE_ADDR")

    assert client_ip(request) is None
    assert client_address(request) == "unknown"
