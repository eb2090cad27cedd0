"""The regional-issue REST API (/api/v1/issues/): scoped reads, raising from a meeting, stage
gates with their error codes, executing actors, ideas, comments, errors and OpenAPI.

Requests go through the project's own /api/v1/ with Django's test Client, so
the real middleware runs.

Test data is written through the services as 香春町 staff (``kawara``); 佐伯市 staff (``saiki``)
stand for "another municipality"; ``kawara-council`` is a member of 採銅所地域コミュニティ協議会,
which may read 香春町's issues and comment where its council sits, but not edit.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tsunagu.areas.models import District
from tsunagu.bodies import services as body_services
from tsunagu.bodies.models import ConsultativeBody, Meeting
from tsunagu.bodies.services import BodyFields, MeetingFields
from tsunagu.core.actions import display_reason
from tsunagu.directory.models import Organisation
from tsunagu.regional_issues import errors, services
from tsunagu.regional_issues.models import (
    Comment,
    ExecutingActor,
    IssueStage,
    RegionalIssue,
    StageChange,
    Theme,
)
from tsunagu.regional_issues.services import IssueFields

API = "/api/v1"
ISSUES = f"{API}/issues"


pytestmark = pytest.mark.django_db


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kawara(user_named: Any) -> Any:
    return user_named("kawara")


@pytest.fixture
def town(municipality: Any) -> Any:
    return municipality("香春町")


def _council() -> Organisation:
    return Organisation.objects.get(name="採銅所地域コミュニティ協議会")


def _district(town: Any) -> District:
    return District.objects.get(municipality=town, name="採銅所地域")


@pytest.fixture
def body(town: Any, kawara: Any) -> ConsultativeBody:
    """香春町's 定例会 with the community council as a member organisation."""
    body = body_services.body_create(
        municipality=town, fields=BodyFields(name="APIテスト定例会", kind="regular"), actor=kawara
    )
    body_services.member_add(body=body, organisation=_council(), actor=kawara)
    return body


@pytest.fixture
def meeting(body: ConsultativeBody, kawara: Any) -> Meeting:
    return body_services.meeting_schedule(
        body=body,
        fields=MeetingFields(starts_at=timezone.make_aware(datetime.datetime(2025, 5, 15, 14, 0))),
        actor=kawara,
    )


@pytest.fixture
def issue(town: Any, kawara: Any, body: ConsultativeBody) -> RegionalIssue:
    """An issue at the 定例会, moved on to 企画 (planning) without an executing actor."""
    issue = services.issue_raise(
        municipality=town,
        fields=IssueFields(
            title="APIテスト ゴミ出しの支援",
            body=body,
            themes=[Theme.objects.get(code="daily-life")],
        ),
        actor=kawara,
    )
    services.issue_change_stage(issue=issue, to_stage=IssueStage.DISCUSSING, actor=kawara)
    return services.issue_change_stage(issue=issue, to_stage=IssueStage.PLANNING, actor=kawara)


def _post(client: Client, url: str, payload: Any) -> Any:
    return client.post(url, data=json.dumps(payload), content_type="application/json")


def _patch(client: Client, url: str, payload: Any) -> Any:
    return client.patch(url, data=json.dumps(payload), content_type="application/json")


def _stored(issue: RegionalIssue) -> dict[str, Any]:
    """Stored columns, history and stage changes: what "nothing changed" compares."""
    return {
        "row": RegionalIssue.objects.filter(pk=issue.pk).values().get(),
        "history": issue.history.count(),
        "stage_changes": StageChange.objects.filter(issue=issue).count(),
    }


def _titles(response: Any) -> set[str]:
    return {item["title"] for item in response.json()["items"]}


# --- scoping -----------------------------------------------------------------------------


