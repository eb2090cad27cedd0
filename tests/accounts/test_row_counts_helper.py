"""The helper behind every "nothing changed" check (tests/accounts/_helpers.row_counts)
sees a written row, a deleted one and a history row."""

from __future__ import annotations

import pytest

from tests.accounts._helpers import row_counts
from tests.factories import OrganisationFactory
from tsunagu.directory.models import Organisation

pytestmark = pytest.mark.django_db


def test_row_counts_change_with_a_write_and_a_delete() -> None:
    before = row_counts()
    assert before["directory.Organisation"] == Organisation.objects.count()
    organisation = OrganisationFactory()
    after = row_counts()
    assert after["directory.Organisation"] == before["directory.Organisation"] + 1
    assert after != before
    Organisation.objects.filter(pk=organisation.pk).delete()
    assert row_counts()["directory.Organisation"] == before["directory.Organisation"]
    assert len(before) >= 100  # every table, historical ones included
    assert "directory.HistoricalOrganisation" in before
