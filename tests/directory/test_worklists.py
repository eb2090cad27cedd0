"""Worklists are what the user can act on: the stale list and its dashboard count hold only
records the user may edit (issue 12: 香春町 staff saw 83 other municipalities' records)."""

from __future__ import annotations

import re

import pytest

from tsunagu.directory import selectors
from tsunagu.directory.permissions import can_edit_record

pytestmark = pytest.mark.django_db


def test_stale_records_of_kawara_are_all_editable_by_kawara_and_all_in_kawara(
    user_named, municipality
):
    kawara = user_named("kawara")
    stale = selectors.stale_records_for(user=kawara)
    records = [*stale["organisations"], *stale["resources"]]
    assert records  # the demo has unverified 香春町 records
    assert all(can_edit_record(kawara, r) for r in records)
    assert {r.municipality_id for r in records} == {municipality("香春町").pk}


def test_stale_list_leaves_out_other_municipalities_public_records(client_as, user_named):
    # given: public records of other municipalities that 香春町 staff can read
    kawara = user_named("kawara")
    readable = selectors.organisation_list_visible_to(user=kawara).exclude(
        municipality__name="香春町"
    )
    foreign = readable.filter(last_verified_on__isnull=True).first()
    assert foreign is not None
    # when
    body = client_as("kawara").get("/directory/stale/").content.decode()
    # then
    assert f"/directory/organisations/{foreign.pk}/" not in body


def test_dashboard_stale_count_equals_the_stale_list_length(client_as, user_named):
    kawara = user_named("kawara")
    stale = selectors.stale_records_for(user=kawara)
    dashboard = client_as("kawara").get("/dashboard/").content.decode()
    counts = re.findall(
        r"<dt>12か月以上確認されていない(団体|地域資源)</dt><dd>(\d+)</dd>", dashboard
    )
    assert dict(counts) == {
        "団体": str(stale["organisations"].count()),
        "地域資源": str(stale["resources"].count()),
    }
    page = client_as("kawara").get("/directory/stale/").content.decode()
    assert f"団体・組織（{stale['organisations'].count()}件）" in page
    assert f"地域資源（{stale['resources'].count()}件）" in page
