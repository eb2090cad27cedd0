"""Issue flags with a frozen clock: 担い手未定 (no executing actor in 検討/企画) and 停滞 (stale).

The flag functions take ``now=``; the clock is frozen by passing a moment measured from when the
issue entered its stage (or was last updated), so no test depends on the wall clock.
"""

from __future__ import annotations

import datetime

import pytest

from tsunagu.areas.models import District
from tsunagu.directory.models import Organisation
from tsunagu.regional_issues import flags, services
from tsunagu.regional_issues.models import (
    IssueSettings,
    IssueStage,
    RegionalIssue,
    StageChange,
)
from tsunagu.regional_issues.services import IssueFields

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def kawara(user_named):
    return user_named("kawara")


@pytest.fixture
def town(municipality):
    return municipality("香春町")


def council() -> Organisation:
    return Organisation.objects.get(name="採銅所地域コミュニティ協議会")


def raise_issue(municipality, actor, title="見守りの担い手がいない") -> RegionalIssue:
    return services.issue_raise(
        municipality=municipality, fields=IssueFields(title=title), actor=actor
    )


def move(issue, to_stage, actor, reason: str = "") -> RegionalIssue:
    return services.issue_change_stage(issue=issue, to_stage=to_stage, actor=actor, reason=reason)


def fresh(issue) -> RegionalIssue:
    return RegionalIssue.objects.get(pk=issue.pk)


def only(issue):
    return RegionalIssue.objects.filter(pk=issue.pk)


@pytest.fixture
def discussing(town, kawara):
    return fresh(move(raise_issue(town, kawara), IssueStage.DISCUSSING, kawara))


# --- 担い手未定 ------------------------------------------------------------------------------


def test_unassigned_after_91_days_in_discussing_without_an_actor(discussing):
    now = discussing.stage_entered_at + 91 * DAY
    assert flags.is_unassigned(discussing, now=now)
    assert flags.unassigned_issues(only(discussing), now=now) == [discussing]
    assert flags.flag_labels(discussing, now=now) == ["担い手未定"]


def test_not_unassigned_after_89_days(discussing):
    now = discussing.stage_entered_at + 89 * DAY
    assert not flags.is_unassigned(discussing, now=now)
    assert flags.flag_labels(discussing, now=now) == []


def test_unassigned_in_planning_too(discussing, kawara):
    planning = fresh(move(discussing, IssueStage.PLANNING, kawara))
    assert flags.is_unassigned(planning, now=planning.stage_entered_at + 91 * DAY)
    assert not flags.is_unassigned(planning, now=planning.stage_entered_at + 89 * DAY)


def test_not_unassigned_in_identified(town, kawara):
    issue = fresh(raise_issue(town, kawara))
    assert not flags.is_unassigned(issue, now=issue.stage_entered_at + 365 * DAY)


def test_not_unassigned_when_an_executing_actor_exists(discussing, kawara):
    services.executing_actor_add(
        issue=discussing, organisation=council(), role="見守りの声かけ", actor=kawara
    )
    assert not flags.is_unassigned(discussing, now=discussing.stage_entered_at + 91 * DAY)


def test_unassigned_again_when_the_only_actor_has_ended(discussing, kawara):
    executing = services.executing_actor_add(
        issue=discussing, organisation=council(), role="見守りの声かけ", actor=kawara
    )
    services.executing_actor_end(
        executing=executing, ended_on=datetime.date(2025, 3, 31), actor=kawara
    )
    assert flags.is_unassigned(discussing, now=discussing.stage_entered_at + 91 * DAY)


def test_not_unassigned_in_preparing_even_after_the_actor_has_ended(discussing, kawara):
    executing = services.executing_actor_add(
        issue=discussing, organisation=council(), role="見守りの声かけ", actor=kawara
    )
    district = District.objects.get(name="採銅所地域", municipality__name="香春町")
    services.issue_update(
        issue=discussing,
        fields=IssueFields(target="一人暮らしの高齢者", districts=[district]),
        actor=kawara,
    )
    preparing = fresh(move(discussing, IssueStage.PREPARING, kawara))
    services.executing_actor_end(
        executing=executing, ended_on=datetime.date(2025, 3, 31), actor=kawara
    )
    assert not flags.is_unassigned(preparing, now=preparing.stage_entered_at + 91 * DAY)


