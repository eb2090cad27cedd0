"""The demo's accompanying support (伴走的支援): what the seed report says, loaded idempotently."""

from __future__ import annotations

import datetime

import pytest

from tsunagu.accounts.services import system_actor
from tsunagu.areas.models import Municipality
from tsunagu.core.actions import display_reason
from tsunagu.demo import report_engagements
from tsunagu.demo.engagements_loader import load_engagements
from tsunagu.demo.loader import LoadSummary
from tsunagu.engagements.casesheets.builder import build_case_sheet
from tsunagu.engagements.models import (
    CaseSheetSettings,
    Engagement,
    EngagementAdvisor,
    EngagementStatus,
    EngagementStatusChange,
    Insight,
    Milestone,
    ProgramSelection,
    Roadmap,
    SupportProgram,
    Visit,
    VisitParticipant,
)

pytestmark = pytest.mark.django_db

# The visit dates of the issue text (令和 → 西暦).
VISIT_DATES = {
    "香春町": ["2024-10-02", "2024-12-17", "2025-01-30"],
    "佐伯市": ["2023-08-28", "2023-10-20", "2023-12-12"],
    "鹿児島市": ["2022-09-27", "2022-11-28", "2023-01-27"],
    "久留米市": ["2024-10-03", "2024-11-08", "2025-02-05"],
    "出水市": ["2022-10-06", "2022-11-25", "2023-01-23"],
}


def engagement_of(name: str, fiscal_year: int) -> Engagement:
    return Engagement.objects.get(
        municipality__name=name, fiscal_year=fiscal_year, follow_up_of__isnull=True
    )


@pytest.mark.parametrize("name", list(VISIT_DATES))
def test_every_engagement_has_the_reports_three_visit_dates(name: str) -> None:
    dates = [
        d.isoformat()
        for d in Visit.objects.filter(
            engagement__municipality__name=name, engagement__follow_up_of__isnull=True
        )
        .order_by("number")
        .values_list("visited_on", flat=True)
    ]
    assert dates == VISIT_DATES[name]


def test_engagement_periods_and_statuses_follow_the_report() -> None:
    kawara = engagement_of("香春町", 2024)
    assert (kawara.started_on, kawara.ended_on) == (
        datetime.date(2024, 10, 2),
        datetime.date(2025, 1, 30),
    )
    assert kawara.status == EngagementStatus.SUPPORT_ENDED
    kagoshima = engagement_of("鹿児島市", 2022)
    assert kagoshima.status == EngagementStatus.ON_TRACK  # 分科会議・座談会: progress
    assert "異動" in kagoshima.status_reason
    assert engagement_of("出水市", 2022).status == EngagementStatus.FOLLOWING_UP
    # the walk through the statuses is kept with the report's dates
    changes = list(
        EngagementStatusChange.objects.filter(engagement=kawara).order_by("changed_at", "id")
    )
    assert [c.to_status for c in changes] == ["selected", "in_support", "support_ended"]
    assert changes[1].changed_at.date() == datetime.date(2024, 10, 2)


def test_programs_and_their_selections_per_fiscal_year() -> None:
    oita = SupportProgram.objects.get(owner_prefecture__name="大分県")
    assert oita.first_fiscal_year == 2023
    assert "全国移動サービスネットワーク" in " ".join(
        oita.partner_organisations.values_list("name", flat=True)
    )
    assert "竹田市" in oita.description and "別府市及び由布市" in oita.description
    ministry = SupportProgram.objects.get(name="地域づくり加速化事業")
    assert (ministry.typical_visits, ministry.typical_months) == (3, 6)
    selected = set(
        ProgramSelection.objects.filter(program=ministry).values_list(
            "municipality__name", "fiscal_year"
        )
    )
    assert selected == {("鹿児島市", 2022), ("出水市", 2022), ("久留米市", 2024), ("香春町", 2024)}
    kagoshima_pref = set(
        ProgramSelection.objects.filter(
            program__name="かごしま介護予防（総合事業）推進事業"
        ).values_list("municipality__name", "fiscal_year")
    )
    assert kagoshima_pref == {
        ("出水市", 2022),
        ("鹿児島市", 2022),
        ("出水市", 2023),
        ("日置市", 2023),
        ("南大隅町", 2023),
        ("徳之島町", 2024),
    }
    oita_selected = set(
        ProgramSelection.objects.filter(program=oita).values_list(
            "municipality__name", "fiscal_year"
        )
    )
    assert {("竹田市", 2023), ("別府市", 2024), ("由布市", 2024)} <= oita_selected
    assert SupportProgram.objects.filter(name="保険者機能強化支援事業").exists()


