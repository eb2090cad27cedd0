"""Pages: list filters, detail with breadth matrix, visit entry with participants, insight entry
and search, status change, roadmap timeline, prefecture overview, programs; 404/403 isolation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tsunagu.bodies.services import BodyFields, MeetingFields
from tsunagu.engagements import services
from tsunagu.engagements.commands import (
    MilestoneFields,
    ParticipantFields,
    RoadmapFields,
    VisitFields,
)
from tsunagu.engagements.models import Engagement, Insight, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def izumi_and_kagoshima(make_engagement, admin_user):
    """出水市: many departments and outside actors; 鹿児島市: only one division took part."""
    izumi = make_engagement("出水市", status="in_support")
    services.visit_record(
        engagement=izumi,
        fields=VisitFields(visited_on=datetime.date(2022, 10, 6)),
        participants=[
            ParticipantFields(kind="department", department="長寿支援課"),
            ParticipantFields(kind="department", department="地域政策課"),
            ParticipantFields(kind="department", department="福祉課"),
            ParticipantFields(
                kind="outside",
                organisation_name="出水市社会福祉協議会",
                organisation_type="social_welfare_council",
            ),
            ParticipantFields(
                kind="outside",
                organisation_name="地域包括支援センター",
                organisation_type="community_care_center",
            ),
        ],
        actor=admin_user,
    )
    services.visit_record(
        engagement=izumi,
        fields=VisitFields(visited_on=datetime.date(2022, 11, 25)),
        participants=[
            ParticipantFields(kind="department", department="長寿支援課"),
            ParticipantFields(
                kind="outside", organisation_name="タクシー事業者", organisation_type="company"
            ),
        ],
        actor=admin_user,
    )
    kagoshima = make_engagement("鹿児島市", status="in_support", theme="サービスBの構築")
    services.visit_record(
        engagement=kagoshima,
        fields=VisitFields(visited_on=datetime.date(2022, 9, 27)),
        participants=[ParticipantFields(kind="department", department="長寿支援課", headcount=3)],
        actor=admin_user,
    )
    return izumi, kagoshima


def test_list_shows_only_visible_engagements_and_filters(izumi_and_kagoshima, client_as):
    izumi, _kagoshima = izumi_and_kagoshima
    page = client_as("izumi").get(reverse("engagements:list")).content.decode()
    assert "移動支援" in page and "サービスBの構築" not in page
    page = (
        client_as("kagoshima-pref")
        .get(reverse("engagements:list"), {"theme": "サービスB"})
        .content.decode()
    )
    assert "サービスBの構築" in page and reverse("engagements:detail", args=[izumi.pk]) not in page


def test_detail_of_another_municipality_is_404(izumi_and_kagoshima, client_as):
    izumi, _ = izumi_and_kagoshima
    assert (
        client_as("kagoshima").get(reverse("engagements:detail", args=[izumi.pk])).status_code
        == 404
    )
    assert (
        client_as("kawara").get(reverse("engagements:breadth", args=[izumi.pk])).status_code == 404
    )


def test_breadth_matrix_differs_between_izumi_and_kagoshima(izumi_and_kagoshima, client_as):
    izumi, kagoshima = izumi_and_kagoshima
    client = client_as("kagoshima-pref")
    izumi_page = client.get(reverse("engagements:detail", args=[izumi.pk])).content.decode()
    kagoshima_page = client.get(reverse("engagements:detail", args=[kagoshima.pk])).content.decode()
    assert "庁内の3部署と外部の3種類の団体が参加" in izumi_page
    assert "地域政策課" in izumi_page and "社会福祉協議会" in izumi_page
    assert "庁内の1部署だけが参加" in kagoshima_page
    assert "● 3" in kagoshima_page


def test_visit_form_records_participants_and_keeps_input_on_error(izumi_and_kagoshima, client_as):
    izumi, _ = izumi_and_kagoshima
    client = client_as("izumi")
    url = reverse("engagements:visit_create", args=[izumi.pk])
    assert client.get(url).status_code == 200
    base = {
        "visited_on": "令和5年1月23日",
        "focus": "創出の準備と市の支援の具体化",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "200",
        "participants-0-kind": "department",
        "participants-0-department": "長寿支援課",
        "participants-1-kind": "outside",
        "participants-1-organisation_name": "NPO法人 移動支援の会",
    }
    response = client.post(url, base)
    assert response.status_code == 200
    text = response.content.decode()
    assert "参加者2行目" in text and "団体の種別を選んでください" in text
    assert "NPO法人 移動支援の会" in text  # what was typed is kept
    assert Visit.objects.filter(engagement=izumi).count() == 2
    response = client.post(url, {**base, "participants-1-organisation_type": "npo"})
    assert response.status_code == 302
    visit = Visit.objects.get(engagement=izumi, number=3)
    assert visit.visited_on == datetime.date(2023, 1, 23)
    assert sorted(p.label for p in visit.participants.all()) == [
        "NPO法人 移動支援の会",
        "長寿支援課",
    ]


def test_visit_form_add_rows_keeps_typed_values(izumi_and_kagoshima, client_as):
    izumi, _ = izumi_and_kagoshima
    url = reverse("engagements:visit_create", args=[izumi.pk])
    response = client_as("izumi").post(
        url,
        {
            "visited_on": "R5.1.23",
            "participants-TOTAL_FORMS": "1",
            "participants-INITIAL_FORMS": "0",
            "participants-MIN_NUM_FORMS": "0",
            "participants-MAX_NUM_FORMS": "200",
            "participants-0-department": "長寿支援課",
            "add_rows": "1",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'name="participants-TOTAL_FORMS" value="5"' in text
    assert "長寿支援課" in text
    assert Visit.objects.filter(engagement=izumi).count() == 2


def test_other_municipality_cannot_post_a_visit(izumi_and_kagoshima, client_as):
    izumi, _ = izumi_and_kagoshima
    response = client_as("kagoshima").post(
        reverse("engagements:visit_create", args=[izumi.pk]), {"visited_on": "2023-01-23"}
    )
    assert response.status_code == 404
    assert Visit.objects.filter(engagement=izumi).count() == 2


def test_prefecture_staff_cannot_record_a_visit(izumi_and_kagoshima, client_as):
    izumi, _ = izumi_and_kagoshima
    response = client_as("kagoshima-pref").post(
        reverse("engagements:visit_create", args=[izumi.pk]), {"visited_on": "2023-01-23"}
    )
    assert response.status_code == 403
    assert Visit.objects.filter(engagement=izumi).count() == 2


def test_insight_entry_and_search_across_engagements(izumi_and_kagoshima, client_as):
    izumi, kagoshima = izumi_and_kagoshima
    response = client_as("izumi").post(
        reverse("engagements:insight_create", args=[izumi.pk]),
        {"text": "買物の移動に困る人が多いと気づいた", "realised_by": "市職員", "tags": "移動支援"},
    )
    assert response.status_code == 302
    client_as("kagoshima").post(
        reverse("engagements:insight_create", args=[kagoshima.pk]),
        {"text": "一つの課だけでは住民主体の活動は広がらない", "realised_by": "市職員"},
    )
    assert Insight.objects.count() == 2
    pref = client_as("kagoshima-pref")
    found = pref.get(reverse("engagements:insights"), {"q": "買い物"}).content.decode()
    assert "買物の移動に困る人" in found and "一つの課だけ" not in found
    by_tag = pref.get(reverse("engagements:insights"), {"tag": "移動支援"}).content.decode()
    assert "買物の移動に困る人" in by_tag
    assert "よく使われているタグ" in by_tag and "#移動支援" in by_tag
    # 出水市 staff do not find 鹿児島市's insight
    mine = (
        client_as("izumi").get(reverse("engagements:insights"), {"q": "住民主体"}).content.decode()
    )
    assert "一つの課だけ" not in mine


def test_status_page_requires_reason_for_stalled(izumi_and_kagoshima, client_as):
    izumi, _ = izumi_and_kagoshima
    client = client_as("kagoshima-pref")
    url = reverse("engagements:status", args=[izumi.pk])
    response = client.post(url, {"to": "stalled", "reason": ""})
    assert response.status_code == 200
    assert "理由" in response.content.decode()
    izumi.refresh_from_db()
    assert izumi.status == "in_support"
    response = client.post(url, {"to": "stalled", "reason": "担当者の異動"})
    assert response.status_code == 302
    izumi.refresh_from_db()
    assert izumi.status == "stalled"


def test_create_and_edit_engagement_through_pages(ministry_program, client_as):
    client = client_as("izumi")
    response = client.post(
        reverse("engagements:create"),
        {
            "program": ministry_program.pk,
            "municipality": _municipality_pk("出水市"),
            "fiscal_year": "2023",
            "theme": "移動支援",
            "reasons": "移動に困る高齢者が多い",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    engagement = Engagement.objects.get()
    response = client.post(
        reverse("engagements:edit", args=[engagement.pk]),
        {
            "fiscal_year": "2023",
            "theme": "移動支援",
            "reasons": "移動に困る高齢者が多い",
            "points_of_attention": "庁内の連携が大切",
            "started_on": "令和5年10月6日",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    engagement.refresh_from_db()
    assert engagement.points_of_attention == "庁内の連携が大切"
    assert engagement.started_on == datetime.date(2023, 10, 6)


def _municipality_pk(name: str) -> int:
    from tsunagu.areas.models import Municipality

    return Municipality.objects.get(name=name).pk


def test_municipal_staff_cannot_create_for_another_municipality(ministry_program, client_as):
    response = client_as("izumi").post(
        reverse("engagements:create"),
        {
            "program": ministry_program.pk,
            "municipality": _municipality_pk("鹿児島市"),
            "fiscal_year": "2023",
            "theme": "移動支援",
        },
    )
    assert response.status_code == 200  # not a choice the form offers
    assert not Engagement.objects.exists()


def test_overview_as_prefecture_staff_lists_stalled_first(
    izumi_and_kagoshima, client_as, admin_user
):
    _izumi, kagoshima = izumi_and_kagoshima
    services.engagement_transition(
        engagement=kagoshima, to="stalled", reason="担当者の異動", actor=admin_user
    )
    page = client_as("kagoshima-pref").get(reverse("engagements:overview")).content.decode()
    assert "鹿児島県の伴走的支援とフォローアップ" in page
    assert page.index("鹿児島市") < page.index("出水市")
    assert "担当者の異動" in page and "停滞あり" in page


def test_roadmap_timeline_page_flags_overdue_in_words(
    make_engagement, client_as, user_named, municipality
):
    engagement = make_engagement("久留米市", fiscal_year=2024)
    staff = user_named("kurume")
    roadmap = services.roadmap_create(
        municipality=municipality("久留米市"),
        fields=RoadmapFields(
            engagement=engagement,
            title="ロードマップ",
            first_fiscal_year=2022,
            last_fiscal_year=2027,
        ),
        actor=staff,
    )
    services.milestone_add(
        roadmap=roadmap, fields=MilestoneFields(fiscal_year=2022, title="啓発と研修"), actor=staff
    )
    services.milestone_add(
        roadmap=roadmap, fields=MilestoneFields(fiscal_year=2027, title="卒業後の受皿"), actor=staff
    )
    page = (
        client_as("kurume").get(reverse("engagements:roadmap", args=[roadmap.pk])).content.decode()
    )
    assert "令和4年度" in page and "令和9年度" in page
    assert page.count("期限超過") == 1
    assert "roadmap_print.css" in page
    assert (
        client_as("kawara").get(reverse("engagements:roadmap", args=[roadmap.pk])).status_code
        == 404
    )


def test_milestone_form_page(make_engagement, client_as, user_named, municipality):
    staff = user_named("kurume")
    roadmap = services.roadmap_create(
        municipality=municipality("久留米市"),
        fields=RoadmapFields(title="ロードマップ", first_fiscal_year=2024, last_fiscal_year=2027),
        actor=staff,
    )
    client = client_as("kurume")
    url = reverse("engagements:milestone_create", args=[roadmap.pk])
    response = client.post(
        url,
        {"fiscal_year": "2025", "title": "対象者像の整理", "status": "done", "sort_order": "100"},
    )
    assert response.status_code == 200
    assert "完了日" in response.content.decode()
    response = client.post(
        url,
        {
            "fiscal_year": "2025",
            "title": "対象者像の整理",
            "status": "in_progress",
            "sort_order": "100",
            "owner_department": "長寿支援課",
        },
    )
    assert response.status_code == 302
    assert roadmap.milestones.get().owner_department == "長寿支援課"


def test_program_pages_and_selection(kagoshima_program, client_as):
    client = client_as("kagoshima-pref")
    assert client.get(reverse("engagements:programs")).status_code == 200
    response = client.post(
        reverse("engagements:selection_create", args=[kagoshima_program.pk]),
        {"municipality": _municipality_pk("出水市"), "fiscal_year": "2023", "status": "selected"},
    )
    assert response.status_code == 302
    page = client.get(reverse("engagements:program", args=[kagoshima_program.pk])).content.decode()
    assert "出水市" in page and "採択" in page
    assert (
        client_as("oita")
        .get(reverse("engagements:program_edit", args=[kagoshima_program.pk]))
        .status_code
        == 403
    )


def test_follow_up_page_by_prefecture_staff(make_engagement, client_as):
    engagement = make_engagement("出水市", status="support_ended")
    response = client_as("kagoshima-pref").post(
        reverse("engagements:follow_up_create", args=[engagement.pk]),
        {"followed_on": "令和5年6月1日", "by_whom": "鹿児島県", "what": "アドバイザーを再度派遣"},
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == "following_up"
    assert engagement.follow_ups.get().what == "アドバイザーを再度派遣"


def test_advisor_pages(make_engagement, client_as, user_named, admin_user):
    mine = make_engagement("出水市", status="in_support")
    other = make_engagement("鹿児島市", status="in_support")
    services.advisor_add(engagement=mine, name="A", user=user_named("advisor"), actor=admin_user)
    client = client_as("advisor")
    listing = client.get(reverse("engagements:list")).content.decode()
    assert reverse("engagements:detail", args=[mine.pk]) in listing
    assert reverse("engagements:detail", args=[other.pk]) not in listing
    assert client.get(reverse("engagements:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("engagements:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("engagements:visit_create", args=[mine.pk])).status_code == 200
    assert client.get(reverse("engagements:edit", args=[mine.pk])).status_code == 403


def test_visit_recorded_as_a_meeting_counts_its_attendance_in_the_breadth(
    make_engagement, admin_user
):
    from django.utils import timezone

    from tsunagu.bodies import services as body_services
    from tsunagu.directory.models import Organisation
    from tsunagu.engagements import selectors

    engagement = make_engagement("出水市", status="in_support")
    municipality = engagement.municipality
    council = Organisation.objects.get(name="出水市社会福祉協議会", municipality=municipality)
    body = body_services.body_create(
        municipality=municipality,
        fields=BodyFields(name="伴走的支援の意見交換会", kind="internal_liaison"),
        actor=admin_user,
    )
    meeting = body_services.meeting_schedule(
        body=body,
        fields=MeetingFields(starts_at=timezone.make_aware(datetime.datetime(2022, 10, 6, 14))),
        actor=admin_user,
    )
    body_services.meeting_record_attendance(
        meeting=meeting, entries=[{"organisation": council}], actor=admin_user
    )
    services.visit_record(
        engagement=engagement,
        fields=VisitFields(visited_on=datetime.date(2022, 10, 6), meeting=meeting),
        participants=[ParticipantFields(kind="department", department="長寿支援課")],
        actor=admin_user,
    )
    engagement = selectors.engagement_get_for_user(user=admin_user, pk=engagement.pk)
    matrix = selectors.breadth_matrix(engagement)
    assert [r.label for r in matrix.departments] == ["長寿支援課"]
    assert [(r.label, r.cells) for r in matrix.outside] == [("社会福祉協議会", [1])]


def test_overview_lists_selected_municipalities_without_records(client_as):
    """鹿児島県 staff see 日置市 and 徳之島町, selected for the prefecture's program (demo data)."""
    body = client_as("kagoshima-pref").get("/engagements/overview/").content.decode()

    hioki = body[body.index("日置市") :][:600]
    assert "令和5年度" in hioki
    assert "訪問などの記録はまだありません" in hioki
    assert "令和6年度" in body[body.index("徳之島町") :][:600]
    assert "竹田市" not in body  # 大分県's, not in 鹿児島県 staff's scope


