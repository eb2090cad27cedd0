"""Status transitions, visits with participants, insights, follow-ups: the service rules."""

from __future__ import annotations

import datetime

import pytest

from tsunagu.core.actions import display_reason
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.models import HistoryDetail
from tsunagu.engagements import errors, services
from tsunagu.engagements.commands import EngagementFields, ParticipantFields, VisitFields
from tsunagu.engagements.models import (
    Engagement,
    EngagementStatus,
    EngagementStatusChange,
    Insight,
    ProgramSelection,
    Visit,
)

pytestmark = pytest.mark.django_db


def reasons(obj) -> list[str]:
    return [
        display_reason(r)
        for r in obj.history.order_by("history_id").values_list("history_change_reason", flat=True)
    ]


def test_engagement_create_records_first_status_and_history(make_engagement):
    engagement = make_engagement("出水市")
    assert engagement.status == EngagementStatus.APPLIED
    change = engagement.status_changes.get()
    assert (change.from_status, change.to_status) == ("", "applied")
    assert reasons(engagement)[0] == "伴走的支援を登録"


def test_full_path_from_application_to_on_track(make_engagement, admin_user):
    engagement = make_engagement("出水市", at=datetime.date(2022, 6, 1))
    path = [
        ("selected", datetime.date(2022, 7, 1)),
        ("in_support", datetime.date(2022, 10, 6)),
        ("support_ended", datetime.date(2023, 1, 23)),
        ("following_up", datetime.date(2023, 6, 1)),
        ("on_track", datetime.date(2024, 3, 1)),
    ]
    for status, day in path:
        engagement = services.engagement_transition(
            engagement=engagement, to=status, actor=admin_user, at=day
        )
    assert engagement.status == "on_track"
    assert engagement.started_on == datetime.date(2022, 10, 6)
    assert engagement.ended_on == datetime.date(2023, 1, 23)
    assert [c.to_status for c in engagement.status_changes.all()] == [
        "applied",
        "selected",
        "in_support",
        "support_ended",
        "following_up",
        "on_track",
    ]
    assert reasons(engagement)[-1] == "状態を変更: フォローアップ中→一定のめど"


def test_skipping_a_status_is_refused_with_the_allowed_ones(make_engagement, admin_user):
    engagement = make_engagement("出水市")
    with pytest.raises(TsunaguError) as refused:
        services.engagement_transition(engagement=engagement, to="on_track", actor=admin_user)
    assert refused.value.code == errors.BAD_TRANSITION
    assert "採択・不採択" in refused.value.message
    engagement.refresh_from_db()
    assert engagement.status == "applied"
    assert engagement.status_changes.count() == 1


def test_stalled_needs_a_reason(make_engagement, admin_user):
    engagement = make_engagement("出水市", status="in_support")
    with pytest.raises(TsunaguError) as refused:
        services.engagement_transition(engagement=engagement, to="stalled", actor=admin_user)
    assert refused.value.code == errors.REASON_REQUIRED
    engagement = services.engagement_transition(
        engagement=engagement, to="stalled", reason="担当者の異動", actor=admin_user
    )
    assert engagement.status == "stalled"
    assert engagement.status_reason == "担当者の異動"
    assert engagement.status_changes.last().reason == "担当者の異動"


def test_stalled_engagement_can_resume_follow_up(make_engagement, admin_user):
    engagement = make_engagement("出水市", status="support_ended")
    engagement = services.engagement_transition(
        engagement=engagement, to="stalled", reason="担当者の異動", actor=admin_user
    )
    engagement = services.engagement_transition(
        engagement=engagement, to="following_up", actor=admin_user
    )
    assert engagement.status == "following_up"
    assert engagement.status_reason == ""


def test_not_selected_is_final(make_engagement, admin_user):
    engagement = make_engagement("出水市")
    engagement = services.engagement_transition(
        engagement=engagement, to="not_selected", actor=admin_user
    )
    with pytest.raises(TsunaguError) as refused:
        services.engagement_transition(engagement=engagement, to="selected", actor=admin_user)
    assert refused.value.code == errors.BAD_TRANSITION


def test_transition_date_cannot_be_in_the_future(make_engagement, admin_user):
    engagement = make_engagement("出水市")
    with pytest.raises(TsunaguError):
        services.engagement_transition(
            engagement=engagement,
            to="selected",
            actor=admin_user,
            at=datetime.date.today() + datetime.timedelta(days=3),
        )


