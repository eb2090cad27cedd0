"""GET /healthz: liveness and readiness for load balancers and monitoring."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_migrations_ok_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["migrations"] == {"ok": True, "pending": []}
    assert body["version"]


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_healthz_does_not_redirect_to_login_for_a_signed_in_user(client_as):
    response = client_as("kawara").get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
