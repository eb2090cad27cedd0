"""The demo's consultative bodies, meetings and regional issues: what the seed report says."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from tsunagu.accounts.services import system_actor
from tsunagu.bodies.models import (
    CertificationApplication,
    CertificationRules,
    CertificationStatus,
    ConsultativeBody,
    Meeting,
    MeetingStatus,
)
from tsunagu.core.actions import display_reason
from tsunagu.demo import report_bodies
from tsunagu.demo.bodies_loader import load_bodies, series_dates, stage_changes_can_be_backdated
from tsunagu.demo.loader import LoadSummary
from tsunagu.regional_issues.flags import flag_labels
from tsunagu.regional_issues.models import IssueStage, RegionalIssue
from tsunagu.regional_issues.services import IssueFields

pytestmark = pytest.mark.django_db

KAWARA, SAIKI, KAGOSHIMA, KURUME, IZUMI = "香春町", "佐伯市", "鹿児島市", "久留米市", "出水市"

# Where in the report (a case sheet, or a part of section II), as users cite it.
REPORT_PART = re.compile(r"事例表№\d|II |II 1|II 2")


@pytest.fixture(scope="module", autouse=True)
def _bodies_loaded(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load once for the module (a no-op once load_demo itself calls load_bodies)."""
    with django_db_blocker.unblock():
        load_bodies(system_actor(), LoadSummary())


def body(municipality: str, name: str) -> ConsultativeBody:
    return ConsultativeBody.objects.get(municipality__name=municipality, name=name)


def issue(municipality: str, title: str) -> RegionalIssue:
    return RegionalIssue.objects.get(municipality__name=municipality, title=title)


def member_names(b: ConsultativeBody) -> set[str]:
    return set(b.members.values_list("organisation__name", flat=True))


def local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


# --- bodies --------------------------------------------------------------------------------

# (municipality, name, kind, layer, parent name, member organisation names)
NAMED_BODIES = [
    (
        KAWARA,
        "定例会（採銅所地域）",
        "regular",
        None,
        None,
        {
            "採銅所地域コミュニティ協議会",
            "まちづくり課",
            "包括支援センター係",
            "香春町社会福祉協議会",
        },
    ),
    (
        KAGOSHIMA,
        "吉野地域支えあい座談会",
        "mutual_support_forum",
        2,
        None,
        {
            "吉野校区コミュニティ協議会",
            "自動車学校（吉野地域支えあい座談会の構成団体）（仮）",
            *(f"吉野地域支えあい座談会の構成団体{n}（仮）" for n in range(3, 7)),
        },
    ),
    (
        KAGOSHIMA,
        "地域ケア分科会議（郡山地域）",
        "care_subcommittee",
        None,
        "地域ケア推進会議（第1圏域）",
        set(),
    ),
    (SAIKI, "第1層協議体（市全域）", "layer1", 1, None, set()),
    (SAIKI, "第1層会議（庁外連携会議）", "external_liaison", None, None, set()),
    (SAIKI, "第2層会議（庁内連携会議）", "internal_liaison", None, None, set()),
    (
        IZUMI,
        "SC定例会",
        "regular",
        None,
        None,
        {"いきいき長寿課", "出水市社会福祉協議会", "SCを配置する社会福祉法人（仮）"},
    ),
    (
        IZUMI,
        "検討チーム（いきいき長寿課）",
        "working_group",
        None,
        None,
        {"地域包括ケア推進係", "介護保険係", "地域包括支援センター"},
    ),
    (
        KURUME,
        "久留米市総合事業見直し作業部会",
        "working_group",
        None,
        None,
        {"介護保険課", "長寿支援課", "地域包括支援センター"},
    ),
]


@pytest.mark.parametrize(
    ("municipality", "name", "kind", "layer", "parent", "members"), NAMED_BODIES
)
def test_named_body_has_its_kind_layer_parent_and_members(
    municipality, name, kind, layer, parent, members
):
    b = body(municipality, name)

    assert (b.kind, b.layer) == (kind, layer)
    assert (b.parent.name if b.parent else None) == parent
    assert member_names(b) == members
    assert REPORT_PART.search(b.source) and "report.txt" not in b.source


