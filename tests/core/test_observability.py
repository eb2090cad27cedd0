"""Request logs, ``/metrics`` and the startup checks (tsunagu.core.operations)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from tests.factories import UserFactory
from tsunagu.core.operations import checks, metrics
from tsunagu.core.operations.requestlog import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="tsunagu.requests")
    return caplog


@pytest.fixture
def fresh_metrics(settings: Any, tmp_path: Path) -> None:
    settings.METRICS_DIR = tmp_path / "metrics"
    metrics.reset()


def _request_fields(caplog: pytest.LogCaptureFixture) -> dict[str, Any]:
    [record] = [r for r in caplog.records if r.name == "tsunagu.requests"]
    return json.loads(JsonFormatter().format(record))


def test_each_request_is_one_json_line_with_user_id_path_status_and_duration(
    request_log: pytest.LogCaptureFixture,
) -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)

    client.get("/healthz?name=山田太郎")

    line = _request_fields(request_log)
    assert line["event"] == "request"
    assert line["user_id"] == user.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["url_name"] == "healthz"
    assert isinstance(line["duration_ms"], float)


def test_the_request_line_holds_no_query_string_and_no_name(
    request_log: pytest.LogCaptureFixture,
) -> None:
    user = UserFactory(username="yamada.taro", full_name="山田 太郎")
    client = Client()
    client.force_login(user)

    client.get("/healthz?q=山田太郎&phone=0901234567")

    [record] = [r for r in request_log.records if r.name == "tsunagu.requests"]
    for text in (JsonFormatter().format(record), record.getMessage()):
        for personal in ("山田", "太郎", "yamada", "0901234567", "q="):
            assert personal not in text


def test_an_anonymous_request_is_logged_without_a_user_id(
    request_log: pytest.LogCaptureFixture,
) -> None:
    Client().get("/healthz")

    assert _request_fields(request_log)["user_id"] is None


def test_metrics_count_requests_by_status_class_and_time_them_by_url_name(
    fresh_metrics: None,
) -> None:
    client = Client()
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no-such-page/")

    body = client.get("/metrics").content.decode()

    assert 'tsunagu_requests_total{status="2xx"} 2' in body
    assert 'tsunagu_requests_total{status="4xx"} 1' in body
    assert 'tsunagu_request_duration_seconds_count{url_name="healthz"} 2' in body
    assert 'tsunagu_request_duration_seconds_bucket{url_name="healthz",le="+Inf"} 2' in body


def test_metrics_add_up_the_figures_other_processes_wrote(
    fresh_metrics: None, settings: Any
) -> None:
    folder = Path(settings.METRICS_DIR)
    folder.mkdir(parents=True)
    other = {"requests": {"5xx": 3}, "durations": {}}
    (folder / "999999.json").write_text(json.dumps(other))

    body = Client().get("/metrics").content.decode()

    assert 'tsunagu_requests_total{status="5xx"} 3' in body


def test_metrics_show_what_a_registered_collector_adds(fresh_metrics: None) -> None:
    metrics.register_collector("test", lambda: ["tsunagu_jobs_waiting 4"])
    try:
        body = Client().get("/metrics").content.decode()
    finally:
        from tsunagu.core import plugins

        del plugins._HOOKS[metrics.METRICS_COLLECTORS]["test"]

    assert "tsunagu_jobs_waiting 4" in body


def test_metrics_are_refused_to_another_address(fresh_metrics: None) -> None:
    response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")

    assert response.status_code == 403
    assert b"tsunagu_requests_total" not in response.content


def test_metrics_are_refused_to_a_local_request_forwarded_by_a_proxy(fresh_metrics: None) -> None:
    response = Client(REMOTE_ADDR="127.0.0.1").get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 403


def test_metrics_are_shown_to_an_allowed_network(fresh_metrics: None, settings: Any) -> None:
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]

    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200


def test_metrics_are_shown_with_the_token_and_refused_with_a_wrong_one(
    fresh_metrics: None, settings: Any
) -> None:
    settings.METRICS_TOKEN = "s3cret-token"
    client = Client(REMOTE_ADDR="203.0.113.9")

    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


def test_an_unreachable_database_is_named_without_its_password(monkeypatch: Any) -> None:
    connection = connections["default"]
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "hunter2")

    def refuse() -> None:
        raise OSError("connection to 10.0.0.5 refused (password hunter2)")

    monkeypatch.setattr(connection, "ensure_connection", refuse)

    problem = checks.database_problem()

    assert problem is not None
    assert problem.message.startswith("データベースに接続できません: ")
    assert "hunter2" not in problem.message
    assert "refused" in problem.message


def test_pending_migrations_are_named_with_the_command_to_run(monkeypatch: Any) -> None:
    monkeypatch.setattr(checks, "pending_migrations", lambda using="default": ["care.0042_x"])
    monkeypatch.setattr(checks, "applied_migrations", lambda using="default": ["care.0001_x"])

    problem = checks.migrations_problem()

    assert problem is not None
    assert "未適用のマイグレーションが 1 件あります（care.0042_x）" in problem.message
    assert "tsunagu migrate" in problem.message


def test_a_database_never_migrated_is_told_to_run_migrate(monkeypatch: Any) -> None:
    monkeypatch.setattr(checks, "pending_migrations", lambda using="default": ["care.0001_x"])
    monkeypatch.setattr(checks, "applied_migrations", lambda using="default": [])

    problem = checks.migrations_problem()

    assert problem is not None
    assert problem.message.startswith("データベースがまだ作られていません")


def test_serve_refuses_to_start_with_pending_migrations(
    monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(checks, "pending_migrations", lambda using="default": ["care.0042_x"])
    monkeypatch.setattr(checks, "disk_problems", lambda: [])

    with pytest.raises(SystemExit) as exit_:
        checks.refuse_to_start_on_problems(require_migrated=True)

    assert exit_.value.code == 1
    assert "tsunagu migrate" in capsys.readouterr().err


def test_a_data_directory_short_of_free_space_is_reported(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"

    [problem] = checks.disk_problems(minimum_mb=10**12)

    assert f"データの保存先 {tmp_path} の空き容量が" in problem.message
    assert "TSUNAGU_MIN_FREE_DISK_MB" in problem.message


def test_a_data_directory_that_cannot_be_written_is_reported(settings: Any, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    settings.DATA_DIR = blocked
    settings.MEDIA_ROOT = blocked / "media"

    problems = checks.disk_problems(minimum_mb=0)

    assert problems
    assert f"データの保存先 {blocked} に書き込めません" in problems[0].message


def test_a_healthy_server_has_no_startup_problem(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"

    assert checks.startup_problems(require_migrated=False) == []
