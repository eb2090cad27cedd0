"""Shared fixtures.

Test databases are built from the models, not by running the migrations: rendering the
migration states of ~36 migrations cost ~56 s of CPU per test database (per xdist worker),
more than all the tests of a worker together. The migrations' data steps (``RunPython``
and ``RunSQL`` of the project's apps: the taxonomy and themes they seed, the search
index's SQL) are replayed after the tables exist (:func:`replay_data_migrations`), and
``TSUNAGU_TEST_MIGRATIONS=1`` runs the real migrations instead. CI checks separately that
the migrations match the models (``makemigrations --check``).

The demo dataset from the seed report (3 prefectures, 5 municipalities, their figures
and one account per role) is loaded once per test database; each test runs in a
transaction that is rolled back, so tests may change it freely. Unit and service tests
build their rows with ``tests/factories.py`` instead; the tests that stand on the demo
data are marked ``demo`` at collection (``pytest -m demo --collect-only -q`` counts them).
"""

from __future__ import annotations

import copy
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

# pytest keeps the test modules it rewrote (for its assertion messages) in __pycache__ unless
# writing bytecode is off. With PYTHONDONTWRITEBYTECODE=1, as on the CI machines, every xdist
# worker of every run rewrote all ~450 test modules again: ~5 s of CPU before its first test.
# The cache is pytest's own (tagged, written atomically, ignored by git).
sys.dont_write_bytecode = False

# Fixtures that hand out demo rows: a test asking for one of them stands on the demo data.
DEMO_FIXTURES = {"user_named", "client_as", "municipality", "prefecture", "demo_data"}
# Whole directories that are about the demo dataset, or drive it end to end.
DEMO_DIRS = {"demo", "browser"}
# Modules whose tests take seconds each (whole-site crawls, subprocesses, the solver on a
# benchmark instance): run first, so that with several xdist workers none of them is left
# alone at the end while the other workers wait (CI uses --dist worksteal).
RUN_FIRST = (
    "tests/test_crawl.py",
    "tests/test_inert_rendering.py",
    "tests/core/test_serve_processes.py",
    "tests/test_settings_and_cli.py",
    "tests/mobility/test_darp.py",
    "tests/test_csrf.py",
    "tests/care/test_checklist_bulk.py",
    "tests/engagements/test_casesheet_report.py",
)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing demo passwords with PBKDF2 would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test process keeps its own cache: no files, no sharing between xdist workers.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Resident records are on, as in the demo; tests of the "off" case override it.
    settings.PERSONAL_RECORDS_ENABLED = True
    # Background jobs run at once, in the test's transaction (a worker-loop test switches to
    # the database backend itself).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Declaring a task (at django.setup(), from the apps' plugins) may already have built the
    # configured backend: let django-tasks forget it, as it does when a test overrides TASKS.
    from django.core.signals import setting_changed

    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    # A day plan's search stops at its limit (2 s and more for the demo's days); the tests'
    # days are a few requests, planned in milliseconds. Tests of the solver's quality pass
    # their own limit (tests/mobility/test_darp.py, test_scheduling.py).
    settings.TSUNAGU_DAY_PLAN_SECONDS = 0.2
    _list_static_files_once()


def _list_static_files_once() -> None:
    """WhiteNoise lists and stats every static file when its middleware is built, which a
    server does once per process but the test client does for every ``Client()`` (~1,000 per
    run, ~20 ms each). The listing is the same for the whole run (nothing writes static
    files), so it is taken once per test process and handed to every later middleware."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    list_files = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        from django.conf import settings

        key = (self.static_prefix, tuple(settings.STATICFILES_DIRS))
        if key not in listed:
            before = set(self.files)
            list_files(self)
            listed[key] = {url: f for url, f in self.files.items() if url not in before}
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders  # type: ignore[method-assign]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def first(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return RUN_FIRST.index(path) if path in RUN_FIRST else len(RUN_FIRST)

    items.sort(key=first)  # stable: the other tests keep their order
    for item in items:
        in_demo_dir = DEMO_DIRS & set(item.path.parts)
        if in_demo_dir or DEMO_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.demo)


@pytest.fixture(scope="session")
def django_db_use_migrations() -> bool:
    return os.environ.get("TSUNAGU_TEST_MIGRATIONS") == "1"


def data_migration_steps() -> list[tuple[str, Any]]:
    """The ``RunPython``/``RunSQL`` operations of the project's migrations, app by app in
    the order of their names (the order they run in within an app)."""
    from django.apps import apps
    from django.db import migrations

    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tsunagu."):
            continue
        try:
            package = importlib.import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for operation in module.Migration.operations:
                if isinstance(operation, migrations.RunPython | migrations.RunSQL):
                    steps.append((config.label, operation))
    return steps


def replay_data_migrations() -> None:
    """Run the data steps of the migrations on a database built from the models."""
    from django.apps import apps
    from django.db import connection, migrations

    with connection.schema_editor() as editor:
        for app_label, operation in data_migration_steps():
            if isinstance(operation, migrations.RunPython):
                # The models are in their final shape: the current registry stands in for the
                # historical one the migration would get.
                operation.code(apps, editor)
            else:
                operation.database_forwards(app_label, editor, None, None)


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: Any, django_db_blocker: Any, django_db_use_migrations: bool
) -> None:
    from tests import db_snapshot
    from tsunagu.demo.loader import load_demo

    with django_db_blocker.unblock():
        cached = db_snapshot.enabled()
        if cached and db_snapshot.restore():
            return
        if not django_db_use_migrations:
            replay_data_migrations()
        load_demo()
        if cached:
            db_snapshot.save()


@pytest.fixture(scope="session", autouse=True)
def openapi_rendered_once() -> Iterator[None]:
    """The API's OpenAPI document, rendered once per test process and language.

    The routers are mounted when the apps are ready, so the document is the same for every
    test; rendering it costs seconds of CPU and several tests (and the crawl) ask for it.
    The first request renders it as always (an error in it still fails that test); later
    ones get a copy of that rendering.
    """
    from django.utils import translation

    from tsunagu.api import api

    render = api.get_openapi_schema
    rendered: dict[tuple[Any, ...], Any] = {}

    def get_openapi_schema(
        *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        key = (path_prefix, repr(sorted((path_params or {}).items())), translation.get_language())
        if key not in rendered:
            # the plain mapping: the document object also holds the API itself
            rendered[key] = dict(render(path_prefix=path_prefix, path_params=path_params))
        return copy.deepcopy(rendered[key])

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]
    yield
    del api.get_openapi_schema  # the class's method again


@pytest.fixture
def user_named(db: Any) -> Callable[[str], Any]:
    """A demo user by username (see tsunagu.demo.loader.DEMO_USERS)."""
    from django.contrib.auth import get_user_model

    def get(username: str) -> Any:
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_as(db: Any, user_named: Callable[[str], Any]) -> Callable[[str], Client]:
    """A test client signed in as the named demo user."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(user_named(username))
        return client

    return make


@pytest.fixture
def municipality(db: Any) -> Callable[[str], Any]:
    """A demo municipality by name (香春町, 佐伯市, 鹿児島市, 久留米市, 出水市)."""
    from tsunagu.areas.models import Municipality

    return lambda name: Municipality.objects.get(name=name)


@pytest.fixture
def prefecture(db: Any) -> Callable[[str], Any]:
    from tsunagu.areas.models import Prefecture

    return lambda name: Prefecture.objects.get(name=name)


@pytest.fixture(autouse=True)
def language_reset() -> Iterator[None]:
    """Each test starts in the site's language: a request of an English-speaking user leaves
    English active in the worker's thread, and a later test would see English labels."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
