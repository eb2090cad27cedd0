"""Domain rules of regional issues, through the services: the stage gates, ideas and comments.

Actors are demo users: ``kawara`` (香春町 staff), ``saiki`` (佐伯市 staff, another municipality),
``fukuoka`` (福岡県 staff: reads 香春町's records, may not change them), ``kawara-council``
(member of 採銅所地域コミュニティ協議会) and ``kurume-viewer`` (久留米市, read only).
"""

from __future__ import annotations

import datetime

import pytest

from tsunagu.areas.models import District
from tsunagu.bodies import services as body_services
from tsunagu.bodies.services import BodyFields
from tsunagu.core.actions import display_reason
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.directory.models import Organisation
from tsunagu.regional_issues import errors, services
from tsunagu.regional_issues.models import (
    Comment,
    Idea,
    IssueStage,
    RegionalIssue,
    StageChange,
)
from tsunagu.regional_issues.services import IssueFields

pytestmark = pytest.mark.django_db


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture
def kawara(user_named):
    return user_named("kawara")


@pytest.fixture
def town(municipality):
    return municipality("香春町")


def org(name: str, municipality_name: str = "香春町") -> Organisation:
    return Organisation.objects.get(name=name, municipality__name=municipality_name)


def saidosho() -> District:
    return District.objects.get(name="採銅所地域", municipality__name="香春町")


def raise_issue(municipality, actor, **data) -> RegionalIssue:
    return services.issue_raise(
        municipality=municipality,
        fields=IssueFields(**{"title": "ゴミ出しが難しい高齢者", **data}),
        actor=actor,
    )


def move(issue, to_stage, actor, reason: str = "") -> RegionalIssue:
    return services.issue_change_stage(issue=issue, to_stage=to_stage, actor=actor, reason=reason)


def make_ready(issue, actor, *, actor_org: str = "採銅所地域コミュニティ協議会"):
    """Everything 準備 needs: an executing actor, a target text and a target area."""
    services.executing_actor_add(
        issue=issue, organisation=org(actor_org), role="ゴミ出しの声かけ", actor=actor
    )
    services.issue_update(
        issue=issue,
        fields=IssueFields(target="一人暮らしの高齢者", districts=[saidosho()]),
        actor=actor,
    )


def changes(issue) -> list[tuple[str, str]]:
    return list(
        StageChange.objects.filter(issue=issue)
        .order_by("changed_at", "id")
        .values_list("from_stage", "to_stage")
    )


def reasons(obj) -> list[str]:
    return [
        display_reason(r)
        for r in obj.history.order_by("history_id").values_list("history_change_reason", flat=True)
    ]


def assert_refused(issue, to_stage, actor, code, *, reason: str = "", words=()):
    """The move is refused with ``code``; the stage, stage changes and history stay as they were."""
    before_stage = RegionalIssue.objects.get(pk=issue.pk).stage
    before_changes = StageChange.objects.filter(issue=issue).count()
    before_history = issue.history.count()
    with pytest.raises(TsunaguError) as caught:
        move(issue, to_stage, actor, reason)
    assert caught.value.code == code
    for word in words:
        assert word in caught.value.message
    assert RegionalIssue.objects.get(pk=issue.pk).stage == before_stage
    assert StageChange.objects.filter(issue=issue).count() == before_changes
    assert issue.history.count() == before_history
    return caught.value


@pytest.fixture
def issue(town, kawara):
    return raise_issue(town, kawara)


@pytest.fixture
def planning_issue(issue, kawara):
    move(issue, IssueStage.DISCUSSING, kawara)
    return move(issue, IssueStage.PLANNING, kawara)


# --- raising ---------------------------------------------------------------------------


def test_raising_an_issue_starts_in_identified_with_a_stage_change_and_history(town, kawara):
    issue = raise_issue(town, kawara)
    assert issue.stage == IssueStage.IDENTIFIED
    change = StageChange.objects.get(issue=issue)
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        "",
        IssueStage.IDENTIFIED,
        kawara,
    )
    record = issue.history.get()
    assert (
        record.history_user == kawara
        and display_reason(record.history_change_reason) == "地域課題を登録"
    )


