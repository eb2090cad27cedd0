"""The directory REST API (/api/v1/): public reads, tokens, scoped reads and writes, errors."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from tsunagu.areas.models import District
from tsunagu.core.actions import display_reason
from tsunagu.directory import services
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Organisation,
    Person,
    Resource,
    Visibility,
)
from tsunagu.directory.services import OrganisationFields, PersonFields, ResourceFields

API = "/api/v1"
DIR = f"{API}/directory"
PASSWORD = "tsunagu-demo"  # tsunagu.demo.loader.DEMO_PASSWORD


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    # Throttle counters live in the cache, which outlives each test's transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kawara_records(db: Any, user_named: Any, municipality: Any) -> dict[str, Any]:
    """A public provider in 香春町 with a public, a partners-only and an internal resource."""
    admin = user_named("admin")
    kawara = municipality("香春町")
    provider = services.organisation_create(
        fields=OrganisationFields(
            name="APIテスト 香春町ボランティアの会",
            org_type="volunteer_group",
            municipality=kawara,
            visibility=Visibility.PUBLIC,
        ),
        actor=admin,
    )
    shopping = Category.objects.get(code="shopping")
    watching = Category.objects.get(code="watching")
    district = District.objects.get(municipality=kawara, name="採銅所地域")

    def resource(name: str, visibility: str, category: Category, **extra: Any) -> Resource:
        return services.resource_create(
            fields=ResourceFields(
                **{
                    "name": name,
                    "provider": provider,
                    "category": category,
                    "visibility": visibility,
                    **extra,
                }
            ),
            actor=admin,
        )

    return {
        "provider": provider,
        "district": district,
        "public": resource(
            "APIテスト 買い物支援（公開）",
            Visibility.PUBLIC,
            shopping,
            districts=[district],
            eligibility=list(Eligibility.objects.filter(code="age-65")),
            weekly_slots=[
                {
                    "weekday": 2,
                    "week_of_month": 2,
                    "opens_at": datetime.time(10),
                    "closes_at": datetime.time(12),
                }
            ],
        ),
        "partners": resource("APIテスト 見守り（関係者）", Visibility.PARTNERS, watching),
        "internal": resource("APIテスト 内部メモ資源", Visibility.INTERNAL, watching),
    }


def _token(client: Client, username: str) -> str:
    response = client.post(
        f"{API}/auth/token",
        data={"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _bearer(username: str) -> Client:
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {_token(client, username)}"
    return client


def _post(client: Client, url: str, payload: Any) -> Any:
    return client.post(url, data=json.dumps(payload), content_type="application/json")


def _patch(client: Client, url: str, payload: Any) -> Any:
    return client.patch(url, data=json.dumps(payload), content_type="application/json")


def _stored(obj: Any) -> dict[str, Any]:
    """Stored columns and history length: what "nothing changed" compares."""
    model = type(obj)
    return {
        "row": model._default_manager.filter(pk=obj.pk).values().get(),
        "history": obj.history.count(),
    }


def _names(response: Any) -> set[str]:
    return {item["name"] for item in response.json()["items"]}


# --- public ---------------------------------------------------------------------------


def test_public_list_shows_only_public_resources(kawara_records: dict[str, Any]) -> None:
    response = Client().get(f"{DIR}/public/resources", {"per_page": 100})

    assert response.status_code == 200
    body = response.json()
    names = _names(response)
    assert "APIテスト 買い物支援（公開）" in names
    assert "APIテスト 見守り（関係者）" not in names
    assert "APIテスト 内部メモ資源" not in names
    ids = [item["id"] for item in body["items"]]
    assert set(Resource.objects.filter(pk__in=ids).values_list("visibility", flat=True)) == {
        Visibility.PUBLIC
    }
    assert body["count"] == len(ids)
    assert "visibility" not in body["items"][0]  # internal bookkeeping stays out of the public API


def test_public_list_filters_by_category_code_and_district(
    kawara_records: dict[str, Any],
) -> None:
    client = Client()
    district = kawara_records["district"]

    shopping = client.get(f"{DIR}/public/resources", {"category": "daily-life"})
    by_district = client.get(f"{DIR}/public/resources", {"district": district.pk})
    mobility = client.get(f"{DIR}/public/resources", {"category": "mobility"})

    # daily-life includes its sub-category shopping
    assert "APIテスト 買い物支援（公開）" in _names(shopping)
    assert "APIテスト 買い物支援（公開）" in _names(by_district)
    assert "APIテスト 買い物支援（公開）" not in _names(mobility)


def test_public_list_with_unknown_category_names_the_parameter_in_japanese(db: Any) -> None:
    response = Client().get(f"{DIR}/public/resources", {"category": "no-such-thing"})

    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "category"
    assert "no-such-thing" in error["message"] and "登録されていません" in error["message"]


def test_public_detail_shows_a_public_resource_with_its_schedule(
    kawara_records: dict[str, Any],
) -> None:
    resource = kawara_records["public"]

    response = Client().get(f"{DIR}/public/resources/{resource.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == resource.name
    assert body["category"]["code"] == "shopping"
    assert [e["code"] for e in body["eligibility"]] == ["age-65"]
    assert body["weekly_slots"][0]["label"] == "第2水曜 10:00〜12:00"


def test_partner_only_resource_is_404_anonymously(kawara_records: dict[str, Any]) -> None:
    client = Client()

    partners = client.get(f"{DIR}/public/resources/{kawara_records['partners'].pk}")
    internal = client.get(f"{DIR}/public/resources/{kawara_records['internal'].pk}")

    assert partners.status_code == 404
    assert internal.status_code == 404
    assert partners.json()["detail"] == "見つかりません。"


def test_public_categories_are_the_taxonomy_tree(db: Any) -> None:
    response = Client().get(f"{DIR}/public/categories")

    assert response.status_code == 200
    tree = {node["code"]: node for node in response.json()}
    watching = {c["code"]: c for c in tree["daily-life"]["children"]}["watching"]
    assert [c["code"] for c in watching["children"]] == ["emergency-alarm"]
    assert "escort" in [c["code"] for c in tree["mobility"]["children"]]


def test_public_search_finds_a_resource_by_a_two_character_query(
    kawara_records: dict[str, Any],
) -> None:
    response = Client().get(f"{DIR}/public/resources", {"q": "買物"})

    assert response.status_code == 200
    names = _names(response)
    assert "APIテスト 買い物支援（公開）" in names
    assert "APIテスト 見守り（関係者）" not in names


def test_anonymous_rate_limit_answers_429_in_japanese(db: Any, settings: Any) -> None:
    settings.TSUNAGU_API_ANON_RATE = "3/min"
    client = Client()

    statuses = [client.get(f"{DIR}/public/categories").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get(f"{DIR}/public/resources")
    assert response.status_code == 429
    assert "リクエストが多すぎます" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_rate_limit_ignores_a_made_up_forwarded_for_header(db: Any, settings: Any) -> None:
    settings.TSUNAGU_API_ANON_RATE = "2/min"
    client = Client()

    statuses = [
        client.get(f"{DIR}/public/categories", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


# --- authentication -------------------------------------------------------------------


def test_private_endpoints_answer_401_in_japanese_without_login(db: Any) -> None:
    response = Client().get(f"{DIR}/resources")

    assert response.status_code == 401
    assert "API トークン" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_is_issued_and_lets_a_script_read_partner_resources(
    kawara_records: dict[str, Any],
) -> None:
    client = Client()
    issued = _post(client, f"{API}/auth/token", {"username": "kawara", "password": PASSWORD})
    assert issued.status_code == 200
    body = issued.json()
    assert body["token_type"] == "Bearer"
    expires = datetime.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert expires - datetime.datetime.now(datetime.UTC) > datetime.timedelta(days=89)

    auth = {"HTTP_AUTHORIZATION": f"Bearer {body['token']}"}
    me = client.get(f"{API}/auth/me", **auth)
    listing = client.get(f"{DIR}/resources", {"per_page": 100}, **auth)

    assert me.json()["username"] == "kawara"
    assert listing.status_code == 200
    names = _names(listing)
    assert {"APIテスト 見守り（関係者）", "APIテスト 内部メモ資源"} <= names


def test_token_with_a_wrong_password_is_refused_in_japanese(db: Any) -> None:
    response = _post(Client(), f"{API}/auth/token", {"username": "kawara", "password": "wrong"})

    assert response.status_code == 401
    assert response.json()["detail"] == "ユーザー名またはパスワードが正しくありません。"
    assert "token" not in response.json()


def test_token_issue_is_locked_after_repeated_failures(db: Any, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        _post(client, f"{API}/auth/token", {"username": "kawara", "password": "wrong"})

    response = _post(client, f"{API}/auth/token", {"username": "kawara", "password": PASSWORD})

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "ロック" in response.json()["detail"]


def test_token_issue_is_throttled_per_address(db: Any, settings: Any) -> None:
    settings.TSUNAGU_API_TOKEN_RATE = "2/min"
    client = Client()

    statuses = [
        _post(client, f"{API}/auth/token", {"username": f"nobody{n}", "password": "x"}).status_code
        for n in range(3)
    ]

    assert statuses == [401, 401, 429]


def test_tampered_or_expired_tokens_are_refused(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    token = _token(client, "kawara")

    tampered = client.get(f"{API}/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}x")
    monkeypatch.setattr(
        "tsunagu.core.api.auth.token_max_age", lambda: datetime.timedelta(seconds=-1)
    )
    expired = client.get(f"{API}/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert tampered.status_code == 401
    assert tampered.json()["detail"] == "API トークンが正しくありません。"
    assert expired.status_code == 401
    assert "有効期限が切れています" in expired.json()["detail"]


def test_token_stops_working_after_a_password_change(db: Any, user_named: Any) -> None:
    client = Client()
    token = _token(client, "kawara")
    user = user_named("kawara")
    user.set_password("a-new-password-2025")
    user.save()

    response = client.get(f"{API}/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    assert "無効" in response.json()["detail"]


def test_session_writes_need_the_csrf_token(
    kawara_records: dict[str, Any], user_named: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_named("kawara"))
    url = f"{DIR}/resources/{kawara_records['public'].pk}/verify"
    before = kawara_records["public"].history.count()

    refused = client.post(url)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    accepted = client.post(url, HTTP_X_CSRFTOKEN=secret)

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 200
    assert accepted.json()["last_verified_on"] is not None
    assert kawara_records["public"].history.count() == before + 1


# --- scoping ----------------------------------------------------------------------------


def test_other_municipality_staff_get_404_for_partner_resources(
    kawara_records: dict[str, Any],
) -> None:
    saiki = _bearer("saiki")

    listing = saiki.get(f"{DIR}/resources", {"per_page": 100})
    detail = saiki.get(f"{DIR}/resources/{kawara_records['partners'].pk}")
    public = saiki.get(f"{DIR}/resources/{kawara_records['public'].pk}")

    assert "APIテスト 見守り（関係者）" not in _names(listing)
    assert detail.status_code == 404
    assert public.status_code == 200
    assert public.json()["can_edit"] is False


def test_other_municipality_staff_cannot_update_a_partner_resource(
    kawara_records: dict[str, Any],
) -> None:
    resource = kawara_records["partners"]
    before = _stored(resource)

    response = _patch(_bearer("saiki"), f"{DIR}/resources/{resource.pk}", {"name": "乗っ取り"})

    assert response.status_code == 404
    assert _stored(resource) == before


def test_other_municipality_staff_get_403_updating_a_visible_public_resource(
    kawara_records: dict[str, Any],
) -> None:
    resource = kawara_records["public"]
    before = _stored(resource)

    response = _patch(
        _bearer("saiki"),
        f"{DIR}/resources/{resource.pk}",
        {"name": "乗っ取り", "weekly_slots": []},
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "この操作を行う権限がありません。"
    assert _stored(resource) == before
    assert resource.weekly_slots.count() == 1


def test_other_municipality_staff_cannot_create_under_a_foreign_provider(
    kawara_records: dict[str, Any],
) -> None:
    count = Resource.objects.count()

    response = _post(
        _bearer("saiki"),
        f"{DIR}/resources",
        {
            "name": "よその資源",
            "provider_id": kawara_records["provider"].pk,
            "category_code": "shopping",
        },
    )

    assert response.status_code == 403
    assert Resource.objects.count() == count


# --- writes -----------------------------------------------------------------------------


def test_kawara_staff_create_a_resource_with_codes_districts_and_slots(
    kawara_records: dict[str, Any], user_named: Any
) -> None:
    district = kawara_records["district"]

    response = _post(
        _bearer("kawara"),
        f"{DIR}/resources",
        {
            "name": "APIで登録した移動支援",
            "provider_id": kawara_records["provider"].pk,
            "category_code": "escort",
            "eligibility": ["age-65", "living-alone"],
            "district_ids": [district.pk],
            "weekly_slots": [{"weekday": 0, "opens_at": "09:00", "closes_at": "11:30"}],
            "sessions": [{"date": "令和7年5月14日"}],
            "started_on": "R6.4.1",
            "cost_yen": 100,
            "visibility": "partners",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    resource = Resource.objects.get(pk=body["id"])
    assert resource.municipality.name == "香春町"  # from the provider
    assert sorted(resource.eligibility.values_list("code", flat=True)) == [
        "age-65",
        "living-alone",
    ]
    assert list(resource.districts.all()) == [district]
    assert resource.started_on == datetime.date(2024, 4, 1)
    assert [str(s) for s in resource.weekly_slots.all()] == ["毎週月曜 09:00〜11:30"]
    assert resource.sessions.get().date == datetime.date(2025, 5, 14)
    created = resource.history.earliest("history_date")
    assert created.history_type == "+"
    assert created.history_user == user_named("kawara")
    assert body["can_edit"] is True


def test_kawara_staff_update_a_resource_and_history_records_it(
    kawara_records: dict[str, Any], user_named: Any
) -> None:
    resource = kawara_records["partners"]
    before = resource.history.count()

    response = _patch(
        _bearer("kawara"),
        f"{DIR}/resources/{resource.pk}",
        {"name": "APIテスト 見守り（改称）", "status": "paused", "eligibility": ["anyone"]},
    )

    assert response.status_code == 200, response.content
    resource.refresh_from_db()
    assert resource.name == "APIテスト 見守り（改称）"
    assert resource.status == "paused"
    assert response.json()["status_label"] == "休止"
    assert resource.history.count() > before
    latest = resource.history.latest("history_date")
    assert latest.history_user == user_named("kawara")
    assert display_reason(latest.history_change_reason) == "地域資源を変更"


def test_schedule_only_update_writes_a_history_row(kawara_records: dict[str, Any]) -> None:
    resource = kawara_records["public"]
    before = resource.history.count()

    response = _patch(
        _bearer("kawara"),
        f"{DIR}/resources/{resource.pk}",
        {"weekly_slots": [{"weekday": 4, "week_of_month": None}]},
    )

    assert response.status_code == 200
    assert [s["label"] for s in response.json()["weekly_slots"]] == ["毎週金曜"]
    assert resource.history.count() == before + 1
    assert (
        display_reason(resource.history.latest("history_date").history_change_reason)
        == "日程を変更"
    )


def test_kawara_staff_create_and_update_an_organisation_with_a_wareki_date(
    db: Any, user_named: Any
) -> None:
    client = _bearer("kawara")

    created = _post(
        client,
        f"{DIR}/organisations",
        {
            "name": "APIテスト サロンの会",
            "org_type": "volunteer_group",
            "founded_on": "令和元年5月1日",
            "strength_tags": ["送迎", "傾聴"],
        },
    )
    assert created.status_code == 201, created.content
    organisation = Organisation.objects.get(pk=created.json()["id"])
    updated = _patch(
        client, f"{DIR}/organisations/{organisation.pk}", {"status": "paused", "phone": ""}
    )

    assert organisation.municipality.name == "香春町"  # the user's only municipality
    assert organisation.founded_on == datetime.date(2019, 5, 1)
    assert sorted(created.json()["strength_tags"]) == ["傾聴", "送迎"]
    assert updated.status_code == 200
    assert updated.json()["status"] == "paused"
    reasons = [
        display_reason(r)
        for r in organisation.history.values_list("history_change_reason", flat=True)
    ]
    assert "団体を登録" in reasons and "団体の情報を変更" in reasons
    assert organisation.history.latest("history_date").history_user == user_named("kawara")


def test_organisation_list_is_scoped_and_filtered(kawara_records: dict[str, Any]) -> None:
    kawara = _bearer("kawara")

    volunteer = kawara.get(f"{DIR}/organisations", {"org_type": "volunteer_group"})
    departments = kawara.get(f"{DIR}/organisations", {"org_type": "department"})

    assert "APIテスト 香春町ボランティアの会" in _names(volunteer)
    assert "APIテスト 香春町ボランティアの会" not in _names(departments)
    assert {i["org_type"] for i in departments.json()["items"]} == {"department"}


def test_organisation_member_edits_own_council_but_not_the_town(db: Any) -> None:
    council = Organisation.objects.get(name="採銅所地域コミュニティ協議会")
    town_department = Organisation.objects.get(name="保険健康課")
    before = _stored(town_department)
    client = _bearer("kawara-council")

    own = _patch(client, f"{DIR}/organisations/{council.pk}", {"strengths": "住民の結束"})
    other = _patch(client, f"{DIR}/organisations/{town_department.pk}", {"strengths": "x"})

    assert own.status_code == 200
    assert own.json()["strengths"] == "住民の結束"
    assert other.status_code == 403
    assert _stored(town_department) == before


# --- people ------------------------------------------------------------------------------


def test_person_created_with_a_role_and_contact_details_shown_in_scope(
    kawara_records: dict[str, Any], user_named: Any
) -> None:
    response = _post(
        _bearer("kawara"),
        f"{DIR}/people",
        {
            "name": "山田 花子",
            "name_kana": "やまだ はなこ",
            "phone": "0947-32-0000",
            "organisation_id": kawara_records["provider"].pk,
            "title": "代表",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "0947-32-0000"
    assert body["contact_details_visible"] is True
    assert [(r["organisation"]["name"], r["title"]) for r in body["roles"]] == [
        ("APIテスト 香春町ボランティアの会", "代表")
    ]
    person = Person.objects.get(pk=body["id"])
    assert person.municipality.name == "香春町"
    assert person.history.get().history_user == user_named("kawara")


def test_contact_details_are_hidden_without_a_scope_over_the_person(
    db: Any, user_named: Any
) -> None:
    national = services.person_create(
        fields=PersonFields(name="九州厚生局 担当者", phone="092-000-0000", note="携帯あり"),
        actor=user_named("admin"),
    )

    response = _bearer("kawara").get(f"{DIR}/people/{national.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["contact_details_visible"] is False
    assert body["phone"] is None and body["email"] is None and body["note"] is None


def test_other_municipality_people_are_404_and_cannot_be_changed(
    db: Any, user_named: Any, municipality: Any
) -> None:
    person = services.person_create(
        fields=PersonFields(
            name="香春 太郎", municipality=municipality("香春町"), phone="0947-00-0000"
        ),
        actor=user_named("admin"),
    )
    before = _stored(person)
    saiki = _bearer("saiki")

    listing = saiki.get(f"{DIR}/people", {"per_page": 100})
    detail = saiki.get(f"{DIR}/people/{person.pk}")
    update = _patch(saiki, f"{DIR}/people/{person.pk}", {"phone": "090-0000-0000"})

    assert person.pk not in {p["id"] for p in listing.json()["items"]}
    assert detail.status_code == 404
    assert update.status_code == 404
    assert _stored(person) == before


# --- validation --------------------------------------------------------------------------


def test_validation_errors_name_the_field_in_japanese(kawara_records: dict[str, Any]) -> None:
    count = Resource.objects.count()

    response = _post(
        _bearer("kawara"),
        f"{DIR}/resources",
        {"provider_id": kawara_records["provider"].pk, "category_code": "shopping"},
    )

    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"field": "name", "label": "名称", "message": "必須の項目です。"}]
    assert "名称: 必須の項目です。" in body["detail"]
    assert Resource.objects.count() == count


def test_unknown_codes_and_foreign_districts_are_reported_per_field(
    kawara_records: dict[str, Any], municipality: Any
) -> None:
    saiki_district = District.objects.get(municipality=municipality("佐伯市"), name="直川地域")
    count = Resource.objects.count()
    client = _bearer("kawara")

    unknown = _post(
        client,
        f"{DIR}/resources",
        {
            "name": "x",
            "provider_id": kawara_records["provider"].pk,
            "category_code": "no-such-category",
            "eligibility": ["age-65", "martians"],
        },
    )
    foreign = _post(
        client,
        f"{DIR}/resources",
        {
            "name": "x",
            "provider_id": kawara_records["provider"].pk,
            "category_code": "shopping",
            "district_ids": [saiki_district.pk],
        },
    )

    assert unknown.status_code == 422
    fields = {e["field"]: e["message"] for e in unknown.json()["errors"]}
    assert "no-such-category" in fields["category_code"]
    assert "martians" in fields["eligibility"]
    assert foreign.status_code == 422
    error = foreign.json()["errors"][0]
    assert error["field"] == "district_ids"
    assert "直川地域" in error["message"] and "区域ではありません" in error["message"]
    assert Resource.objects.count() == count


def test_model_validation_messages_come_back_in_japanese(
    kawara_records: dict[str, Any],
) -> None:
    resource = kawara_records["public"]
    before = _stored(resource)

    response = _patch(
        _bearer("kawara"), f"{DIR}/resources/{resource.pk}", {"contact_phone": "でんわ"}
    )

    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "contact_phone"
    assert error["label"] == "問い合わせ電話番号"
    assert "電話番号は数字とハイフンで入力してください" in error["message"]
    assert _stored(resource) == before


def test_bad_wareki_date_and_unknown_field_are_explained(db: Any) -> None:
    count = Organisation.objects.count()

    response = _post(
        _bearer("kawara"),
        f"{DIR}/organisations",
        {
            "name": "日付の誤り",
            "org_type": "npo",
            "founded_on": "平成31年5月1日",
            "nmae": "typo",
        },
    )

    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert errors["founded_on"]["label"] == "設立日"
    assert "令和元年5月1日" in errors["founded_on"]["message"]
    assert "指定できません" in errors["nmae"]["message"]
    assert Organisation.objects.count() == count


def test_invalid_choice_lists_the_allowed_codes(kawara_records: dict[str, Any]) -> None:
    response = _patch(
        _bearer("kawara"),
        f"{DIR}/resources/{kawara_records['public'].pk}",
        {"visibility": "everyone", "weekly_slots": [{"weekday": 9}]},
    )

    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["visibility"].startswith("次のいずれかを指定してください")
    assert "partners" in errors["visibility"]
    assert errors["weekly_slots.0.weekday"] == "6以下の値を指定してください。"


# --- OpenAPI -----------------------------------------------------------------------------


def test_openapi_document_and_docs_page_render(db: Any) -> None:
    client = Client()

    schema = client.get(f"{API}/openapi.json")
    docs = client.get(f"{API}/docs")

    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "API トークン" in document["info"]["description"]
    paths = document["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/directory/public/resources",
        "/api/v1/directory/public/resources/{resource_id}",
        "/api/v1/directory/public/categories",
        "/api/v1/directory/organisations",
        "/api/v1/directory/organisations/{organisation_id}",
        "/api/v1/directory/people",
        "/api/v1/directory/people/{person_id}",
        "/api/v1/directory/resources",
        "/api/v1/directory/resources/{resource_id}",
    ):
        assert path in paths
    assert paths["/api/v1/directory/resources"]["post"]["summary"] == "地域資源の登録"
    assert "security" not in paths["/api/v1/directory/public/resources"]["get"]
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content


def test_out_of_range_ids_and_nul_characters_are_422_not_500(
    kawara_records: dict[str, Any],
) -> None:
    resource = kawara_records["public"]
    before = _stored(resource)
    client = _bearer("kawara")

    huge = _patch(client, f"{DIR}/resources/{resource.pk}", {"district_ids": [10**30]})
    nul = _patch(client, f"{DIR}/resources/{resource.pk}", {"name": "a\x00b"})
    filter_id = client.get(f"{DIR}/resources", {"provider_id": 10**30})
    path_id = client.get(f"{DIR}/resources/{10**30}")

    assert huge.status_code == 422
    assert huge.json()["errors"][0]["field"] == "district_ids.0"
    assert nul.status_code == 422
    assert "NUL" in nul.json()["detail"]
    assert filter_id.status_code == 422
    assert path_id.status_code in (404, 422)
    assert _stored(resource) == before


def test_list_filters_by_status_and_visibility_codes(kawara_records: dict[str, Any]) -> None:
    client = _bearer("kawara")

    partners = client.get(f"{DIR}/resources", {"visibility": "partners", "per_page": 100})
    wrong = client.get(f"{DIR}/resources", {"status": "running"})

    assert "APIテスト 見守り（関係者）" in _names(partners)
    assert {i["visibility"] for i in partners.json()["items"]} == {"partners"}
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "status"
