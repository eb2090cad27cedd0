"""Pages of regional issues: raising from a meeting, the issue page, the stage path with its
gates, executing actors, ideas, comments, scoping and the issue-list export.

Test data is written through the services as 香春町 staff (``kawara``); what a user does is done
through the pages. 佐伯市 and 久留米市 users stand for "another municipality".
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone

from tsunagu.areas.models import District
from tsunagu.bodies import services as body_services
from tsunagu.bodies.services import BodyFields, MeetingFields
from tsunagu.core.actions import display_reason
from tsunagu.directory.models import Organisation
from tsunagu.regional_issues import services
from tsunagu.regional_issues.models import (
    Comment,
    ExecutingActor,
    Idea,
    IssueStage,
    RegionalIssue,
    StageChange,
    Theme,
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


def _council() -> Organisation:
    return Organisation.objects.get(name="採銅所地域コミュニティ協議会")


def _district() -> District:
    return District.objects.get(name="採銅所地域", municipality__name="香春町")


@pytest.fixture
def body(town, kawara):
    """香春町's 定例会 with the community council as a member organisation."""
    body = body_services.body_create(
        municipality=town, fields=BodyFields(name="テスト定例会", kind="regular"), actor=kawara
    )
    body_services.member_add(body=body, organisation=_council(), actor=kawara)
    return body


@pytest.fixture
def meeting(body, kawara):
    starts = timezone.make_aware(datetime.datetime(2025, 4, 17, 14, 0))
    return body_services.meeting_schedule(
        body=body, fields=MeetingFields(title="定例会 第1回", starts_at=starts), actor=kawara
    )


def _theme(code: str) -> Theme:
    return Theme.objects.get(code=code)


def _issue(town, kawara, body=None, stage=None, **data):
    values = {"title": "ゴミ出しが難しい高齢者がいる", "body": body}
    values.update(data)
    issue = services.issue_raise(municipality=town, fields=IssueFields(**values), actor=kawara)
    path_to = {
        IssueStage.DISCUSSING: [IssueStage.DISCUSSING],
        IssueStage.PLANNING: [IssueStage.DISCUSSING, IssueStage.PLANNING],
    }
    for step in path_to.get(stage, []):
        issue = services.issue_change_stage(issue=issue, to_stage=step, actor=kawara)
    return issue


def _stage(client, issue, to_stage, reason=""):
    return client.post(f"/issues/{issue.pk}/stage/", {"to_stage": to_stage, "reason": reason})


def _edit_data(issue, **changes):
    """The edit form as the page would post it, with ``changes`` applied."""
    data = {
        "title": issue.title,
        "description": issue.description,
        "themes": [t.pk for t in issue.themes.all()],
        "districts": [d.pk for d in issue.districts.all()],
        "body": issue.body_id or "",
        "source_kind": issue.source_kind,
        "source_meeting": issue.source_meeting_id or "",
        "source_note": issue.source_note,
        "raised_on": issue.raised_on.isoformat(),
        "raised_by_organisation": "",
        "raised_by_person": "",
        "target": issue.target,
        "plan": issue.plan,
        "started_on": issue.started_on.isoformat() if issue.started_on else "",
        "source": issue.source,
    }
    data.update(changes)
    return data


# --- raising an issue ------------------------------------------------------------------


def test_raising_from_a_meeting_prefills_body_meeting_and_date(client_as, meeting, body):
    client = client_as("kawara")
    # when
    response = client.get(f"/issues/new/?meeting={meeting.pk}")
    # then
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["source_meeting"] == meeting.pk
    assert initial["body"] == body.pk
    assert initial["source_kind"] == "meeting"
    assert initial["raised_on"] == datetime.date(2025, 4, 17)
    assert "令和7年4月17日" in response.content.decode()
    assert "個人が特定できる情報" in response.content.decode()


