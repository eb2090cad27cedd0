"""Fuzzing the REST API with schemathesis (issue 18, item 4).

Every operation of ``/api/v1/openapi.json`` is called with generated requests, in process
through the project's WSGI application (no server), as a signed-in user of each role
(bearer token from ``POST /api/v1/auth/token``) and anonymously. Each response must:

- not be a server error (``not_a_server_error``);
- have a documented status code (``status_code_conformance``): a 400, 401, 403, 404, 422
  or 429 the operation can answer is declared with the error schema;
- have the documented content type and match the documented schema
  (``content_type_conformance``, ``response_schema_conformance``).

Requests come from both of schemathesis's generation modes: valid data (positive) and
data that breaks the schema (negative: wrong types, missing fields, bad path and query
parameters), which the API must refuse with a documented 4xx, never a 5xx.
``negative_data_rejection`` (negative data must be refused) is not used: the API accepts
unknown query parameters, as Django views do, and schemathesis counts them as invalid.

The examples are bounded and derandomized (same requests on every run); each operation's
requests are drawn once per test process and sent as every role in turn (see :func:`_draw`). ``TSUNAGU_FUZZ_EXAMPLES=20``
multiplies the examples for a deeper run by hand.

The users are built with the factories over the demo municipalities (so that reads find
rows); the writes happen in the test's transaction and are rolled back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.http import HttpRequest, JsonResponse
from django.urls import path
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from ninja import NinjaAPI, Schema
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client as WsgiClient

from tests.factories import AdminFactory, OrganisationFactory, UserFactory, staff_of
from tsunagu.accounts.models import Role
from tsunagu.wsgi import application

# Its own run (``-m fuzz``): .ci/run fuzzes after each database's suite, so that the
# everyday suite stays short (issue 13) and the fuzzing still runs in CI on both (issue 18).
pytestmark = pytest.mark.fuzz

OPENAPI = "/api/v1/openapi.json"
PASSWORD = "tsunagu-test"  # tests.factories.UserFactory's password
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SCALE = max(1, int(os.environ.get("TSUNAGU_FUZZ_EXAMPLES", "1") or "1"))


@dataclass(frozen=True)
class Budget:
    """How many generated requests each operation gets, per generation mode."""

    positive: int
    negative: int


# The system administrator sees and may change everything, so it reaches the most code:
# it gets the most examples, valid and invalid. Every other role gets one valid request per
# operation (refusals and scoping differ by role, on a real row: see ROW_IDS). Invalid
# requests are refused by the schema's validation after authentication, the same for every
# role, so the administrator's invalid requests cover them (this keeps the module near a
# minute on two cores).
FULL = Budget(positive=3, negative=2)
LIGHT = Budget(positive=1, negative=0)


@dataclass
class Failure:
    operation: str
    mode: str
    report: str

    def __str__(self) -> str:
        return f"--- {self.operation} ({self.mode})\n{self.report}"


def _hypothesis_settings(examples: int) -> hypothesis_settings:
    return hypothesis_settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=True,  # the same requests on every run: CI failures reproduce
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the report is enough
        suppress_health_check=list(HealthCheck),
    )


def _sorted_operations(schema: Any) -> list[Any]:
    """Every operation; deletions last, so that a deleted row (or the fuzzing user's own
    token, ``DELETE /account/tokens/{id}``) does not hide the others from the run."""
    operations = [result.ok() for result in schema.get_all_operations()]
    return sorted(operations, key=lambda op: (op.method.upper() == "DELETE", op.label))


# Generated ids rarely name a row, so most requests about one row would end in a 404. Valid
# requests mostly name a low id instead (the first one: id 1), which the demo data has in most
# tables: reads and writes of real rows, in the user's scope or not, are fuzzed too.
ROW_IDS = st.integers(min_value=1, max_value=12) | st.none()


def _aim_at_a_row(case: Any, row: int) -> None:
    for name, value in (case.path_parameters or {}).items():
        if isinstance(value, int) and not isinstance(value, bool):
            case.path_parameters[name] = row


# The generated requests, per operation, mode and number of examples, drawn once per test
# process: generation is derandomized, so every role (and the anonymous caller) would draw
# the same requests anyway, and drawing them costs as much CPU as answering them.
_drawn: dict[tuple[int, str, str, int], list[Any]] = {}


def _draw(operation: Any, *, mode: GenerationMode, examples: int) -> list[Any]:
    """``examples`` generated requests to ``operation`` (valid ones mostly aimed at a row)."""
    key = (id(operation.schema), operation.label, mode.value, examples)
    if key in _drawn:
        return _drawn[key]
    positive = mode == GenerationMode.POSITIVE
    cases: list[Any] = []

    @given(case=operation.as_strategy(generation_mode=mode), row=ROW_IDS)
    @_hypothesis_settings(examples)
    def draw(case: Any, row: int | None) -> None:
        if row is not None and positive:
            _aim_at_a_row(case, row)
        cases.append(case)

    draw()  # raises Unsatisfiable when there is nothing to generate (kept out of the cache)
    _drawn[key] = cases
    return cases


def _run(operation: Any, *, mode: GenerationMode, examples: int, headers: dict[str, str]) -> None:
    """``examples`` generated requests to ``operation``; raises on the first failing one."""
    for case in _draw(operation, mode=mode, examples=examples):
        case.call_and_validate(headers=headers, checks=CHECKS)


def fuzz(
    schema: Any,
    *,
    headers: dict[str, str],
    budget: Budget,
    include: Callable[[Any], bool] = lambda op: True,
) -> list[Failure]:
    """Run every included operation of ``schema`` with generated requests; the failures."""
    failures: list[Failure] = []
    for operation in _sorted_operations(schema):
        if not include(operation):
            continue
        for mode, examples in (
            (GenerationMode.POSITIVE, budget.positive),
            (GenerationMode.NEGATIVE, budget.negative),
        ):
            if examples <= 0:
                continue

            try:
                _run(operation, mode=mode, examples=examples, headers=headers)
            except Unsatisfiable:
                # Nothing to break: an operation without parameters or body has no
                # invalid request (negative mode), which is not a failure.
                continue
            except (AssertionError, BaseExceptionGroup) as error:
                failures.append(Failure(operation.label, mode.value, str(error)[:3000]))
    return failures


_schemas: dict[str, Any] = {}


def load_schema(app: Any = application, path: str = OPENAPI) -> Any:
    """The API's schema as the application serves it (read once per test process)."""
    key = f"{id(app)}:{path}"
    if key not in _schemas:
        _schemas[key] = schemathesis.openapi.from_wsgi(path, app)
    return _schemas[key]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Django closes the database connection at the end of a request unless it is in
    autocommit mode; a test's transaction is not, so on PostgreSQL the first in-process
    request would close it (and lose the test's transaction). Django's test client
    disconnects the same handlers for the same reason (and connects them again after each
    of its requests, so the tests here make every request through the WSGI application)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _roomy_rate_limits(settings: Any) -> Iterator[None]:
    # Thousands of requests from one address in a few seconds: the per-address limits
    # would answer 429 (documented, so not a failure) and hide the operations behind it.
    # The limits themselves are tested in tests/core/test_proxy.py and the API tests.
    settings.TSUNAGU_API_ANON_RATE = "1000000/min"
    settings.TSUNAGU_API_USER_RATE = "1000000/min"
    settings.TSUNAGU_API_TOKEN_RATE = "1000000/min"
    settings.TSUNAGU_PUBLIC_RATE_LIMIT = "1000000/min"
    settings.AXES_ENABLED = False  # fuzzed token requests would lock the address out
    cache.clear()
    yield
    cache.clear()


def bearer(user: Any) -> dict[str, str]:
    """A token for ``user`` from ``POST /api/v1/auth/token``, as a script gets one."""
    # Through the same WSGI application as the fuzzing (Django's test client would connect
    # the connection-closing handlers again after its request).
    response = WsgiClient(application).post(
        "/api/v1/auth/token",
        json={"username": user.username, "password": PASSWORD, "name": "fuzz"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['token']}"}


def user_of_role(role: str, municipality: Any) -> Any:
    """A user holding ``role`` over a demo municipality (or its prefecture)."""
    if role == Role.SYSTEM_ADMIN:
        return AdminFactory()
    if role == Role.PREFECTURE_STAFF:
        return staff_of(municipality.prefecture)
    extra: dict[str, Any] = {}
    if role == Role.ORGANISATION_MEMBER:
        extra["organisation"] = OrganisationFactory(municipality=municipality)
    if role in (Role.MUNICIPALITY_STAFF, Role.CARE_CENTER_STAFF):
        extra.update(can_view_personal_data=True, can_view_care_records=True)
    return staff_of(municipality, role=role, **extra)


@pytest.mark.parametrize("role", list(Role.values))
def test_every_operation_as_each_role(role: str, municipality: Any) -> None:
    user = user_of_role(role, municipality("香春町"))
    budget = FULL if role == Role.SYSTEM_ADMIN else LIGHT
    failures = fuzz(load_schema(), headers=bearer(user), budget=budget)
    assert not failures, "\n\n".join(str(f) for f in failures)


def _is_public(operation: Any) -> bool:
    return not operation.definition.raw.get("security")


def test_every_operation_anonymously(db: Any) -> None:
    schema = load_schema()
    public = [op.label for op in _sorted_operations(schema) if _is_public(op)]
    assert "GET /api/v1/directory/public/resources" in public  # the public part is found
    # The public operations get the full budget; every other one must answer a documented
    # 401 to one request without credentials.
    failures = fuzz(schema, headers={}, budget=FULL, include=_is_public)
    failures += fuzz(
        schema,
        headers={},
        budget=Budget(positive=1, negative=0),
        include=lambda op: not _is_public(op),
    )
    assert not failures, "\n\n".join(str(f) for f in failures)


def test_a_user_without_any_role(db: Any) -> None:
    """Signed in, but no membership (a new account, or one whose roles ended)."""
    user = UserFactory()
    failures = fuzz(load_schema(), headers=bearer(user), budget=Budget(positive=1, negative=0))
    assert not failures, "\n\n".join(str(f) for f in failures)


def test_no_two_api_schemas_share_a_name() -> None:
    """The OpenAPI document names each schema by its class name: a second class of the same
    name silently replaces the first, and one operation documents the other's shape (found
    by the fuzzing: the visits' participants were documented as a program's participants)."""
    import tsunagu.api  # noqa: F401  (every app's schemas imported)

    modules: dict[str, set[str]] = {}

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("tsunagu."):
                modules.setdefault(sub.__name__, set()).add(sub.__module__)
            walk(sub)

    walk(Schema)
    assert {name: where for name, where in modules.items() if len(where) > 1} == {}


# --- the fuzzing itself is tested: a broken API, registered only here, is caught ----------

broken_api = NinjaAPI(title="broken on purpose", urls_namespace="fuzz_broken", auth=None)


class ItemOut(Schema):
    id: int
    name: str


@broken_api.get("/fine", response={200: ItemOut})
def fine(request: HttpRequest, n: int = 0) -> Any:
    return {"id": n, "name": "ok"}


@broken_api.get("/crash", response={200: ItemOut})
def crash(request: HttpRequest, n: int = 0) -> Any:
    raise RuntimeError("a bug")  # a 500


@broken_api.get("/wrong-shape", response={200: ItemOut})
def wrong_shape(request: HttpRequest) -> Any:
    # Past the API's own output validation, as a hand-written response would be.
    return JsonResponse({"id": "one", "name": None})


@broken_api.get("/undocumented", response={200: ItemOut})
def undocumented(request: HttpRequest, n: int = 0) -> Any:
    return JsonResponse({"detail": "not found"}, status=404)  # 404 is not declared


# Served by the project's WSGI application when a test points ROOT_URLCONF at this module.
urlpatterns = [path("broken-api/", broken_api.urls)]


def test_the_fuzzing_catches_a_crash_a_wrong_shape_and_an_undocumented_status(
    db: Any, settings: Any
) -> None:
    settings.ROOT_URLCONF = __name__
    schema = load_schema(path="/broken-api/openapi.json")

    failures = {f.operation: f.report for f in fuzz(schema, headers={}, budget=LIGHT)}

    assert "GET /broken-api/fine" not in failures  # a correct operation passes
    assert "Server error" in failures["GET /broken-api/crash"]
    assert "Response violates schema" in failures["GET /broken-api/wrong-shape"]
    assert "Undocumented status code" in failures["GET /broken-api/undocumented"]