def test_municipal_staff_of_another_municipality_cannot_change_status(make_engagement, user_named):
    engagement = make_engagement("出水市")
    with pytest.raises(PermissionDenied):
        services.engagement_transition(
            engagement=engagement, to="selected", actor=user_named("kagoshima")
        )
    engagement.refresh_from_db()
    assert engagement.status == "applied"
    assert EngagementStatusChange.objects.filter(engagement=engagement).count() == 1


def test_prefecture_staff_change_status_but_not_fields(make_engagement, user_named):
    engagement = make_engagement("出水市", status="support_ended")
    pref = user_named("kagoshima-pref")
    engagement = services.engagement_transition(
        engagement=engagement, to="following_up", actor=pref
    )
    assert engagement.status == "following_up"
    with pytest.raises(PermissionDenied):
        services.engagement_update(
            engagement=engagement, fields=EngagementFields(theme="別"), actor=pref
        )
    engagement.refresh_from_db()
    assert engagement.theme == "移動支援"


def test_fiscal_year_outside_program_is_refused(ministry_program, municipality, admin_user):
    with pytest.raises(TsunaguError) as refused:
        services.engagement_create(
            program=ministry_program,
            municipality=municipality("出水市"),
            fields=EngagementFields(fiscal_year=2019, theme="移動支援"),
            actor=admin_user,
        )
    assert refused.value.code == errors.OUTSIDE_PROGRAM_YEARS
    assert not Engagement.objects.exists()


def test_selection_record_is_an_upsert(kagoshima_program, municipality, user_named):
    pref = user_named("kagoshima-pref")
    services.selection_record(
        program=kagoshima_program,
        municipality=municipality("出水市"),
        fiscal_year=2023,
        status="applied",
        actor=pref,
    )
    selection = services.selection_record(
        program=kagoshima_program,
        municipality=municipality("出水市"),
        fiscal_year=2023,
        status="selected",
        actor=pref,
    )
    assert ProgramSelection.objects.get().status == "selected"
    assert reasons(selection) == ["応募・採択を記録", "応募・採択を記録"]


def test_other_prefecture_cannot_record_selection_of_kagoshima_program(
    kagoshima_program, municipality, user_named
):
    with pytest.raises(PermissionDenied):
        services.selection_record(
            program=kagoshima_program,
            municipality=municipality("出水市"),
            fiscal_year=2023,
            status="selected",
            actor=user_named("oita"),
        )
    assert not ProgramSelection.objects.exists()


def test_visit_numbers_follow_and_participants_are_validated_per_row(make_engagement, admin_user):
    engagement = make_engagement("出水市", status="in_support")
    first = services.visit_record(
        engagement=engagement,
        fields=VisitFields(visited_on=datetime.date(2022, 10, 6), focus="ニーズの把握と共有"),
        participants=[
            ParticipantFields(kind="department", department="長寿支援課"),
            ParticipantFields(
                kind="outside",
                organisation_name="出水市社会福祉協議会",
                organisation_type="social_welfare_council",
                headcount=2,
            ),
        ],
        actor=admin_user,
    )
    assert first.number == 1
    assert first.participants.count() == 2
    with pytest.raises(TsunaguError) as refused:
        services.visit_record(
            engagement=engagement,
            fields=VisitFields(visited_on=datetime.date(2022, 11, 25)),
            participants=[
                ParticipantFields(kind="department", department="地域政策課"),
                ParticipantFields(kind="outside", organisation_name="タクシー会社"),
            ],
            actor=admin_user,
        )
    assert refused.value.message.startswith("参加者2行目")
    assert "種別" in refused.value.message
    assert Visit.objects.filter(engagement=engagement).count() == 1  # nothing half-written
    second = services.visit_record(
        engagement=engagement,
        fields=VisitFields(visited_on=datetime.date(2022, 11, 25)),
        actor=admin_user,
    )
    assert second.number == 2


def test_duplicate_visit_number_is_refused(make_engagement, admin_user):
    engagement = make_engagement("出水市", status="in_support")
    services.visit_record(
        engagement=engagement,
        fields=VisitFields(visited_on=datetime.date(2022, 10, 6)),
        actor=admin_user,
    )
    with pytest.raises(TsunaguError) as refused:
        services.visit_record(
            engagement=engagement,
            fields=VisitFields(number=1, visited_on=datetime.date(2022, 10, 7)),
            actor=admin_user,
        )
    assert refused.value.code == errors.DUPLICATE_VISIT


