"""Timeline, single-person dependency (frozen clock), stale digest and its mail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from tsunagu.accounts.models import Membership, Role
from tsunagu.continuity.contacts.services import interaction_record
from tsunagu.continuity.dependency.report import dependency_report, transfer_season
from tsunagu.continuity.handover.services import handover_item_assign, handover_start
from tsunagu.continuity.models import StaleDigest
from tsunagu.continuity.stale.digest import send_stale_digests, stale_items_for
from tsunagu.continuity.stewardship.services import stewardship_assign
from tsunagu.continuity.timeline.entries import timeline_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 15)  # between 内示 and 4月1日


@pytest.fixture
def kagoshima(make_staff, make_organisation) -> dict[str, Any]:
    supervisor = make_staff("鹿児島市", Role.MUNICIPALITY_STAFF)
    leaver = make_staff("鹿児島市", email="leaver@example.jp")
    colleague = make_staff("鹿児島市", Role.COORDINATOR)
    with time_machine.travel(datetime.date(2026, 4, 1)):
        association = make_organisation("鹿児島市")
        stewardship_assign(obj=association, steward=leaver, actor=supervisor)
    return {
        "supervisor": supervisor,
        "leaver": leaver,
        "colleague": colleague,
        "association": association,
    }


def _contact(case: dict[str, Any], *, on: datetime.date, our_side: list[Any]) -> None:
    interaction_record(
        municipality=case["association"].municipality,
        occurred_on=on,
        channel="visit",
        summary="（デモ）会長と移動支援について相談",
        our_side=our_side,
        organisations=[case["association"]],
        actor=case["supervisor"],
    )


def test_timeline_merges_history_steward_and_contacts_newest_first(kagoshima):
    _contact(kagoshima, on=datetime.date(2026, 10, 1), our_side=[kagoshima["leaver"]])
    entries = timeline_for(obj=kagoshima["association"], user=kagoshima["supervisor"])
    types = [e.type for e in entries]
    assert {"history", "steward", "contact"} <= set(types)
    keys = [e.sort_key() for e in entries]
    assert keys == sorted(keys, reverse=True)


def test_timeline_filter_keeps_only_the_asked_types(kagoshima):
    _contact(kagoshima, on=datetime.date(2026, 10, 1), our_side=[kagoshima["leaver"]])
    entries = timeline_for(
        obj=kagoshima["association"], user=kagoshima["supervisor"], types=["contact"]
    )
    assert [e.type for e in entries] == ["contact"]


def test_timeline_page_is_404_for_another_municipality(kagoshima, make_staff, client):
    outsider = make_staff("出水市", Role.MUNICIPALITY_STAFF)
    association = kagoshima["association"]
    association.visibility = "internal"
    association.save()
    type_id = ContentType.objects.get_for_model(association).pk
    client.force_login(outsider)
    response = client.get(reverse("continuity:timeline", args=[type_id, association.pk]))
    assert response.status_code == 404


def test_timeline_page_lists_a_contact_for_the_supervisor(kagoshima, client):
    _contact(kagoshima, on=datetime.date(2026, 10, 1), our_side=[kagoshima["leaver"]])
    association = kagoshima["association"]
    type_id = ContentType.objects.get_for_model(association).pk
    client.force_login(kagoshima["supervisor"])
    response = client.get(
        reverse("continuity:timeline", args=[type_id, association.pk]) + "?type=contact"
    )
    assert response.status_code == 200
    assert "会長と移動支援について相談" in response.content.decode()


def test_sole_steward_without_other_contact_is_a_finding(kagoshima):
    _contact(kagoshima, on=datetime.date(2026, 12, 1), our_side=[kagoshima["leaver"]])
    with time_machine.travel(TODAY):
        report = dependency_report(user=kagoshima["supervisor"], today=TODAY, months=6)
    titles = [f.title for f in report.findings]
    assert kagoshima["association"].name in titles


def test_a_colleagues_recent_contact_clears_the_sole_steward_finding(kagoshima):
    _contact(kagoshima, on=datetime.date(2026, 12, 1), our_side=[kagoshima["colleague"]])
    with time_machine.travel(TODAY):
        report = dependency_report(user=kagoshima["supervisor"], today=TODAY, months=6)
    reasons = [f.reason for f in report.findings if f.title == kagoshima["association"].name]
    assert not any("担当は" in r for r in reasons)


def test_a_colleagues_contact_older_than_the_window_does_not_count(kagoshima):
    _contact(kagoshima, on=datetime.date(2026, 5, 1), our_side=[kagoshima["colleague"]])
    with time_machine.travel(TODAY):
        report = dependency_report(user=kagoshima["supervisor"], today=TODAY, months=6)
    reasons = [f.reason for f in report.findings if f.title == kagoshima["association"].name]
    assert any("担当は" in r for r in reasons)


def test_organisation_reached_by_one_of_us_only_is_a_finding(kagoshima):
    _contact(kagoshima, on=datetime.date(2026, 12, 1), our_side=[kagoshima["leaver"]])
    _contact(kagoshima, on=datetime.date(2027, 1, 10), our_side=[kagoshima["leaver"]])
    with time_machine.travel(TODAY):
        report = dependency_report(user=kagoshima["supervisor"], today=TODAY, months=6)
    assert any("こちら側の窓口" in f.reason for f in report.findings)


def _finding(report: Any, title: str) -> tuple[int, Any]:
    """The position and finding of one record (the demo's own findings share the report)."""
    return next((i, f) for i, f in enumerate(report.findings) if f.title == title)


def test_findings_of_a_leaver_rank_higher(kagoshima):
    name = kagoshima["association"].name
    with time_machine.travel(TODAY):
        before = dependency_report(user=kagoshima["supervisor"], today=TODAY, months=6)
    _, finding_before = _finding(before, name)
    handover_start(
        leaver=kagoshima["leaver"],
        municipality=kagoshima["association"].municipality,
        effective_on=datetime.date(2027, 4, 1),
        reason="transfer",
        actor=kagoshima["supervisor"],
    )
    with time_machine.travel(TODAY):
        report = dependency_report(user=kagoshima["supervisor"], today=TODAY, months=6)
    position, finding = _finding(report, name)
    assert finding.risk == 5 > finding_before.risk
    assert all(f.risk <= finding.risk for f in report.findings)
    assert all(f.risk == finding.risk for f in report.findings[:position])


def test_dependency_report_shows_nothing_of_another_municipality(kagoshima, make_staff):
    outsider = make_staff("出水市", Role.MUNICIPALITY_STAFF)
    with time_machine.travel(TODAY):
        report = dependency_report(user=outsider, today=TODAY, months=6)
    assert kagoshima["association"].name not in [f.title for f in report.findings]


def test_transfer_season_lists_what_a_draft_handover_would_orphan(kagoshima):
    handover_start(
        leaver=kagoshima["leaver"],
        municipality=kagoshima["association"].municipality,
        effective_on=datetime.date(2027, 4, 1),
        reason="transfer",
        actor=kagoshima["supervisor"],
    )
    with time_machine.travel(TODAY):
        departures = transfer_season(user=kagoshima["supervisor"], today=TODAY)
    (departure,) = [d for d in departures if d.user == kagoshima["leaver"]]
    assert [title for _kind, title, _url in departure.orphaned] == [kagoshima["association"].name]


def test_transfer_season_counts_a_named_successor_as_covered(kagoshima):
    handover = handover_start(
        leaver=kagoshima["leaver"],
        municipality=kagoshima["association"].municipality,
        effective_on=datetime.date(2027, 4, 1),
        reason="transfer",
        actor=kagoshima["supervisor"],
    )
    handover_item_assign(
        item=handover.items.get(), successor=kagoshima["colleague"], actor=kagoshima["supervisor"]
    )
    with time_machine.travel(TODAY):
        departures = transfer_season(user=kagoshima["supervisor"], today=TODAY)
    (departure,) = [d for d in departures if d.user == kagoshima["leaver"]]
    assert departure.orphaned == []
    assert departure.covered[0][3] == kagoshima["colleague"].display_name


def test_transfer_season_lists_a_membership_ending_before_april(kagoshima):
    Membership.objects.filter(user=kagoshima["leaver"]).update(ends_on=datetime.date(2027, 3, 31))
    with time_machine.travel(TODAY):
        departures = transfer_season(user=kagoshima["supervisor"], today=TODAY)
    (departure,) = [d for d in departures if d.user == kagoshima["leaver"]]
    assert departure.handover is None
    assert departure.leaves_on == datetime.date(2027, 4, 1)


def test_idle_relationship_is_stale_after_its_kind_limit(kagoshima):
    _contact(kagoshima, on=datetime.date(2026, 6, 1), our_side=[kagoshima["leaver"]])
    later = datetime.date(2027, 1, 1)  # 214 days: over the 180 days of relationships
    with time_machine.travel(later):
        items = stale_items_for(user=kagoshima["leaver"], today=later)
    assert [i.title for i in items] == [kagoshima["association"].name]


def test_recent_contact_keeps_a_relationship_off_the_digest(kagoshima):
    _contact(kagoshima, on=datetime.date(2026, 12, 1), our_side=[kagoshima["leaver"]])
    later = datetime.date(2027, 1, 1)
    with time_machine.travel(later):
        assert stale_items_for(user=kagoshima["leaver"], today=later) == []


def test_stale_days_setting_changes_the_limit(kagoshima, settings):
    settings.TSUNAGU_STALE_DAYS = {"directory.organisation": 400}
    _contact(kagoshima, on=datetime.date(2026, 6, 1), our_side=[kagoshima["leaver"]])
    later = datetime.date(2027, 1, 1)
    with time_machine.travel(later):
        assert stale_items_for(user=kagoshima["leaver"], today=later) == []


def test_stale_digest_is_mailed_once_per_interval_when_configured(kagoshima, settings):
    settings.TSUNAGU_STALE_DIGEST_MAIL = True
    later = datetime.date(2027, 1, 1)
    with time_machine.travel(later):
        send_stale_digests(today=later)
        send_stale_digests(today=later + datetime.timedelta(days=3))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["leaver@example.jp"]
    assert kagoshima["association"].name in mail.outbox[0].body
    assert StaleDigest.objects.filter(user=kagoshima["leaver"]).count() == 1


def test_stale_digest_is_not_mailed_unless_configured(kagoshima, settings):
    settings.TSUNAGU_STALE_DIGEST_MAIL = False
    later = datetime.date(2027, 1, 1)
    with time_machine.travel(later):
        send_stale_digests(today=later)
    assert mail.outbox == []
    assert not StaleDigest.objects.exists()


def test_reminder_command_runs_the_stale_digest(kagoshima, settings, capsys):
    from tsunagu.cli import main

    settings.TSUNAGU_STALE_DIGEST_MAIL = True
    with time_machine.travel(datetime.date(2027, 1, 1)):
        main(["engagements", "send-reminders"])
    assert "動きのない担当" in capsys.readouterr().out
    assert len(mail.outbox) >= 1


def test_stale_page_and_dashboard_panel_list_the_item(kagoshima, client):
    with time_machine.travel(datetime.date(2027, 1, 1)):
        client.force_login(kagoshima["leaver"])
        page = client.get(reverse("continuity:stale")).content.decode()
        dashboard = client.get("/dashboard/").content.decode()
    assert kagoshima["association"].name in page
    assert "動きのない担当" in dashboard


def test_dependency_page_shows_the_transfer_season(kagoshima, client):
    handover_start(
        leaver=kagoshima["leaver"],
        municipality=kagoshima["association"].municipality,
        effective_on=datetime.date(2027, 4, 1),
        reason="transfer",
        actor=kagoshima["supervisor"],
    )
    with time_machine.travel(TODAY):
        client.force_login(kagoshima["supervisor"])
        body = client.get(reverse("continuity:dependency")).content.decode()
    assert "担当がいなくなるもの" in body
    assert kagoshima["association"].name in body
