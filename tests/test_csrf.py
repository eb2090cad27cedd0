"""CSRF on every form (issue 18, item 6).

Two checks that fail when a form or a view slips out of Django's CSRF protection:

- every ``<form method="post">`` of every template carries ``{% csrf_token %}``;
- a POST without a token, signed in, to every URL the crawl visits (every pattern of the
  project, the API and the Django admin included) is refused with 403 before any view runs,
  and nothing is written (the API answers 405 where a path takes no POST at all). The one exception is the bearer-token endpoint of the API, which
  takes a username and password instead of a session and is listed with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

import tsunagu
from tests.test_crawl import crawl_plan, demo_with_plans  # noqa: F401 (a fixture)
from tsunagu.mobility.models import MobilityService

SRC = Path(tsunagu.__file__).parent
FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)
POST = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)
# Answered without a session, so without CSRF: a password is exchanged for a bearer token.
NO_SESSION = {"/api/v1/auth/token": "takes a username and password, not a session cookie"}


def post_forms_without_token(text: str) -> list[str]:
    """The opening tags of the POST forms in ``text`` that hold no ``{% csrf_token %}``."""
    missing = []
    for match in FORM.finditer(text):
        opening = match.group(0).split(">", 1)[0] + ">"
        if POST.search(opening) and "{% csrf_token %}" not in match.group(1):
            missing.append(opening)
    return missing


def test_every_post_form_of_every_template_carries_the_csrf_token() -> None:
    templates = list(SRC.rglob("templates/**/*.html"))
    assert len(templates) > 100
    offending = {
        str(path.relative_to(SRC)): found
        for path in templates
        if (found := post_forms_without_token(path.read_text(encoding="utf-8")))
    }
    forms = sum(len(POST.findall(path.read_text(encoding="utf-8"))) for path in templates)
    assert forms > 50  # the check saw the project's forms
    assert offending == {}


def test_the_template_check_finds_a_form_without_the_token() -> None:
    text = (
        '<form method="post" action="/a/">{% csrf_token %}<button>ok</button></form>'
        "<FORM class='x' METHOD=POST><input name='q'></FORM>"
        '<form method="get"><input name="q"></form>'
    )
    assert post_forms_without_token(text) == ["<FORM class='x' METHOD=POST>"]


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "axes.", "core.RequestLog"))
    }


def test_a_post_without_token_is_refused_on_every_url(
    user_named: Any,
    demo_with_plans: None,  # noqa: F811
) -> None:
    admin = user_named("admin")
    services = list(MobilityService.objects.all())
    urls, unhandled = crawl_plan(admin, services)
    assert unhandled == []
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    before = _row_counts()
    accepted = []
    for url in dict.fromkeys(urls):
        path = url.split("?", 1)[0]
        if path in NO_SESSION:
            continue
        response = client.post(path, {"name": "CSRF", "title": "CSRF"})
        # The API answers 405 to a method a path does not take before it authenticates; a
        # path that takes POST must refuse the missing token (403) like every page.
        refused = {403, 405} if path.startswith("/api/") else {403}
        if response.status_code not in refused:
            accepted.append(f"{path} → {response.status_code}")
    assert len(urls) > 300
    assert accepted == []
    assert _row_counts() == before


@pytest.mark.django_db
def test_the_token_endpoint_without_a_session_needs_no_csrf_token(client: Client) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/auth/token",
        {"username": "nobody", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code in (400, 401)