def test_other_municipality_staff_neither_list_nor_get_a_kawara_issue(
    client_as: Any, issue: RegionalIssue
) -> None:
    saiki = client_as("saiki")

    listing = saiki.get(ISSUES, {"per_page": 100})
    detail = saiki.get(f"{ISSUES}/{issue.pk}")
    changes = saiki.get(f"{ISSUES}/{issue.pk}/stage-changes")

    assert listing.status_code == 200
    assert "APIテスト ゴミ出しの支援" not in _titles(listing)
    assert {item["municipality"]["name"] for item in listing.json()["items"]} <= {"佐伯市"}
    assert detail.status_code == 404
    assert changes.status_code == 404


def test_kawara_staff_get_an_issue_with_its_stage_changes(
    client_as: Any, issue: RegionalIssue
) -> None:
    client = client_as("kawara")

    detail = client.get(f"{ISSUES}/{issue.pk}")
    changes = client.get(f"{ISSUES}/{issue.pk}/stage-changes")

    assert detail.status_code == 200
    data = detail.json()
    assert data["stage"] == "planning"
    assert data["stage_label"] == "企画"
    assert data["body"]["name"] == "APIテスト定例会"
    assert [t["code"] for t in data["themes"]] == ["daily-life"]
    assert data["executing_actors"] == []
    assert data["can_edit"] is True and data["can_comment"] is True
    assert [(c["from_stage"], c["to_stage"]) for c in changes.json()] == [
        ("", "identified"),
        ("identified", "discussing"),
        ("discussing", "planning"),
    ]
    assert changes.json()[-1]["to_stage_label"] == "企画"
    assert changes.json()[-1]["changed_at"].endswith("+09:00")


def test_list_filters_by_theme_stage_body_and_unassigned_flag(
    client_as: Any, issue: RegionalIssue, body: ConsultativeBody
) -> None:
    # given: the issue has sat in 企画 without an executing actor for 100 days (> 90)
    RegionalIssue.objects.filter(pk=issue.pk).update(
        stage_entered_at=timezone.now() - datetime.timedelta(days=100)
    )
    client = client_as("kawara")

    by_theme = client.get(ISSUES, {"theme": "daily-life", "stage": "planning", "per_page": 100})
    by_body = client.get(ISSUES, {"body_id": body.pk})
    flagged = client.get(ISSUES, {"flagged": "unassigned", "municipality": "406015"})
    other_theme = client.get(ISSUES, {"theme": "mobility", "body_id": body.pk})
    unknown = client.get(ISSUES, {"theme": "no-such-theme"})

    assert "APIテスト ゴミ出しの支援" in _titles(by_theme)
    assert _titles(by_body) == {"APIテスト ゴミ出しの支援"}
    item = next(i for i in flagged.json()["items"] if i["id"] == issue.pk)
    assert item["flags"] == ["unassigned"]
    assert item["flag_labels"] == ["担い手未定"]
    assert other_theme.json()["count"] == 0
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "theme"


# --- raising -----------------------------------------------------------------------------


def test_kawara_raises_an_issue_from_a_meeting_with_history(
    client_as: Any, meeting: Meeting, town: Any, kawara: Any
) -> None:
    response = _post(
        client_as("kawara"),
        ISSUES,
        {
            "title": "デマンドバスの乗り場まで行けない",
            "theme_codes": ["mobility", "shopping"],
            "district_ids": [_district(town).pk],
            "source_kind": "meeting",
            "source_meeting_id": meeting.pk,
            "raised_on": "令和7年5月15日",
        },
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["municipality"]["code"] == "406015"
    assert data["body"]["id"] == meeting.body_id  # raised at a meeting: it sits at its body
    assert data["source_meeting"]["id"] == meeting.pk
    assert data["raised_on"] == "2025-05-15"
    assert data["stage"] == "identified"
    assert data["source_kind_label"] == "会議"
    assert [t["code"] for t in data["themes"]] == ["mobility", "shopping"]
    issue = RegionalIssue.objects.get(pk=data["id"])
    assert display_reason(issue.history.first().history_change_reason) == "地域課題を登録"
    assert issue.history.first().history_user == kawara
    change = StageChange.objects.get(issue=issue)
    assert (change.to_stage, change.changed_by) == (IssueStage.IDENTIFIED, kawara)


def test_validation_errors_name_the_field_in_japanese(
    client_as: Any, body: ConsultativeBody, municipality: Any
) -> None:
    client = client_as("kawara")
    saiki_district = District.objects.get(municipality=municipality("佐伯市"), name="直川地域")
    count = RegionalIssue.objects.count()

    missing = _post(client, ISSUES, {"body_id": body.pk})
    wrong = _post(
        client,
        ISSUES,
        {
            "title": "x",
            "body_id": body.pk,
            "theme_codes": ["mobility", "martians"],
            "district_ids": [saiki_district.pk],
        },
    )

    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "title", "label": "課題", "message": "必須の項目です。"}
    ]
    assert wrong.status_code == 422
    fields = {e["field"]: e for e in wrong.json()["errors"]}
    assert "martians" in fields["theme_codes"]["message"]
    assert fields["district_ids"]["message"] == "「直川地域」は香春町の区域ではありません。"
    assert fields["district_ids"]["label"] == "地区"
    assert RegionalIssue.objects.count() == count


