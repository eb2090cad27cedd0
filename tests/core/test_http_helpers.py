"""The one pair of request helpers every app's views use (issue 13: no copies)."""

from __future__ import annotations

import ast

import pytest
from django import forms
from django.test import RequestFactory

from tests.source_code import SRC, nodes
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.http import int_param, raise_if_access, safe_next, show_on_form

# helpers that views once defined each for themselves
COPIED = {
    "_int",
    "_safe_next",
    "_history_page",
    "_apply_error",
    "_raise_if_access",
    "_raise_access",
}


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
        for node in nodes(path):
            if isinstance(node, ast.FunctionDef) and node.name in COPIED:
                copies.append(f"{path.relative_to(SRC)}:{node.name}")
    assert copies == []


def test_a_denial_passes_through_and_a_users_error_lands_on_the_form() -> None:
    for denial in (PermissionDenied(), NotFound()):
        with pytest.raises(type(denial)):
            raise_if_access(denial)
    raise_if_access(TsunaguError("x"))  # not a denial: the view shows it

    class NameForm(forms.Form):
        name = forms.CharField()

    form = NameForm({"name": "x"})
    assert form.is_valid()
    show_on_form(form, TsunaguError("名前が重複しています。", field="name"))
    assert form.errors["name"] == ["名前が重複しています。"]
    with pytest.raises(NotFound):
        show_on_form(form, NotFound())
