"""Reads that may lag go to the replica when there is one; writes never do.

The "replica" alias is added as Django's test MIRROR of the test database (as
``TSUNAGU_REPLICA_DATABASE_URL`` gives in tests): on PostgreSQL a second connection to the
test database, which sees what is committed (the demo data) as a real replica does; on
SQLite's in-memory test database the mirror reads through the primary's connection.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from tsunagu.core.operations.databases import REPLICA, lagging_reads, using_replica
from tsunagu.regional_issues.models import RegionalIssue, Theme


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The alias, for this module's tests only (added before their database access is
    set up, which checks the aliases a test may use)."""
    mirrored = copy.deepcopy(connections["default"].settings_dict)  # the test database
    mirrored["TEST"] = {**mirrored.get("TEST", {}), "MIRROR": "default"}
    connections.settings[REPLICA] = mirrored
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


ON_POSTGRESQL = os.environ.get("TSUNAGU_TEST_DATABASE_URL", "").startswith("postg")
# SQLite's in-memory test database is one shared cache: a second connection's transaction
# (Django's test case opens one per alias) locks it. There the routing decisions are
# checked without reading through the replica; on PostgreSQL the reads as well.
needs_second_connection = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="a second connection to the test database: PostgreSQL only"
)


@pytest.fixture
def replica(db) -> str:
    return REPLICA


pytestmark = pytest.mark.django_db(databases=["default", REPLICA] if ON_POSTGRESQL else ["default"])


def test_without_a_replica_lagging_reads_use_the_primary(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA)
    assert lagging_reads() == "default"
    assert using_replica(RegionalIssue.objects.all()).db == "default"


@needs_second_connection
def test_with_a_replica_lagging_reads_are_read_there(replica):
    issues = using_replica(RegionalIssue.objects.order_by("pk"))

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        read = list(issues.values_list("pk", flat=True))

    assert issues.db == REPLICA
    assert on_replica.captured_queries
    assert read == list(RegionalIssue.objects.order_by("pk").values_list("pk", flat=True))
    assert read  # the demo data, committed before the test


@needs_second_connection
def test_a_row_read_from_the_replica_is_written_to_the_primary(replica):
    theme = using_replica(Theme.objects.order_by("pk")).first()
    assert theme._state.db == REPLICA
    theme.name = theme.name + "（改）"

    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        theme.save()

    assert any("UPDATE" in q["sql"] for q in on_primary.captured_queries)
    assert not any("UPDATE" in q["sql"] for q in on_replica.captured_queries)
    assert Theme.objects.get(pk=theme.pk).name.endswith("（改）")


def test_lagging_reads_are_routed_to_the_replica_and_writes_to_the_primary(replica):
    issues = using_replica(RegionalIssue.objects.all())
    theme = Theme(name="x")
    theme._state.db = REPLICA  # as if read from the replica

    assert issues.db == REPLICA
    assert router.db_for_write(Theme, instance=theme) == "default"
    assert router.db_for_read(Theme) == "default"


def test_the_replica_is_never_migrated(replica):
    assert router.allow_migrate(REPLICA, "regional_issues") is False
    assert router.allow_migrate("default", "regional_issues") is True


@needs_second_connection
def test_the_issue_export_reads_from_the_replica(replica, client_as):
    client = client_as("kawara")

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get("/issues/export.xlsx")

    assert response.status_code == 200
    assert any("regional_issues_regionalissue" in q["sql"] for q in on_replica.captured_queries)


@needs_second_connection
def test_the_heat_table_export_reads_from_the_replica(replica, client_as):
    client = client_as("kagoshima")

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get("/issues/dashboard/heat.xlsx")

    assert response.status_code == 200
    assert any("regional_issues_regionalissue" in q["sql"] for q in on_replica.captured_queries)


@needs_second_connection
def test_the_dashboard_page_itself_reads_from_the_primary(replica, client_as):
    client = client_as("kagoshima")

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get("/issues/dashboard/")

    assert response.status_code == 200
    assert not on_replica.captured_queries
