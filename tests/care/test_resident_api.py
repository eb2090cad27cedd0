"""Resident API: scoped, logged per resident, 404 without the right, off when records are off."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.care.factories import ResidentFactory, staff
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.care.models import CareLevel, CareLevelRecord, Resident

pytestmark = pytest.mark.django_db
BASE = "/api/v1/care/residents"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _purposes(user, resident) -> list[str]:
    return list(
        PersonalDataReadLog.objects.filter(
            user=user, model_label="care.Resident", object_id=str(resident.pk)
        ).values_list("purpose", flat=True)
    )


def test_api_list_returns_own_residents_minimum_and_logs_each() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    CareLevelRecord.objects.create(resident=resident, level=CareLevel.CARE_2)
    answer = _client(user).get(BASE, {"per_page": 100}).json()
    item = next(i for i in answer["items"] if i["id"] == resident.pk)
    assert item["name"] == resident.name
    assert "care_levels" not in item and "contact_name" not in item
    assert "要介護2" not in json.dumps(answer, ensure_ascii=False)
    assert _purposes(user, resident) == ["住民一覧を表示（API）"]


def test_api_detail_includes_care_levels_and_logs() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    CareLevelRecord.objects.create(resident=resident, level=CareLevel.CARE_2)
    answer = _client(user).get(f"{BASE}/{resident.pk}").json()
    assert answer["care_levels"][0]["level_label"] == "要介護2"
    assert _purposes(user, resident) == ["住民の詳細を表示（API）"]


@pytest.mark.parametrize("username", ["admin", "fukuoka", "kawara", "kagoshima-houkatsu"])
def test_api_detail_is_404_without_the_right(client_as, user_named, username) -> None:
    resident = ResidentFactory()
    response = client_as(username).get(f"{BASE}/{resident.pk}")
    assert response.status_code == 404
    assert _purposes(user_named(username), resident) == []


def test_api_create_accepts_wareki_and_writes_history() -> None:
    user = staff("care-a", "香春町")
    response = _client(user).post(
        BASE,
        {"name": "デモ API", "name_kana": "でも えーぴーあい", "birth_date": "昭和15年4月1日"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    resident = Resident.objects.get(pk=response.json()["id"])
    assert resident.birth_date.isoformat() == "1940-04-01"
    assert resident.history.get().history_change_reason == "care.resident.create"


def test_api_update_by_another_municipality_is_404_and_changes_nothing() -> None:
    resident = ResidentFactory()
    stranger = staff("care-k", "鹿児島市")
    response = _client(stranger).patch(
        f"{BASE}/{resident.pk}", {"name": "変更"}, content_type="application/json"
    )
    assert response.status_code == 404
    resident.refresh_from_db()
    assert resident.name != "変更"


def test_api_update_changes_only_sent_fields() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory(household="alone")
    response = _client(user).patch(
        f"{BASE}/{resident.pk}", {"contact_phone": "000-1111-2222"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    resident.refresh_from_db()
    assert resident.contact_phone == "000-1111-2222" and resident.household == "alone"
    assert "住民の情報を変更" in _purposes(user, resident)


def test_api_says_records_are_off(settings) -> None:
    user = staff("care-a", "香春町")
    settings.PERSONAL_RECORDS_ENABLED = False
    response = _client(user).get(BASE)
    assert response.status_code == 404
    assert "無効" in response.json()["detail"]
