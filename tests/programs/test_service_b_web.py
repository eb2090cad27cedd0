"""Service B pages, .xlsx, API: scoping between municipalities, resident-derived counts only
with the care right (and logged), the .xlsx read back with openpyxl, the demo records."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from tests.programs.helpers import application, group, period, staff
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.care.models import CareLevelRecord, Resident
from tsunagu.core.api.auth import token_issue
from tsunagu.core.errors import NotFound
from tsunagu.demo.service_b_loader import load_service_b
from tsunagu.programs.service_b import services
from tsunagu.programs.service_b.models import ServiceBGroup, UsagePeriod

pytestmark = pytest.mark.django_db


def _resident(municipality, name: str, level: str | None, **validity) -> Resident:
    resident = Resident.objects.create(
        municipality=municipality, name=name, name_kana="でも", is_synthetic=True
    )
    if level:
        CareLevelRecord.objects.create(resident=resident, level=level, **validity)
    return resident


def _api(user) -> Client:
    token, _ = token_issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


# --- scoping ---------------------------------------------------------------------------------


def test_another_municipalitys_group_is_404_on_page_and_api(municipality, user_named, client_as):
    kagoshima_group = group(municipality("鹿児島市"), user_named("kagoshima"), "鹿児島のテスト隊")
    assert (
        client_as("kawara").get(reverse("service_b:group", args=[kagoshima_group.pk])).status_code
        == 404
    )
    answer = _api(user_named("kawara")).get(
        f"/api/v1/programs/service-b/groups/{kagoshima_group.pk}"
    )
    assert answer.status_code == 404


def test_group_list_shows_only_own_municipality(municipality, user_named, client_as):
    group(municipality("鹿児島市"), user_named("kagoshima"), "鹿児島のテスト隊")
    group(municipality("香春町"), user_named("kawara"), "香春のテスト隊")
    page = client_as("kawara").get(reverse("service_b:list")).content.decode()
    assert "香春のテスト隊" in page
    assert "鹿児島のテスト隊" not in page
    names = [
        g["name"]
        for g in _api(user_named("kawara")).get("/api/v1/programs/service-b/groups").json()["items"]
    ]
    assert "香春のテスト隊" in names and "鹿児島のテスト隊" not in names


def test_another_municipalitys_application_cannot_be_approved_by_post(
    municipality, user_named, client_as
):
    actor = user_named("kagoshima")
    app = application(
        period(group(municipality("鹿児島市"), actor, "鹿児島のテスト隊"), actor), actor
    )
    for check in app.requirement_checks.all():  # 鹿児島市's demo requirement
        services.requirement_check_record(check=check, met=True, actor=actor)
    services.application_submit(application=app, actor=actor)
    url = reverse("service_b:application_action", args=[app.pk, "approve"])
    assert client_as("kawara").post(url).status_code == 404
    app.refresh_from_db()
    assert app.status == "submitted"


# --- pages -------------------------------------------------------------------------------------


def test_group_created_on_the_page_with_history(municipality, client_as):
    kawara = municipality("香春町")
    response = client_as("kawara").post(
        reverse("service_b:group_create"),
        {
            "municipality": kawara.pk,
            "name": "ページから登録した隊",
            "service_kind": "visiting_b",
            "status": "planned",
        },
    )
    created = ServiceBGroup.objects.get(name="ページから登録した隊")
    assert response.status_code == 302
    assert created.history.first().history_change_reason == "programs.service_b_group.create"


def test_application_page_shows_the_computation_in_words(municipality, user_named, client_as):
    actor = user_named("kawara")
    app = application(period(group(municipality("香春町"), actor), actor, 20, 8), actor)
    page = client_as("kawara").get(reverse("service_b:application", args=[app.pk])).content.decode()
    assert (
        "利用者20人のうち要支援・事業対象者8人（40%）&lt; 50%：運営費 ¥1,234,000 × 40% = ¥493,600 が対象（按分）"
        in page
    )


def test_return_on_the_page_keeps_the_reason(municipality, user_named, client_as):
    actor = user_named("kawara")
    app = application(period(group(municipality("香春町"), actor), actor), actor)
    services.application_submit(application=app, actor=actor)
    client_as("kawara").post(
        reverse("service_b:application_action", args=[app.pk, "return"]),
        {"return_reason": "会計を分けてください"},
    )
    app.refresh_from_db()
    assert (app.status, app.return_reason) == ("returned", "会計を分けてください")


def test_policy_page_labels_the_default_rule_unconfirmed(municipality, client_as):
    page = (
        client_as("kawara")
        .get(reverse("service_b:policy", args=[municipality("香春町").pk]))
        .content.decode()
    )
    assert "[U]" in page


def test_report_page_lists_groups_with_table(municipality, user_named, client_as):
    actor = user_named("kawara")
    application(period(group(municipality("香春町"), actor, "報告用の隊"), actor), actor)
    page = client_as("kawara").get(reverse("service_b:report")).content.decode()
    assert "報告用の隊" in page and "<table" in page


# --- .xlsx ------------------------------------------------------------------------------------


def test_application_xlsx_has_group_users_computation_and_separate_accounts(
    municipality, user_named, client_as
):
    actor = user_named("kawara")
    services.requirement_add(
        municipality=municipality("香春町"), text="1回30分以上の生活援助", actor=actor
    )
    app = application(
        period(group(municipality("香春町"), actor, '=HYPERLINK("x")隊'), actor, 20, 12), actor
    )
    response = client_as("kawara").get(reverse("service_b:application_xlsx", args=[app.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows["団体名"][0] == '=HYPERLINK("x")隊'
    name_cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "団体名")
    assert name_cell.data_type == "s"  # formula-safe: kept as text, not a formula
    assert rows["利用者数（人）"][0] == 20
    assert (
        rows["計算"][0]
        == "利用者20人のうち要支援・事業対象者12人（60%）≥ 50%：運営費 ¥1,234,000 の全額が対象"
    )
    assert rows["補助対象額（円）"][0] == 1_234_000
    assert "サービスBの会計（補助の対象）" in rows
    assert "団体のその他の活動の会計（補助の対象外）" in rows
    other_line = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "公民館行事")
    assert other_line[:3] == ("支出", "公民館行事", 99_999)
    assert rows["1回30分以上の生活援助"][0] == "未確認"


def test_status_report_xlsx_reads_back(municipality, user_named, client_as):
    actor = user_named("kawara")
    application(period(group(municipality("香春町"), actor, "表の隊"), actor, 20, 8), actor)
    response = client_as("kawara").get(reverse("service_b:report_xlsx"))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    row = next(r for r in rows if r[1] == "表の隊")
    assert row[4:7] == (20, 8, "40%")
    assert row[10] == 493_600


# --- residents: care right and read log -----------------------------------------------------------


def test_counts_from_residents_use_levels_valid_in_the_period_and_log_each_read(
    municipality, user_named
):
    kawara = municipality("香春町")
    nurse = staff(kawara, username="kawara-care", care=True)
    created = period(group(kawara, nurse), nurse, None, None)
    residents = [
        _resident(kawara, "デモ 花子", "support_1", valid_from=datetime.date(2024, 1, 1)),
        _resident(kawara, "デモ 太郎", "program_eligible", valid_until=datetime.date(2024, 3, 31)),
        _resident(kawara, "デモ 次郎", "care_2"),
        _resident(kawara, "デモ 三郎", None),
    ]
    services.period_link_residents(period=created, residents=residents, actor=nurse)
    before = PersonalDataReadLog.objects.filter(user=nurse).count()
    services.period_count_from_residents(period=created, actor=nurse)
    created.refresh_from_db()
    assert (created.users_total, created.users_eligible, created.counted_from_residents) == (
        4,
        1,
        True,
    )
    assert PersonalDataReadLog.objects.filter(user=nurse).count() - before == 4
    assert created.history.first().history_change_reason == "programs.usage_period.count_residents"


def test_counts_from_residents_without_the_care_right_is_404_and_changes_nothing(
    municipality, user_named
):
    kawara = municipality("香春町")
    actor = user_named("kawara")
    created = period(group(kawara, actor), actor, 10, 5)
    with pytest.raises(NotFound):
        services.period_count_from_residents(period=created, actor=actor)
    created.refresh_from_db()
    assert (created.users_total, created.users_eligible) == (10, 5)
    assert not PersonalDataReadLog.objects.filter(user=actor).exists()


def test_api_count_from_residents_needs_the_care_right(municipality, user_named):
    kawara = municipality("香春町")
    actor = user_named("kawara")
    created = period(group(kawara, actor), actor, 10, 5)
    url = f"/api/v1/programs/service-b/periods/{created.pk}/count-from-residents"
    assert _api(actor).post(url).status_code == 404
    nurse = staff(kawara, username="kawara-care2", care=True)
    services.period_link_residents(
        period=created, residents=[_resident(kawara, "デモ 花子", "support_2")], actor=nurse
    )
    answer = _api(nurse).post(url)
    assert answer.status_code == 200
    assert (answer.json()["users_total"], answer.json()["users_eligible"]) == (1, 1)


def test_period_page_offers_residents_only_with_the_care_right(municipality, user_named, client_as):
    kawara = municipality("香春町")
    actor = user_named("kawara")
    created = period(group(kawara, actor), actor)
    _resident(kawara, "デモ 見えない人", "support_1")
    page = client_as("kawara").get(reverse("service_b:period", args=[created.pk])).content.decode()
    assert "デモ 見えない人" not in page
    client = Client()
    client.force_login(staff(kawara, username="kawara-care3", care=True))
    assert (
        "デモ 見えない人"
        in client.get(reverse("service_b:period", args=[created.pk])).content.decode()
    )


# --- demo -----------------------------------------------------------------------------------------


def test_demo_has_kagoshimas_17_groups_with_miyatasuketai_and_kawaras_planned_group(municipality):
    kagoshima = ServiceBGroup.objects.filter(municipality=municipality("鹿児島市"))
    assert kagoshima.count() == 17
    assert kagoshima.filter(is_placeholder=True).count() == 16
    miya = kagoshima.get(name="宮たすけ隊")
    assert miya.organisation is not None
    assert {(a.kind, a.share_percent) for a in miya.activities.all()} == {
        ("shopping", 80),
        ("hospital_escort", 80),
    }
    report = miya.periods.get().applications.get()
    assert report.is_synthetic and report.period.is_synthetic
    kawara = ServiceBGroup.objects.get(municipality=municipality("香春町"))
    assert kawara.status == "planned"
    assert set(kawara.activities.values_list("kind", flat=True)) == {"garbage", "watching"}


def test_demo_loader_twice_changes_nothing(user_named):
    from tsunagu.accounts.services import system_actor

    counts = (ServiceBGroup.objects.count(), UsagePeriod.objects.count())
    history = ServiceBGroup.history.count()
    load_service_b(system_actor(), None)
    assert (ServiceBGroup.objects.count(), UsagePeriod.objects.count()) == counts
    assert ServiceBGroup.history.count() == history
