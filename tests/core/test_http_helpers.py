"""The one pair of request helpers every app's views use (issue 13: no copies)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import RequestFactory

from tsunagu.core.http import int_param, safe_next

SRC = Path(__file__).resolve().parents[2] / "src" / "tsunagu"


def test_int_param_reads_numbers_and_refuses_the_rest() -> None:
    assert int_param("12") == 12
    assert int_param(7) == 7
    assert int_param("") is None
    assert int_param(None) is None
    assert int_param("abc") is None


def test_safe_next_keeps_a_local_next_and_refuses_another_site() -> None:
    factory = RequestFactory()
    assert safe_next(factory.get("/x", {"next": "/bodies/3/"}), "/home/") == "/bodies/3/"
    assert safe_next(factory.post("/x", {"next": "/issues/"}), "/home/") == "/issues/"
    assert safe_next(factory.get("/x", {"next": "https://evil.example/"}), "/home/") == "/home/"
    assert safe_next(factory.get("/x"), "/home/") == "/home/"
    # A view that read `next` from its form passes it; the request's own is not used then.
    request = factory.get("/x", {"next": "/other/"})
    assert safe_next(request, "/home/", target="/mine/") == "/mine/"
    assert safe_next(request, "/home/", target="//evil.example/") == "/home/"


def test_no_app_defines_its_own_copy() -> None:
    copies = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in {"_int", "_safe_next"}:
                copies.append(f"{path.relative_to(SRC)}:{node.name}")
    assert copies == []
