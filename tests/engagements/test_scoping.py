"""Who sees what: municipal isolation, prefecture staff, and advisors who see only the
engagements that name them."""

from __future__ import annotations

import datetime

import pytest

from tsunagu.core.errors import NotFound, PermissionDenied
from tsunagu.engagements import permissions, selectors, services
from tsunagu.engagements.commands import ParticipantFields, RoadmapFields, VisitFields
from tsunagu.engagements.models import Contact, Insight, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_engagement):
    """出水市 and 鹿児島市 (both 鹿児島県), and 香春町 (福岡県)."""
    return {
        "出水市": make_engagement("出水市", status="in_support"),
        "鹿児島市": make_engagement("鹿児島市", status="in_support", theme="サービスBの構築"),
        "香春町": make_engagement("香春町", fiscal_year=2024),
    }


@pytest.fixture
def advisor_of_izumi(two, user_named, admin_user):
    advisor = user_named("advisor")
    services.advisor_add(
        engagement=two["出水市"],
        name="アドバイザーA",
        role="アドバイザー",
        user=advisor,
        actor=admin_user,
    )
    return advisor


def visible(user) -> set[str]:
    return {e.municipality.name for e in selectors.engagement_list_visible_to(user=user)}


def test_municipal_staff_see_only_their_municipality(two, user_named):
    assert visible(user_named("izumi")) == {"出水市"}
    assert visible(user_named("kagoshima")) == {"鹿児島市"}
    with pytest.raises(NotFound):
        selectors.engagement_get_for_user(user=user_named("izumi"), pk=two["鹿児島市"].pk)


def test_prefecture_staff_see_every_engagement_of_the_prefecture(two, user_named):
    assert visible(user_named("kagoshima-pref")) == {"出水市", "鹿児島市"}
    assert visible(user_named("fukuoka")) == {"香春町"}


def test_advisor_role_alone_grants_nothing(two, user_named):
    assert visible(user_named("advisor")) == set()
    with pytest.raises(NotFound):
        selectors.engagement_get_for_user(user=user_named("advisor"), pk=two["出水市"].pk)


def test_advisor_sees_exactly_their_engagements(two, advisor_of_izumi):
    assert visible(advisor_of_izumi) == {"出水市"}
    engagement = selectors.engagement_get_for_user(user=advisor_of_izumi, pk=two["出水市"].pk)
    assert engagement.pk == two["出水市"].pk
    with pytest.raises(NotFound):
        selectors.engagement_get_for_user(user=advisor_of_izumi, pk=two["鹿児島市"].pk)


def test_advisor_records_visits_insights_and_contacts_but_not_status(two, advisor_of_izumi):
    engagement = two["出水市"]
    visit = services.visit_record(
        engagement=engagement,
        fields=VisitFields(visited_on=datetime.date(2022, 10, 6)),
        participants=[ParticipantFields(kind="department", department="長寿支援課")],
        actor=advisor_of_izumi,
    )
    services.insight_add(
        engagement=engagement, text="関係者の発掘が大切", visit=visit, actor=advisor_of_izumi
    )
    services.contact_add(
        engagement=engagement,
        contacted_on=datetime.date(2022, 10, 20),
        channel="mail",
        summary="資料送付",
        actor=advisor_of_izumi,
    )
    assert Visit.objects.filter(engagement=engagement).count() == 1
    assert Insight.objects.filter(engagement=engagement).count() == 1
    assert Contact.objects.filter(engagement=engagement).count() == 1
    with pytest.raises(PermissionDenied):
        services.engagement_transition(
            engagement=engagement, to="support_ended", actor=advisor_of_izumi
        )
    with pytest.raises(PermissionDenied):
        services.visit_record(
            engagement=two["鹿児島市"],
            fields=VisitFields(visited_on=datetime.date(2022, 10, 6)),
            actor=advisor_of_izumi,
        )
    assert not Visit.objects.filter(engagement=two["鹿児島市"]).exists()


def test_advisor_insight_search_is_limited_to_their_engagements(two, advisor_of_izumi, admin_user):
    services.insight_add(engagement=two["出水市"], text="移動支援の目的を共有", actor=admin_user)
    services.insight_add(
        engagement=two["鹿児島市"], text="移動支援は一部署では進まない", actor=admin_user
    )
    found = selectors.insight_search(user=advisor_of_izumi, q="移動支援")
    assert [i.engagement.municipality.name for i in found] == ["出水市"]


def test_advisor_sees_roadmap_of_their_engagement_only(
    two, advisor_of_izumi, admin_user, municipality
):
    mine = services.roadmap_create(
        municipality=municipality("出水市"),
        fields=RoadmapFields(
            engagement=two["出水市"],
            title="出水市の行程表",
            first_fiscal_year=2023,
            last_fiscal_year=2025,
        ),
        actor=admin_user,
    )
    services.roadmap_create(
        municipality=municipality("出水市"),
        fields=RoadmapFields(title="別の行程表", first_fiscal_year=2023, last_fiscal_year=2025),
        actor=admin_user,
    )
    assert [r.pk for r in selectors.roadmap_list_visible_to(user=advisor_of_izumi)] == [mine.pk]


def test_removing_the_advisor_removes_access(two, advisor_of_izumi, admin_user):
    advisor_row = two["出水市"].advisors.get()
    services.advisor_remove(advisor=advisor_row, actor=admin_user)
    assert visible(advisor_of_izumi) == set()


def test_case_sheet_permissions(two, advisor_of_izumi, user_named, municipality):
    izumi = municipality("出水市")
    assert permissions.can_view_municipality_engagements(advisor_of_izumi, izumi)
    assert not permissions.can_view_municipality_engagements(
        advisor_of_izumi, municipality("鹿児島市")
    )
    assert not permissions.can_edit_case_sheet(advisor_of_izumi, izumi)
    assert permissions.can_edit_case_sheet(user_named("izumi"), izumi)
    assert not permissions.can_view_municipality_engagements(user_named("kawara"), izumi)


def test_overview_lists_stalled_first(two, user_named, admin_user):
    services.engagement_transition(
        engagement=two["鹿児島市"], to="stalled", reason="担当者の異動", actor=admin_user
    )
    rows = selectors.prefecture_overview(user=user_named("kagoshima-pref"))
    assert rows[0].municipality.name == "鹿児島市"
    assert rows[0].stalled
    names = [r.municipality.name for r in rows]
    assert "出水市" in names and "香春町" not in names
