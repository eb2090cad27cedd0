"""The bodies REST API (/api/v1/bodies/): scoped reads, writes with history, errors, OpenAPI.

Requests go through the project's own /api/v1/ with Django's test Client, so the
real middleware (sessions, CSRF, history) runs; scripts' Bearer tokens are tested too.

Test data is written through the services as 香春町 staff (``kawara``); 佐伯市 staff (``saiki``)
stand for "another municipality", ``kawara-council`` for a member who may read but not edit.
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
from tsunagu.bodies import services
from tsunagu.bodies.models import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    BodyMember,
    ConsultativeBody,
    Meeting,
    MeetingStatus,
)
from tsunagu.bodies.services import ActionItemFields, BodyFields, MeetingFields
from tsunagu.core.actions import display_reason
from tsunagu.core.api.auth import token_issue
from tsunagu.directory import services as directory_services
from tsunagu.directory.models import Organisation
from tsunagu.directory.services import PersonFields

API = "/api/v1"
BODIES = f"{API}/bodies"


pytestmark = pytest.mark.django_db


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    # Throttle counters live in the cache, which outlives each test's transaction.
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
    """A 香春町 定例会 with the community council as a member."""
    body = services.body_create(
        municipality=town,
        fields=BodyFields(name="APIテスト定例会", kind="regular", district=_district(town)),
        actor=kawara,
    )
    services.member_add(body=body, organisation=_council(), actor=kawara)
    return body


@pytest.fixture
def person(town: Any, kawara: Any) -> Any:
    return directory_services.person_create(
        fields=PersonFields(name="APIテスト 香春花子", municipality=town),
        actor=kawara,
        organisation=_council(),
        title="会長",
    )


@pytest.fixture
def meeting(body: ConsultativeBody, kawara: Any) -> Meeting:
    return services.meeting_schedule(
        body=body,
        fields=MeetingFields(
            starts_at=timezone.make_aware(datetime.datetime(2025, 4, 17, 14, 0)),
            place="採銅所公民館",
        ),
        actor=kawara,
    )


def _as(client_as: Any, username: str) -> Client:
    return client_as(username)


def _bearer(user: Any) -> Client:
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_issue(user)[0]}"
    return client


def _post(client: Client, url: str, payload: Any) -> Any:
    return client.post(url, data=json.dumps(payload), content_type="application/json")


def _patch(client: Client, url: str, payload: Any) -> Any:
    return client.patch(url, data=json.dumps(payload), content_type="application/json")


def _put(client: Client, url: str, payload: Any) -> Any:
    return client.put(url, data=json.dumps(payload), content_type="application/json")


def _stored(obj: Any) -> dict[str, Any]:
    """Stored columns and history length: what "nothing changed" compares."""
    model = type(obj)
    return {
        "row": model._default_manager.filter(pk=obj.pk).values().get(),
        "history": obj.history.count(),
    }


def _names(response: Any) -> set[str]:
    return {item["name"] for item in response.json()["items"]}


# --- scoping -----------------------------------------------------------------------------


def test_other_municipality_staff_neither_list_nor_get_a_kawara_body(
    client_as: Any, body: ConsultativeBody
) -> None:
    saiki = client_as("saiki")

    listing = saiki.get(BODIES, {"per_page": 100})
    detail = saiki.get(f"{BODIES}/{body.pk}")
    meetings = saiki.get(f"{BODIES}/{body.pk}/meetings")

    assert listing.status_code == 200
    assert "APIテスト定例会" not in _names(listing)
    assert {item["municipality"]["name"] for item in listing.json()["items"]} <= {"佐伯市"}
    assert detail.status_code == 404
    assert detail.json()["code"] == "not_found"
    assert meetings.status_code == 404


def test_kawara_staff_list_and_get_a_body_with_members_and_upcoming_meetings(
    client_as: Any, body: ConsultativeBody, kawara: Any
) -> None:
    soon = timezone.now() + datetime.timedelta(days=7)
    services.meeting_schedule(
        body=body, fields=MeetingFields(starts_at=soon, place="役場"), actor=kawara
    )
    client = client_as("kawara")

    listing = client.get(BODIES, {"municipality": "406015", "kind": "regular", "per_page": 100})
    detail = client.get(f"{BODIES}/{body.pk}")

    assert listing.status_code == 200
    assert "APIテスト定例会" in _names(listing)
    assert {item["kind"] for item in listing.json()["items"]} == {"regular"}
    data = detail.json()
    assert data["kind_label"] == "定例会"
    assert data["municipality"]["code"] == "406015"
    assert data["district"]["name"] == "採銅所地域"
    assert [m["organisation"]["name"] for m in data["members"]] == ["採銅所地域コミュニティ協議会"]
    assert data["members"][0]["role_label"] == "委員・構成員"
    assert data["members"][0]["is_current"] is True
    assert len(data["upcoming_meetings"]) == 1
    assert data["upcoming_meetings"][0]["starts_at"].endswith("+09:00")
    assert data["meeting_count"] == 1
    assert data["can_edit"] is True


def test_list_filter_by_unknown_municipality_code_names_the_parameter(client_as: Any) -> None:
    response = client_as("kawara").get(BODIES, {"municipality": "999999"})

    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "municipality"
    assert "999999" in error["message"]


def test_private_endpoints_answer_401_in_japanese_without_login(db: Any) -> None:
    response = Client().get(BODIES)

    assert response.status_code == 401
    assert "ログイン" in response.json()["detail"]


# --- the 定例会 story through the API ------------------------------------------------------


def test_kawara_creates_a_body_a_monthly_series_and_records_attendance_with_history(
    client_as: Any, town: Any, kawara: Any, person: Any
) -> None:
    client = client_as("kawara")
    council = _council()

    # given: a new body with a member, created through the API
    created = _post(
        client,
        BODIES,
        {
            "name": "APIで作った定例会",
            "kind": "regular",
            "district_id": _district(town).pk,
            "meeting_frequency": "原則月1回",
            "established_on": "令和7年4月17日",
        },
    )
    assert created.status_code == 201, created.content
    body = ConsultativeBody.objects.get(pk=created.json()["id"])
    member = _post(
        client,
        f"{BODIES}/{body.pk}/members",
        {"organisation_id": council.pk, "person_id": person.pk, "role": "chair"},
    )

    # when: three monthly meetings from 令和7年4月17日 (the 3rd Thursday) and attendance
    series = _post(
        client,
        f"{BODIES}/{body.pk}/meetings/series",
        {"first_starts_at": "2025-04-17T14:00:00", "count": 3, "place": "採銅所公民館"},
    )
    first = series.json()[0]["id"]
    attendance = _put(
        client,
        f"{BODIES}/meetings/{first}/attendance",
        {
            "attendance": [
                {"person_id": person.pk, "organisation_id": council.pk},
                {"guest_name": "アドバイザー（九州厚生局）", "note": "助言"},
            ]
        },
    )

    # then: everything is stored with Japan times and a history row per write
    assert created.json()["established_on"] == "2025-04-17"
    assert created.json()["municipality"]["name"] == "香春町"
    assert member.status_code == 201
    assert member.json()["role_label"] == "会長・座長"
    assert series.status_code == 201
    assert [m["starts_at"] for m in series.json()] == [
        "2025-04-17T14:00:00+09:00",
        "2025-05-15T14:00:00+09:00",
        "2025-06-19T14:00:00+09:00",
    ]
    assert attendance.status_code == 200, attendance.content
    rows = attendance.json()["attendance"]
    assert [(r["person"] or {}).get("name") for r in rows] == ["APIテスト 香春花子", None]
    assert rows[1]["guest_name"] == "アドバイザー（九州厚生局）"
    assert Attendance.objects.filter(meeting_id=first).count() == 2

    body_history = body.history.get()
    assert display_reason(body_history.history_change_reason) == "会議体を登録"
    assert body_history.history_user == kawara
    assert BodyMember.objects.get(body=body).history.get().history_user == kawara
    meetings = Meeting.objects.filter(body=body).order_by("starts_at")
    assert meetings.count() == 3
    assert all(m.history.first().history_user == kawara for m in meetings)
    assert display_reason(meetings[0].history.first().history_change_reason).startswith(
        "出席者を記録"
    )


def test_bearer_token_writes_like_a_session(body: ConsultativeBody, kawara: Any) -> None:
    client = _bearer(kawara)

    response = _patch(client, f"{BODIES}/{body.pk}", {"purpose": "地域課題を話し合う"})

    assert response.status_code == 200
    assert response.json()["purpose"] == "地域課題を話し合う"
    assert display_reason(body.history.first().history_change_reason) == "会議体の情報を変更"


def test_meeting_minutes_decision_and_action_item_show_on_the_meeting(
    client_as: Any, meeting: Meeting, person: Any
) -> None:
    client = client_as("kawara")

    minutes = _patch(
        client,
        f"{BODIES}/meetings/{meeting.pk}",
        {
            "minutes": "## 協議\n- ゴミ出し支援の担い手",
            "next_meeting_note": "令和7年5月15日（木）14時から",
            "status": "held",
            "facilitator_id": person.pk,
        },
    )
    decision = _post(client, f"{BODIES}/meetings/{meeting.pk}/decisions", {"text": "試行を始める"})
    item = _post(
        client,
        f"{BODIES}/{meeting.body_id}/action-items",
        {
            "title": "担い手の候補を挙げる",
            "owner_organisation_id": _council().pk,
            "due_on": "R7.5.15",
            "meeting_id": meeting.pk,
        },
    )
    detail = client.get(f"{BODIES}/meetings/{meeting.pk}").json()

    assert minutes.status_code == 200
    assert minutes.json()["status_label"] == "開催済み"
    assert minutes.json()["facilitator"]["name"] == "APIテスト 香春花子"
    assert decision.status_code == 201
    assert decision.json()["order"] == 1
    assert item.status_code == 201, item.content
    assert item.json()["due_on"] == "2025-05-15"
    assert item.json()["meeting"]["id"] == meeting.pk
    assert [d["text"] for d in detail["decisions"]] == ["試行を始める"]
    assert [a["title"] for a in detail["action_items"]] == ["担い手の候補を挙げる"]
    assert detail["minutes"].startswith("## 協議")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert display_reason(meeting.history.first().history_change_reason) == "会議の記録を変更"


def test_action_items_filter_by_status_and_overdue_and_status_update_is_recorded(
    client_as: Any, body: ConsultativeBody, kawara: Any
) -> None:
    today = timezone.localdate()
    late = services.action_item_create(
        body=body,
        fields=ActionItemFields(
            title="期限切れの宿題",
            owner_organisation=_council(),
            due_on=today - datetime.timedelta(days=3),
        ),
        actor=kawara,
    )
    services.action_item_create(
        body=body,
        fields=ActionItemFields(
            title="まだ先の宿題",
            owner_organisation=_council(),
            due_on=today + datetime.timedelta(days=30),
        ),
        actor=kawara,
    )
    client = client_as("kawara")

    overdue = client.get(f"{BODIES}/action-items", {"overdue": "true", "body_id": body.pk})
    done = _patch(client, f"{BODIES}/action-items/{late.pk}", {"status": "done"})
    open_items = client.get(f"{BODIES}/action-items", {"status": "open", "body_id": body.pk})
    saiki = client_as("saiki").get(f"{BODIES}/action-items", {"per_page": 100})

    assert [i["title"] for i in overdue.json()["items"]] == ["期限切れの宿題"]
    assert overdue.json()["items"][0]["is_overdue"] is True
    assert done.status_code == 200
    assert done.json()["status_label"] == "完了"
    assert done.json()["completed_on"] == today.isoformat()
    assert [i["title"] for i in open_items.json()["items"]] == ["まだ先の宿題"]
    assert "期限切れの宿題" not in {i["title"] for i in saiki.json()["items"]}
    late.refresh_from_db()
    assert late.status == ActionItemStatus.DONE
    assert display_reason(late.history.first().history_change_reason) == "宿題を更新"


def test_member_term_ends_and_stays_on_record(client_as: Any, body: ConsultativeBody) -> None:
    member = body.members.get()

    response = _post(
        client_as("kawara"), f"{BODIES}/members/{member.pk}/end", {"ends_on": "令和7年3月31日"}
    )
    detail = client_as("kawara").get(f"{BODIES}/{body.pk}").json()

    assert response.status_code == 200
    assert response.json()["ends_on"] == "2025-03-31"
    assert response.json()["is_current"] is False
    assert [m["is_current"] for m in detail["members"]] == [False]
    assert display_reason(member.history.first().history_change_reason) == "構成員の任期を終了"


# --- refusals ----------------------------------------------------------------------------


def test_other_municipality_staff_get_404_writing_and_nothing_changes(
    client_as: Any, body: ConsultativeBody, meeting: Meeting
) -> None:
    saiki = client_as("saiki")
    before_body, before_meeting = _stored(body), _stored(meeting)
    meetings = Meeting.objects.count()

    update = _patch(saiki, f"{BODIES}/{body.pk}", {"name": "乗っ取り"})
    create = _post(saiki, f"{BODIES}/{body.pk}/meetings", {"starts_at": "2025-06-01T10:00"})
    minutes = _patch(saiki, f"{BODIES}/meetings/{meeting.pk}", {"minutes": "書き換え"})

    assert (update.status_code, create.status_code, minutes.status_code) == (404, 404, 404)
    assert _stored(body) == before_body
    assert _stored(meeting) == before_meeting
    assert Meeting.objects.count() == meetings


def test_member_who_may_read_gets_403_writing_and_nothing_changes(
    client_as: Any, body: ConsultativeBody
) -> None:
    council_member = client_as("kawara-council")
    before = _stored(body)
    members = BodyMember.objects.filter(body=body).count()

    read = council_member.get(f"{BODIES}/{body.pk}")
    update = _patch(council_member, f"{BODIES}/{body.pk}", {"name": "書き換え"})
    add = _post(council_member, f"{BODIES}/{body.pk}/members", {"organisation_id": _council().pk})

    assert read.status_code == 200
    assert read.json()["can_edit"] is False
    assert update.status_code == 403
    assert update.json()["detail"] == "この操作を行う権限がありません。"
    assert add.status_code == 403
    assert _stored(body) == before
    assert BodyMember.objects.filter(body=body).count() == members


def test_validation_errors_name_the_field_in_japanese(
    client_as: Any, body: ConsultativeBody, municipality: Any
) -> None:
    client = client_as("kawara")
    saiki_district = District.objects.get(municipality=municipality("佐伯市"), name="直川地域")
    count = ConsultativeBody.objects.count()

    missing = _post(client, BODIES, {"kind": "regular"})
    foreign = _post(
        client, BODIES, {"name": "x", "kind": "regular", "district_id": saiki_district.pk}
    )
    duplicate = _post(client, BODIES, {"name": "APIテスト定例会", "kind": "regular"})
    bad_kind = _post(client, BODIES, {"name": "x", "kind": "party"})

    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "name", "label": "名称", "message": "必須の項目です。"}
    ]
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "district_id"
    assert foreign.json()["errors"][0]["label"] == "地区"
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["field"] == "name"
    assert bad_kind.status_code == 422
    assert bad_kind.json()["errors"][0]["message"].startswith("次のいずれかを指定してください")
    assert ConsultativeBody.objects.count() == count


def test_service_refusals_keep_their_code_and_field(client_as: Any, meeting: Meeting) -> None:
    client = client_as("kawara")
    before = _stored(meeting)
    items = ActionItem.objects.count()

    backwards = _patch(
        client, f"{BODIES}/meetings/{meeting.pk}", {"ends_at": "2025-04-17T13:00:00+09:00"}
    )
    no_owner = _post(client, f"{BODIES}/{meeting.body_id}/action-items", {"title": "誰かがやる"})

    assert backwards.status_code == 400
    assert backwards.json()["errors"][0]["field"] == "ends_at"
    assert "終了日時は開始日時より後" in backwards.json()["detail"]
    assert no_owner.status_code == 400
    assert no_owner.json()["code"] == "no_owner"
    assert no_owner.json()["errors"][0]["field"] == "owner_person_id"
    assert _stored(meeting) == before
    assert ActionItem.objects.count() == items


def test_attendance_with_a_foreign_person_is_refused_per_row(
    client_as: Any, meeting: Meeting, municipality: Any, user_named: Any
) -> None:
    outsider = directory_services.person_create(
        fields=PersonFields(name="佐伯の人", municipality=municipality("佐伯市")),
        actor=user_named("saiki"),
    )

    response = _put(
        client_as("kawara"),
        f"{BODIES}/meetings/{meeting.pk}/attendance",
        {"attendance": [{"guest_name": "ゲスト"}, {"person_id": outsider.pk}]},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "attendance.1.person_id"
    assert Attendance.objects.filter(meeting=meeting).count() == 0


# --- OpenAPI -----------------------------------------------------------------------------


def test_openapi_document_renders_with_the_bodies_and_issues_routers(db: Any) -> None:
    schema = Client().get(f"{API}/openapi.json")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for expected in (
        "/api/v1/bodies",
        "/api/v1/bodies/{body_id}",
        "/api/v1/bodies/{body_id}/members",
        "/api/v1/bodies/{body_id}/meetings",
        "/api/v1/bodies/{body_id}/meetings/series",
        "/api/v1/bodies/meetings/{meeting_id}",
        "/api/v1/bodies/meetings/{meeting_id}/attendance",
        "/api/v1/bodies/action-items",
        "/api/v1/issues",
        "/api/v1/issues/{issue_id}",
        "/api/v1/issues/{issue_id}/stage",
        "/api/v1/issues/{issue_id}/stage-changes",
    ):
        assert expected in paths, expected
    assert paths["/api/v1/bodies"]["post"]["summary"] == "会議体の登録"
    assert paths["/api/v1/issues/{issue_id}/stage"]["post"]["summary"] == "段階の変更"
    docs = Client().get(f"{API}/docs")
    assert docs.status_code == 200
