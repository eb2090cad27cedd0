"""Handover (引継ぎ): orphans and blockers stop it; completing it moves stewardship and access."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from tsunagu.accounts.models import Membership, Role
from tsunagu.accounts.scope import can_view
from tsunagu.continuity.handover.services import (
    handover_assign_bulk,
    handover_blockers,
    handover_complete,
    handover_item_assign,
    handover_start,
)
from tsunagu.continuity.models import HandoverStatus, Stewardship
from tsunagu.continuity.stewardship.selectors import responsibilities_of, stewards_of
from tsunagu.continuity.stewardship.services import stewardship_assign
from tsunagu.core.errors import PermissionDenied, TsunaguError

pytestmark = pytest.mark.django_db

APRIL_1 = datetime.date(2027, 4, 1)


@pytest.fixture
def case(make_staff, make_organisation) -> dict[str, Any]:
    """鹿児島市: a care-centre staff member (leaver) stewards two 町内会 relationships."""
    from tsunagu.areas.models import Municipality

    supervisor = make_staff("鹿児島市", Role.MUNICIPALITY_STAFF)
    leaver = make_staff("鹿児島市")
    successor = make_staff(
        "鹿児島市",
        Role.COORDINATOR,
    )
    first, second = make_organisation("鹿児島市"), make_organisation("鹿児島市")
    for organisation in (first, second):
        stewardship_assign(
            obj=organisation, steward=leaver, actor=supervisor, since=datetime.date(2025, 4, 1)
        )
    return {
        "supervisor": supervisor,
        "leaver": leaver,
        "successor": successor,
        "organisations": (first, second),
        "municipality": Municipality.objects.get(name="鹿児島市"),
    }


def _start(case: dict[str, Any]) -> Any:
    return handover_start(
        leaver=case["leaver"],
        municipality=case["municipality"],
        effective_on=APRIL_1,
        reason="transfer",
        actor=case["supervisor"],
    )


def test_starting_a_handover_lists_everything_the_leaver_stewards(case):
    handover = _start(case)

    assert handover.items.count() == 2
    assert handover.history.get().history_change_reason == "continuity.handover.start"


def test_handover_cannot_complete_while_an_item_has_no_successor(case):
    handover = _start(case)
    handover_item_assign(
        item=handover.items.first(), successor=case["successor"], actor=case["supervisor"]
    )

    with pytest.raises(TsunaguError, match="後任が決まっていません"):
        handover_complete(handover=handover, actor=case["supervisor"])

    handover.refresh_from_db()
    assert handover.status == HandoverStatus.DRAFT
    assert [r.user for r in stewards_of(case["organisations"][0])] == [case["leaver"]]


def test_successor_without_access_is_named_as_a_blocker_and_not_granted(case, make_staff, fresh):
    outsider = make_staff("出水市")
    handover = _start(case)
    handover_assign_bulk(handover=handover, successor=outsider, actor=case["supervisor"])

    blockers = handover_blockers(handover)

    assert len(blockers) == 2
    assert all(
        outsider.display_name in b.message and "権限がありません" in b.message for b in blockers
    )
    with pytest.raises(TsunaguError):
        handover_complete(handover=handover, actor=case["supervisor"])
    assert not can_view(fresh(outsider), case["organisations"][0])
    assert not Stewardship.objects.filter(user=outsider).exists()


def test_completing_moves_stewardship_on_the_effective_date_with_history(case):
    handover = _start(case)
    handover_assign_bulk(handover=handover, successor=case["successor"], actor=case["supervisor"])

    handover_complete(handover=handover, actor=case["supervisor"])

    organisation = case["organisations"][0]
    old = Stewardship.objects.of(organisation).get(user=case["leaver"])
    new = Stewardship.objects.of(organisation).get(user=case["successor"])
    assert old.until == datetime.date(2027, 3, 31)
    assert new.since == APRIL_1
    assert new.handed_over_by.handover == handover
    assert new.history.get().history_change_reason.startswith("continuity.stewardship.assign")
    assert handover.history.latest().history_change_reason == "continuity.handover.complete"


def test_leaver_loses_access_on_the_effective_date_and_keeps_their_history(case, fresh):
    handover = _start(case)
    handover_assign_bulk(handover=handover, successor=case["successor"], actor=case["supervisor"])
    organisation = case["organisations"][0]
    handover_complete(handover=handover, actor=case["supervisor"])

    with time_machine.travel(datetime.datetime(2027, 3, 31, 12, 0), tick=False):
        assert can_view(fresh(case["leaver"]), organisation)
    with time_machine.travel(datetime.datetime(2027, 4, 1, 9, 0), tick=False):
        assert not can_view(fresh(case["leaver"]), organisation)
        assert Stewardship.objects.filter(user=case["leaver"]).count() == 2
        assert Stewardship.history.filter(user=case["leaver"]).exists()
    membership = Membership.objects.get(user=case["leaver"])
    assert membership.ends_on == datetime.date(2027, 3, 31)
    assert membership.history.latest().history_change_reason.startswith("accounts.membership.end")


def test_successor_access_comes_from_their_own_membership(case, fresh):
    handover = _start(case)
    handover_assign_bulk(handover=handover, successor=case["successor"], actor=case["supervisor"])
    memberships_before = list(Membership.objects.filter(user=case["successor"]).values())

    handover_complete(handover=handover, actor=case["supervisor"])

    assert list(Membership.objects.filter(user=case["successor"]).values()) == memberships_before
    with time_machine.travel(datetime.datetime(2027, 4, 1, 9, 0), tick=False):
        successor = fresh(case["successor"])
        assert can_view(successor, case["organisations"][0])
        groups = responsibilities_of(user=successor)
        assert sum(1 for _kind, items in groups for item in items if item.handed_over) == 2


def test_staff_of_another_municipality_cannot_start_a_handover_and_nothing_is_written(
    case, make_staff
):
    from tsunagu.continuity.models import Handover

    other = make_staff("出水市", Role.MUNICIPALITY_STAFF)
    before = Handover.objects.count()

    with pytest.raises(PermissionDenied):
        handover_start(
            leaver=case["leaver"],
            municipality=case["municipality"],
            effective_on=APRIL_1,
            reason="transfer",
            actor=other,
        )

    assert Handover.objects.count() == before


def test_care_centre_staff_cannot_run_a_handover(case, make_staff):
    from tsunagu.continuity.models import Handover

    colleague = make_staff("鹿児島市")
    before = Handover.objects.count()

    with pytest.raises(PermissionDenied):
        _start({**case, "supervisor": colleague})

    assert Handover.objects.count() == before


def test_handover_pages_run_a_handover_and_show_the_successor_what_changed_hands(
    case, client, fresh
):
    client.force_login(case["supervisor"])
    response = client.post(
        f"/continuity/handovers/new/?municipality={case['municipality'].pk}",
        {
            "leaver": case["leaver"].pk,
            "reason": "transfer",
            "effective_on": "2027-04-01",
            "note": "全体メモ",
        },
    )
    assert response.status_code == 302
    detail_url = response["Location"]
    page = client.get(detail_url).content.decode()
    assert "後任が決まっていません" in page

    client.post(
        detail_url,
        {"action": "bulk", "bulk-successor": case["successor"].pk, "bulk-only_unassigned": "on"},
    )
    client.post(detail_url.rstrip("/") + "/complete/")

    with time_machine.travel(datetime.datetime(2027, 4, 1, 9, 0), tick=False):
        client.force_login(fresh(case["successor"]))
        mine = client.get("/continuity/mine/").content.decode()
    assert "引き継いだもの" in mine
    assert case["organisations"][0].name in mine


def test_handover_page_is_not_found_for_another_municipality(case, client, make_staff):
    handover = _start(case)
    client.force_login(make_staff("出水市", Role.MUNICIPALITY_STAFF))

    response = client.post(f"/continuity/handovers/{handover.pk}/complete/")

    assert response.status_code == 404
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.DRAFT


def test_demo_has_a_draft_handover_in_kagoshima_whose_items_have_no_successor_yet():
    from tsunagu.continuity.models import Handover

    handover = Handover.objects.get(leaver__username="kagoshima-anshin")

    assert handover.status == HandoverStatus.DRAFT
    assert handover.municipality.name == "鹿児島市"
    assert handover.effective_on.month == 4 and handover.effective_on.day == 1
    assert len(handover_blockers(handover)) == handover.items.count() >= 3