def test_raising_from_a_meeting_records_the_issue_with_its_source(client_as, meeting, body):
    client = client_as("kawara")
    response = client.post(
        f"/issues/new/?meeting={meeting.pk}",
        {
            "title": "ゴミ出しが難しい高齢者がいる",
            "description": "集積所まで遠い地区がある。",
            "themes": [_theme("daily-life").pk],
            "districts": [_district().pk],
            "body": body.pk,
            "source_kind": "meeting",
            "source_meeting": meeting.pk,
            "raised_on": "令和7年4月17日",
        },
    )
    issue = RegionalIssue.objects.get(title="ゴミ出しが難しい高齢者がいる")
    assert response.status_code == 302
    assert response["Location"] == f"/issues/{issue.pk}/"
    assert issue.body == body
    assert issue.source_meeting == meeting
    assert issue.raised_on == datetime.date(2025, 4, 17)
    assert issue.stage == IssueStage.IDENTIFIED
    assert list(issue.districts.all()) == [_district()]
    assert issue.history.filter(history_user__username="kawara").exists()
    assert issue.stage_changes.get().to_stage == IssueStage.IDENTIFIED


def test_raising_keeps_what_was_typed_when_the_title_is_missing(client_as, meeting):
    client = client_as("kawara")
    response = client.post(
        f"/issues/new/?meeting={meeting.pk}",
        {"description": "買い物に行けない", "source_kind": "meeting", "raised_on": "R7.4.17"},
    )
    assert response.status_code == 200
    assert "買い物に行けない" in response.content.decode()
    assert response.context["form"].errors["title"]
    assert not RegionalIssue.objects.filter(description="買い物に行けない").exists()


def test_organisation_member_cannot_raise_an_issue(client_as, meeting):
    count = RegionalIssue.objects.count()
    client = client_as("kawara-council")
    assert client.get(f"/issues/new/?meeting={meeting.pk}").status_code == 403
    response = client.post(
        f"/issues/new/?meeting={meeting.pk}",
        {"title": "x", "source_kind": "meeting", "raised_on": "2025-04-17"},
    )
    assert response.status_code == 403
    assert RegionalIssue.objects.count() == count


def test_raising_from_a_meeting_of_another_municipality_is_not_found(client_as, meeting):
    assert client_as("saiki").get(f"/issues/new/?meeting={meeting.pk}").status_code == 404


# --- the issue page and scoping --------------------------------------------------------