# --- stage gates -------------------------------------------------------------------------


def test_preparing_without_executing_actor_is_refused_with_its_code_and_stage_unchanged(
    client_as: Any, issue: RegionalIssue
) -> None:
    before = _stored(issue)

    response = _post(client_as("kawara"), f"{ISSUES}/{issue.pk}/stage", {"to_stage": "preparing"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == errors.NO_EXECUTING_ACTOR
    assert "実行主体" in body["detail"]
    assert [(e["code"], e["field"]) for e in body["errors"]] == [
        (errors.NO_EXECUTING_ACTOR, "executing_actors"),
        (errors.NO_TARGET, "target"),
    ]
    assert _stored(issue) == before
    issue.refresh_from_db()
    assert issue.stage == IssueStage.PLANNING


def test_preparing_succeeds_after_actor_target_and_area_and_records_the_change(
    client_as: Any, issue: RegionalIssue, town: Any, kawara: Any
) -> None:
    client = client_as("kawara")

    actor = _post(
        client,
        f"{ISSUES}/{issue.pk}/executing-actors",
        {"organisation_id": _council().pk, "role": "ゴミ出し支援の実施", "agreed_on": "R7.6.1"},
    )
    target = _patch(
        client,
        f"{ISSUES}/{issue.pk}",
        {"target": "ゴミ出しが難しい一人暮らしの高齢者", "district_ids": [_district(town).pk]},
    )
    moved = _post(
        client,
        f"{ISSUES}/{issue.pk}/stage",
        {"to_stage": "preparing", "reason": "協議会が実施を引き受けた"},
    )

    assert actor.status_code == 201, actor.content
    assert actor.json()["organisation"]["name"] == "採銅所地域コミュニティ協議会"
    assert actor.json()["agreed_on"] == "2025-06-01"
    assert target.status_code == 200
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "preparing"
    assert moved.json()["stage_changes"][-1]["reason"] == "協議会が実施を引き受けた"
    change = StageChange.objects.filter(issue=issue).order_by("changed_at", "pk").last()
    assert (change.from_stage, change.to_stage) == (IssueStage.PLANNING, IssueStage.PREPARING)
    assert change.changed_by == kawara
    assert ExecutingActor.objects.get(issue=issue).history.first().history_user == kawara
    issue.refresh_from_db()
    assert display_reason(issue.history.first().history_change_reason) == "段階を変更: 企画 → 準備"


def test_running_needs_a_start_date_and_going_back_needs_a_reason(
    client_as: Any, issue: RegionalIssue, town: Any, kawara: Any
) -> None:
    services.executing_actor_add(issue=issue, organisation=_council(), role="実施", actor=kawara)
    services.issue_update(
        issue=issue, fields=IssueFields(target="高齢者", districts=[_district(town)]), actor=kawara
    )
    services.issue_change_stage(issue=issue, to_stage=IssueStage.PREPARING, actor=kawara)
    client = client_as("kawara")
    before = _stored(issue)

    running = _post(client, f"{ISSUES}/{issue.pk}/stage", {"to_stage": "running"})
    back = _post(client, f"{ISSUES}/{issue.pk}/stage", {"to_stage": "discussing"})
    unknown = _post(client, f"{ISSUES}/{issue.pk}/stage", {"to_stage": "celebrating"})

    assert running.status_code == 400
    assert running.json()["code"] == errors.NO_START_DATE
    assert running.json()["errors"][0]["field"] == "started_on"
    assert back.status_code == 400
    assert back.json()["code"] == errors.REASON_REQUIRED
    assert back.json()["errors"][0]["field"] == "reason"
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "to_stage"
    assert _stored(issue) == before


def test_stage_change_is_404_for_other_towns_and_403_for_readers(
    client_as: Any, issue: RegionalIssue
) -> None:
    before = _stored(issue)
    payload = {"to_stage": "on_hold", "reason": "様子を見る"}

    saiki = _post(client_as("saiki"), f"{ISSUES}/{issue.pk}/stage", payload)
    reader = _post(client_as("kawara-council"), f"{ISSUES}/{issue.pk}/stage", payload)

    assert saiki.status_code == 404
    assert reader.status_code == 403
    assert _stored(issue) == before


# --- ideas and comments ------------------------------------------------------------------


def test_idea_is_added_and_adopted_into_the_plan(
    client_as: Any, issue: RegionalIssue, meeting: Meeting, kawara: Any
) -> None:
    client = client_as("kawara")

    added = _post(
        client,
        f"{ISSUES}/{issue.pk}/ideas",
        {
            "text": "ゴミ出しボランティアを募る",
            "proposer_organisation_id": _council().pk,
            "meeting_id": meeting.pk,
        },
    )
    adopted = _post(client, f"{ISSUES}/ideas/{added.json()['id']}/adopt", {})
    again = _post(client, f"{ISSUES}/ideas/{added.json()['id']}/adopt", {})

    assert added.status_code == 201, added.content
    assert added.json()["meeting"]["id"] == meeting.pk
    assert adopted.status_code == 200
    assert adopted.json()["adopted_at"].endswith("+09:00")
    assert again.status_code == 400
    issue.refresh_from_db()
    assert issue.plan == "・ゴミ出しボランティアを募る"
    assert (
        display_reason(issue.history.first().history_change_reason)
        == "採用したアイディアを計画に追加"
    )
    assert issue.history.first().history_user == kawara


def test_body_members_may_comment_others_may_not(
    client_as: Any, issue: RegionalIssue, town: Any, kawara: Any
) -> None:
    elsewhere = services.issue_raise(
        municipality=town, fields=IssueFields(title="APIテスト 会議体のない課題"), actor=kawara
    )
    council_member = client_as("kawara-council")

    allowed = _post(council_member, f"{ISSUES}/{issue.pk}/comments", {"text": "協力できます"})
    denied = _post(council_member, f"{ISSUES}/{elsewhere.pk}/comments", {"text": "書けない"})
    foreign = _post(client_as("saiki"), f"{ISSUES}/{issue.pk}/comments", {"text": "よそ"})
    detail = council_member.get(f"{ISSUES}/{issue.pk}").json()

    assert allowed.status_code == 201
    assert allowed.json()["author"]
    assert denied.status_code == 403
    assert foreign.status_code == 404
    assert [c["text"] for c in detail["comments"]] == ["協力できます"]
    assert detail["can_comment"] is True and detail["can_edit"] is False
    assert not Comment.objects.filter(issue=elsewhere).exists()
    assert Comment.objects.filter(issue=issue).count() == 1


# --- OpenAPI -----------------------------------------------------------------------------


def test_openapi_document_renders_with_the_issue_routes(db: Any) -> None:
    response = Client().get(f"{API}/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/issues/{issue_id}/executing-actors" in paths
    assert "/api/v1/issues/ideas/{idea_id}/adopt" in paths
    stage = paths["/api/v1/issues/{issue_id}/stage"]["post"]
    assert "no_executing_actor" in stage["description"]
