"""The participation report (page, .xlsx, API), the programs API, and the demo instances."""

from __future__ import annotations

import datetime
import io

import openpyxl
from django.test import Client
from django.urls import reverse

from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.accounts.services import system_actor
from tsunagu.demo.loader import LoadSummary
from tsunagu.demo.programs_loader import load_programs
from tsunagu.programs.instances import selectors, services
from tsunagu.programs.instances.models import ParticipationCount, ProgramInstance

FY = 2025


def _count(program, user, start, **mix):
    return services.participation_count_record(
        instance=program,
        period_start=start,
        period_end=start + datetime.timedelta(days=90),
        actor=user,
        **mix,
    )


def test_report_sums_counts_of_the_fiscal_year_by_type_and_area(staff, instance):
    user = staff("鹿児島市")
    first = instance("鹿児島市", title="デモ 訪問B 1")
    second = instance("鹿児島市", title="デモ 訪問B 2")
    day_c = instance("鹿児島市", service_type="day_c", title="デモ 通所C")
    _count(first, user, datetime.date(2025, 4, 1), support_1=2, program_eligible=1)
    _count(second, user, datetime.date(2025, 10, 1), support_2=3, other=4)
    _count(day_c, user, datetime.date(2025, 7, 1), care_needed=5)
    _count(first, user, datetime.date(2024, 4, 1), support_1=100)  # another fiscal year
    rows = selectors.participation_by_type_and_area(
        user=user, fiscal_year=FY, municipality_id=first.municipality_id
    )
    # (the demo's own 鹿児島市 home_b instance has synthetic counts in FY2024 only)
    by_key = {(r.service_type, r.area): r for r in rows}
    home_b = by_key[("home_b", "市町村全域")]
    assert (home_b.counted, home_b.support_or_eligible, home_b.other) == (10, 6, 4)
    assert by_key[("day_c", "市町村全域")].counted == 5


def test_report_page_has_a_chart_and_the_table_beside_it(staff, login, instance):
    user = staff("鹿児島市")
    program = instance("鹿児島市", title="デモ 訪問B 表")
    _count(program, user, datetime.date(2025, 5, 1), support_1=7)
    page = login(user).get(reverse("programs:participation"), {"year": FY}).content.decode()
    assert 'role="img"' in page
    assert "<table>" in page and "類型別・地域別の利用者数" in page
    assert "令和7年度" in page


def test_report_xlsx_has_the_same_figures(staff, login, instance):
    user = staff("鹿児島市")
    program = instance("鹿児島市", title="デモ 訪問B xlsx")
    _count(program, user, datetime.date(2025, 5, 1), support_1=7, other=2)
    response = login(user).get(reverse("programs:participation-export"), {"year": FY})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    home_b = next(r for r in rows if r[0] == "訪問型サービスB")
    assert (home_b[4], home_b[5], home_b[9]) == (9, 7, 2)


def test_report_of_another_municipality_shows_nothing_of_it(staff, instance):
    user = staff("鹿児島市")
    program = instance("鹿児島市", title="デモ 訪問B 他")
    _count(program, user, datetime.date(2025, 5, 1), support_1=7)
    rows = selectors.participation_by_type_and_area(user=staff("久留米市"), fiscal_year=FY)
    assert all(r.municipality != "鹿児島市" for r in rows)


def test_api_catalog_is_public_and_resolves_aliases():
    client = Client()
    listing = client.get("/api/v1/programs/catalog").json()
    assert [t["code"] for t in listing][:3] == ["home_equivalent", "home_a", "home_b"]
    found = client.get("/api/v1/programs/catalog", {"q": "サービスB（訪問型）"}).json()
    assert [t["code"] for t in found] == ["home_b"]
    assert client.get("/api/v1/programs/catalog/gp_evaluation").json()["parent"] == (
        "general_prevention"
    )


def test_api_instances_are_scoped(staff, login, instance):
    program = instance("鹿児島市")
    mine = login(staff("鹿児島市")).get(f"/api/v1/programs/instances/{program.pk}")
    theirs = login(staff("久留米市")).get(f"/api/v1/programs/instances/{program.pk}")
    assert mine.status_code == 200 and mine.json()["service_type"] == "home_b"
    assert theirs.status_code == 404


def test_api_participants_need_the_care_right_and_are_logged(staff, login, instance, resident):
    program = instance("鹿児島市")
    carer = staff("鹿児島市", care=True, username="api-carer")
    services.enrolment_start(
        instance=program,
        resident=resident("鹿児島市"),
        starts_on=datetime.date(2025, 5, 1),
        actor=carer,
    )
    plain = staff("鹿児島市", username="api-plain")
    url = f"/api/v1/programs/instances/{program.pk}/participants"
    assert login(plain).get(url).status_code == 404
    before = PersonalDataReadLog.objects.filter(user=carer).count()
    answer = login(carer).get(url)
    assert [p["name"] for p in answer.json()] == ["デモ 花子"]
    assert PersonalDataReadLog.objects.filter(user=carer).count() == before + 1


def test_api_records_a_count_and_answers_the_aggregates(staff, login, instance):
    program = instance("鹿児島市", title="デモ API")
    client = login(staff("鹿児島市"))
    response = client.post(
        f"/api/v1/programs/instances/{program.pk}/counts",
        {"period_start": "令和7年4月1日", "period_end": "2025-06-30", "support_2": 3},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert ParticipationCount.objects.get(program=program).support_2 == 3
    rows = client.get("/api/v1/programs/instances/participation", {"fiscal_year": FY}).json()
    assert any(r["service_type"] == "home_b" and r["support_2"] == 3 for r in rows)


def test_demo_instances_come_from_the_report_and_load_idempotently(db):
    planned = ProgramInstance.objects.get(name__contains="ゴミ出し・見守り")
    assert (planned.status, planned.service_type) == ("planned", "home_b")
    assert "事例表№1" in planned.source
    assert ParticipationCount.objects.filter(is_synthetic=False, note__contains="架空").count() == 0
    before = (ProgramInstance.history.count(), ParticipationCount.history.count())
    summary = LoadSummary()
    load_programs(system_actor(), summary)
    assert (ProgramInstance.history.count(), ParticipationCount.history.count()) == before
    assert summary.created == 0