def test_staff_of_another_municipality_cannot_raise_an_issue_here(town, user_named):
    before = RegionalIssue.objects.count()
    with pytest.raises(PermissionDenied):
        raise_issue(town, user_named("saiki"))
    assert RegionalIssue.objects.count() == before


# --- stage gates -----------------------------------------------------------------------


def test_identified_to_discussing_to_planning_needs_nothing(issue, kawara):
    issue = move(issue, IssueStage.DISCUSSING, kawara)
    issue = move(issue, IssueStage.PLANNING, kawara)
    assert RegionalIssue.objects.get(pk=issue.pk).stage == IssueStage.PLANNING
    assert changes(issue) == [
        ("", IssueStage.IDENTIFIED),
        (IssueStage.IDENTIFIED, IssueStage.DISCUSSING),
        (IssueStage.DISCUSSING, IssueStage.PLANNING),
    ]


def test_every_stage_change_records_who_from_to_why_and_a_history_row(issue, kawara):
    move(issue, IssueStage.DISCUSSING, kawara, reason="定例会で話し合うことにした")
    change = StageChange.objects.filter(issue=issue).latest("changed_at", "id")
    assert change.from_stage == IssueStage.IDENTIFIED
    assert change.to_stage == IssueStage.DISCUSSING
    assert change.changed_by == kawara
    assert change.reason == "定例会で話し合うことにした"
    assert change.changed_at is not None
    record = issue.history.latest("history_id")
    assert record.history_user == kawara
    assert display_reason(record.history_change_reason) == "段階を変更: 把握 → 検討"
    assert record.stage == IssueStage.DISCUSSING


def test_preparing_is_refused_without_an_executing_actor(planning_issue, kawara):
    services.issue_update(
        issue=planning_issue,
        fields=IssueFields(target="一人暮らしの高齢者", districts=[saidosho()]),
        actor=kawara,
    )
    error = assert_refused(
        planning_issue,
        IssueStage.PREPARING,
        kawara,
        errors.NO_EXECUTING_ACTOR,
        words=("実行主体",),
    )
    assert "対象" not in error.message  # only the missing piece is named


def test_preparing_is_refused_without_a_target_text(planning_issue, kawara):
    services.executing_actor_add(
        issue=planning_issue,
        organisation=org("採銅所地域コミュニティ協議会"),
        role="ゴミ出しの声かけ",
        actor=kawara,
    )
    services.issue_update(
        issue=planning_issue, fields=IssueFields(districts=[saidosho()]), actor=kawara
    )
    error = assert_refused(
        planning_issue, IssueStage.PREPARING, kawara, errors.NO_TARGET, words=("対象",)
    )
    assert "実行主体" not in error.message


def test_preparing_is_refused_without_a_target_area(planning_issue, kawara):
    services.executing_actor_add(
        issue=planning_issue,
        organisation=org("採銅所地域コミュニティ協議会"),
        role="ゴミ出しの声かけ",
        actor=kawara,
    )
    services.issue_update(
        issue=planning_issue, fields=IssueFields(target="一人暮らしの高齢者"), actor=kawara
    )
    assert_refused(
        planning_issue,
        IssueStage.PREPARING,
        kawara,
        errors.NO_TARGET,
        words=("対象の地域", "日常生活圏域または地区"),
    )


def test_an_ended_executing_actor_does_not_count_for_preparing(planning_issue, kawara):
    make_ready(planning_issue, kawara)
    executing = planning_issue.executing_actors.get()
    services.executing_actor_end(
        executing=executing, ended_on=datetime.date(2025, 3, 31), actor=kawara
    )
    assert_refused(planning_issue, IssueStage.PREPARING, kawara, errors.NO_EXECUTING_ACTOR)


