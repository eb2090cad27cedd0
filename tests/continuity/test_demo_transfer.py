"""The demo's 鹿児島市 transfer read through the dependency report (事例表№3 鹿児島市 1(2))."""

from __future__ import annotations

import datetime

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


def test_demo_second_state_hands_everything_to_the_successor(user_named, capsys):
    # given the demo's planned transfer; when the second state is asked for on the command line
    from tsunagu import cli
    from tsunagu.accounts.models import Membership
    from tsunagu.continuity.models import Handover, HandoverStatus
    from tsunagu.continuity.stewardship.selectors import responsibilities_of

    assert cli.main(["demo-handover"]) == 0

    # then the handover is completed, the successor stewards what the leaver held (handed
    # over, from the effective date) and the leaver's membership ends the day before it
    leaver, successor = user_named("kagoshima-anshin"), user_named("kagoshima-anshin-successor")
    handover = Handover.objects.get(leaver=leaver)
    assert handover.status == HandoverStatus.COMPLETED
    taken_over = {r.title: r for _kind, rows in responsibilities_of(user=successor) for r in rows}
    assert {MODEL_AREA_ISSUE, ASSOCIATION} <= set(taken_over)
    assert taken_over[ASSOCIATION].handed_over
    assert taken_over[ASSOCIATION].stewardship.since == handover.effective_on
    ends = set(Membership.objects.filter(user=leaver).values_list("ends_on", flat=True))
    assert ends == {handover.effective_on - datetime.timedelta(days=1)}
    assert "後任（kagoshima-anshin-successor）" in capsys.readouterr().out


def test_demo_second_state_is_idempotent(user_named):
    from tsunagu.accounts.services import system_actor
    from tsunagu.continuity.models import Handover
    from tsunagu.demo.continuity_loader import complete_demo_handover

    first = complete_demo_handover(system_actor())
    history = first.history.count()
    again = complete_demo_handover(system_actor())
    assert again.pk == first.pk
    assert Handover.objects.get(pk=first.pk).history.count() == history