def test_municipalities_only_in_the_prefectures_programs_have_no_invented_figures() -> None:
    """竹田市 … 徳之島町 are named by the report only as selected municipalities."""
    from tsunagu.areas.models import StatisticsSnapshot

    others = ["竹田市", "別府市", "由布市", "日置市", "南大隅町", "徳之島町"]
    assert Municipality.objects.filter(name__in=others).count() == len(others)
    assert not StatisticsSnapshot.objects.filter(municipality__name__in=others).exists()
    assert not Engagement.objects.filter(municipality__name__in=others).exists()
    listed = {s["municipality_name"] for s in report_engagements.SELECTIONS}
    assert set(others) <= listed


def test_izumi_follow_up_is_its_own_engagement_with_the_same_advisor() -> None:
    first = engagement_of("出水市", 2022)
    follow_up = Engagement.objects.get(follow_up_of=first)
    assert follow_up.fiscal_year == 2023
    assert follow_up.program.name == "かごしま介護予防（総合事業）推進事業"
    assert set(
        EngagementAdvisor.objects.filter(user__username="advisor").values_list(
            "engagement_id", flat=True
        )
    ) == {first.pk, follow_up.pk}


def test_breadth_of_participation_differs_between_kagoshima_and_izumi() -> None:
    def departments(name: str) -> set[str]:
        return set(
            VisitParticipant.objects.filter(
                visit__engagement=engagement_of(name, 2022), kind="department"
            ).values_list("department", flat=True)
        )

    assert departments("鹿児島市") == {"長寿あんしん課"}
    assert len(departments("出水市")) == 11
    outside = VisitParticipant.objects.filter(
        visit__engagement=engagement_of("出水市", 2022), kind="outside", visit__number=2
    )
    assert outside.count() == 10


def test_insights_and_roadmap_are_loaded_with_sources() -> None:
    assert Insight.objects.filter(engagement__municipality__name="香春町").count() == 4
    assert not Insight.objects.filter(source="").exists()
    assert not Visit.objects.filter(source="").exists()
    roadmap = Roadmap.objects.get(municipality__name="久留米市")
    assert (roadmap.first_fiscal_year, roadmap.last_fiscal_year) == (2024, 2027)
    titles = list(Milestone.objects.filter(roadmap=roadmap).values_list("title", flat=True))
    assert len(titles) == 5
    assert any("受皿" in t for t in titles) and any("対象者像" in t for t in titles)


def test_case_sheet_numbers_follow_the_report() -> None:
    numbers = dict(CaseSheetSettings.objects.values_list("municipality__name", "sheet_number"))
    assert numbers == {"香春町": 1, "佐伯市": 2, "鹿児島市": 3, "久留米市": 4, "出水市": 5}


@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        ("香春町", ["令和7年4月17日", "採銅所地域コミュニティ協議会", "住民主体の取組を促す"]),
        ("佐伯市", ["直川地域", "大分運輸支局", "地域公共交通との共存"]),
        ("鹿児島市", ["地域ケア分科会議", "吉野地域支えあい座談会", "制度設計・仕組みづくり"]),
        (
            "久留米市",
            ["ロードマップ", "久留米市総合事業見直し作業部会", "単年度で終わるのではなく"],
        ),
        ("出水市", ["検討チーム", "SC定例会", "属人的なネットワーク"]),
    ],
)
def test_generated_case_sheets_read_like_the_reports(name: str, phrases: list[str]) -> None:
    sheet = build_case_sheet(user=system_actor(), municipality=Municipality.objects.get(name=name))
    text = "\n".join(part.text for section in sheet.sections for part in section.parts)
    assert phrases
    for phrase in phrases:
        assert phrase in text, phrase


def test_second_load_creates_and_changes_nothing() -> None:
    models = [
        SupportProgram,
        ProgramSelection,
        Engagement,
        EngagementStatusChange,
        EngagementAdvisor,
        Visit,
        VisitParticipant,
        Insight,
        Roadmap,
        Milestone,
        CaseSheetSettings,
    ]
    before = {model: model.objects.count() for model in models}
    history_before = Engagement.history.count()
    summary = LoadSummary()
    load_engagements(system_actor(), summary)
    assert (summary.created, summary.updated) == (0, 0)
    assert summary.unchanged > 0
    assert {model: model.objects.count() for model in models} == before
    assert Engagement.history.count() == history_before


def test_load_repairs_a_changed_record_through_the_services() -> None:
    kawara = engagement_of("香春町", 2024)
    Engagement.objects.filter(pk=kawara.pk).update(theme="違うテーマ")
    summary = LoadSummary()
    load_engagements(system_actor(), summary)
    kawara.refresh_from_db()
    assert kawara.theme == report_engagements.KAWARA_ENGAGEMENT["theme"]
    assert summary.updated == 1
    assert display_reason(kawara.history.first().history_change_reason) == "伴走的支援を変更"