def test_preparing_is_allowed_with_an_actor_a_target_and_an_area(planning_issue, kawara):
    make_ready(planning_issue, kawara)
    issue = move(planning_issue, IssueStage.PREPARING, kawara)
    assert RegionalIssue.objects.get(pk=issue.pk).stage == IssueStage.PREPARING
    assert changes(issue)[-1] == (IssueStage.PLANNING, IssueStage.PREPARING)


def test_running_is_refused_without_a_start_date(planning_issue, kawara):
    make_ready(planning_issue, kawara)
    issue = move(planning_issue, IssueStage.PREPARING, kawara)
    assert_refused(issue, IssueStage.RUNNING, kawara, errors.NO_START_DATE, words=("実行開始日",))
    services.issue_update(
        issue=issue, fields=IssueFields(started_on=datetime.date(2025, 6, 1)), actor=kawara
    )
    issue = move(issue, IssueStage.RUNNING, kawara)
    assert RegionalIssue.objects.get(pk=issue.pk).stage == IssueStage.RUNNING


def test_skipping_forward_applies_every_gate_on_the_way(issue, kawara):
    # nothing at all: every missing piece is named
    error = assert_refused(issue, IssueStage.RUNNING, kawara, errors.NO_EXECUTING_ACTOR)
    for words in ("実行主体", "対象", "実行開始日"):
        assert words in error.message
    # actor and target, no start date
    make_ready(issue, kawara)
    assert_refused(issue, IssueStage.RUNNING, kawara, errors.NO_START_DATE)
    # reviewing lies beyond running: the start date is needed there too
    assert_refused(issue, IssueStage.REVIEWING, kawara, errors.NO_START_DATE)
    services.issue_update(
        issue=issue, fields=IssueFields(started_on=datetime.date(2025, 6, 1)), actor=kawara
    )
    issue = move(issue, IssueStage.RUNNING, kawara)
    assert changes(issue)[-1] == (IssueStage.IDENTIFIED, IssueStage.RUNNING)


def test_a_running_issue_whose_actor_has_finished_can_move_to_reviewing(planning_issue, kawara):
    make_ready(planning_issue, kawara)
    services.issue_update(
        issue=planning_issue, fields=IssueFields(started_on=datetime.date(2024, 6, 1)), actor=kawara
    )
    issue = move(planning_issue, IssueStage.RUNNING, kawara)
    services.executing_actor_end(
        executing=issue.executing_actors.get(), ended_on=datetime.date(2025, 3, 31), actor=kawara
    )
    issue = move(issue, IssueStage.REVIEWING, kawara)
    assert RegionalIssue.objects.get(pk=issue.pk).stage == IssueStage.REVIEWING


@pytest.mark.parametrize(
    "stage",
    [IssueStage.IDENTIFIED, IssueStage.DISCUSSING, IssueStage.PLANNING],
)
def test_done_is_allowed_from_any_stage_without_the_gates(town, kawara, stage):
    issue = raise_issue(town, kawara)
    for step in (IssueStage.DISCUSSING, IssueStage.PLANNING):
        if issue.stage == stage:
            break
        issue = move(issue, step, kawara)
    issue = move(issue, IssueStage.DONE, kawara, reason="既存のサービスで対応できた")
    assert RegionalIssue.objects.get(pk=issue.pk).stage == IssueStage.DONE
    assert changes(issue)[-1] == (stage, IssueStage.DONE)


def test_done_is_allowed_from_on_hold(issue, kawara):
    issue = move(issue, IssueStage.ON_HOLD, kawara, reason="担当課の調整待ち")
    issue = move(issue, IssueStage.DONE, kawara)
    assert RegionalIssue.objects.get(pk=issue.pk).stage == IssueStage.DONE


