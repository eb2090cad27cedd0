"""The demo's 鹿児島市 transfer read through the dependency report (事例表№3 鹿児島市 1(2))."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tsunagu.continuity.dependency.report import dependency_report, transfer_season
from tsunagu.demo.continuity_loader import ASSOCIATION, MODEL_AREA_ISSUE

pytestmark = pytest.mark.django_db


def test_demo_transfer_would_orphan_the_model_area_issue_and_the_association(user_named):
    supervisor = user_named("kagoshima")
    departures = transfer_season(user=supervisor, today=timezone.localdate())
    (departure,) = [d for d in departures if d.user.username == "kagoshima-anshin"]
    orphaned = {title for _kind, title, _url in departure.orphaned}
    assert {MODEL_AREA_ISSUE, ASSOCIATION} <= orphaned


def test_demo_association_rests_on_the_leaver_alone(user_named):
    report = dependency_report(user=user_named("kagoshima"), today=timezone.localdate())
    reasons = [f for f in report.findings if f.title == ASSOCIATION]
    assert reasons and all(
        f.person.startswith(user_named("kagoshima-anshin").display_name) for f in reasons
    )
