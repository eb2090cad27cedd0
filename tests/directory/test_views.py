"""Directory pages for signed-in users: search, organisations, people, resources, the stale
list and the district view. Test data is written through the services, as ``admin``."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tsunagu.areas.models import District
from tsunagu.core.actions import display_reason
from tsunagu.directory import services
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Organisation,
    Person,
    PersonRole,
    Resource,
)
from tsunagu.directory.services import OrganisationFields, PersonFields, ResourceFields

pytestmark = pytest.mark.django_db


# --- helpers ---------------------------------------------------------------------------


def _org(name, municipality, admin, **extra):
    data = {"name": name, "org_type": "volunteer_group", "municipality": municipality}
    data.update(extra)
    return services.organisation_create(fields=OrganisationFields(**data), actor=admin)


def _resource(name, provider, admin, category="shopping", **extra):
    data = {"name": name, "provider": provider, "category": Category.objects.get(code=category)}
    data.update(extra)
    return services.resource_create(fields=ResourceFields(**data), actor=admin)


@pytest.fixture
def admin(user_named):
    return user_named("admin")


@pytest.fixture
def saiki_partner(admin, municipality):
    """A 佐伯市 group visible to partners only, with a partner-only resource and a contact."""
    saiki = municipality("佐伯市")
    org = _org("上浦おたすけ会", saiki, admin, visibility="partners")
    resource = _resource("上浦の買い物送迎", org, admin, visibility="partners")
    person = services.person_create(
        fields=PersonFields(name="佐伯 花子", phone="0972-00-0000"),
        actor=admin,
        organisation=org,
        title="会長",
    )
    return {"organisation": org, "resource": resource, "person": person}


@pytest.fixture
def alarm(admin):
    """A town service serving the whole of 香春町 (like the report's 緊急通報装置の貸与)."""
    return _resource(
        "テスト用 緊急通報装置の貸出",
        _hoken_kenko(),
        admin,
        category="emergency-alarm",
        serves_whole_municipality=True,
        eligibility=list(Eligibility.objects.filter(code="living-alone")),
        visibility="partners",
    )


def _council():
    return Organisation.objects.get(name="採銅所地域コミュニティ協議会")


def _hoken_kenko():
    return Organisation.objects.get(name="保険健康課", municipality__name="香春町")


def _organisation_post(org, **changes):
    """What the edit form posts for ``org`` unchanged, with ``changes`` applied."""

    def text(value):
        return "" if value is None else str(value)

    data = {
        "name": org.name,
        "name_kana": org.name_kana,
        "org_type": org.org_type,
        "parent": text(org.parent_id),
        "description": org.description,
        "status": org.status,
        "founded_on": "",
        "daily_life_areas": [str(a.pk) for a in org.daily_life_areas.all()] if org.pk else [],
        "districts": [str(d.pk) for d in org.districts.all()] if org.pk else [],
        "postal_code": org.postal_code,
        "address": org.address,
        "latitude": text(org.latitude),
        "longitude": text(org.longitude),
        "phone": org.phone,
        "email": org.email,
        "website": org.website,
        "strengths": org.strengths,
        "strength_tags": "、".join(t.name for t in org.strength_tags.all()) if org.pk else "",
        "problems": org.problems,
        "problem_tags": "、".join(t.name for t in org.problem_tags.all()) if org.pk else "",
        "visibility": org.visibility,
        "source": org.source,
    }
    if org.serves_whole_municipality:
        data["serves_whole_municipality"] = "on"
    data.update(changes)
    return data


def _schedule_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _resource_post(provider, **changes):
    data = {
        "name": "",
        "name_kana": "",
        "provider": str(provider.pk),
        "category": str(Category.objects.get(code="shopping").pk),
        "description": "",
        "status": "active",
        "eligibility_note": "",
        "cost_yen": "",
        "cost_note": "",
        "capacity": "",
        "schedule_note": "",
        "started_on": "",
        "how_to_apply": "",
        "contact_phone": "",
        "website": "",
        "funding_basis": "",
        "sogo_service_type": "",
        "subsidy_name": "",
        "visibility": "partners",
        "source": "",
        "new_location_name": "",
        "new_location_address": "",
        "new_location_latitude": "",
        "new_location_longitude": "",
        **_schedule_management("slots"),
        **_schedule_management("sessions"),
    }
    data.update(changes)
    return data


# --- search ----------------------------------------------------------------------------


def test_search_page_requires_login(client):
    response = client.get("/directory/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_search_page_finds_a_resource_of_the_users_municipality(client_as, alarm):
    response = client_as("kawara").get("/directory/", {"q": "緊急通報"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "テスト用 緊急通報装置の貸出" in body
    assert 'name="q" value="緊急通報"' in body


def test_search_page_hides_another_municipalitys_partner_resource(client_as, saiki_partner):
    kawara_body = client_as("kawara").get("/directory/", {"q": "上浦"}).content.decode()
    saiki_body = client_as("saiki").get("/directory/", {"q": "上浦"}).content.decode()
    assert "上浦の買い物送迎" not in kawara_body
    assert "上浦の買い物送迎" in saiki_body


def test_search_page_shows_facet_counts_next_to_filter_options(client_as, admin, municipality):
    provider = _hoken_kenko()
    _resource("香春ふれあい買い物便", provider, admin)
    body = client_as("kawara").get("/directory/", {"q": "ふれあい買い物便"}).content.decode()
    assert 'name="kind" value="resource"' in body
    assert '地域資源 <span class="facet-count">1<span class="sr-only">件</span></span>' in body
    shopping = Category.objects.get(code="shopping")
    assert f'<option value="{shopping.pk}">　└ 買い物支援（1）</option>' in body


def test_search_page_filters_by_kind_and_keeps_the_filter_checked(client_as, alarm):
    body = client_as("kawara").get("/directory/", {"kind": "organisation"}).content.decode()
    assert 'value="organisation" checked' in body
    assert "テスト用 緊急通報装置の貸出" not in body
    assert "採銅所地域コミュニティ協議会" in body


def test_search_page_paginates_with_the_query_kept(client_as, admin):
    provider = _hoken_kenko()
    for n in range(21):
        _resource(f"ページ送り確認用サロン{n:02d}", provider, admin, category="gathering")
    client = client_as("kawara")
    first = client.get("/directory/", {"q": "ページ送り確認用サロン"}).content.decode()
    second = client.get("/directory/", {"q": "ページ送り確認用サロン", "page": "2"})
    assert "1 / 2 ページ" in first
    assert "page=2" in first and "q=%E3%83%9A" in first
    assert second.status_code == 200
    assert second.content.decode().count('class="hit"') == 1


def test_search_page_ignores_a_bad_filter_value(client_as):
    response = client_as("kawara").get("/directory/", {"category": "abc", "weekday": "9"})
    assert response.status_code == 200


# --- organisations ---------------------------------------------------------------------


def test_organisation_page_shows_type_parent_and_provided_resources(client_as, alarm):
    org = _hoken_kenko()
    response = client_as("kawara").get(f"/directory/organisations/{org.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "行政部署" in body
    assert "香春町</a>" in body  # the parent (町役場)
    assert "テスト用 緊急通報装置の貸出" in body
    assert "確認済みにする" in body


def test_organisation_page_of_another_municipality_is_404(client_as, saiki_partner):
    org = saiki_partner["organisation"]
    assert client_as("kawara").get(f"/directory/organisations/{org.pk}/").status_code == 404
    assert client_as("saiki").get(f"/directory/organisations/{org.pk}/").status_code == 200


def test_organisation_page_shows_personal_contact_only_inside_the_municipality(client_as, admin):
    # given: a national body's contact (no municipality: nobody but admins has that scope)
    national = services.organisation_create(
        fields=OrganisationFields(
            name="九州テスト局", org_type="department", visibility="partners"
        ),
        actor=admin,
    )
    services.person_create(
        fields=PersonFields(name="国 太郎", phone="092-000-1111"),
        actor=admin,
        organisation=national,
        title="担当",
    )
    # when
    body = client_as("kawara").get(f"/directory/organisations/{national.pk}/").content.decode()
    # then
    assert "国 太郎" in body
    assert "092-000-1111" not in body
    assert "連絡先はこの市町村の利用者だけに表示されます" in body


def test_organisation_page_shows_founded_date_in_wareki(client_as, admin):
    council = _council()
    services.organisation_update(
        organisation=council,
        fields=OrganisationFields(founded_on=datetime.date(2016, 4, 1)),
        actor=admin,
    )
    body = client_as("kawara").get(f"/directory/organisations/{council.pk}/").content.decode()
    assert "平成28年4月1日" in body


def test_council_member_can_edit_their_own_council(client_as, user_named):
    council = _council()
    before = council.history.count()
    response = client_as("kawara-council").post(
        f"/directory/organisations/{council.pk}/edit/",
        _organisation_post(
            council,
            description="六つの部会で活動しています。",
            strength_tags="見守り、健康相談",
            founded_on="令和元年5月1日",
        ),
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.description == "六つの部会で活動しています。"
    assert council.founded_on == datetime.date(2019, 5, 1)
    assert sorted(t.name for t in council.strength_tags.all()) == ["健康相談", "見守り"]
    assert council.history.count() > before
    assert council.history.first().history_user == user_named("kawara-council")


def test_council_member_cannot_edit_the_town_department(client_as):
    department = _hoken_kenko()
    client = client_as("kawara-council")
    before = (department.description, department.history.count())
    assert client.get(f"/directory/organisations/{department.pk}/edit/").status_code == 403
    response = client.post(
        f"/directory/organisations/{department.pk}/edit/",
        _organisation_post(department, description="書き換え"),
    )
    assert response.status_code == 403
    department.refresh_from_db()
    assert (department.description, department.history.count()) == before


def test_council_member_page_offers_edit_only_on_their_council(client_as):
    client = client_as("kawara-council")
    own = client.get(f"/directory/organisations/{_council().pk}/").content.decode()
    other = client.get(f"/directory/organisations/{_hoken_kenko().pk}/").content.decode()
    assert f"/directory/organisations/{_council().pk}/edit/" in own
    assert "/edit/" not in other
    assert "確認済みにする" not in other


def test_edit_with_a_bad_phone_keeps_what_was_typed_and_saves_nothing(client_as):
    council = _council()
    before = council.history.count()
    response = client_as("kawara").post(
        f"/directory/organisations/{council.pk}/edit/",
        _organisation_post(council, phone="でんわ0947", description="新しい説明"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "電話番号は数字とハイフンで入力してください" in body
    assert 'value="でんわ0947"' in body
    assert "新しい説明" in body
    council.refresh_from_db()
    assert council.phone == "" and council.description != "新しい説明"
    assert council.history.count() == before


def test_edit_with_an_impossible_wareki_date_says_how_to_write_it_and_saves_nothing(client_as):
    council = _council()
    before = council.history.count()
    response = client_as("kawara").post(
        f"/directory/organisations/{council.pk}/edit/",
        _organisation_post(council, founded_on="平成32年1月1日", description="変更"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "令和2年1月1日と書いてください" in body
    assert 'value="平成32年1月1日"' in body
    council.refresh_from_db()
    assert council.founded_on is None and council.description != "変更"
    assert council.history.count() == before


def test_verify_button_records_the_date_the_user_and_a_history_row(client_as, user_named):
    council = _council()
    before = council.history.count()
    response = client_as("kawara").post(f"/directory/organisations/{council.pk}/verify/")
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.last_verified_on == timezone.localdate()
    assert council.last_verified_by == user_named("kawara")
    assert council.history.count() == before + 1
    assert (
        display_reason(council.history.first().history_change_reason)
        == "情報が最新であることを確認"
    )


def test_verify_is_refused_for_a_record_the_user_may_not_edit(client_as):
    department = _hoken_kenko()
    before = department.history.count()
    response = client_as("kawara-council").post(f"/directory/organisations/{department.pk}/verify/")
    assert response.status_code == 403
    department.refresh_from_db()
    assert department.last_verified_on is None
    assert department.history.count() == before


def test_verify_needs_post(client_as):
    response = client_as("kawara").get(f"/directory/organisations/{_council().pk}/verify/")
    assert response.status_code == 405


def test_staff_creates_an_organisation_with_wareki_date_tags_and_a_district(
    client_as, user_named, municipality
):
    kawara = municipality("香春町")
    district = District.objects.get(municipality=kawara, name="採銅所地域")
    data = _organisation_post(
        Organisation(municipality=kawara),
        name="採銅所みまもり隊",
        org_type="volunteer_group",
        status="active",
        visibility="partners",
        founded_on="R5.4.1",
        problem_tags="担い手不足, 高齢化",
        districts=[str(district.pk)],
        phone="0947-00-0000",
    )
    response = client_as("kawara").post(
        f"/directory/organisations/new/?municipality={kawara.pk}", data
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="採銅所みまもり隊")
    assert response["Location"] == f"/directory/organisations/{org.pk}/"
    assert org.municipality == kawara
    assert org.founded_on == datetime.date(2023, 4, 1)
    assert sorted(t.name for t in org.problem_tags.all()) == ["担い手不足", "高齢化"]
    assert list(org.districts.all()) == [district]
    assert org.history.first().history_user == user_named("kawara")


def test_organisation_form_offers_only_the_organisations_own_municipality_areas(
    client_as, municipality
):
    saiki_district = District.objects.filter(municipality=municipality("佐伯市")).first()
    assert saiki_district is not None
    council = _council()
    client = client_as("kawara")
    form = client.get(f"/directory/organisations/{council.pk}/edit/").content.decode()
    assert "採銅所地域" in form
    assert saiki_district.name not in form
    # when: a district of another municipality is posted anyway
    before = council.history.count()
    response = client.post(
        f"/directory/organisations/{council.pk}/edit/",
        _organisation_post(council, districts=[str(saiki_district.pk)]),
    )
    # then
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert saiki_district not in council.districts.all()
    assert council.history.count() == before


def test_creating_an_organisation_in_another_municipality_is_refused(client_as, municipality):
    saiki = municipality("佐伯市")
    count = Organisation.objects.count()
    response = client_as("kawara").post(
        f"/directory/organisations/new/?municipality={saiki.pk}",
        _organisation_post(Organisation(), name="越境団体", org_type="other"),
    )
    assert response.status_code in (403, 404)
    assert Organisation.objects.count() == count


def test_organisation_history_page_lists_the_change(client_as, admin):
    council = _council()
    services.organisation_update(
        organisation=council, fields=OrganisationFields(description="履歴確認用"), actor=admin
    )
    response = client_as("kawara").get(f"/directory/organisations/{council.pk}/history/")
    assert response.status_code == 200
    assert "履歴確認用" in response.content.decode()


# --- people ----------------------------------------------------------------------------


def test_person_of_another_municipality_is_404(client_as, saiki_partner):
    person = saiki_partner["person"]
    assert client_as("kawara").get(f"/directory/people/{person.pk}/").status_code == 404
    assert client_as("kawara").get(f"/directory/people/{person.pk}/edit/").status_code == 404
    assert client_as("kawara").get(f"/directory/people/{person.pk}/history/").status_code == 404
    saiki = client_as("saiki").get(f"/directory/people/{person.pk}/")
    assert saiki.status_code == 200
    assert "0972-00-0000" in saiki.content.decode()


def test_person_is_created_from_the_organisation_page_with_a_role(client_as, user_named):
    department = _hoken_kenko()
    response = client_as("kawara").post(
        f"/directory/organisations/{department.pk}/people/new/",
        {
            "title": "地域支援係長",
            "name": "香春 一郎",
            "name_kana": "かわら いちろう",
            "phone": "0947-32-2511",
            "email": "",
            "preferred_contact": "phone",
            "note": "",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(name="香春 一郎")
    role = person.roles.get()
    assert (role.organisation, role.title) == (department, "地域支援係長")
    assert person.history.first().history_user == user_named("kawara")
    body = client_as("kawara").get(f"/directory/organisations/{department.pk}/").content.decode()
    assert "香春 一郎" in body and "0947-32-2511" in body


def test_person_with_a_bad_phone_is_not_created(client_as):
    department = _hoken_kenko()
    count = Person.objects.count()
    response = client_as("kawara").post(
        f"/directory/organisations/{department.pk}/people/new/",
        {"title": "担当", "name": "誤入力 次郎", "phone": "abc"},
    )
    assert response.status_code == 200
    assert "電話番号は数字とハイフンで入力してください" in response.content.decode()
    assert Person.objects.count() == count


def test_ending_a_role_keeps_it_with_its_end_date(client_as, admin):
    department = _hoken_kenko()
    person = services.person_create(
        fields=PersonFields(name="異動 三郎"), actor=admin, organisation=department, title="担当"
    )
    role = person.roles.get()
    response = client_as("kawara").post(
        f"/directory/roles/{role.pk}/end/", {"ends_on": "令和7年3月31日"}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.ends_on == datetime.date(2025, 3, 31)
    assert PersonRole.objects.filter(pk=role.pk).exists()
    assert display_reason(role.history.first().history_change_reason) == "団体での役割を終了"
    body = client_as("kawara").get(f"/directory/people/{person.pk}/").content.decode()
    assert "令和7年3月31日" in body


def test_adding_a_role_in_another_organisation(client_as, admin):
    department = _hoken_kenko()
    person = services.person_create(
        fields=PersonFields(name="兼務 四郎"), actor=admin, organisation=department, title="担当"
    )
    response = client_as("kawara").post(
        f"/directory/people/{person.pk}/roles/new/",
        {
            "organisation": str(_council().pk),
            "title": "事務局（兼務）",
            "starts_on": "令和6年4月1日",
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    role = person.roles.get(organisation=_council())
    assert role.starts_on == datetime.date(2024, 4, 1)


def test_council_member_cannot_end_a_role_in_the_town_department(client_as, admin):
    person = services.person_create(
        fields=PersonFields(name="町 職員"), actor=admin, organisation=_hoken_kenko(), title="担当"
    )
    role = person.roles.get()
    response = client_as("kawara-council").post(
        f"/directory/roles/{role.pk}/end/", {"ends_on": "令和7年3月31日"}
    )
    assert response.status_code == 403
    role.refresh_from_db()
    assert role.ends_on is None


def test_person_edit_records_history(client_as, admin, user_named):
    person = services.person_create(
        fields=PersonFields(name="編集 五郎"), actor=admin, organisation=_council(), title="会長"
    )
    response = client_as("kawara-council").post(
        f"/directory/people/{person.pk}/edit/",
        {"name": "編集 五郎", "name_kana": "へんしゅう ごろう", "phone": "", "email": ""},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name_kana == "へんしゅう ごろう"
    assert person.history.first().history_user == user_named("kawara-council")
    assert client_as("kawara").get(f"/directory/people/{person.pk}/history/").status_code == 200


# --- resources -------------------------------------------------------------------------


def test_resource_page_shows_provider_category_path_and_eligibility(client_as, alarm):
    resource = alarm
    response = client_as("kawara").get(f"/directory/resources/{resource.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "保険健康課" in body
    assert "生活支援 › 見守り・安否確認 › 緊急通報装置" in body
    assert "一人暮らしの方" in body


def test_partner_resource_of_another_municipality_is_404(client_as, saiki_partner):
    resource = saiki_partner["resource"]
    client = client_as("kawara")
    assert client.get(f"/directory/resources/{resource.pk}/").status_code == 404
    assert client.get(f"/directory/resources/{resource.pk}/edit/").status_code == 404
    assert client.post(f"/directory/resources/{resource.pk}/verify/").status_code == 404


def test_resource_is_created_with_weekly_slots_and_wareki_sessions(client_as, user_named):
    council = _council()
    data = _resource_post(
        council,
        name="採銅所 健康相談",
        category=str(Category.objects.get(code="health-consultation").pk),
        eligibility=[str(Eligibility.objects.get(code="age-65").pk)],
        cost_note="無料",
        new_location_name="採銅所公民館（テスト）",
        new_location_latitude="33.7000",
        new_location_longitude="130.8500",
        **_schedule_management("slots", total=2),
        **{"slots-0-weekday": "2", "slots-0-week_of_month": "2", "slots-0-opens_at": "10:00"},
        **{"slots-0-closes_at": "12:00", "slots-1-weekday": "", "slots-1-week_of_month": ""},
        **_schedule_management("sessions", total=2),
        **{"sessions-0-date": "令和7年5月14日", "sessions-0-note": "保健師による相談"},
        **{"sessions-1-date": "2025-06-11"},
    )
    response = client_as("kawara-council").post(
        f"/directory/resources/new/?provider={council.pk}", data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get(name="採銅所 健康相談")
    slot = resource.weekly_slots.get()
    assert (slot.weekday, slot.week_of_month, slot.opens_at) == (2, 2, datetime.time(10, 0))
    assert sorted(s.date for s in resource.sessions.all()) == [
        datetime.date(2025, 5, 14),
        datetime.date(2025, 6, 11),
    ]
    location = resource.locations.get()
    assert location.name == "採銅所公民館（テスト）" and location.latitude is not None
    assert resource.history.first().history_user == user_named("kawara-council")


def test_resource_with_a_bad_session_date_is_not_created(client_as):
    council = _council()
    count = Resource.objects.count()
    data = _resource_post(
        council,
        name="日付誤り サロン",
        **_schedule_management("sessions", total=1),
        **{"sessions-0-date": "平成32年1月1日"},
    )
    response = client_as("kawara").post(f"/directory/resources/new/?provider={council.pk}", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "令和2年1月1日と書いてください" in body
    assert 'value="平成32年1月1日"' in body and 'value="日付誤り サロン"' in body
    assert Resource.objects.count() == count


def test_a_schedule_row_with_a_time_but_no_weekday_is_refused(client_as):
    council = _council()
    count = Resource.objects.count()
    data = _resource_post(
        council,
        name="曜日なし サロン",
        **_schedule_management("slots", total=1),
        **{"slots-0-weekday": "", "slots-0-week_of_month": "", "slots-0-opens_at": "10:00"},
    )
    response = client_as("kawara").post(f"/directory/resources/new/?provider={council.pk}", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "曜日を選んでください。" in body
    assert "日程の入力内容を確認してください" in body
    assert Resource.objects.count() == count


def test_editing_a_resource_without_touching_the_schedule_keeps_it(client_as, admin):
    council = _council()
    resource = _resource(
        "サロン 日程維持",
        council,
        admin,
        category="gathering",
        weekly_slots=[{"weekday": 0}],
    )
    slot_ids = list(resource.weekly_slots.values_list("pk", flat=True))
    data = _resource_post(
        council,
        name="サロン 日程維持",
        description="説明を追加",
        category=str(resource.category_id),
        **_schedule_management("slots", total=1, initial=1),
        **{"slots-0-weekday": "0", "slots-0-week_of_month": ""},
    )
    response = client_as("kawara").post(f"/directory/resources/{resource.pk}/edit/", data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.description == "説明を追加"
    assert list(resource.weekly_slots.values_list("pk", flat=True)) == slot_ids


def test_council_member_cannot_edit_the_town_departments_resource(client_as, alarm):
    resource = alarm
    client = client_as("kawara-council")
    assert client.get(f"/directory/resources/{resource.pk}/edit/").status_code == 403
    assert client.post(f"/directory/resources/{resource.pk}/verify/").status_code == 403
    resource.refresh_from_db()
    assert resource.last_verified_on is None


def test_resource_verify_button_records_who_and_when(client_as, user_named, alarm):
    resource = alarm
    before = resource.history.count()
    response = client_as("kawara").post(
        f"/directory/resources/{resource.pk}/verify/", {"next": "/directory/stale/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/directory/stale/"
    resource.refresh_from_db()
    assert resource.last_verified_on == timezone.localdate()
    assert resource.last_verified_by == user_named("kawara")
    assert resource.history.count() == before + 1


def test_verify_ignores_an_outside_next_address(client_as, alarm):
    resource = alarm
    response = client_as("kawara").post(
        f"/directory/resources/{resource.pk}/verify/", {"next": "https://example.com/"}
    )
    assert response["Location"] == f"/directory/resources/{resource.pk}/"


def test_resource_history_page_opens(client_as, alarm):
    resource = alarm
    response = client_as("kawara").get(f"/directory/resources/{resource.pk}/history/")
    assert response.status_code == 200
    assert "地域資源を登録" in response.content.decode()


# --- stale list ------------------------------------------------------------------------


def test_stale_list_shows_a_record_verified_13_months_ago_but_not_one_verified_yesterday(
    client_as, admin
):
    provider = _hoken_kenko()
    today = timezone.localdate()
    old = _resource("十三か月前に確認した資源", provider, admin)
    fresh = _resource("昨日確認した資源", provider, admin)
    services.resource_verify(resource=old, actor=admin, on=today - datetime.timedelta(days=396))
    services.resource_verify(resource=fresh, actor=admin, on=today - datetime.timedelta(days=1))
    response = client_as("kawara").get("/directory/stale/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "十三か月前に確認した資源" in body
    assert "396日" in body
    assert "昨日確認した資源" not in body


def test_stale_list_hides_other_municipalities_records(client_as, saiki_partner):
    body = client_as("kawara").get("/directory/stale/").content.decode()
    assert "上浦の買い物送迎" not in body


def test_dashboard_panel_links_to_the_stale_list(client_as):
    body = client_as("kawara").get("/dashboard/").content.decode()
    assert 'href="/directory/stale/"' in body


# --- district view ---------------------------------------------------------------------


def test_district_view_lists_resources_by_category_and_the_categories_with_nothing(
    client_as, alarm
):
    district = District.objects.get(name="採銅所地域")
    response = client_as("kawara").get(f"/directory/area/district/{district.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "テスト用 緊急通報装置の貸出" in body  # serves the whole town, so this district too
    assert "見守り・安否確認" in body
    empty = body.split("この地区で登録されていない分類", 1)[1]
    assert "防災" in empty
    assert "テスト用 緊急通報装置の貸出" not in empty


def test_district_view_of_another_municipality_is_404(client_as, municipality):
    district = District.objects.get(name="採銅所地域")
    assert client_as("saiki").get(f"/directory/area/district/{district.pk}/").status_code == 404
    assert client_as("kawara").get("/directory/area/prefecture/1/").status_code == 404


def test_municipality_view_lists_its_resources(client_as, municipality, alarm):
    kawara = municipality("香春町")
    response = client_as("kawara").get(f"/directory/area/municipality/{kawara.pk}/")
    assert response.status_code == 200
    assert "テスト用 緊急通報装置の貸出" in response.content.decode()