def test_going_back_needs_a_reason(planning_issue, kawara):
    assert_refused(
        planning_issue,
        IssueStage.DISCUSSING,
        kawara,
        errors.REASON_REQUIRED,
        words=("理由",),
    )
    assert_refused(
        planning_issue, IssueStage.DISCUSSING, kawara, errors.REASON_REQUIRED, reason="   "
    )
    issue = move(planning_issue, IssueStage.DISCUSSING, kawara, reason="対象地域を見直す")
    change = StageChange.objects.filter(issue=issue).latest("changed_at", "id")
    assert (change.from_stage, change.to_stage, change.reason) == (
        IssueStage.PLANNING,
        IssueStage.DISCUSSING,
        "対象地域を見直す",
    )


def test_going_back_from_done_needs_a_reason(issue, kawara):
    issue = move(issue, IssueStage.DONE, kawara)
    assert_refused(issue, IssueStage.DISCUSSING, kawara, errors.REASON_REQUIRED)


def test_on_hold_needs_a_reason_and_records_the_stage_it_was_held_from(planning_issue, kawara):
    assert_refused(planning_issue, IssueStage.ON_HOLD, kawara, errors.REASON_REQUIRED)
    issue = move(planning_issue, IssueStage.ON_HOLD, kawara, reason="予算の見通しが立たない")
    stored = RegionalIssue.objects.get(pk=issue.pk)
    assert stored.stage == IssueStage.ON_HOLD
    assert stored.held_from_stage == IssueStage.PLANNING
    change = StageChange.objects.filter(issue=issue).latest("changed_at", "id")
    assert (change.from_stage, change.to_stage, change.reason) == (
        IssueStage.PLANNING,
        IssueStage.ON_HOLD,
        "予算の見通しが立たない",
    )
    # resuming needs no reason and clears the held-from stage
    issue = move(issue, IssueStage.PLANNING, kawara)
    stored = RegionalIssue.objects.get(pk=issue.pk)
    assert (stored.stage, stored.held_from_stage) == (IssueStage.PLANNING, "")


def test_resuming_from_on_hold_into_preparing_still_applies_the_gates(planning_issue, kawara):
    issue = move(planning_issue, IssueStage.ON_HOLD, kawara, reason="調整待ち")
    assert_refused(issue, IssueStage.PREPARING, kawara, errors.NO_EXECUTING_ACTOR)


def test_moving_to_the_current_stage_is_refused(issue, kawara):
    assert_refused(issue, IssueStage.IDENTIFIED, kawara, errors.SAME_STAGE)


def test_an_unknown_stage_is_refused(issue, kawara):
    assert_refused(issue, "launched", kawara, "invalid")


@pytest.mark.parametrize("username", ["saiki", "fukuoka", "kawara-council", "kurume-viewer"])
def test_users_who_may_not_edit_cannot_change_the_stage(issue, kawara, user_named, username):
    make_ready(issue, kawara)
    before_history = issue.history.count()
    with pytest.raises(PermissionDenied):
        move(issue, IssueStage.DISCUSSING, user_named(username))
    stored = RegionalIssue.objects.get(pk=issue.pk)
    assert stored.stage == IssueStage.IDENTIFIED
    assert changes(issue) == [("", IssueStage.IDENTIFIED)]
    assert issue.history.count() == before_history


def test_another_municipalitys_staff_cannot_add_an_executing_actor(issue, user_named):
    with pytest.raises(PermissionDenied):
        services.executing_actor_add(
            issue=issue,
            organisation=org("採銅所地域コミュニティ協議会"),
            role="声かけ",
            actor=user_named("saiki"),
        )
    assert not issue.executing_actors.exists()


def test_an_executing_actor_needs_a_role_and_is_recorded_with_history(issue, kawara):
    council = org("採銅所地域コミュニティ協議会")
    with pytest.raises(TsunaguError) as caught:
        services.executing_actor_add(issue=issue, organisation=council, role=" ", actor=kawara)
    assert caught.value.field == "role"
    assert not issue.executing_actors.exists()
    executing = services.executing_actor_add(
        issue=issue, organisation=council, role="声かけ", actor=kawara
    )
    record = executing.history.get()
    assert (
        record.history_user == kawara
        and display_reason(record.history_change_reason) == "実行主体を登録"
    )
    assert reasons(issue)[-1] == f"実行主体を登録: {council}"


