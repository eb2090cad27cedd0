"""The demo says what the report says, and no more (issue 12): sources, undated steps,
inferred values marked, 鹿児島市's progress, the report's dates in history and meetings."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from tsunagu.bodies.models import Meeting, MeetingStatus
from tsunagu.demo import (
    mobility_loader,
    report_bodies,
    report_data,
    report_directory,
    report_engagements,
    surveys_loader,
)
from tsunagu.demo.loader import LoadSummary
from tsunagu.engagements.models import Engagement, EngagementStatus, SupportProgram
from tsunagu.mobility.models import MobilityService, Pilot
from tsunagu.regional_issues.flags import flag_labels
from tsunagu.regional_issues.models import IssueStage, RegionalIssue

pytestmark = pytest.mark.django_db

LINE_CITATION = re.compile(r"report\.txt|\d+(–\d+)?行")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple | set | frozenset):
        return [s for v in value for s in _strings(v)]
    return []


def test_no_demo_text_cites_a_file_or_its_line_numbers() -> None:
    modules = (
        report_data,
        report_bodies,
        report_directory,
        report_engagements,
        mobility_loader,
        surveys_loader,
    )
    texts = [
        text
        for module in modules
        for name, value in vars(module).items()
        if name.isupper() or (name.startswith("_") and not name.startswith("__"))
        for text in _strings(value)
    ]
    assert len(texts) > 500
    assert [t for t in texts if LINE_CITATION.search(t)] == []


def test_mobility_schemes_cite_the_information_gathering_report() -> None:
    saiki = MobilityService.objects.filter(municipality__name="佐伯市")
    kagoshima = MobilityService.objects.get(municipality__name="鹿児島市")
    assert saiki.count() == 2
    for service in [*saiki, kagoshima]:
        assert "令和6年度 地域づくり加速化事業 報告書" not in service.source
        assert "九州管区行政評価局" in service.source and "令和7年7月" in service.source
    assert all("令和5年度 大分県" in s.source for s in saiki)
    assert "令和4年度 地域づくり加速化事業" in kagoshima.source


def test_transport_bureau_consultation_has_no_invented_date() -> None:
    consultation = Pilot.objects.get(title__contains="大分運輸支局")
    assert consultation.held_on is None
    assert consultation.held_on_text == "時期不明（報告書に記載なし）"


def test_inferred_program_values_are_marked_or_dropped() -> None:
    oita = SupportProgram.objects.get(name__contains="スーパーバイザー派遣")
    assert oita.typical_visits is None
    for program in SupportProgram.objects.filter(owner_prefecture__name="鹿児島県"):
        assert program.first_fiscal_year == 2022
        assert "推定" in program.source


def test_kagoshima_progresses_while_its_model_area_is_stalled_by_a_transfer() -> None:
    engagement = Engagement.objects.get(municipality__name="鹿児島市", fiscal_year=2022)
    assert engagement.status != EngagementStatus.STALLED
    assert engagement.status == EngagementStatus.ON_TRACK
    assert "分科会議" in engagement.status_reason and "座談会" in engagement.status_reason

    model_area = RegionalIssue.objects.get(
        municipality__name="鹿児島市", title__startswith="モデル地域での移動支援"
    )
    assert model_area.stage == IssueStage.ON_HOLD
    assert model_area.held_from_stage == IssueStage.DISCUSSING
    hold = model_area.stage_changes.get(to_stage=IssueStage.ON_HOLD)
    assert "異動" in hold.reason
    assert model_area in engagement.issues.all()


def test_kawara_2024_issue_shows_unassigned() -> None:
    issue = RegionalIssue.objects.get(
        municipality__name="香春町", title="ゴミ出し等の日常生活支援（サービスB）"
    )
    assert issue.stage == IssueStage.PLANNING
    assert timezone.localtime(issue.stage_entered_at).date() == datetime.date(2024, 4, 1)
    assert "担い手未定" in flag_labels(issue)


def test_history_carries_the_reports_dates() -> None:
    issue = RegionalIssue.objects.get(
        municipality__name="香春町", title="ゴミ出し等の日常生活支援（サービスB）"
    )
    dates = {timezone.localtime(h.history_date).date() for h in issue.history.all()}
    assert dates == {datetime.date(2024, 4, 1)}
    seminar = Meeting.objects.get(body__name="吉野地域支えあい座談会")
    assert timezone.localtime(seminar.history.earliest().history_date).date() == (
        datetime.date(2025, 5, 15)
    )
    kagoshima = Engagement.objects.get(municipality__name="鹿児島市", fiscal_year=2022)
    assert timezone.localtime(kagoshima.history.earliest().history_date).date() == (
        datetime.date(2022, 4, 1)
    )


def test_past_demo_meetings_are_held() -> None:
    past = Meeting.objects.filter(starts_at__lt=timezone.now())
    assert past.filter(body__name="定例会（採銅所地域）").count() == 4
    assert not past.filter(status=MeetingStatus.PLANNED).exists()
    later = past.filter(body__name="定例会（採銅所地域）").order_by("starts_at")[1]
    assert later.status == MeetingStatus.HELD
    assert "原則月1回" in later.minutes


def test_first_load_summary_says_nothing_was_updated() -> None:
    assert LoadSummary(created=386).describe() == "新規 386 件"
    assert "更新" not in LoadSummary(created=386, unchanged=5).describe()
    assert LoadSummary(unchanged=371).describe() == "変更なし 371 件"
    assert LoadSummary(updated=2, unchanged=3).describe() == "更新 2 件 / 変更なし 3 件"


def test_second_load_reports_no_updates(demo_loaded_again) -> None:
    summary = demo_loaded_again.summary
    assert (summary.created, summary.updated) == (0, 0)
    assert "更新" not in summary.describe() and "新規" not in summary.describe()