def test_not_unassigned_on_hold_or_done(discussing, kawara):
    held = fresh(move(discussing, IssueStage.ON_HOLD, kawara, reason="調整待ち"))
    assert not flags.is_unassigned(held, now=held.stage_entered_at + 91 * DAY)
    done = fresh(move(held, IssueStage.DONE, kawara))
    assert not flags.is_unassigned(done, now=done.stage_entered_at + 91 * DAY)


def test_the_municipalitys_own_unassigned_period_is_respected(discussing, municipality, user_named):
    IssueSettings.objects.create(municipality=municipality("香春町"), unassigned_flag_days=30)
    saiki = user_named("saiki")
    other = fresh(move(raise_issue(municipality("佐伯市"), saiki), IssueStage.DISCUSSING, saiki))
    start = max(discussing.stage_entered_at, other.stage_entered_at)
    both = RegionalIssue.objects.filter(pk__in=[discussing.pk, other.pk])
    # 香春町: 30 days; 佐伯市 keeps the default 90
    assert flags.unassigned_issues(both, now=discussing.stage_entered_at + 29 * DAY) == []
    assert [i.pk for i in flags.unassigned_issues(both, now=start + 31 * DAY)] == [discussing.pk]
    assert {i.pk for i in flags.unassigned_issues(both, now=start + 91 * DAY)} == {
        discussing.pk,
        other.pk,
    }


def test_unassigned_counts_the_whole_time_in_discussing_and_planning(discussing, kawara):
    planning = move(discussing, IssueStage.PLANNING, kawara)
    now = discussing.stage_entered_at + 100 * DAY
    # it entered 検討 100 days ago and 企画 30 days ago, never with an executing actor
    entered_planning = now - 30 * DAY
    RegionalIssue.objects.filter(pk=planning.pk).update(stage_entered_at=entered_planning)
    StageChange.objects.filter(issue=planning, to_stage=IssueStage.PLANNING).update(
        changed_at=entered_planning
    )
    assert flags.is_unassigned(fresh(planning), now=now)


# --- 停滞 -----------------------------------------------------------------------------------


def _last_touched(issue) -> datetime.datetime:
    issue = fresh(issue)
    return max(issue.updated_at, issue.stage_entered_at)


def test_stale_after_the_default_180_days_without_update(town, kawara):
    issue = raise_issue(town, kawara)
    touched = _last_touched(issue)
    assert flags.stale_issues(only(issue), now=touched + 179 * DAY) == []
    assert [i.pk for i in flags.stale_issues(only(issue), now=touched + 181 * DAY)] == [issue.pk]
    assert flags.flag_labels(issue, now=touched + 181 * DAY) == ["停滞"]


def test_an_update_restarts_the_stale_clock(town, kawara):
    issue = raise_issue(town, kawara)
    services.issue_update(issue=issue, fields=IssueFields(description="追記"), actor=kawara)
    assert flags.stale_issues(only(issue), now=_last_touched(issue) + 179 * DAY) == []


def test_the_municipalitys_own_stale_period_is_respected(town, kawara):
    IssueSettings.objects.create(municipality=town, stale_days=30)
    issue = raise_issue(town, kawara)
    touched = _last_touched(issue)
    assert flags.stale_issues(only(issue), now=touched + 29 * DAY) == []
    assert [i.pk for i in flags.stale_issues(only(issue), now=touched + 31 * DAY)] == [issue.pk]


def test_done_and_held_issues_are_never_stale(town, kawara):
    done = move(raise_issue(town, kawara, "A"), IssueStage.DONE, kawara)
    held = move(raise_issue(town, kawara, "B"), IssueStage.ON_HOLD, kawara, reason="様子見")
    both = RegionalIssue.objects.filter(pk__in=[done.pk, held.pk])
    assert flags.stale_issues(both, now=_last_touched(done) + 1000 * DAY) == []


def test_an_issue_can_carry_both_flags(discussing):
    now = _last_touched(discussing) + 181 * DAY
    assert flags.flag_labels(discussing, now=now) == ["担い手未定", "停滞"]
    assert flags.flag_map(only(discussing), now=now) == {discussing.pk: ["担い手未定", "停滞"]}
    assert flags.flagged_ids(only(discussing), flags.FLAG_UNASSIGNED, now=now) == {discussing.pk}
    assert flags.flagged_ids(only(discussing), flags.FLAG_STALE, now=now) == {discussing.pk}
    assert flags.flag_map(only(discussing), now=discussing.stage_entered_at + DAY) == {}