def test_insight_is_indexed_with_tags(make_engagement, admin_user):
    engagement = make_engagement("出水市", status="in_support")
    insight = services.insight_add(
        engagement=engagement,
        text="買物に行けない高齢者が多いことを関係者で共有できた",
        realised_by="市職員",
        tags="移動支援、庁内連携",
        actor=admin_user,
    )
    insight.refresh_from_db()
    assert sorted(t.name for t in insight.tags.all()) == ["庁内連携", "移動支援"]
    assert " 買い物 " in insight.search_text  # normalised form of 買物
    assert set(reasons(insight)) == {"気づきを記録"}


def test_empty_insight_is_refused(make_engagement, admin_user):
    engagement = make_engagement("出水市")
    with pytest.raises(TsunaguError) as refused:
        services.insight_add(engagement=engagement, text="  ", actor=admin_user)
    assert refused.value.field == "text"
    assert not Insight.objects.exists()


def test_follow_up_moves_ended_engagement_to_following_up(visited, user_named):
    follow_up = services.follow_up_record(
        engagement=visited,
        followed_on=datetime.date(2023, 5, 10),
        by_whom="鹿児島県",
        what="取組の状況を確認",
        next_step="協議体の立ち上げ",
        actor=user_named("kagoshima-pref"),
    )
    visited.refresh_from_db()
    assert visited.status == "following_up"
    assert reasons(follow_up) == ["フォローアップを記録"]


def test_links_must_be_of_the_same_municipality(make_engagement, admin_user):
    from tsunagu.areas.models import Municipality
    from tsunagu.bodies.models import BodyKind, ConsultativeBody

    engagement = make_engagement("出水市")
    elsewhere = Municipality.objects.exclude(pk=engagement.municipality_id).first()
    assert elsewhere is not None
    other = ConsultativeBody.objects.create(
        municipality=elsewhere, name="他市の協議体", kind=BodyKind.LAYER2
    )
    with pytest.raises(TsunaguError) as refused:
        services.engagement_update(
            engagement=engagement, fields=EngagementFields(bodies=[other]), actor=admin_user
        )
    assert refused.value.field == "bodies"
    assert not engagement.bodies.exists()


def test_replacing_visit_participants_records_both_lists_on_the_engagement(
    make_engagement, admin_user
):
    engagement = make_engagement("出水市", status="in_support")
    visit = services.visit_record(
        engagement=engagement,
        fields=VisitFields(visited_on=datetime.date(2022, 10, 6)),
        participants=[ParticipantFields(kind="department", department="長寿支援課")],
        actor=admin_user,
    )
    services.visit_update(
        visit=visit,
        fields=VisitFields(),
        participants=[ParticipantFields(kind="department", department="地域政策課")],
        actor=admin_user,
    )
    latest = engagement.history.order_by("-history_date", "-pk").first()
    assert latest.history_user == admin_user
    assert latest.history_change_reason == (
        "engagements.engagement.visit_participants_replace: 第1回"
    )
    detail = HistoryDetail.objects.get(model_label="engagements.engagement", history_id=latest.pk)
    assert (detail.label, detail.before, detail.after) == (
        "訪問の参加者",
        "庁内の部署: 長寿支援課",
        "庁内の部署: 地域政策課",
    )


def test_a_partial_field_set_changes_only_what_it_gives(make_engagement, admin_user):
    engagement = make_engagement("出水市")
    services.engagement_update(
        engagement=engagement, fields=EngagementFields(theme="買い物支援"), actor=admin_user
    )
    engagement.refresh_from_db()
    assert (engagement.theme, engagement.reasons) == ("買い物支援", "応募理由")
    assert engagement.history.first().history_change_reason == "engagements.engagement.update"


def test_write_services_take_typed_arguments_not_a_data_dict():
    import inspect

    writes = [
        f
        for name, f in vars(services).items()
        if inspect.isfunction(f) and f.__module__ == services.__name__ and not name.startswith("_")
    ]
    assert writes
    assert [f.__name__ for f in writes if "data" in inspect.signature(f).parameters] == []
