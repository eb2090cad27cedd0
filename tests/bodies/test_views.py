"""Pages of consultative bodies, meetings, attendance, minutes, action items and certification.

Test data is written through the services as ``admin``; what a user does is done through the
pages as 香春町 staff (``kawara``). 佐伯市 records stand for "another municipality".
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tsunagu.areas import services as area_services
from tsunagu.areas.services import AreaFields
from tsunagu.bodies import services
from tsunagu.bodies.models import (
    ActionItem,
    BodyMember,
    CertificationApplication,
    CertificationRules,
    ConsultativeBody,
    MeetingAttachment,
)
from tsunagu.bodies.services import ActionItemFields, BodyFields, MeetingFields, RulesFields
from tsunagu.core.actions import display_reason
from tsunagu.directory import services as directory_services
from tsunagu.directory.models import Organisation
from tsunagu.directory.services import PersonFields

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


# --- helpers (shared with test_print_and_ics.py) ----------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin(user_named):
    return user_named("admin")


def org(name: str, municipality_name: str = "香春町") -> Organisation:
    return Organisation.objects.get(name=name, municipality__name=municipality_name)


def person(name: str, organisation: Organisation, admin, title: str = "委員"):
    return directory_services.person_create(
        fields=PersonFields(name=name), organisation=organisation, title=title, actor=admin
    )


def make_body(municipality, admin, name="テスト定例会", **data):
    return services.body_create(
        municipality=municipality,
        fields=BodyFields(**{"name": name, "kind": "regular", **data}),
        actor=admin,
    )


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_meeting(body, admin, day: datetime.date, **data):
    return services.meeting_schedule(
        body=body,
        fields=MeetingFields(**{"starts_at": at(day, 14), "ends_at": at(day, 15, 30), **data}),
        actor=admin,
    )


@pytest.fixture
def kawara_body(admin, municipality):
    """香春町's 定例会: the council, two departments and the SC, each with a person."""
    kawara = municipality("香春町")
    council, hoken, machi = (
        org("採銅所地域コミュニティ協議会"),
        org("保険健康課"),
        org("まちづくり課"),
    )
    sc = person("香春 太郎", org("香春町社会福祉協議会"), admin, title="生活支援コーディネーター")
    body = make_body(kawara, admin, coordinator=sc, purpose="地域の支え合いを話し合う")
    people = {
        "council": person("採銅 花子", council, admin, title="会長"),
        "hoken": person("保険 一郎", hoken, admin, title="係長"),
        "machi": person("町 次郎", machi, admin, title="主査"),
    }
    services.member_add(body=body, actor=admin, organisation=council, person=people["council"])
    services.member_add(body=body, actor=admin, organisation=hoken, person=people["hoken"])
    services.member_add(body=body, actor=admin, organisation=machi, person=people["machi"])
    return {"body": body, "people": people, "sc": sc}


@pytest.fixture
def saiki_records(admin, municipality):
    """A 佐伯市 body with a meeting and an image attached to its minutes."""
    body = make_body(municipality("佐伯市"), admin, name="佐伯市 庁内連携会議")
    meeting = make_meeting(body, admin, datetime.date(2025, 5, 20))
    attachment = services.meeting_attachment_add(
        meeting=meeting,
        title="ホワイトボード",
        file=SimpleUploadedFile("board.png", PNG, content_type="image/png"),
        actor=admin,
    )
    return {"body": body, "meeting": meeting, "attachment": attachment}


def history_reasons(obj) -> list[str]:
    return [display_reason(r) for r in obj.history.values_list("history_change_reason", flat=True)]


# --- pages and scoping -----------------------------------------------------------------


