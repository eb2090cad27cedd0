"""The dashboard's directory figures are kept per scope until a directory write (issue 18:
counting every visible record scanned most of both tables on every dashboard view)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.directory import counts, selectors, services
from tsunagu.directory.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(monkeypatch):
    """The tests run inside a transaction, where nothing is kept: keep as outside one."""
    monkeypatch.setattr(counts, "may_cache", lambda: True)
    counts.changed()  # nothing kept by an earlier test counts


def test_kept_counts_equal_the_counted_ones_and_cost_no_query_the_second_time(caching, user_named):
    kawara = user_named("kawara")
    first = counts.directory_counts_kept(user=kawara)
    assert first == selectors.directory_counts_for(user=kawara)
    with CaptureQueriesContext(connection) as queries:
        again = counts.directory_counts_kept(user=user_named("kawara"))
    assert again == first
    assert not [q for q in queries.captured_queries if "directory_" in q["sql"]]


def test_verifying_a_resource_updates_the_stale_count_at_once(caching, user_named):
    kawara = user_named("kawara")
    before = counts.directory_counts_kept(user=kawara)
    resource = selectors.stale_records_for(user=kawara)["resources"].first()
    assert resource is not None
    services.resource_verify(resource=resource, actor=kawara)
    after = counts.directory_counts_kept(user=user_named("kawara"))
    assert after["stale_resources"] == before["stale_resources"] - 1
    assert after == selectors.directory_counts_for(user=kawara)


def test_a_new_and_a_deleted_resource_change_the_count(caching, user_named):
    kawara = user_named("kawara")
    before = counts.directory_counts_kept(user=kawara)["resources"]
    resource = Resource.objects.filter(municipality__name="香春町").first()
    copy = Resource.objects.get(pk=resource.pk)
    copy.pk = None
    copy.name = f"{resource.name}（複製）"
    copy.save()
    assert counts.directory_counts_kept(user=kawara)["resources"] == before + 1
    copy.delete()
    assert counts.directory_counts_kept(user=kawara)["resources"] == before


def test_users_of_different_scopes_get_their_own_counts(caching, user_named):
    kawara, saiki = user_named("kawara"), user_named("saiki")
    assert counts.directory_counts_kept(user=kawara) == selectors.directory_counts_for(user=kawara)
    assert counts.directory_counts_kept(user=saiki) == selectors.directory_counts_for(user=saiki)
    assert (
        counts.directory_counts_kept(user=kawara)["stale_resources"]
        != counts.directory_counts_kept(user=saiki)["stale_resources"]
        or counts.directory_counts_kept(user=kawara)["stale_organisations"]
        != counts.directory_counts_kept(user=saiki)["stale_organisations"]
    )


def test_inside_a_transaction_nothing_is_kept(user_named):
    kawara = user_named("kawara")
    counts.directory_counts_kept(user=kawara)
    with CaptureQueriesContext(connection) as queries:
        counts.directory_counts_kept(user=kawara)
    assert [q for q in queries.captured_queries if "COUNT(*)" in q["sql"]]


def test_a_transaction_writing_many_records_renews_the_version_once_at_commit(user_named):
    from tsunagu.directory.models import Organisation

    before = len(connection.run_on_commit)
    for organisation in Organisation.objects.filter(municipality__name="香春町")[:3]:
        organisation.save()
    renewals = [e for e in connection.run_on_commit[before:] if e[1] == counts.version.renew]
    assert len(renewals) == 1