def test_kagoshima_has_17_promotion_meetings_each_with_one_subcommittee():
    promotions = ConsultativeBody.objects.filter(
        municipality__name=KAGOSHIMA, kind="care_promotion"
    ).select_related("daily_life_area")

    assert promotions.count() == 17
    assert {p.daily_life_area.name for p in promotions} == {f"第{n}圏域" for n in range(1, 18)}
    for promotion in promotions:
        children = list(promotion.children.all())
        assert [c.kind for c in children] == ["care_subcommittee"]
        assert children[0].daily_life_area_id == promotion.daily_life_area_id
    assert (
        ConsultativeBody.objects.filter(
            municipality__name=KAGOSHIMA, kind="care_subcommittee"
        ).count()
        == 17
    )


def test_kagoshima_promotion_meetings_met_three_times_a_year_until_fy2023_then_twice():
    frequencies = set(
        ConsultativeBody.objects.filter(
            municipality__name=KAGOSHIMA, kind="care_promotion"
        ).values_list("meeting_frequency", flat=True)
    )

    assert frequencies == {"年2回（令和6年度から。令和5年度までは年3回）"}


def test_kagoshima_subcommittees_were_set_up_in_fy2024_by_the_care_centre():
    subcommittees = ConsultativeBody.objects.filter(
        municipality__name=KAGOSHIMA, kind="care_subcommittee"
    )

    assert set(subcommittees.values_list("established_on", flat=True)) == {
        datetime.date(2024, 4, 1)
    }
    assert set(subcommittees.values_list("host_organisation__name", flat=True)) == {
        "長寿あんしん相談センター"
    }


def test_koriyama_subcommittee_takes_mobility_with_welfare_commissioners_and_neighbourhood_heads():
    koriyama = body(KAGOSHIMA, "地域ケア分科会議（郡山地域）")

    assert koriyama.district.name == "郡山地域"
    assert "移動支援" in koriyama.purpose
    assert "民生委員" in koriyama.purpose and "自治会長" in koriyama.purpose
    # The report does not say in which 圏域 郡山地域 lies: the generic link is marked.
    assert "（仮）" in koriyama.source


def test_saiki_has_one_layer1_body_and_nine_layer2_bodies_with_their_coordinator_counts():
    layer1 = ConsultativeBody.objects.filter(municipality__name=SAIKI, kind="layer1")
    layer2 = ConsultativeBody.objects.filter(municipality__name=SAIKI, kind="layer2")

    assert layer1.count() == 1 and "SC2人" in layer1.get().purpose
    assert layer2.count() == 9
    assert set(layer2.values_list("layer", flat=True)) == {2}
    assert all("SC計17人" in b.purpose and "汎用名" in b.source for b in layer2)
    assert set(layer2.values_list("host_organisation__name", flat=True)) == {"佐伯市社会福祉協議会"}


def test_izumi_sc_teireikai_meets_every_month():
    assert body(IZUMI, "SC定例会").meeting_frequency == "毎月"


def test_no_person_is_invented_for_bodies_or_meetings():
    assert not ConsultativeBody.objects.filter(coordinator__isnull=False).exists()
    assert not Meeting.objects.filter(facilitator__isnull=False).exists()
    assert not ConsultativeBody.objects.filter(members__person__isnull=False).exists()


# --- certification -------------------------------------------------------------------------