def test_body_and_meeting_pages_render_for_staff_of_the_municipality(client_as, kawara_body, admin):
    body = kawara_body["body"]
    meeting = make_meeting(body, admin, datetime.date(2025, 4, 17), place="役場2階会議室")
    client = client_as("kawara")
    for url in (
        "/bodies/",
        f"/bodies/{body.pk}/",
        f"/bodies/{body.pk}/edit/",
        f"/bodies/{body.pk}/history/",
        f"/bodies/{body.pk}/meetings/",
        f"/bodies/{body.pk}/members/new/",
        f"/bodies/{body.pk}/meetings/new/",
        f"/bodies/{body.pk}/meetings/series/",
        f"/bodies/{body.pk}/action-items/new/?meeting={meeting.pk}",
        f"/bodies/meetings/{meeting.pk}/",
        f"/bodies/meetings/{meeting.pk}/edit/",
        f"/bodies/meetings/{meeting.pk}/attendance/",
        f"/bodies/meetings/{meeting.pk}/minutes/",
        f"/bodies/meetings/{meeting.pk}/attachments/new/",
        f"/bodies/meetings/{meeting.pk}/print/",
        f"/bodies/meetings/{meeting.pk}/history/",
        "/bodies/action-items/",
        "/bodies/calendar/",
        "/bodies/certification/",
        "/bodies/certification/rules/new/",
        "/public/bodies/certified/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/bodies/{body.pk}/").content.decode()
    assert "採銅 花子" in page and "香春 太郎" in page and "採銅所地域コミュニティ協議会" in page


