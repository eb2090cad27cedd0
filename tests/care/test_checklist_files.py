"""Checklist imports (all-or-nothing, row and column named) and anonymous survey aggregates."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from tests.care import checklist_helpers as h
from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.care.checklist import services
from tsunagu.care.checklist.io import ChecklistFileError
from tsunagu.care.models import ChecklistRecord, ChecklistSurvey, ChecklistSurveyDistrict
from tsunagu.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db
QS = [f"q{n}" for n in range(1, 26) if n != 12]


def _answers_cells(**applying):
    values = h.answers(**applying)
    return ["" if values[n] is None else ("はい" if values[n] else "いいえ") for n in values]


def _csv(header, rows) -> bytes:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import_rows(resident_ids, *, bad_row=None):
    header = ["resident_id", "answered_on", *QS, "height_cm", "weight_kg"]
    rows = []
    for k, rid in enumerate(resident_ids):
        cells = _answers_cells(q16=False)
        if bad_row == k:
            cells[2] = "たぶん"
        rows.append([rid, "令和6年10月2日", *cells, "160", "50"])
    return header, rows


def test_import_csv_creates_records_with_history():
    actor = h.staff("香春町", care=True)
    first, second = h.resident(), h.resident(name="テスト 次郎")
    header, rows = _import_rows([first.pk, second.pk])
    created = services.checklists_import(
        actor=actor,
        municipality=h.municipality("香春町"),
        data=_csv(header, rows),
        file_name="a.csv",
    )
    assert len(created) == 2
    record = ChecklistRecord.objects.get(resident=first)
    assert record.entry_method == "import"
    assert record.result().eligible is True
    assert record.history.get().history_change_reason == "care.checklist.import: a.csv"


def test_import_xlsx_reads_the_same_columns():
    actor = h.staff("香春町", care=True)
    resident = h.resident()
    header, rows = _import_rows([resident.pk])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([resident.pk, *row[1:-2], 160, 47.36])
    buffer = io.BytesIO()
    workbook.save(buffer)
    services.checklists_import(
        actor=actor,
        municipality=h.municipality("香春町"),
        data=buffer.getvalue(),
        file_name="b.xlsx",
    )
    record = ChecklistRecord.objects.get(resident=resident)
    assert record.result().bmi_display == "18.5"


def test_import_refuses_whole_file_naming_row_and_column():
    actor = h.staff("香春町", care=True)
    first, second = h.resident(), h.resident(name="テスト 次郎")
    header, rows = _import_rows([first.pk, second.pk], bad_row=1)
    with pytest.raises(ChecklistFileError) as error:
        services.checklists_import(
            actor=actor,
            municipality=h.municipality("香春町"),
            data=_csv(header, rows),
            file_name="bad.csv",
        )
    assert "bad.csv: 3行目" in error.value.message
    assert "列「q3」" in error.value.message
    assert not ChecklistRecord.objects.filter(resident__in=[first, second]).exists()


def test_import_refuses_resident_of_another_municipality():
    actor = h.staff("香春町", care=True)
    other = h.resident("鹿児島市")
    header, rows = _import_rows([other.pk])
    with pytest.raises(ChecklistFileError) as error:
        services.checklists_import(
            actor=actor,
            municipality=h.municipality("香春町"),
            data=_csv(header, rows),
            file_name="c.csv",
        )
    assert "2行目の列「resident_id」" in error.value.message
    assert not ChecklistRecord.objects.filter(resident=other).exists()


def test_import_without_care_right_is_refused_and_writes_nothing():
    resident = h.resident()
    header, rows = _import_rows([resident.pk])
    with pytest.raises(PermissionDenied):
        services.checklists_import(
            actor=h.staff("香春町", care=False),
            municipality=h.municipality("香春町"),
            data=_csv(header, rows),
            file_name="d.csv",
        )
    assert not ChecklistRecord.objects.filter(resident=resident).exists()


def test_import_page_logs_each_imported_resident():
    actor = h.staff("香春町", care=True)
    resident = h.resident()
    header, rows = _import_rows([resident.pk])
    client = Client()
    client.force_login(actor)
    upload = io.BytesIO(_csv(header, rows))
    upload.name = "e.csv"
    response = client.post(
        reverse("care_checklist:import"),
        {"municipality": h.municipality("香春町").pk, "file": upload},
    )
    assert response.status_code == 302
    assert PersonalDataReadLog.objects.filter(
        user=actor, object_id=str(resident.pk), purpose="基本チェックリストを取り込み"
    ).exists()


# --- anonymous surveys ----------------------------------------------------------------------


def _survey_file(district_a, district_b) -> bytes:
    header = ["id", *QS, "height_cm", "weight_kg", "district"]
    rows = [
        ["1", *_answers_cells(q16=False), "160", "50", district_a.name],  # 閉じこもり
        ["2", *_answers_cells(), "160", "50", district_a.name],  # not eligible
        ["3", *_answers_cells(q13=True, q14=None), "160", "50", district_a.name],  # undeterminable
        ["4", *_answers_cells(q11=True), "160", "47.3", str(district_b.pk)],  # 栄養
    ]
    return _csv(header, rows)


def test_survey_stores_only_district_counts():
    actor = h.staff("香春町", care=False)
    a, b = h.district("香春町", "テスト北"), h.district("香春町", "テスト南")
    survey = services.checklist_survey_create(
        actor=actor,
        municipality=h.municipality("香春町"),
        title="ニーズ調査",
        conducted_on=None,
        data=_survey_file(a, b),
        file_name="s.csv",
    )
    assert survey.respondents == 4
    north = ChecklistSurveyDistrict.objects.get(survey=survey, district=a)
    assert north.respondents == 3
    assert north.eligible == 1
    assert north.not_eligible == 1
    assert north.undeterminable == 1
    assert north.criteria_met == [0, 0, 0, 0, 1, 0, 0]
    assert north.criteria_unknown == [0, 0, 0, 1, 0, 0, 0]
    south = ChecklistSurveyDistrict.objects.get(survey=survey, district=b)
    assert (south.respondents, south.eligible, south.criteria_met[2]) == (1, 1, 1)
    assert survey.history.get().history_change_reason.startswith("care.checklist_survey.create")


def test_survey_refuses_unknown_district_and_stores_nothing():
    actor = h.staff("香春町", care=False)
    a = h.district("香春町", "テスト北")
    other = h.district("鹿児島市", "よそ")
    with pytest.raises(ChecklistFileError) as error:
        services.checklist_survey_create(
            actor=actor,
            municipality=h.municipality("香春町"),
            title="x",
            conducted_on=None,
            data=_survey_file(a, other),
            file_name="s.csv",
        )
    assert "5行目の列「district」" in error.value.message
    assert not ChecklistSurvey.objects.filter(title="x").exists()


def test_survey_page_and_export_are_for_staff_of_the_municipality_only():
    actor = h.staff("香春町", care=False)
    a, b = h.district("香春町", "テスト北"), h.district("香春町", "テスト南")
    survey = services.checklist_survey_create(
        actor=actor,
        municipality=h.municipality("香春町"),
        title="ニーズ調査",
        conducted_on=None,
        data=_survey_file(a, b),
        file_name="s.csv",
    )
    own, other = Client(), Client()
    own.force_login(actor)
    other.force_login(h.staff("鹿児島市", care=True))
    page = own.get(reverse("care_checklist:survey", args=[survey.pk]))
    assert page.status_code == 200
    assert "テスト北" in page.content.decode()
    export = own.get(reverse("care_checklist:survey_export", args=[survey.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert other.get(reverse("care_checklist:survey", args=[survey.pk])).status_code == 404


def test_report_shows_resident_figures_only_with_care_right_and_logs_them():
    owner = h.staff("香春町", care=True)
    resident = h.resident(district=h.district("香春町", "テスト北"))
    services.checklist_record_create(
        resident=resident,
        actor=owner,
        answered_on=datetime.date(2024, 10, 2),
        answers=h.answers(q16=False),
        height_cm=None,
        weight_kg=None,
    )
    with_right, without = Client(), Client()
    with_right.force_login(owner)
    plain = h.staff("香春町", care=False)
    without.force_login(plain)
    page = with_right.get(reverse("care_checklist:report")).content.decode()
    assert "residents-table" in page
    assert PersonalDataReadLog.objects.filter(user=owner, object_id=str(resident.pk)).exists()
    other = without.get(reverse("care_checklist:report")).content.decode()
    assert "residents-table" not in other
    assert not PersonalDataReadLog.objects.filter(user=plain).exists()
    export = with_right.get(reverse("care_checklist:report_export"))
    assert export.status_code == 200


def test_with_personal_records_off_surveys_work_and_residents_are_not_found(settings):
    actor = h.staff("香春町", care=True)
    a, b = h.district("香春町", "テスト北"), h.district("香春町", "テスト南")
    resident = h.resident()
    settings.PERSONAL_RECORDS_ENABLED = False
    survey = services.checklist_survey_create(
        actor=actor,
        municipality=h.municipality("香春町"),
        title="記録なしの調査",
        conducted_on=None,
        data=_survey_file(a, b),
        file_name="s.csv",
    )
    client = Client()
    client.force_login(actor)
    assert client.get(reverse("care_checklist:survey", args=[survey.pk])).status_code == 200
    assert client.get(reverse("care_checklist:report")).status_code == 200
    resident_page = client.get(reverse("care_checklist:resident", args=[resident.pk]))
    assert resident_page.status_code == 404
    assert not PersonalDataReadLog.objects.filter(user=actor).exists()