def test_contact_page_keeps_the_input_on_error_and_records_a_contact(
    izumi_and_kagoshima, client_as
):
    izumi, _ = izumi_and_kagoshima
    client = client_as("izumi")
    url = reverse("engagements:contact_create", args=[izumi.pk])
    # a bad date: the page answers in Japanese and keeps what was typed
    response = client.post(
        url, {"contacted_on": "令和五月", "channel": "phone", "summary": "次回訪問の日程調整"}
    )
    assert response.status_code == 200
    assert "次回訪問の日程調整" in response.content.decode()
    assert not izumi.contacts.exists()
    response = client.post(
        url, {"contacted_on": "令和5年2月1日", "channel": "phone", "summary": "次回訪問の日程調整"}
    )
    assert response.status_code == 302
    assert izumi.contacts.get().summary == "次回訪問の日程調整"
    # another municipality's staff do not see the engagement
    assert client_as("kagoshima").post(url, {"summary": "x"}).status_code == 404


def test_roadmap_edit_page_saves_and_refuses_another_municipality(
    client_as, user_named, municipality
):
    roadmap = services.roadmap_create(
        municipality=municipality("久留米市"),
        fields=RoadmapFields(title="ロードマップ", first_fiscal_year=2024, last_fiscal_year=2027),
        actor=user_named("kurume"),
    )
    url = reverse("engagements:roadmap_edit", args=[roadmap.pk])
    data = {
        "title": "地域づくりロードマップ",
        "first_fiscal_year": "2024",
        "last_fiscal_year": "2027",
    }
    response = client_as("kurume").post(url, data)
    assert response.status_code == 302
    roadmap.refresh_from_db()
    assert roadmap.title == "地域づくりロードマップ"
    assert client_as("kawara").post(url, data).status_code == 404