# --- ideas -----------------------------------------------------------------------------


def test_adopting_an_idea_copies_it_into_the_plan(issue, kawara):
    services.issue_update(issue=issue, fields=IssueFields(plan="まず実態を調べる"), actor=kawara)
    idea = services.idea_add(
        issue=issue,
        text="ごみステーションまで近所の人が運ぶ",
        proposer_organisation=org("採銅所地域コミュニティ協議会"),
        actor=kawara,
    )
    assert idea.history.get().history_user == kawara
    idea = services.idea_adopt(idea=idea, actor=kawara)
    assert Idea.objects.get(pk=idea.pk).adopted_at is not None
    stored = RegionalIssue.objects.get(pk=issue.pk)
    assert stored.plan == "まず実態を調べる\n・ごみステーションまで近所の人が運ぶ"
    idea_record = idea.history.latest("history_id")
    assert idea_record.history_user == kawara
    assert display_reason(idea_record.history_change_reason) == "アイディアを採用"
    assert reasons(issue)[-1] == "採用したアイディアを計画に追加"


def test_adopting_an_idea_twice_is_refused_and_the_plan_keeps_one_copy(issue, kawara):
    idea = services.idea_add(issue=issue, text="見守りを兼ねて回収する", actor=kawara)
    services.idea_adopt(idea=idea, actor=kawara)
    plan = RegionalIssue.objects.get(pk=issue.pk).plan
    history = issue.history.count()
    with pytest.raises(TsunaguError) as caught:
        services.idea_adopt(idea=Idea.objects.get(pk=idea.pk), actor=kawara)
    assert "すでに採用" in caught.value.message
    assert RegionalIssue.objects.get(pk=issue.pk).plan == plan == "・見守りを兼ねて回収する"
    assert issue.history.count() == history


def test_adopting_two_ideas_adds_both_to_the_plan(issue, kawara):
    first = services.idea_add(issue=issue, text="案A", actor=kawara)
    second = services.idea_add(issue=issue, text="案B", actor=kawara)
    services.idea_adopt(idea=first, actor=kawara)
    services.idea_adopt(idea=second, actor=kawara)
    assert RegionalIssue.objects.get(pk=issue.pk).plan == "・案A\n・案B"


def test_an_empty_idea_is_refused(issue, kawara):
    with pytest.raises(TsunaguError) as caught:
        services.idea_add(issue=issue, text="  ", actor=kawara)
    assert caught.value.field == "text"
    assert not issue.ideas.exists()


@pytest.mark.parametrize("username", ["saiki", "fukuoka"])
def test_users_who_may_not_edit_cannot_add_or_adopt_ideas(issue, kawara, user_named, username):
    idea = services.idea_add(issue=issue, text="案A", actor=kawara)
    with pytest.raises(PermissionDenied):
        services.idea_add(issue=issue, text="案B", actor=user_named(username))
    with pytest.raises(PermissionDenied):
        services.idea_adopt(idea=idea, actor=user_named(username))
    assert list(issue.ideas.values_list("text", flat=True)) == ["案A"]
    assert Idea.objects.get(pk=idea.pk).adopted_at is None
    assert RegionalIssue.objects.get(pk=issue.pk).plan == ""


# --- comments --------------------------------------------------------------------------


@pytest.fixture
def body_issue(town, kawara):
    """An issue that sits at a 香春町 body whose member is 採銅所地域コミュニティ協議会."""
    body = body_services.body_create(
        municipality=town, fields=BodyFields(name="検証用 定例会", kind="regular"), actor=kawara
    )
    body_services.member_add(
        body=body, organisation=org("採銅所地域コミュニティ協議会"), actor=kawara
    )
    return raise_issue(town, kawara, body=body)


