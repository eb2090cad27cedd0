"""Stewardship (担当・副担当): assigning, history, scope, and the kind registry."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tsunagu.accounts.models import Role
from tsunagu.continuity.models import StewardRole, Stewardship
from tsunagu.continuity.registry import STEWARDED_KINDS, StewardedKind, kinds, register_kind
from tsunagu.continuity.stewardship.selectors import responsibilities_of, stewards_of
from tsunagu.continuity.stewardship.services import stewardship_assign
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.plugins import _HOOKS

pytestmark = pytest.mark.django_db


def test_assigning_a_steward_and_deputy_records_history_with_the_action_code(
    make_staff, make_organisation
):
    supervisor = make_staff("鹿児島市", Role.MUNICIPALITY_STAFF)
    steward = make_staff("鹿児島市")
    deputy = make_staff(
        "鹿児島市",
        Role.COORDINATOR,
    )
    organisation = make_organisation("鹿児島市")

    stewardship_assign(obj=organisation, steward=steward, deputies=[deputy], actor=supervisor)

    rows = stewards_of(organisation)
    assert [(r.user, r.role) for r in rows] == [
        (steward, StewardRole.STEWARD),
        (deputy, StewardRole.DEPUTY),
    ]
    history = rows[0].history.get()
    assert history.history_user == supervisor
    assert history.history_change_reason == "continuity.stewardship.assign"


def test_changing_the_steward_ends_the_previous_period_and_keeps_it(make_staff, make_organisation):
    supervisor = make_staff("鹿児島市", Role.MUNICIPALITY_STAFF)
    first, second = make_staff("鹿児島市"), make_staff("鹿児島市")
    organisation = make_organisation("鹿児島市")
    stewardship_assign(
        obj=organisation, steward=first, actor=supervisor, since=datetime.date(2026, 4, 1)
    )

    stewardship_assign(
        obj=organisation, steward=second, actor=supervisor, since=datetime.date(2026, 10, 1)
    )

    old = Stewardship.objects.of(organisation).get(user=first)
    assert old.until == datetime.date(2026, 9, 30)
    assert old.history.latest().history_change_reason == "continuity.stewardship.end"
    assert [r.user for r in stewards_of(organisation)] == [second]


def test_assignee_who_cannot_see_the_record_is_refused_and_nothing_is_written(
    make_staff, make_organisation
):
    supervisor = make_staff("鹿児島市", Role.MUNICIPALITY_STAFF)
    outsider = make_staff("出水市")
    organisation = make_organisation("鹿児島市")

    with pytest.raises(TsunaguError, match="閲覧できないため"):
        stewardship_assign(obj=organisation, steward=outsider, actor=supervisor)

    assert not Stewardship.objects.of(organisation).exists()


def test_staff_of_another_municipality_cannot_assign_and_nothing_changes(
    make_staff, make_organisation
):
    other = make_staff("出水市", Role.MUNICIPALITY_STAFF)
    steward = make_staff("鹿児島市")
    organisation = make_organisation("鹿児島市")

    with pytest.raises(PermissionDenied):
        stewardship_assign(obj=organisation, steward=steward, actor=other)

    assert not Stewardship.objects.of(organisation).exists()


def test_every_registered_kind_resolves_to_a_model_with_a_scope():
    registered = {k.model for k in kinds()}
    assert {
        "directory.Organisation",
        "bodies.ConsultativeBody",
        "bodies.ActionItem",
        "regional_issues.RegionalIssue",
        "engagements.Engagement",
        "mobility.MobilityService",
    } <= registered
    for kind in kinds():
        model = kind.model_class
        assert hasattr(model, "scope_municipality_id"), kind.model


def test_registered_kinds_give_title_and_url_for_a_demo_record():
    from tsunagu.bodies.models import ConsultativeBody

    body = ConsultativeBody.objects.filter(municipality__name="鹿児島市").first()
    kind = next(k for k in kinds() if k.model == "bodies.ConsultativeBody")
    assert kind.title(body) == body.name
    assert kind.url(body) == f"/bodies/{body.pk}/"


@pytest.fixture
def district_kind() -> Any:
    """A kind registered by a "test app" (districts), removed afterwards."""
    kind = StewardedKind(model="areas.District", label="テスト地区", url=lambda d: f"/test/{d.pk}/")
    register_kind(kind)
    yield kind
    _HOOKS[STEWARDED_KINDS].pop(kind.key())


def test_a_kind_registered_by_another_app_works_without_editing_continuity(
    district_kind, make_staff
):
    from tsunagu.areas.models import District

    supervisor = make_staff("鹿児島市", Role.MUNICIPALITY_STAFF)
    steward = make_staff("鹿児島市")
    district = District.objects.filter(municipality__name="鹿児島市").first()
    assert district is not None

    stewardship_assign(obj=district, steward=steward, actor=supervisor)

    [(kind, items)] = responsibilities_of(user=steward)
    assert kind.label == "テスト地区"
    assert items[0].url == f"/test/{district.pk}/"


def test_my_responsibilities_page_lists_stewarded_records_grouped_by_kind(
    client, make_staff, make_organisation
):
    supervisor = make_staff("鹿児島市", Role.MUNICIPALITY_STAFF)
    steward = make_staff("鹿児島市")
    organisation = make_organisation("鹿児島市", "デモ 第一町内会")
    stewardship_assign(obj=organisation, steward=steward, actor=supervisor)
    client.force_login(steward)

    page = client.get("/continuity/mine/").content.decode()

    assert "団体との関係" in page
    assert "デモ 第一町内会" in page
    assert f"/directory/organisations/{organisation.pk}/" in page


def test_steward_page_assigns_and_the_organisation_page_shows_the_steward(
    client, make_staff, make_organisation
):
    from django.contrib.contenttypes.models import ContentType

    supervisor = make_staff("鹿児島市", Role.MUNICIPALITY_STAFF)
    steward = make_staff("鹿児島市")
    organisation = make_organisation("鹿児島市")
    type_id = ContentType.objects.get_for_model(organisation).pk
    client.force_login(supervisor)

    response = client.post(
        f"/continuity/stewards/{type_id}/{organisation.pk}/",
        {"steward": steward.pk, "since": "2026-04-01"},
    )

    assert response.status_code == 302
    page = client.get(f"/directory/organisations/{organisation.pk}/").content.decode()
    assert steward.display_name in page


def test_steward_page_is_refused_to_another_municipality(client, make_staff, make_organisation):
    from django.contrib.contenttypes.models import ContentType

    other = make_staff("出水市", Role.MUNICIPALITY_STAFF)
    organisation = make_organisation("鹿児島市")
    type_id = ContentType.objects.get_for_model(organisation).pk
    client.force_login(other)

    response = client.post(
        f"/continuity/stewards/{type_id}/{organisation.pk}/", {"steward": other.pk}
    )

    assert response.status_code in (403, 404)
    assert not Stewardship.objects.of(organisation).exists()


def test_detail_pages_of_apps_above_continuity_show_the_stewards_section(client, make_staff):
    from tsunagu.engagements.models import Engagement
    from tsunagu.mobility.models import MobilityService
    from tsunagu.regional_issues.models import RegionalIssue

    supervisor = make_staff("鹿児島市", Role.MUNICIPALITY_STAFF)
    steward = make_staff("鹿児島市")
    records = [
        RegionalIssue.objects.filter(municipality__name="鹿児島市").first(),
        Engagement.objects.filter(municipality__name="鹿児島市").first(),
        MobilityService.objects.filter(municipality__name="鹿児島市").first(),
    ]
    client.force_login(supervisor)
    for record in records:
        stewardship_assign(obj=record, steward=steward, actor=supervisor)
    pages = [client.get(kinds_url(record)).content.decode() for record in records]

    assert [steward.display_name in page and 'id="stewards"' in page for page in pages] == [
        True
    ] * 3


def kinds_url(record: Any) -> str:
    from tsunagu.continuity.registry import kind_of

    return kind_of(record).url(record)