def test_pages_of_another_municipality_are_not_found(client_as, saiki_records, admin):
    body, meeting = saiki_records["body"], saiki_records["meeting"]
    saiki_org = Organisation.objects.filter(municipality__name="佐伯市").first()
    item = services.action_item_create(
        body=body,
        fields=ActionItemFields(title="時刻表を確認", owner_organisation=saiki_org),
        actor=admin,
    )
    client = client_as("kawara")
    for url in (
        f"/bodies/{body.pk}/",
        f"/bodies/{body.pk}/edit/",
        f"/bodies/{body.pk}/history/",
        f"/bodies/{body.pk}/meetings.ics",
        f"/bodies/{body.pk}/members/new/",
        f"/bodies/meetings/{meeting.pk}/",
        f"/bodies/meetings/{meeting.pk}/print/",
        f"/bodies/meetings/{meeting.pk}/attendance/",
        f"/bodies/action-items/{item.pk}/edit/",
        f"/bodies/attachments/{saiki_records['attachment'].pk}/",
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get("/bodies/").content.decode()
    assert "佐伯市 庁内連携会議" not in listing
    # a write aimed at the other municipality changes nothing
    response = client.post(f"/bodies/meetings/{meeting.pk}/decisions/new/", {"text": "決めた"})
    assert response.status_code == 404
    assert not meeting.decisions.exists()


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


def test_organisation_member_may_read_but_not_change_a_body(client_as, kawara_body):
    body = kawara_body["body"]
    client = client_as("kawara-council")
    assert client.get(f"/bodies/{body.pk}/").status_code == 200
    assert client.get(f"/bodies/{body.pk}/edit/").status_code == 403
    before = BodyMember.objects.filter(body=body).count()
    response = client.post(
        f"/bodies/{body.pk}/members/new/",
        {"organisation": org("区長会").pk, "role": "member"},
    )
    assert response.status_code == 403
    assert BodyMember.objects.filter(body=body).count() == before


# --- bodies, members and a monthly series through the pages -----------------------------


def test_create_body_add_members_and_a_monthly_series_through_the_pages(client_as, admin):
    client = client_as("kawara")
    hoken, council = org("保険健康課"), org("採銅所地域コミュニティ協議会")
    chair = person("春 一子", council, admin, title="会長")
    district = area_services.sub_area_create(
        municipality=hoken.municipality,
        kind="district",
        fields=AreaFields(name="テスト地区"),
        actor=admin,
    )

    # given a new 定例会
    response = client.post(
        "/bodies/new/",
        {
            "name": "香春町 定例会（テスト）",
            "kind": "regular",
            "status": "active",
            "host_organisation": hoken.pk,
            "purpose": "高齢者の支え合いについて毎月話し合う",
            "meeting_frequency": "毎月（第3木曜）",
            "established_on": "令和7年4月1日",
        },
    )
    body = ConsultativeBody.objects.get(name="香春町 定例会（テスト）")
    assert response.status_code == 302 and response["Location"] == f"/bodies/{body.pk}/"
    assert body.established_on == datetime.date(2025, 4, 1)
    assert history_reasons(body) == ["会議体を登録"]

    # when members are added, one with a district, age band and gender
    for data in (
        {
            "organisation": council.pk,
            "person": chair.pk,
            "role": "chair",
            "district": district.pk,
            "age_band": "70s",
            "gender": "female",
            "starts_on": "R7.4.1",
        },
        {"organisation": hoken.pk, "role": "secretariat"},
    ):
        assert client.post(f"/bodies/{body.pk}/members/new/", data).status_code == 302
    seats = list(body.members.order_by("id"))
    assert [m.role for m in seats] == ["chair", "secretariat"]
    assert seats[0].district == district and seats[0].starts_on == datetime.date(2025, 4, 1)
    assert history_reasons(seats[0]) == ["構成員を追加"]

    # and a series of three monthly meetings from 令和7年4月17日 (the third Thursday)
    response = client.post(
        f"/bodies/{body.pk}/meetings/series/",
        {
            "first_day": "令和7年4月17日",
            "starts_time": "14:00",
            "ends_time": "15:30",
            "count": "3",
            "pattern": "weekday",
            "place": "香春町役場",
        },
    )
    assert response.status_code == 302
    meetings = list(body.meetings.order_by("starts_at"))
    local = [timezone.localtime(m.starts_at) for m in meetings]
    assert [d.date() for d in local] == [
        datetime.date(2025, 4, 17),
        datetime.date(2025, 5, 15),
        datetime.date(2025, 6, 19),
    ]
    assert all(d.hour == 14 and d.minute == 0 for d in local)
    assert all(m.ends_at - m.starts_at == datetime.timedelta(minutes=90) for m in meetings)
    assert len({m.series_key for m in meetings}) == 1
    assert history_reasons(meetings[0]) == ["定例の会議を登録（1/3）"]

    page = client.get(f"/bodies/{body.pk}/").content.decode()
    assert "春 一子" in page and "テスト地区" in page
    assert "令和7年4月17日（木）14:00〜15:30" in page


def test_body_form_keeps_what_was_typed_and_says_what_is_wrong(client_as):
    client = client_as("kawara")
    response = client.post(
        "/bodies/new/",
        {"name": "", "kind": "regular", "status": "active", "purpose": "見守りの相談"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力内容を確認してください。" in page
    assert "見守りの相談" in page
    assert not ConsultativeBody.objects.filter(purpose="見守りの相談").exists()


def test_series_with_a_wrong_date_is_refused_and_nothing_is_created(client_as, kawara_body):
    body = kawara_body["body"]
    response = client_as("kawara").post(
        f"/bodies/{body.pk}/meetings/series/",
        {
            "first_day": "令和元年4月30日",
            "starts_time": "14:00",
            "ends_time": "15:30",
            "count": "3",
            "pattern": "weekday",
        },
    )
    assert response.status_code == 200
    assert "平成31年4月30日" in response.content.decode()
    assert not body.meetings.exists()


def test_a_series_from_a_fifth_weekday_is_refused_because_it_would_skip_months(
    client_as, kawara_body
):
    body = kawara_body["body"]
    response = client_as("kawara").post(
        f"/bodies/{body.pk}/meetings/series/",
        {
            "first_day": "令和7年1月30日",  # the 5th Thursday
            "starts_time": "14:00",
            "ends_time": "15:30",
            "count": "3",
            "pattern": "weekday",
        },
    )
    assert response.status_code == 200
    assert "第5週の曜日は月によってはありません" in response.content.decode()
    assert not body.meetings.exists()


def test_ending_a_term_keeps_the_member_among_past_members(client_as, kawara_body):
    body = kawara_body["body"]
    seat = body.members.get(person=kawara_body["people"]["hoken"])
    client = client_as("kawara")
    response = client.post(f"/bodies/members/{seat.pk}/end/", {"ends_on": "令和7年3月31日"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ends_on == datetime.date(2025, 3, 31)
    assert history_reasons(seat)[0] == "構成員の任期を終了"
    page = client.get(f"/bodies/{body.pk}/").content.decode()
    past = page.split("過去の構成員（人事異動")[1]
    assert "保険 一郎" in past and "令和7年3月31日" in past


def test_body_list_filters_by_kind_and_area(client_as, admin, municipality):
    kawara = municipality("香春町")
    district = kawara.districts.get(name="採銅所地域")
    make_body(kawara, admin, name="採銅所の座談会", kind="mutual_support_forum", district=district)
    make_body(kawara, admin, name="町の定例会", kind="regular")
    client = client_as("kawara")
    page = client.get("/bodies/", {"kind": "mutual_support_forum"}).content.decode()
    assert "採銅所の座談会" in page and "町の定例会" not in page
    page = client.get("/bodies/", {"area": f"district:{district.pk}"}).content.decode()
    assert "採銅所の座談会" in page and "町の定例会" not in page


# --- meetings: attendance, rotation, minutes, decisions, action items --------------------


def test_attendance_is_saved_with_the_represented_organisation_and_guests(
    client_as, kawara_body, admin
):
    body, people = kawara_body["body"], kawara_body["people"]
    meeting = make_meeting(body, admin, datetime.date(2025, 4, 17))
    client = client_as("kawara")
    page = client.get(f"/bodies/meetings/{meeting.pk}/attendance/").content.decode()
    assert "採銅 花子" in page and "保険 一郎" in page and "町 次郎" in page  # pre-listed
    seats = {m.person_id: m for m in body.members.all()}
    council_seat = seats[people["council"].pk]
    hoken_seat = seats[people["hoken"].pk]
    machi_seat = seats[people["machi"].pk]
    response = client.post(
        f"/bodies/meetings/{meeting.pk}/attendance/",
        {
            f"present_m{council_seat.pk}": "on",
            f"org_m{council_seat.pk}": org("採銅所地域コミュニティ協議会").pk,
            f"present_m{hoken_seat.pk}": "on",
            f"org_m{hoken_seat.pk}": org("保険健康課").pk,
            f"org_m{machi_seat.pk}": org("まちづくり課").pk,
            "guest_0_name": "九州厚生局 アドバイザー",
            "guest_0_note": "伴走的支援",
        },
    )
    assert response.status_code == 302
    rows = {(a.person_id, a.guest_name): a for a in meeting.attendance.all()}
    assert rows[(people["council"].pk, "")].present
    assert rows[(people["hoken"].pk, "")].organisation == org("保険健康課")
    assert not rows[(people["machi"].pk, "")].present
    assert rows[(None, "九州厚生局 アドバイザー")].present
    assert history_reasons(meeting)[0] == "出席者を記録（4名・団体）"

    # the editor shows what was recorded; the meeting page lists present, guest and absent
    again = client.get(f"/bodies/meetings/{meeting.pk}/attendance/").content.decode()
    assert 'value="九州厚生局 アドバイザー"' in again
    page = client.get(f"/bodies/meetings/{meeting.pk}/").content.decode()
    assert "九州厚生局 アドバイザー" in page and "欠席" in page


def test_rotation_suggests_a_member_who_never_facilitated_first(client_as, kawara_body, admin):
    body, people = kawara_body["body"], kawara_body["people"]
    make_meeting(
        body, admin, datetime.date(2025, 4, 17), facilitator=people["council"], status="held"
    )
    make_meeting(
        body, admin, datetime.date(2025, 5, 15), facilitator=people["hoken"], status="held"
    )
    meeting = make_meeting(body, admin, datetime.date(2025, 6, 19))
    client = client_as("kawara")
    page = client.get(f"/bodies/meetings/{meeting.pk}/").content.decode()
    section = page.split("<caption>進行役の候補</caption>")[1]
    assert section.index("町 次郎") < section.index("採銅 花子") < section.index("保険 一郎")
    assert "まだ進行していません" in section
    assert "令和7年4月17日（木）" in section  # when 採銅 花子 last facilitated

    response = client.post(
        f"/bodies/meetings/{meeting.pk}/facilitator/", {"person": people["machi"].pk}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.facilitator == people["machi"]
    assert history_reasons(meeting)[0] == "会議の記録を変更"


def test_balance_warnings_are_listed_on_the_body_page(client_as, admin, municipality):
    body = make_body(municipality("香春町"), admin, name="介護だけの会議")
    shakyo = org("香春町社会福祉協議会")
    for name in ("社協 一", "社協 二", "社協 三"):
        services.member_add(
            body=body, actor=admin, organisation=shakyo, person=person(name, shakyo, admin)
        )
    page = client_as("kawara").get(f"/bodies/{body.pk}/").content.decode()
    warnings = page.split("構成についての注意")[2]
    assert "全員が「介護・医療」の分野です。" in warnings
    assert "香春町社会福祉協議会が3席中3席を占めています。" in warnings
    assert "採銅所地域の構成員がいません。" in warnings


def test_minutes_with_an_image_attachment_shown_only_to_allowed_users(
    client_as, kawara_body, admin, saiki_records, client
):
    meeting = make_meeting(kawara_body["body"], admin, datetime.date(2025, 4, 17))
    kawara = client_as("kawara")

    # upload an image, then insert it in the minutes
    response = kawara.post(
        f"/bodies/meetings/{meeting.pk}/attachments/new/",
        {"title": "ホワイトボード", "file": SimpleUploadedFile("board.png", PNG, "image/png")},
    )
    assert response.status_code == 302
    attachment = MeetingAttachment.objects.get(meeting=meeting)
    assert history_reasons(meeting)[0] == "添付ファイルを追加: ホワイトボード"
    minutes = f"## 話し合ったこと\n- ゴミ出しの支援\n\n![ホワイトボード](/bodies/attachments/{attachment.pk}/)"
    response = kawara.post(
        f"/bodies/meetings/{meeting.pk}/minutes/",
        {"minutes": minutes, "next_meeting_note": "令和7年5月15日 14時", "mark_held": "on"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.minutes == minutes
    page = kawara.get(f"/bodies/meetings/{meeting.pk}/").content.decode()
    assert "<h2>話し合ったこと</h2>" in page
    assert f'<img src="/bodies/attachments/{attachment.pk}/" alt="ホワイトボード"' in page

    # the file is served through the checked view only
    served = kawara.get(f"/bodies/attachments/{attachment.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    assert client_as("saiki").get(f"/bodies/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/bodies/attachments/{attachment.pk}/").status_code == 404  # signed out
    other = saiki_records["attachment"].pk
    assert kawara.get(f"/bodies/attachments/{other}/").status_code == 404


def test_an_uploaded_html_file_is_refused(client_as, kawara_body, admin):
    meeting = make_meeting(kawara_body["body"], admin, datetime.date(2025, 4, 17))
    response = client_as("kawara").post(
        f"/bodies/meetings/{meeting.pk}/attachments/new/",
        {"file": SimpleUploadedFile("x.html", b"<script>alert(1)</script>", "text/html")},
    )
    assert response.status_code == 400
    assert "この種類のファイル（.html）は添付できません" in response.content.decode()
    assert not meeting.attachments.exists()


def test_decisions_and_action_items_are_added_from_the_meeting(client_as, kawara_body, admin):
    body, people = kawara_body["body"], kawara_body["people"]
    meeting = make_meeting(body, admin, datetime.date(2025, 4, 17))
    client = client_as("kawara")
    assert (
        client.post(
            f"/bodies/meetings/{meeting.pk}/decisions/new/", {"text": "ゴミ出し支援を試行する"}
        ).status_code
        == 302
    )
    decision = meeting.decisions.get()
    assert decision.text == "ゴミ出し支援を試行する"
    assert history_reasons(decision) == ["決定事項を追加"]

    response = client.post(
        f"/bodies/{body.pk}/action-items/new/?meeting={meeting.pk}",
        {
            "title": "区長会に協力を相談する",
            "owner_person": people["council"].pk,
            "due_on": "令和7年5月15日",
            "status": "open",
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(title="区長会に協力を相談する")
    assert item.meeting == meeting and item.due_on == datetime.date(2025, 5, 15)
    assert history_reasons(item) == ["宿題を登録"]

    # status update from the list
    response = client.post(
        f"/bodies/action-items/{item.pk}/status/",
        {"status": "done", "next": "/bodies/action-items/"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.completed_on == timezone.localdate()
    assert history_reasons(item)[0] == "宿題を更新"


def test_an_action_item_without_owner_is_refused_with_a_clear_message(client_as, kawara_body):
    body = kawara_body["body"]
    response = client_as("kawara").post(
        f"/bodies/{body.pk}/action-items/new/", {"title": "誰かがやる", "status": "open"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "宿題の担当者（人または団体・部署）を指定してください。" in page
    assert 'value="誰かがやる"' in page
    assert not ActionItem.objects.filter(title="誰かがやる").exists()


def test_action_item_list_puts_overdue_items_first(client_as, kawara_body, admin):
    body = kawara_body["body"]
    today = timezone.localdate()
    hoken = org("保険健康課")
    for title, due in (
        ("来月の宿題", today + datetime.timedelta(days=30)),
        ("遅れている宿題", today - datetime.timedelta(days=3)),
        ("期限なしの宿題", None),
    ):
        services.action_item_create(
            body=body,
            fields=ActionItemFields(title=title, owner_organisation=hoken, due_on=due),
            actor=admin,
        )
    page = client_as("kawara").get("/bodies/action-items/").content.decode()
    assert page.index("遅れている宿題") < page.index("来月の宿題") < page.index("期限なしの宿題")
    assert "期限を過ぎた宿題が1件あります。" in page
    body_page = client_as("kawara").get(f"/bodies/{body.pk}/").content.decode()
    assert "期限切れ" in body_page.split('id="actions"')[1]


def test_readers_see_action_items_but_cannot_change_them(client_as, kawara_body, admin):
    item = services.action_item_create(
        body=kawara_body["body"],
        fields=ActionItemFields(title="見守りの名簿を作る", owner_organisation=org("保険健康課")),
        actor=admin,
    )
    reader = client_as("kawara-council")
    page = reader.get("/bodies/action-items/").content.decode()
    assert "見守りの名簿を作る" in page
    assert f"/bodies/action-items/{item.pk}/status/" not in page
    response = reader.post(f"/bodies/action-items/{item.pk}/status/", {"status": "done"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "open" and history_reasons(item) == ["宿題を登録"]


def test_dashboard_panel_shows_my_bodies_with_next_meeting(
    client_as, kawara_body, admin, user_named
):
    body, people = kawara_body["body"], kawara_body["people"]
    make_meeting(body, admin, timezone.localdate() + datetime.timedelta(days=7))
    kawara = user_named("kawara")
    people["hoken"].__class__.objects.filter(pk=people["hoken"].pk).update(user=kawara)
    page = client_as("kawara").get("/dashboard/").content.decode()
    assert "会議体と宿題" in page
    assert "自分が構成員の会議体" in page and body.name in page


# --- certification -----------------------------------------------------------------------


@pytest.fixture
def resident_body(admin, municipality):
    """A resident-led body of 香春町 with three member organisations, one a resident council."""
    kawara = municipality("香春町")
    sc = person("支援 さくら", org("香春町社会福祉協議会"), admin, title="生活支援コーディネーター")
    body = make_body(
        kawara,
        admin,
        name="採銅所 支えあい座談会",
        kind="mutual_support_forum",
        layer=2,
        is_resident_led=True,
        purpose="地域で暮らす人の困りごとを話し合う",  # no keyword: needs a reviewer's judgement
        coordinator=sc,
    )
    for name in ("採銅所地域コミュニティ協議会", "区長会", "老人クラブ"):
        services.member_add(body=body, actor=admin, organisation=org(name))
    return body


def test_certification_from_application_to_the_public_list(client_as, resident_body, client):
    kawara = client_as("kawara")
    # rules (認定要領) for 香春町
    response = kawara.post(
        "/bodies/certification/rules/new/",
        {
            "name": "香春町 住民主体の協議体認定要領",
            "effective_from": "令和6年10月1日",
            "min_member_organisations": "3",
            "require_resident_organisation": "on",
            "require_mutual_support_purpose": "on",
            "purpose_keywords": "支えあい,支え合い,高齢者",
            "require_supporting_coordinator": "on",
            "validity_years": "3",
            "number_prefix": "香春第",
        },
    )
    assert response.status_code == 302
    rules = CertificationRules.objects.get(name="香春町 住民主体の協議体認定要領")
    assert history_reasons(rules) == ["認定要領を保存"]

    # apply with a document
    response = kawara.post(
        f"/bodies/{resident_body.pk}/certification/apply/",
        {
            "rules": rules.pk,
            "submitted_on": "令和7年1月10日",
            "document_title": "認定申請書",
            "document_file": SimpleUploadedFile("shinsei.pdf", b"%PDF-1.4 test", "application/pdf"),
        },
    )
    assert response.status_code == 302
    application = CertificationApplication.objects.get(body=resident_body)
    assert application.status == "submitted"
    assert application.review["member_organisations"]["result"] == "pass"
    assert application.review["mutual_support_purpose"]["result"] == "manual"
    document = application.documents.get()
    assert kawara.get(f"/bodies/documents/{document.pk}/").status_code == 200

    # review: the purpose needs a person's judgement; the page shows automatic results
    page = kawara.get(f"/bodies/certification/{application.pk}/").content.decode()
    assert "自動判定" in page and "要確認" in page
    response = kawara.post(
        f"/bodies/certification/{application.pk}/review/",
        {"result_mutual_support_purpose": "fail", "note_mutual_support_purpose": "目的が曖昧"},
    )
    assert response.status_code == 302

    # return with a reason
    response = kawara.post(
        f"/bodies/certification/{application.pk}/decide/",
        {"decision": "return", "reason": "目的に高齢者の支えあいを明記してください。"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "returned"
    page = kawara.get(f"/bodies/certification/{application.pk}/").content.decode()
    assert "目的に高齢者の支えあいを明記してください。" in page

    # fix the purpose and resubmit
    services.body_update(
        body=resident_body,
        fields=BodyFields(purpose="高齢者の支えあいを地域で話し合い、実行する"),
        actor=_admin(),
    )
    assert kawara.post(f"/bodies/certification/{application.pk}/resubmit/").status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert all(item["result"] == "pass" for item in application.review.values())

    # certify: a number is assigned
    response = kawara.post(
        f"/bodies/certification/{application.pk}/decide/",
        {"decision": "certify", "decided_on": "令和7年1月20日"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "certified"
    assert application.certificate_number == "香春第2025-001号"
    assert application.certified_on == datetime.date(2025, 1, 20)
    assert application.valid_until == datetime.date(2028, 1, 19)
    assert history_reasons(application)[::-1] == [
        "認定を申請",
        "申請書類を追加: 認定申請書",
        "要件を審査",
        "差し戻し",
        "再申請",
        "認定",
    ]
    page = kawara.get(f"/bodies/certification/{application.pk}/").content.decode()
    steps = page.split("これまでの経過")[1]
    assert steps.index("認定を申請") < steps.index("差し戻し") < steps.index("再申請")

    # the public list (no login)
    public = client.get("/public/bodies/certified/")
    assert public.status_code == 200
    text = public.content.decode()
    assert "採銅所 支えあい座談会" in text and "香春第2025-001号" in text
    assert "令和7年1月20日" in text and "令和10年1月19日" in text

    # renewal: a new application pointing at the certificate
    response = kawara.post(
        f"/bodies/{resident_body.pk}/certification/apply/",
        {"rules": rules.pk, "renewal_of": application.pk},
    )
    assert response.status_code == 302
    renewal = CertificationApplication.objects.exclude(pk=application.pk).get(body=resident_body)
    assert renewal.renewal_of == application
    assert history_reasons(renewal) == ["更新を申請"]


def test_an_unmet_requirement_blocks_certification_with_a_clear_message(
    client_as, resident_body, admin
):
    rules = services.certification_rules_save(
        municipality=resident_body.municipality,
        fields=RulesFields(
            name="要領", effective_from=datetime.date(2024, 10, 1), min_member_organisations=6
        ),
        actor=admin,
    )
    application = services.certification_apply(body=resident_body, rules=rules, actor=admin)
    kawara = client_as("kawara")
    response = kawara.post(
        f"/bodies/certification/{application.pk}/decide/", {"decision": "certify"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "満たしていない（または未確認の）要件があります: 構成団体が6以上" in page
    application.refresh_from_db()
    assert application.status == "submitted" and not application.certificate_number
    assert history_reasons(application) == ["認定を申請"]


def test_returning_without_a_reason_is_refused(client_as, resident_body, admin):
    rules = services.certification_rules_save(
        municipality=resident_body.municipality,
        fields=RulesFields(name="要領", effective_from=datetime.date(2024, 10, 1)),
        actor=admin,
    )
    application = services.certification_apply(body=resident_body, rules=rules, actor=admin)
    response = client_as("kawara").post(
        f"/bodies/certification/{application.pk}/decide/", {"decision": "return", "reason": " "}
    )
    assert response.status_code == 400
    assert "差し戻しの理由を入力してください。" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_application_documents_are_not_found_for_other_municipalities_and_anonymous(
    client_as, resident_body, admin, client
):
    rules = services.certification_rules_save(
        municipality=resident_body.municipality,
        fields=RulesFields(name="要領", effective_from=datetime.date(2024, 10, 1)),
        actor=admin,
    )
    application = services.certification_apply(body=resident_body, rules=rules, actor=admin)
    document = services.certification_document_add(
        application=application,
        title="名簿",
        file=SimpleUploadedFile("meibo.pdf", b"%PDF-1.4", "application/pdf"),
        actor=admin,
    )
    assert client_as("kawara").get(f"/bodies/documents/{document.pk}/").status_code == 200
    assert client_as("saiki").get(f"/bodies/documents/{document.pk}/").status_code == 404
    assert client.get(f"/bodies/documents/{document.pk}/").status_code == 404
    assert client_as("saiki").get(f"/bodies/certification/{application.pk}/").status_code == 404


def test_anonymous_users_are_sent_to_login(kawara_body):
    response = Client().get(f"/bodies/{kawara_body['body'].pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_meeting_page_links_to_raise_an_issue_only_when_the_issues_pages_exist(
    client_as, kawara_body, admin
):
    from django.urls import NoReverseMatch, reverse

    meeting = make_meeting(kawara_body["body"], admin, datetime.date(2025, 4, 17))
    page = client_as("kawara").get(f"/bodies/meetings/{meeting.pk}/").content.decode()
    try:
        create_url = reverse("regional_issues:create")
    except NoReverseMatch:
        assert "この会議から地域課題を登録" not in page
    else:
        assert f"{create_url}?body={kawara_body['body'].pk}&amp;meeting={meeting.pk}" in page


def test_an_application_document_is_added_from_its_upload_page(client_as, resident_body, admin):
    rules = services.certification_rules_save(
        municipality=resident_body.municipality,
        fields=RulesFields(name="要領", effective_from=datetime.date(2024, 10, 1)),
        actor=admin,
    )
    application = services.certification_apply(body=resident_body, rules=rules, actor=admin)
    kawara = client_as("kawara")
    url = f"/bodies/certification/{application.pk}/documents/new/"
    page = kawara.get(url)
    assert page.status_code == 200 and "申請書類の追加" in page.content.decode()
    refused = kawara.post(
        url, {"file": SimpleUploadedFile("x.html", b"<script></script>", "text/html")}
    )
    assert refused.status_code == 400
    assert not application.documents.exists()
    response = kawara.post(
        url,
        {"title": "名簿", "file": SimpleUploadedFile("meibo.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/bodies/certification/{application.pk}/"
    assert list(application.documents.values_list("title", flat=True)) == ["名簿"]
    assert client_as("saiki").get(url).status_code == 404
