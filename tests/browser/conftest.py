"""Fixtures for the real-browser tests (Playwright sync API + Debian's Chromium).

Run with ``python -m pytest -m browser tests/browser`` (the default addopts deselect them).

* One headless Chromium per session (``/usr/bin/chromium``; never ``playwright install``).
* A fresh browser context (cookies, storage) per test, locale ``ja-JP``.
* pytest-django's ``live_server`` is transactional: the database is flushed after each
  test, which removes the demo data loaded once by tests/conftest.py *and* the rows that
  data migrations seed (e.g. the directory's categories). ``demo_data`` (autouse) puts
  them back before each test by bulk-inserting a snapshot of the loaded database taken
  once per session (``demo_snapshot``): a fraction of a second, where ``load_demo()``
  takes seconds, and unlike Django's own serialized rollback (which saves row by row)
  it fires no signals, so it adds no history records. ``load_demo()`` (idempotent) is
  still called should the demo accounts be missing all the same.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous for a slow CI machine, short enough that a broken test fails fast.
TIMEOUT_MS = 10_000


def _restore(snapshot: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Insert a serialized database (serialize_db_to_string) into an emptied one."""
    from django.core import serializers
    from django.db import transaction

    rows: defaultdict[type, list[Any]] = defaultdict(list)
    links: defaultdict[type, list[Any]] = defaultdict(list)
    for item in serializers.deserialize("json", snapshot, using=using):
        obj = item.object
        rows[type(obj)].append(obj)
        for name, targets in (item.m2m_data or {}).items():
            field = obj._meta.get_field(name)
            through = field.remote_field.through
            own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            links[through].extend(through(**{own: obj.pk, other: pk}) for pk in targets)
    # Foreign keys are deferred to the commit (Django creates them DEFERRABLE), so the
    # order of the models does not matter.
    with transaction.atomic(using=using):
        for model, objs in [*rows.items(), *links.items()]:
            model._base_manager.using(using).bulk_create(objs)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup: Any, django_db_blocker: Any) -> str:
    """The test database serialized once it holds the demo data (migrations + load_demo)."""
    with django_db_blocker.unblock():
        return _serialize_everything()


def _serialize_everything() -> str:
    """Every row of every concrete model, as JSON. Not Django's ``serialize_db_to_string``:
    that one takes only apps with migrations, and the test databases are built from the
    models with migrations disabled (tests/conftest.py), so it would return nothing."""
    from django.apps import apps
    from django.core import serializers

    def objects() -> Iterator[Any]:
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            yield from model._base_manager.order_by("pk").iterator()

    return serializers.serialize("json", objects())


@pytest.fixture(scope="package", autouse=True)
def demo_data_left_behind(demo_snapshot: str, django_db_blocker: Any) -> Iterator[None]:
    """Put the demo data back after the last browser test's flush, for the tests that
    may follow in the same run (``-m ''``): the others expect it loaded once per session."""
    yield
    from django.contrib.contenttypes.models import ContentType

    with django_db_blocker.unblock():
        if not ContentType.objects.exists():
            _restore(demo_snapshot)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio event loop that the main thread then sees as
    # running, and Django refuses ORM calls "from an async context" (SynchronousOnlyOperation)
    # though the fixtures' and pytest-django's calls are in fact synchronous: allow them
    # while the browser lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        from django.db import connections

        connections.close_all()  # the wrappers opened while the loop ran (see demo_data)
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def demo_data(
    demo_snapshot: str, transactional_db: Any, django_db_serialized_rollback: Any
) -> None:
    """Start every test from the demo dataset, which the previous test's flush removed."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from tsunagu.demo.loader import DEMO_USERS, load_demo

    # With serialized rollback requested, the flush after the test leaves out the
    # post_migrate signal (which would recreate content types and permissions under new
    # ids) if the connection carries a snapshot. Give it an empty one, so that Django's
    # own row-by-row restore before the next test is a no-op. Set it on every test: while
    # Playwright's loop runs, ``django.db.connections`` hands the main thread other
    # wrappers (kept per context rather than per thread) than those the setup used.
    connection._test_serialized_contents = "[]"
    if not ContentType.objects.exists():  # emptied by the last flush
        _restore(demo_snapshot)
    if not get_user_model().objects.filter(username=DEMO_USERS[0].username).exists():
        load_demo()
    # The search terms live in a table that is not a Django model (see search_index).
    from tsunagu.directory.search.index import rebuild_index

    rebuild_index()


@pytest.fixture
def search_index(demo_data: None) -> None:
    """Opt in to keyword search: rebuild the directory's full-text index.

    The terms live beside ``SearchEntry`` in a table that is not a Django model (SQLite's
    FTS5 ``directory_searchentry_fts``, PostgreSQL's ``directory_searchentry_terms``), so
    they are not in ``demo_snapshot``; the live server's flush empties them (a trigger on
    the entries) while ``demo_data`` restores only the entries. Without this, a keyword
    search in any browser test but the session's first finds nothing. (A fraction of a
    second on the demo data.)
    """
    from tsunagu.directory.search.index import rebuild_index

    rebuild_index()


@pytest.fixture(scope="session")
def warm_server(live_server: Any) -> Any:
    """The live server after one request: the first one imports every app's URLs, views and
    templates (seconds on a busy machine), which must not count against a test's timeout."""
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=180) as response:
        response.read()
    return live_server


@pytest.fixture
def new_page(browser: Any, warm_server: Any) -> Iterator[Callable[..., Any]]:
    """Make a page in a new ja-JP context; extra keyword arguments go to new_context.

    Every test also checks that nothing the pages did was refused by the
    Content-Security-Policy (Chromium reports each refusal on the console).
    """
    contexts: list[Any] = []
    refused: list[str] = []

    def note_refusal(message: Any) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    def make(**options: Any) -> Any:
        options.setdefault("locale", "ja-JP")
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(base_url=warm_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", note_refusal)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert refused == [], "refused by the Content-Security-Policy: " + " | ".join(refused[:3])


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page (1280x800) in a new ja-JP context."""
    return new_page()


@pytest.fixture
def login() -> Callable[..., None]:
    """Sign in through the login form, as a person would."""
    from tsunagu.demo.loader import DEMO_PASSWORD

    def sign_in(page: Any, username: str = "kawara", password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("ユーザー名").fill(username)
        page.get_by_label("パスワード").fill(password)
        page.get_by_role("button", name="ログイン", exact=True).click()

    return sign_in
