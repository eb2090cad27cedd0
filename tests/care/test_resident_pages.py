"""Resident pages: the care right, two municipalities, the read log on every path."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from tests.care.factories import ResidentFactory, staff
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.care.models import CareLevel, CareLevelRecord, ConsentRecord, Resident

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _log_purposes(user, resident) -> list[str]:
    return list(
        PersonalDataReadLog.objects.filter(
            user=user, model_label="care.Resident", object_id=str(resident.pk)
        ).values_list("purpose", flat=True)
    )


def test_detail_page_shows_the_resident_and_logs_the_read() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    CareLevelRecord.objects.create(resident=resident, level=CareLevel.SUPPORT_2)
    response = _client(user).get(reverse("care:resident_detail", args=[resident.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert resident.name in body and "要支援2" in body and "架空（デモ）" in body
    assert _log_purposes(user, resident) == ["住民の詳細を表示"]


@pytest.mark.parametrize(
    "username", ["admin", "fukuoka", "kawara", "kagoshima-houkatsu", "kawara-council"]
)
def test_detail_page_is_404_without_the_right_for_that_municipality(
    client_as, user_named, username
) -> None:
    resident = ResidentFactory()  # 香春町
    response = client_as(username).get(reverse("care:resident_detail", args=[resident.pk]))
    assert response.status_code == 404
    assert resident.name not in response.content.decode()
    assert _log_purposes(user_named(username), resident) == []


def test_list_shows_only_own_municipality_and_no_health_field(municipality) -> None:
    user = staff("care-a", "香春町")
    mine = ResidentFactory()
    CareLevelRecord.objects.create(resident=mine, level=CareLevel.CARE_3)
    theirs = ResidentFactory(municipality=municipality("鹿児島市"))
    response = _client(user).get(reverse("care:resident_list"))
    body = response.content.decode()
    assert mine.name in body and mine.name_kana in body
    assert theirs.name not in body
    assert "要介護3" not in body and mine.contact_name not in body
    assert "住民一覧を表示" in _log_purposes(user, mine)
    assert _log_purposes(user, theirs) == []


def test_list_filters_by_name_search() -> None:
    user = staff("care-a", "香春町")
    wanted = ResidentFactory(name="検索 花子", name_kana="けんさく はなこ")
    other = ResidentFactory(name="別人 太郎", name_kana="べつじん たろう")
    body = _client(user).get(reverse("care:resident_list"), {"q": "けんさく"}).content.decode()
    assert wanted.name in body and other.name not in body


def test_list_is_404_without_the_care_right(client_as) -> None:
    assert client_as("kawara").get(reverse("care:resident_list")).status_code == 404
    assert client_as("admin").get(reverse("care:resident_list")).status_code == 404


def test_export_is_formula_safe_and_logs_each_resident() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory(name="=HYPERLINK(1)")
    response = _client(user).get(reverse("care:resident_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[2].value for row in sheet.iter_rows(min_row=2)]
    cell = next(row[2] for row in sheet.iter_rows(min_row=2) if row[2].value == resident.name)
    assert cell.data_type == "s" and cell.quotePrefix
    assert resident.name in names
    assert _log_purposes(user, resident) == ["住民一覧を出力"]


def test_create_page_accepts_a_wareki_birth_date(municipality) -> None:
    user = staff("care-a", "香春町")
    response = _client(user).post(
        reverse("care:resident_create"),
        {
            "municipality": municipality("香春町").pk,
            "name": "デモ 和暦",
            "name_kana": "でも われき",
            "birth_date": "昭和15年4月1日",
        },
    )
    resident = Resident.objects.get(name="デモ 和暦")
    assert response.status_code == 302
    assert resident.birth_date.isoformat() == "1940-04-01"
    assert resident.history.get().history_change_reason == "care.resident.create"


def test_create_page_keeps_what_was_typed_on_error(municipality) -> None:
    user = staff("care-a", "香春町")
    response = _client(user).post(
        reverse("care:resident_create"),
        {"municipality": municipality("香春町").pk, "name": "デモ 誤り", "birth_date": "昭和99年"},
    )
    assert response.status_code == 200
    assert "デモ 誤り" in response.content.decode()
    assert not Resident.objects.filter(name="デモ 誤り").exists()


def test_consent_withdraw_page_records_withdrawal() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    consent = ConsentRecord.objects.create(
        resident=resident, purpose="care_record", given_on="2024-04-01", recorded_by=user
    )
    response = _client(user).post(
        reverse("care:consent_withdraw", args=[consent.pk]), {"withdrawn_on": "令和7年1月10日"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on.isoformat() == "2025-01-10"
    assert consent.withdrawal_recorded_by == user


def test_consent_withdraw_page_of_another_municipality_is_404_and_changes_nothing() -> None:
    owner = staff("care-a", "香春町")
    stranger = staff("care-k", "鹿児島市")
    consent = ConsentRecord.objects.create(
        resident=ResidentFactory(), purpose="care_record", given_on="2024-04-01", recorded_by=owner
    )
    response = _client(stranger).post(
        reverse("care:consent_withdraw", args=[consent.pk]), {"withdrawn_on": "2025-01-10"}
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_history_page_is_shown_to_the_right_holder_and_logged() -> None:
    user = staff("care-a", "香春町")
    resident = ResidentFactory()
    response = _client(user).get(reverse("care:resident_history", args=[resident.pk]))
    assert response.status_code == 200
    assert _log_purposes(user, resident) == ["住民の変更履歴を表示"]


def test_history_page_is_404_without_the_right(client_as) -> None:
    resident = ResidentFactory()
    assert (
        client_as("kawara").get(reverse("care:resident_history", args=[resident.pk])).status_code
        == 404
    )


def test_nav_link_only_for_the_care_right(client_as) -> None:
    url = reverse("care:resident_list")
    assert url in client_as("kawara-houkatsu").get(reverse("dashboard:home")).content.decode()
    assert url not in client_as("kawara").get(reverse("dashboard:home")).content.decode()
    assert url not in client_as("admin").get(reverse("dashboard:home")).content.decode()


def test_records_off_pages_are_404_and_the_nav_link_is_gone(client_as, settings) -> None:
    resident = ResidentFactory()
    settings.PERSONAL_RECORDS_ENABLED = False
    client = client_as("kawara-houkatsu")
    assert client.get(reverse("care:resident_list")).status_code == 404
    assert client.get(reverse("care:resident_detail", args=[resident.pk])).status_code == 404
    home = client.get(reverse("dashboard:home"))
    assert home.status_code == 200
    assert reverse("care:resident_list") not in home.content.decode()
