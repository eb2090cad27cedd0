"""Hardening: security headers, session expiry, password rules, request size, xlsx zip bombs."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tsunagu.core import spreadsheet
from tsunagu.demo.loader import DEMO_PASSWORD

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_pages_carry_the_security_headers(client):
    response = client.get("/accounts/login/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/accounts/login/")

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_the_map_tiles_host_is_allowed_for_images_only(client, settings):
    settings.TILE_URL = "https://tiles.example.lg.jp/{z}/{x}/{y}.png"

    policy = client.get("/accounts/login/")["Content-Security-Policy"]

    assert "img-src 'self' data: https://tiles.example.lg.jp;" in policy
    assert policy.count("tiles.example.lg.jp") == 1


@pytest.mark.django_db
def test_a_session_lasts_eight_hours_by_default(client, user_named):
    client.post("/accounts/login/", {"username": "kawara", "password": DEMO_PASSWORD})

    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 8 * 3600
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def settings_values(*names: str, **environment: str) -> list[str]:
    """The named settings, one a line, as a fresh process with ``environment`` has them
    (one process for all of them: each start sets Django up, which costs seconds)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TSUNAGU_")}
    env.update(PYTHONPATH=SRC, DJANGO_SETTINGS_MODULE="tsunagu.settings", **environment)
    prints = "; ".join(f"print(settings.{name})" for name in names)
    code = f"import django; django.setup(); from django.conf import settings; {prints}"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_session_age_and_browser_close_come_from_the_environment(tmp_path):
    environment = {
        "TSUNAGU_SESSION_HOURS": "2",
        "TSUNAGU_SESSION_EXPIRE_AT_BROWSER_CLOSE": "1",
        "TSUNAGU_DATA_DIR": str(tmp_path),
    }

    assert settings_values(
        "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", **environment
    ) == ["7200", "True"]


@pytest.mark.django_db
def test_a_numeric_common_password_is_refused_in_japanese(client_as, user_named):
    client = client_as("kawara")
    before = user_named("kawara").password

    response = client.post(
        "/accounts/password/",
        {"old_password": DEMO_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    errors = response.context["form"].errors["new_password2"]
    assert "このパスワードは一般的すぎます。" in errors
    assert "このパスワードは数字しか使われていません。" in errors
    assert user_named("kawara").password == before


@pytest.mark.django_db
def test_a_too_short_password_is_refused(client_as, user_named):
    client = client_as("kawara")

    response = client.post(
        "/accounts/password/",
        {"old_password": DEMO_PASSWORD, "new_password1": "Kw9!x", "new_password2": "Kw9!x"},
    )

    assert response.status_code == 200
    assert "8" in " ".join(response.context["form"].errors["new_password2"])


@pytest.mark.django_db
def test_a_request_body_over_the_limit_is_refused_before_any_view(client_as, settings):
    settings.TSUNAGU_MAX_UPLOAD_MB = 0.01  # 10 KB
    client = client_as("kawara")
    upload = SimpleUploadedFile("big.csv", b"x" * 20_000, content_type="text/csv")

    response = client.post("/accounts/settings/", {"file": upload})

    assert response.status_code == 413
    assert "送信されたデータが大きすぎます" in response.content.decode()


@pytest.mark.django_db
def test_a_request_body_under_the_limit_goes_through(client_as, settings):
    settings.TSUNAGU_MAX_UPLOAD_MB = 0.01
    client = client_as("kawara")

    response = client.post("/accounts/settings/", {"language": "ja", "date_style": "wareki"})

    assert response.status_code == 302


def test_serve_bounds_the_request_body_in_waitress_too(settings, monkeypatch):
    from tsunagu import cli

    settings.TSUNAGU_MAX_UPLOAD_MB = 5
    calls = []
    monkeypatch.setattr("waitress.serve", lambda app, **options: calls.append(options))

    cli._serve("127.0.0.1", 8000, 4)

    assert calls[0]["max_request_body_size"] == 5 * 1024 * 1024


# --- .xlsx zip bombs -----------------------------------------------------------------------


def ordinary_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["名称", "住所"])
    workbook.active.append(["見守りの会", "佐伯市"])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def with_member(xlsx: bytes, name: str, size: int) -> bytes:
    """The workbook with one more member of ``size`` zero bytes (packs ~1000 times smaller)."""
    stream = io.BytesIO(xlsx)
    with zipfile.ZipFile(stream, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b"\0" * size)
    return stream.getvalue()


def test_an_xlsx_member_unpacking_to_hundreds_of_times_its_size_is_refused():
    bomb = with_member(ordinary_xlsx(), "xl/media/padding.bin", 8 * 1024 * 1024)

    with pytest.raises(spreadsheet.SpreadsheetError) as refused:
        list(spreadsheet.read_xlsx_rows(bomb, "bomb.xlsx"))

    assert "bomb.xlsx: 展開すると大きくなりすぎるため読み込めません" in refused.value.message


def test_an_xlsx_unpacking_to_more_than_the_limit_is_refused(settings):
    settings.TSUNAGU_XLSX_MAX_UNCOMPRESSED_BYTES = 64 * 1024

    with pytest.raises(spreadsheet.SpreadsheetError):
        spreadsheet.check_xlsx_archive(
            with_member(ordinary_xlsx(), "xl/strings.bin", 100 * 1024), "big.xlsx"
        )


def test_an_ordinary_xlsx_passes_the_archive_check_and_is_read():
    rows = list(spreadsheet.read_xlsx_rows(ordinary_xlsx(), "ok.xlsx"))

    assert rows == [(1, ("名称", "住所")), (2, ("見守りの会", "佐伯市"))]


# --- Content-Security-Policy: the templates keep to it -------------------------------------

TEMPLATES = sorted(Path(SRC, "tsunagu").rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def test_no_template_has_an_inline_script():
    found = [str(t) for t in TEMPLATES if INLINE_SCRIPT.search(t.read_text())]

    assert len(TEMPLATES) > 100
    assert found == []


def test_no_template_has_an_inline_event_handler():
    found = [str(t) for t in TEMPLATES if INLINE_HANDLER.search(t.read_text())]

    assert found == []


INLINE_STYLE = re.compile(r"""<style[\s>]|\sstyle\s*=\s*["']""", re.IGNORECASE)


def test_no_template_has_an_inline_style():
    found = [str(t) for t in TEMPLATES if INLINE_STYLE.search(t.read_text())]

    assert found == []


def test_the_policy_allows_no_inline_styles(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]

    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy


def test_every_page_loads_the_shared_page_script_and_turns_off_htmx_inline_styles(client):
    html = client.get("/accounts/login/").content.decode()

    assert "/static/tsunagu/page.js" in html
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
