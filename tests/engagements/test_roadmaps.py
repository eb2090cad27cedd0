"""Roadmaps: milestones by fiscal year, the overdue rule, the printable timeline."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.engagements import selectors, services
from tsunagu.engagements.commands import MilestoneFields, RoadmapFields
from tsunagu.engagements.models import Milestone

pytestmark = pytest.mark.django_db

KURUME_ITEMS = [
    (2024, "啓発と研修"),
    (2025, "対象者像の整理"),
    (2025, "モデル事業の仕様"),
    (2026, "庁内・地域包括との連絡会"),
    (2027, "卒業後の受皿"),
]


@pytest.fixture
def kurume_roadmap(make_engagement, municipality, user_named):
    engagement = make_engagement("久留米市", fiscal_year=2024, theme="通所型サービスCの見直し")
    staff = user_named("kurume")
    roadmap = services.roadmap_create(
        municipality=municipality("久留米市"),
        fields=RoadmapFields(
            engagement=engagement,
            title="通所型サービスCのロードマップ",
            first_fiscal_year=2024,
            last_fiscal_year=2027,
        ),
        actor=staff,
    )
    for year, title in KURUME_ITEMS:
        services.milestone_add(
            roadmap=roadmap,
            fields=MilestoneFields(fiscal_year=year, title=title, owner_department="長寿支援課"),
            actor=staff,
        )
    return roadmap


def milestone(roadmap, title) -> Milestone:
    return roadmap.milestones.get(title=title)


def test_open_milestone_is_overdue_after_the_end_of_its_fiscal_year(kurume_roadmap):
    item = milestone(kurume_roadmap, "啓発と研修")
    assert not item.is_overdue(datetime.date(2025, 3, 31))
    assert item.is_overdue(datetime.date(2025, 4, 1))


def test_explicit_due_date_wins_over_the_fiscal_year_end(kurume_roadmap, user_named):
    item = milestone(kurume_roadmap, "対象者像の整理")
    services.milestone_update(
        milestone=item,
        fields=MilestoneFields(due_on=datetime.date(2025, 9, 30)),
        actor=user_named("kurume"),
    )
    assert not item.is_overdue(datetime.date(2025, 9, 30))
    assert item.is_overdue(datetime.date(2025, 10, 1))


def test_done_or_cancelled_milestones_are_never_overdue(kurume_roadmap, user_named):
    staff = user_named("kurume")
    done = milestone(kurume_roadmap, "啓発と研修")
    services.milestone_update(
        milestone=done,
        fields=MilestoneFields(
            status="done", done_on=datetime.date(2025, 2, 1), evidence="研修を実施"
        ),
        actor=staff,
    )
    cancelled = milestone(kurume_roadmap, "モデル事業の仕様")
    services.milestone_update(
        milestone=cancelled, fields=MilestoneFields(status="cancelled"), actor=staff
    )
    later = datetime.date(2030, 1, 1)
    assert not done.is_overdue(later)
    assert not cancelled.is_overdue(later)
    assert milestone(kurume_roadmap, "対象者像の整理").is_overdue(later)


def test_done_needs_a_completion_date(kurume_roadmap, user_named):
    item = milestone(kurume_roadmap, "啓発と研修")
    with pytest.raises(ValidationError) as refused:
        services.milestone_update(
            milestone=item, fields=MilestoneFields(status="done"), actor=user_named("kurume")
        )
    assert "done_on" in refused.value.message_dict
    item.refresh_from_db()
    assert item.status == "not_started"


def test_milestone_year_must_be_inside_the_roadmap(kurume_roadmap, user_named):
    with pytest.raises(ValidationError):
        services.milestone_add(
            roadmap=kurume_roadmap,
            fields=MilestoneFields(fiscal_year=2030, title="範囲外"),
            actor=user_named("kurume"),
        )
    assert kurume_roadmap.milestones.count() == len(KURUME_ITEMS)


def test_roadmap_cannot_shrink_past_its_milestones(kurume_roadmap, user_named):
    with pytest.raises(TsunaguError):
        services.roadmap_update(
            roadmap=kurume_roadmap,
            fields=RoadmapFields(last_fiscal_year=2026),
            actor=user_named("kurume"),
        )


def test_timeline_has_one_column_per_fiscal_year_with_flags(kurume_roadmap):
    columns = selectors.roadmap_timeline(kurume_roadmap, datetime.date(2025, 6, 1))
    assert [c.fiscal_year for c in columns] == [2024, 2025, 2026, 2027]
    assert [c.is_current for c in columns] == [False, True, False, False]
    first = columns[0].milestones
    assert [(m.title, late) for m, late in first] == [("啓発と研修", True)]
    assert all(not late for m, late in columns[1].milestones)


def test_other_municipality_cannot_edit_the_roadmap(kurume_roadmap, user_named):
    item = milestone(kurume_roadmap, "啓発と研修")
    with pytest.raises(PermissionDenied):
        services.milestone_update(
            milestone=item, fields=MilestoneFields(title="書き換え"), actor=user_named("kawara")
        )
    item.refresh_from_db()
    assert item.title == "啓発と研修"
