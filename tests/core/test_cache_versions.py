"""Kept pages and any database write (issue 18: the dashboard is kept until something is
written, so its 37 queries run once per change, not once per view)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.core import cache_versions
from tsunagu.core.cache_versions import table_version, written_table
from tsunagu.regional_issues.models import RegionalIssue

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeping(monkeypatch):
    """The tests run inside a transaction, where nothing is kept: keep as outside one."""
    from django.core.cache import cache

    monkeypatch.setattr(cache_versions, "may_keep", lambda: True)
    cache.clear()  # nothing kept by an earlier test counts


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        (
            'INSERT INTO "regional_issues_regionalissue" ("title") VALUES (%s)',
            "regional_issues_regionalissue",
        ),
        ('  update "directory_resource" SET "name" = %s', "directory_resource"),
        ('DELETE FROM "django_session" WHERE 1', "django_session"),
        ("INSERT INTO directory_searchentry (id) VALUES (1)", "directory_searchentry"),
        ('SELECT "id" FROM "directory_resource"', None),
        ("SAVEPOINT s1", None),
        ("RELEASE SAVEPOINT s1", None),
        ("DROP TABLE x", None),
        (b"INSERT INTO x", None),
    ],
)
def test_the_table_a_statement_writes(sql, table):
    assert written_table(sql) == table


def test_every_connection_is_watched():
    connection.ensure_connection()
    assert cache_versions._watch_writes in connection.execute_wrappers


def _writes_renew(action, table: str = "areas_municipality") -> bool:
    version = table_version(table)
    before = version.current()
    action()
    return version.current() != before


def test_orm_saves_queryset_updates_and_raw_sql_renew_the_table_s_version(keeping):
    from tsunagu.areas.models import District, Municipality, Prefecture

    # each the first write to its table in this transaction (later ones renew at the commit)
    town = Municipality.objects.get(name="香春町")
    assert _writes_renew(lambda: town.save(), Municipality._meta.db_table)
    assert _writes_renew(
        lambda: Prefecture.objects.filter(pk=town.prefecture_id).update(name="福岡県"),
        Prefecture._meta.db_table,
    )
    table = District._meta.db_table

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET name = name WHERE id = -1")

    assert _writes_renew(raw, table)
    assert not _writes_renew(lambda: list(Municipality.objects.all()[:3]), "areas_municipality")


def test_writes_in_a_transaction_renew_once_more_at_its_commit(keeping):
    from tsunagu.areas.models import Municipality

    version = table_version(Municipality._meta.db_table)
    before = len(connection.run_on_commit)
    for town in Municipality.objects.all()[:3]:
        town.save()
    renewals = [e for e in connection.run_on_commit[before:] if e[1] == version.renew]
    assert len(renewals) == 1


def test_sessions_and_read_logs_do_not_renew_it(keeping, user_named):
    from django.contrib.sessions.backends.db import SessionStore

    from tsunagu.accounts.models import PersonalDataReadLog

    def session() -> None:
        store = SessionStore()
        store["x"] = 1
        store.save()

    assert not _writes_renew(session, "django_session")
    log_table = PersonalDataReadLog._meta.db_table
    assert not _writes_renew(lambda: PersonalDataReadLog.objects.filter(pk=-1).delete(), log_table)


def _panel_queries(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/dashboard/").content.decode()
    # the page's CSRF token (the sign-out form) is masked afresh on every request
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html), len(
        queries.captured_queries
    )


def test_the_dashboard_is_kept_until_a_write_and_then_shows_it(keeping, client_as):
    client = client_as("kagoshima")
    first, cold = _panel_queries(client)
    again, warm = _panel_queries(client)
    assert again == first
    assert warm < cold - 10  # the panels' queries are not run again
    issue = RegionalIssue.objects.filter(municipality__name="鹿児島市").first()
    assert issue is not None and issue.title in first
    RegionalIssue.objects.filter(pk=issue.pk).update(title="題名を書き換えた課題")
    changed, queries = _panel_queries(client)
    assert "題名を書き換えた課題" in changed
    assert queries > warm + 10  # counted afresh


def test_the_dashboard_is_kept_per_user_and_language(keeping, client_as, user_named):
    kagoshima = client_as("kagoshima")
    kawara = client_as("kawara")
    ja = kagoshima.get("/dashboard/").content.decode()
    assert "鹿児島市" in ja
    assert "鹿児島市" not in kawara.get("/dashboard/").content.decode()
    user = user_named("kagoshima")
    user.language = "en"
    user.save()
    english = kagoshima.get("/dashboard/").content.decode()
    assert '<html lang="en">' in english and "Dashboard" in english
    assert '">地域課題</h2>' in ja
    assert '">Regional issues</h2>' in english and '">地域課題</h2>' not in english


def test_nothing_is_kept_inside_a_transaction(client_as):
    client = client_as("kagoshima")
    _panel_queries(client)  # the first request also reads what is kept per process
    _html, second = _panel_queries(client)
    _html, third = _panel_queries(client)
    assert third == second > 20


def test_the_tables_a_computation_reads_are_collected(keeping):
    from tsunagu.areas.models import Municipality
    from tsunagu.core.cache_versions import reading_tables

    with reading_tables() as tables:
        list(Municipality.objects.select_related("prefecture")[:2])
    assert {"areas_municipality", "areas_prefecture"} <= tables
    assert "regional_issues_regionalissue" not in tables


def test_a_kept_value_lasts_until_a_table_it_read_is_written(keeping):
    from tsunagu.areas.models import Municipality, Prefecture
    from tsunagu.core.cache_versions import kept_by_tables

    runs = []

    def names() -> list[str]:
        runs.append(1)
        return sorted(Municipality.objects.values_list("name", flat=True))

    first = kept_by_tables("test:names", names, seconds=60)
    assert kept_by_tables("test:names", names, seconds=60) == first and len(runs) == 1
    Prefecture.objects.filter(pk=-1).update(name="x")  # another table: still kept
    assert kept_by_tables("test:names", names, seconds=60) == first and len(runs) == 1
    Municipality.objects.filter(name="香春町").update(name="香春町（改）")
    again = kept_by_tables("test:names", names, seconds=60)
    assert len(runs) == 2 and "香春町（改）" in again


def _issue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get("/dashboard/")
    return len([q for q in queries.captured_queries if "regional_issues_" in q["sql"]])


def test_a_write_elsewhere_keeps_the_issue_panels(keeping, client_as):
    from tsunagu.directory.models import Resource

    client = client_as("kagoshima")
    assert _issue_queries(client) > 0
    assert _issue_queries(client) == 0
    Resource.objects.filter(municipality__name="鹿児島市").update(name="名前を変えた活動")
    assert _issue_queries(client) == 0  # the directory's panel is computed again, not these
    RegionalIssue.objects.filter(municipality__name="鹿児島市").update(target="対象を変えた")
    assert _issue_queries(client) > 0


def test_a_new_membership_shows_on_the_kept_dashboard(keeping, client_as, user_named):
    from tsunagu.accounts.models import Membership, Role
    from tsunagu.areas.models import Municipality

    client = client_as("kawara")
    assert "鹿児島市" not in _panel_queries(client)[0]
    Membership.objects.create(
        user=user_named("kawara"),
        role=Role.MUNICIPALITY_STAFF,
        municipality=Municipality.objects.get(name="鹿児島市"),
    )
    assert "鹿児島市" in _panel_queries(client)[0]