def test_municipal_staff_may_comment(body_issue, kawara):
    comment = services.comment_add(issue=body_issue, text="  役場でも確認します  ", actor=kawara)
    assert comment.author == kawara and comment.text == "役場でも確認します"


def test_a_member_of_a_body_member_organisation_may_comment(body_issue, user_named):
    member = user_named("kawara-council")
    services.comment_add(issue=body_issue, text="協議会で話題にします", actor=member)
    assert list(Comment.objects.filter(issue=body_issue).values_list("author", "text")) == [
        (member.pk, "協議会で話題にします")
    ]


def test_an_organisation_member_may_not_comment_when_the_issue_sits_at_no_body(issue, user_named):
    with pytest.raises(PermissionDenied):
        services.comment_add(issue=issue, text="意見", actor=user_named("kawara-council"))
    assert not Comment.objects.filter(issue=issue).exists()


def test_an_organisation_member_may_not_comment_after_the_seat_has_ended(
    body_issue, kawara, user_named
):
    seat = body_issue.body.members.get()
    body_services.member_end(member=seat, ends_on=datetime.date(2024, 3, 31), actor=kawara)
    with pytest.raises(PermissionDenied):
        services.comment_add(issue=body_issue, text="意見", actor=user_named("kawara-council"))
    assert not Comment.objects.filter(issue=body_issue).exists()


def test_a_member_whose_term_ends_in_the_future_may_comment(body_issue, kawara, user_named):
    seat = body_issue.body.members.get()
    body_services.member_end(member=seat, ends_on=datetime.date(2099, 3, 31), actor=kawara)
    services.comment_add(issue=body_issue, text="意見", actor=user_named("kawara-council"))
    assert Comment.objects.filter(issue=body_issue).count() == 1


def test_a_member_whose_seat_starts_in_the_future_may_not_comment_yet(town, kawara, user_named):
    body = body_services.body_create(
        municipality=town, fields=BodyFields(name="検証用 新設会議", kind="other"), actor=kawara
    )
    body_services.member_add(
        body=body,
        organisation=org("採銅所地域コミュニティ協議会"),
        starts_on=datetime.date(2099, 4, 1),
        actor=kawara,
    )
    issue = raise_issue(town, kawara, body=body)
    with pytest.raises(PermissionDenied):
        services.comment_add(issue=issue, text="意見", actor=user_named("kawara-council"))
    assert not Comment.objects.filter(issue=issue).exists()


def test_a_viewer_of_the_same_municipality_may_not_comment(municipality, user_named):
    kurume_staff = user_named("kurume")
    city = municipality("久留米市")
    body = body_services.body_create(
        municipality=city,
        fields=BodyFields(name="検証用 作業部会", kind="working_group"),
        actor=kurume_staff,
    )
    body_services.member_add(
        body=body, organisation=org("長寿支援課", "久留米市"), actor=kurume_staff
    )
    issue = raise_issue(city, kurume_staff, title="通いの場が足りない", body=body)
    with pytest.raises(PermissionDenied):
        services.comment_add(issue=issue, text="意見", actor=user_named("kurume-viewer"))
    assert not Comment.objects.filter(issue=issue).exists()


@pytest.mark.parametrize("username", ["saiki", "fukuoka"])
def test_staff_of_another_municipality_or_the_prefecture_may_not_comment(
    body_issue, user_named, username
):
    with pytest.raises(PermissionDenied):
        services.comment_add(issue=body_issue, text="意見", actor=user_named(username))
    assert not Comment.objects.filter(issue=body_issue).exists()


def test_an_empty_comment_is_refused(body_issue, kawara):
    with pytest.raises(TsunaguError) as caught:
        services.comment_add(issue=body_issue, text=" \n ", actor=kawara)
    assert caught.value.field == "text"
    assert not Comment.objects.filter(issue=body_issue).exists()