def test_issue_page_shows_the_stage_path_with_the_current_step(client_as, town, kawara, body):
    issue = _issue(town, kawara, body=body, stage=IssueStage.DISCUSSING)
    response = client_as("kawara").get(f"/issues/{issue.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('aria-current="step"') == 1
    assert 'aria-current="step">検討' in html
    assert "把握 → 検討" in html  # the stage-change log
    assert f"/issues/{issue.pk}/history/" in html
    assert "テスト定例会" in html


def test_issue_of_another_municipality_is_not_found(client_as, town, kawara):
    issue = _issue(town, kawara)
    client = client_as("saiki")
    assert client.get(f"/issues/{issue.pk}/").status_code == 404
    assert client.get(f"/issues/{issue.pk}/history/").status_code == 404
    assert _stage(client, issue, IssueStage.DISCUSSING).status_code == 404
    issue.refresh_from_db()
    assert issue.stage == IssueStage.IDENTIFIED


def test_issue_list_shows_only_own_municipality(client_as, town, kawara, municipality, user_named):
    mine = _issue(town, kawara, title="香春町の課題")
    services.issue_raise(
        municipality=municipality("佐伯市"),
        fields=IssueFields(title="佐伯市の課題"),
        actor=user_named("saiki"),
    )
    html = client_as("kawara").get("/issues/").content.decode()
    assert "香春町の課題" in html
    assert "佐伯市の課題" not in html
    assert f"/issues/{mine.pk}/" in html


def test_issue_list_filters_by_theme_area_stage_and_body(client_as, town, kawara, body):
    rubbish = _issue(
        town,
        kawara,
        body=body,
        stage=IssueStage.DISCUSSING,
        title="ゴミ出し",
        themes=[_theme("daily-life")],
        districts=[_district()],
    )
    _issue(town, kawara, title="見守り", themes=[_theme("watching")])
    client = client_as("kawara")

    def titles(query):
        response = client.get(f"/issues/?{query}")
        return {row["issue"].title for row in response.context["rows"]}

    assert titles(f"theme={_theme('daily-life').pk}") == {"ゴミ出し"}
    assert titles(f"area=district:{_district().pk}") == {"ゴミ出し"}
    assert titles("stage=discussing") == {"ゴミ出し"}
    assert titles(f"body={body.pk}") == {"ゴミ出し"}
    assert "見守り" in titles("")
    assert rubbish.pk


# --- the stage path through the pages ---------------------------------------------------


def test_moving_to_preparing_without_executing_actor_is_refused_in_japanese(
    client_as, town, kawara
):
    issue = _issue(town, kawara, stage=IssueStage.PLANNING)
    changes = StageChange.objects.filter(issue=issue).count()
    # when
    response = _stage(client_as("kawara"), issue, IssueStage.PREPARING, reason="分科会議で合意")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "「準備」にはまだ進めません" in html
    assert "実行主体（実施を引き受けた団体とその役割）を1つ以上登録してください" in html
    assert f"/issues/{issue.pk}/actors/new/" in html  # where to fix it
    assert "分科会議で合意" in html  # what was typed is kept
    issue.refresh_from_db()
    assert issue.stage == IssueStage.PLANNING
    assert StageChange.objects.filter(issue=issue).count() == changes


def test_stage_path_to_running_through_the_pages(client_as, town, kawara):
    issue = _issue(town, kawara, stage=IssueStage.PLANNING, themes=[_theme("daily-life")])
    client = client_as("kawara")
    # an executing actor, a target and its area
    response = client.post(
        f"/issues/{issue.pk}/actors/new/?next=/issues/{issue.pk}/stage/",
        {
            "organisation": _council().pk,
            "role": "ゴミ出しの手伝いの調整",
            "agreed_on": "令和7年5月1日",
            "next": f"/issues/{issue.pk}/stage/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/issues/{issue.pk}/stage/"
    actor = ExecutingActor.objects.get(issue=issue)
    assert actor.agreed_on == datetime.date(2025, 5, 1)
    assert actor.history.count() == 1
    response = client.post(
        f"/issues/{issue.pk}/edit/",
        _edit_data(issue, target="集積所まで歩くのが難しい高齢者", districts=[_district().pk]),
    )
    assert response.status_code == 302
    # 準備
    response = _stage(client, issue, IssueStage.PREPARING)
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.stage == IssueStage.PREPARING
    # 実行 needs a start date
    response = _stage(client, issue, IssueStage.RUNNING)
    assert "実行開始日を入力してください" in response.content.decode()
    assert "#id_started_on" in response.content.decode()
    issue.refresh_from_db()
    assert issue.stage == IssueStage.PREPARING
    client.post(f"/issues/{issue.pk}/edit/", _edit_data(issue, started_on="令和7年6月1日"))
    response = _stage(client, issue, IssueStage.RUNNING, reason="6月から開始")
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.stage == IssueStage.RUNNING
    assert issue.started_on == datetime.date(2025, 6, 1)
    last = issue.stage_changes.order_by("-pk").first()
    assert (last.from_stage, last.to_stage, last.reason) == ("preparing", "running", "6月から開始")
    assert last.changed_by.username == "kawara"
    html = client.get(f"/issues/{issue.pk}/").content.decode()
    assert "準備 → 実行" in html
    assert "ゴミ出しの手伝いの調整" in html


def test_going_back_without_a_reason_is_refused(client_as, town, kawara):
    issue = _issue(town, kawara, stage=IssueStage.PLANNING)
    client = client_as("kawara")
    response = _stage(client, issue, IssueStage.DISCUSSING)
    assert "理由を入力してください" in response.content.decode()
    issue.refresh_from_db()
    assert issue.stage == IssueStage.PLANNING
    response = _stage(client, issue, IssueStage.DISCUSSING, reason="担い手の話し合いをやり直す")
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.stage == IssueStage.DISCUSSING
    assert issue.stage_changes.order_by("-pk").first().reason == "担い手の話し合いをやり直す"


def test_on_hold_needs_a_reason_and_returns_to_the_earlier_stage(client_as, town, kawara):
    issue = _issue(town, kawara, stage=IssueStage.PLANNING)
    client = client_as("kawara")
    response = _stage(client, issue, IssueStage.ON_HOLD)
    assert "理由を入力してください" in response.content.decode()
    issue.refresh_from_db()
    assert issue.stage == IssueStage.PLANNING
    assert _stage(client, issue, IssueStage.ON_HOLD, reason="予算待ち").status_code == 302
    issue.refresh_from_db()
    assert (issue.stage, issue.held_from_stage) == (IssueStage.ON_HOLD, IssueStage.PLANNING)
    # the stage page suggests going back to where it was
    page = client.get(f"/issues/{issue.pk}/stage/")
    assert page.context["form"].initial["to_stage"] == IssueStage.PLANNING
    assert _stage(client, issue, IssueStage.PLANNING).status_code == 302
    issue.refresh_from_db()
    assert issue.stage == IssueStage.PLANNING


def test_viewer_cannot_change_the_stage(client_as, town, kawara):
    issue = _issue(town, kawara)
    client = client_as("kawara-council")
    assert client.get(f"/issues/{issue.pk}/").status_code == 200
    assert _stage(client, issue, IssueStage.DISCUSSING).status_code == 403
    assert client.get(f"/issues/{issue.pk}/edit/").status_code == 403
    issue.refresh_from_db()
    assert issue.stage == IssueStage.IDENTIFIED
    assert issue.stage_changes.count() == 1


def test_ending_an_executing_actor_keeps_it_on_record(client_as, town, kawara):
    issue = _issue(town, kawara)
    actor = services.executing_actor_add(
        issue=issue, organisation=_council(), role="送迎の調整", actor=kawara
    )
    response = client_as("kawara").post(
        f"/issues/actors/{actor.pk}/end/", {"ended_on": "令和7年9月30日"}
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.ended_on == datetime.date(2025, 9, 30)
    assert actor.history.count() == 2
    html = client_as("kawara").get(f"/issues/{issue.pk}/").content.decode()
    assert "役割を終えた実行主体" in html


# --- flags with a frozen clock ----------------------------------------------------------


def _frozen(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_unassigned_flag_appears_after_91_days_in_discussing(client_as, town, kawara, monkeypatch):
    issue = _issue(town, kawara, stage=IssueStage.DISCUSSING)
    entered = issue.stage_entered_at
    # given 89 days: not yet
    _frozen(monkeypatch, entered + datetime.timedelta(days=89))
    response = client_as("kawara").get(f"/issues/{issue.pk}/")
    assert "担い手未定" not in response.context["flags"]
    # given 91 days
    _frozen(monkeypatch, entered + datetime.timedelta(days=91))
    client = client_as("kawara")  # a fresh session, signed in at the frozen time
    response = client.get(f"/issues/{issue.pk}/")
    assert response.context["flags"] == ["担い手未定"]
    assert '<span class="badge flag">担い手未定</span>' in response.content.decode()
    listed = client.get("/issues/?flag=unassigned").context["rows"]
    assert [row["issue"].pk for row in listed] == [issue.pk]


# --- ideas and comments ----------------------------------------------------------------


def test_adopting_an_idea_copies_it_into_the_plan(client_as, town, kawara, body, meeting):
    issue = _issue(town, kawara, body=body)
    client = client_as("kawara")
    response = client.post(
        f"/issues/{issue.pk}/ideas/new/",
        {"idea-text": "近所の人がついでに出す", "idea-meeting": meeting.pk},
    )
    assert response.status_code == 302
    idea = Idea.objects.get(issue=issue)
    assert idea.meeting == meeting
    response = client.post(f"/issues/ideas/{idea.pk}/adopt/")
    assert response.status_code == 302
    issue.refresh_from_db()
    idea.refresh_from_db()
    assert issue.plan == "・近所の人がついでに出す"
    assert idea.adopted_at is not None
    assert idea.history.count() == 2
    assert (
        display_reason(issue.history.first().history_change_reason)
        == "採用したアイディアを計画に追加"
    )


def test_viewer_cannot_adopt_an_idea(client_as, town, kawara):
    issue = _issue(town, kawara)
    idea = services.idea_add(issue=issue, text="乗り合いタクシー", actor=kawara)
    response = client_as("kawara-council").post(f"/issues/ideas/{idea.pk}/adopt/")
    assert response.status_code == 403
    idea.refresh_from_db()
    issue.refresh_from_db()
    assert idea.adopted_at is None
    assert issue.plan == ""


def test_member_organisation_of_the_body_may_comment(client_as, town, kawara, body):
    issue = _issue(town, kawara, body=body)
    client = client_as("kawara-council")
    assert 'name="comment-text"' in client.get(f"/issues/{issue.pk}/").content.decode()
    response = client.post(f"/issues/{issue.pk}/comments/new/", {"comment-text": "区長会でも話す"})
    assert response.status_code == 302
    comment = Comment.objects.get(issue=issue)
    assert comment.author.username == "kawara-council"
    assert "区長会でも話す" in client.get(f"/issues/{issue.pk}/").content.decode()


def test_empty_comment_is_refused_and_nothing_written(client_as, town, kawara, body):
    issue = _issue(town, kawara, body=body)
    response = client_as("kawara").post(f"/issues/{issue.pk}/comments/new/", {"comment-text": " "})
    assert response.status_code == 200
    assert response.context["comment_form"].errors
    assert not Comment.objects.filter(issue=issue).exists()


def test_organisation_member_outside_the_body_may_not_comment(client_as, town, kawara):
    issue = _issue(town, kawara)  # sits at no body
    response = client_as("kawara-council").post(
        f"/issues/{issue.pk}/comments/new/", {"comment-text": "意見"}
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(issue=issue).exists()


def test_viewer_of_another_municipality_cannot_comment(client_as, town, kawara, body):
    issue = _issue(town, kawara, body=body)
    response = client_as("kurume-viewer").post(
        f"/issues/{issue.pk}/comments/new/", {"comment-text": "意見"}
    )
    assert response.status_code == 404
    assert not Comment.objects.filter(issue=issue).exists()


# --- export ----------------------------------------------------------------------------


def test_issue_list_export_opens_with_the_rows(client_as, town, kawara):
    from openpyxl import load_workbook

    issue = _issue(
        town,
        kawara,
        title="見守りの目が足りない",
        themes=[_theme("watching")],
        districts=[_district()],
    )
    services.executing_actor_add(issue=issue, organisation=_council(), role="声かけ", actor=kawara)
    response = client_as("kawara").get("/issues/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("番号", "市町村", "課題", "段階", "テーマ")
    row = next(r for r in rows[1:] if r[2] == "見守りの目が足りない")
    as_dict = dict(zip(header, row, strict=True))
    assert as_dict["段階"] == "把握"
    assert as_dict["テーマ"] == "見守り・安否確認"
    assert as_dict["地区"] == "採銅所地域"
    assert as_dict["実行主体（役割）"] == "採銅所地域コミュニティ協議会（声かけ）"
    assert all(r[1] == "香春町" for r in rows[1:])


# --- edit, history, admin --------------------------------------------------------------


def test_edit_page_keeps_what_was_typed_when_a_date_is_wrong(client_as, town, kawara):
    issue = _issue(town, kawara, title="元の題名")
    client = client_as("kawara")
    assert client.get(f"/issues/{issue.pk}/edit/").status_code == 200
    response = client.post(
        f"/issues/{issue.pk}/edit/",
        _edit_data(issue, title="新しい題名", started_on="令和7年13月1日"),
    )
    assert response.status_code == 200
    assert "新しい題名" in response.content.decode()
    assert response.context["form"].errors["started_on"]
    issue.refresh_from_db()
    assert issue.title == "元の題名"
    assert issue.history.count() == 1


def test_history_page_lists_the_changes(client_as, town, kawara):
    issue = _issue(town, kawara, title="元の題名")
    client = client_as("kawara")
    client.post(f"/issues/{issue.pk}/edit/", _edit_data(issue, title="新しい題名"))
    html = client.get(f"/issues/{issue.pk}/history/").content.decode()
    assert "地域課題を変更" in html
    assert "元の題名" in html and "新しい題名" in html


def test_admin_lists_and_opens_regional_issues(client, town, kawara, django_user_model):
    issue = _issue(town, kawara)
    operator = django_user_model.objects.create_superuser(
        username="operator", password="a-long-operator-password"
    )
    client.force_login(operator)
    assert client.get("/admin/regional_issues/regionalissue/").status_code == 200
    assert client.get(f"/admin/regional_issues/regionalissue/{issue.pk}/change/").status_code == 200
    assert client.get("/admin/regional_issues/theme/").status_code == 200