def test_yoshino_is_a_resident_led_layer2_forum_certified_in_january_2025_with_a_number():
    yoshino = body(KAGOSHIMA, "吉野地域支えあい座談会")
    application = CertificationApplication.objects.get(body=yoshino)

    assert yoshino.is_resident_led
    assert application.status == CertificationStatus.CERTIFIED
    assert application.certificate_number
    assert application.certified_on == datetime.date(2025, 1, 1)
    assert (
        "1月1日" in application.decision_reason and "出典: 事例表№3" in application.decision_reason
    )
    assert all(item["result"] == "pass" for item in application.review.values())
    reasons = list(
        application.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert [display_reason(r) for r in reasons] == ["認定を申請", "要件を審査", "認定"]


def test_kagoshima_certification_rules_are_named_after_the_october_2024_kaname():
    rules = CertificationRules.objects.get(municipality__name=KAGOSHIMA)

    assert rules.name == "鹿児島市第2層協議体認定要領（令和6年10月）"
    assert rules.effective_from == datetime.date(2024, 10, 1)
    assert "（仮）" in rules.note and "出典: 事例表№3" in rules.note


# --- meetings ------------------------------------------------------------------------------


def test_yoshino_seminar_of_15_may_2025_is_a_held_meeting_at_the_driving_school():
    seminar = Meeting.objects.get(body__name="吉野地域支えあい座談会")

    assert local_date(seminar.starts_at) == datetime.date(2025, 5, 15)
    assert seminar.status == MeetingStatus.HELD
    assert "自動車学校" in seminar.place
    assert "（仮）" in seminar.minutes  # the time of day is not in the report


def test_kawara_teireikai_is_a_monthly_series_from_17_april_2025_within_the_report():
    meetings = list(body(KAWARA, "定例会（採銅所地域）").meetings.order_by("starts_at"))

    assert [local_date(m.starts_at) for m in meetings] == [
        datetime.date(2025, 4, 17),
        datetime.date(2025, 5, 15),
        datetime.date(2025, 6, 19),
        datetime.date(2025, 7, 17),
    ]
    assert len({m.series_key for m in meetings}) == 1 and meetings[0].series_key
    assert all(m.title.endswith("（仮）") for m in meetings[1:])


def test_first_kawara_teireikai_was_held_with_its_four_members_attending():
    teireikai = body(KAWARA, "定例会（採銅所地域）")
    first = teireikai.meetings.order_by("starts_at").first()

    assert first.status == MeetingStatus.HELD
    assert set(first.attendance.values_list("organisation__name", flat=True)) == member_names(
        teireikai
    )


def test_series_stops_at_the_end_of_the_report_or_two_months_after_today():
    first = timezone.make_aware(datetime.datetime(2025, 4, 17, 10))
    covered_until = datetime.date(2025, 7, 31)

    later = series_dates(first, covered_until, today=datetime.date(2026, 11, 26))
    early = series_dates(first, covered_until, today=datetime.date(2025, 4, 20))

    assert [d.date() for d in later] == [
        datetime.date(2025, 4, 17),
        datetime.date(2025, 5, 15),
        datetime.date(2025, 6, 19),
        datetime.date(2025, 7, 17),
    ]
    assert [d.date() for d in early] == [
        datetime.date(2025, 4, 17),
        datetime.date(2025, 5, 15),
        datetime.date(2025, 6, 19),
    ]


# --- regional issues -----------------------------------------------------------------------


def test_naokawa_issue_is_running_with_the_community_council_as_executing_actor():
    naokawa = issue(SAIKI, "デマンドバス停までの移動手段の確保（直川地域）")

    assert naokawa.stage == IssueStage.RUNNING
    assert naokawa.started_on == datetime.date(2024, 4, 1)
    assert list(naokawa.executing_actors.values_list("organisation__name", flat=True)) == [
        "直川地域コミュニティ協議会"
    ]
    assert list(naokawa.districts.values_list("name", flat=True)) == ["直川地域"]
    assert naokawa.target
    assert list(naokawa.stage_changes.values_list("to_stage", flat=True)) == [
        "identified",
        "discussing",
        "planning",
        "preparing",
        "running",
    ]
    assert set(naokawa.themes.values_list("code", flat=True)) == {"mobility", "shopping"}


def test_kagoshima_shopping_and_mobility_issue_is_stuck_in_planning_and_flagged_unassigned():
    stuck = issue(KAGOSHIMA, "買い物・移動支援")

    assert stuck.stage == IssueStage.PLANNING
    assert not stuck.executing_actors.exists()
    assert stuck.target == ""
    if stage_changes_can_be_backdated():
        assert local_date(stuck.stage_entered_at) == datetime.date(2023, 1, 27)
        assert "担い手未定" in flag_labels(stuck)
    else:  # the services stamp the load time: the flag shows once the threshold has passed
        later = stuck.stage_entered_at + datetime.timedelta(days=91)
        assert "担い手未定" in flag_labels(stuck, now=later)


def test_kagoshima_mobility_issue_keeps_the_ideas_the_report_mentions():
    stuck = issue(KAGOSHIMA, "買い物・移動支援")
    ideas = list(stuck.ideas.values_list("text", "proposer_organisation__name"))

    assert len(ideas) == 2
    assert any("モデル地域" in text and who == "長寿あんしん相談センター" for text, who in ideas)
    assert all("出典: 事例表№3" in text and "report.txt" not in text for text, _ in ideas)


def test_kawara_rubbish_and_watching_issues_sit_at_the_teireikai_in_planning():
    rubbish = issue(KAWARA, "ゴミ出し等の日常生活支援（サービスB）")
    watching = issue(KAWARA, "高齢者の見守り（サービスB）")

    assert list(rubbish.themes.values_list("code", flat=True)) == ["daily-life"]
    assert list(watching.themes.values_list("code", flat=True)) == ["watching"]
    for planned in (rubbish, watching):
        assert planned.stage == IssueStage.PLANNING
        assert planned.body.name == "定例会（採銅所地域）"
        assert not planned.executing_actors.exists()


def test_kawara_health_consultation_runs_since_14_may_2025():
    consultation = issue(KAWARA, "住民を対象とした健康相談（採銅所地域）")

    assert consultation.stage == IssueStage.RUNNING
    assert consultation.started_on == datetime.date(2025, 5, 14)
    assert set(consultation.executing_actors.values_list("organisation__name", flat=True)) == {
        "採銅所地域コミュニティ協議会",
        "保険健康課",
    }


def test_koriyama_mobility_issue_is_discussed_at_its_subcommittee():
    koriyama = issue(KAGOSHIMA, "郡山地域の移動支援")

    assert koriyama.stage == IssueStage.DISCUSSING
    assert koriyama.body.name == "地域ケア分科会議（郡山地域）"


def test_every_body_and_issue_of_the_data_is_loaded_with_a_source_in_the_report():
    assert report_bodies.BODIES and report_bodies.ISSUES
    for entry in report_bodies.BODIES:
        loaded = ConsultativeBody.objects.get(
            municipality__code=entry["municipality"], name=entry["name"]
        )
        assert REPORT_PART.search(loaded.source), loaded.source
    for entry in report_bodies.ISSUES:
        loaded = RegionalIssue.objects.get(
            municipality__code=entry["municipality"], title=entry["title"]
        )
        assert REPORT_PART.search(loaded.source), loaded.source
        assert all(
            REPORT_PART.search(c.reason) for c in loaded.stage_changes.exclude(reason="登録")
        )


def test_report_dates_are_passed_to_the_stage_service_once_it_accepts_them(monkeypatch):
    # given a stage service that accepts changed_at (the change proposed for regional_issues)
    from tsunagu.areas.models import Municipality
    from tsunagu.demo import bodies_loader
    from tsunagu.regional_issues import services

    real = services.issue_change_stage
    calls = []

    def accepting(*, issue, to_stage, actor, reason="", changed_at=None):
        calls.append((to_stage, changed_at))
        return real(issue=issue, to_stage=to_stage, actor=actor, reason=reason)

    monkeypatch.setattr(services, "issue_change_stage", accepting)
    entry = next(e for e in report_bodies.ISSUES if e["key"] == "kagoshima-shopping-mobility")
    fresh = services.issue_raise(
        municipality=Municipality.objects.get(name=KAGOSHIMA),
        fields=IssueFields(title="試験用の地域課題"),
        actor=system_actor(),
    )

    # when the loader walks the report's stage path
    bodies_loader._walk_stages(system_actor(), fresh, entry["stages"], entry["raised_on"])

    # then each stage change carries the date the report gives
    assert calls == [
        ("discussing", timezone.make_aware(datetime.datetime(2021, 4, 1))),
        ("planning", timezone.make_aware(datetime.datetime(2023, 1, 27))),
    ]


# --- idempotence ---------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("bodies").get_models(),
        *apps.get_app_config("regional_issues").get_models(),
        *apps.get_app_config("directory").get_models(),
    ]
    return {m._meta.label: m._default_manager.count() for m in models}


def test_loading_twice_creates_and_changes_nothing():
    before = _counts()
    summary = LoadSummary()

    load_bodies(system_actor(), summary)

    assert _counts() == before
    assert (summary.created, summary.updated) == (0, 0)
    assert summary.unchanged > 0
