"""Prefecture case sheets (事例表№6 大分県, №7 鹿児島県) from the demo records, against the
report's text (whitespace removed on both sides), and the CLI."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.plans.conftest import squeeze
from tsunagu.accounts.services import system_actor
from tsunagu.core.errors import NotFound
from tsunagu.plans.casesheets.builder import build_prefecture_case_sheet, prefecture_for_case_sheet
from tsunagu.plans.casesheets.models import PrefectureSupportFact

pytestmark = pytest.mark.django_db


def sheet_of(key: str) -> Any:
    user = system_actor()
    return build_prefecture_case_sheet(
        user=user, prefecture=prefecture_for_case_sheet(user=user, key=key)
    )


def section_text(sheet: Any, number: str) -> str:
    section = next(s for s in sheet.sections if s.number == number)
    return "\n".join(part.text for part in section.parts)


def test_sheets_have_the_reports_numbers_titles_and_sections() -> None:
    for key, title in (("大分県", "事例表№6（大分県）"), ("鹿児島県", "事例表№7（鹿児島県）")):
        sheet = sheet_of(key)
        assert sheet.title == title
        assert [s.heading for s in sheet.sections] == [
            "1 市町村における高齢者の支援を通じた地域の多様な主体との連携に関する取組に係る支援の実施状況",
            "2 市町村における総合事業等の実施を通じた地域づくりを進める上での留意点",
        ]


def test_section_headings_are_the_reports(report_text: str) -> None:
    headings = [squeeze(section.heading) for section in sheet_of("大分県").sections]
    assert len(headings) == 2
    assert [h for h in headings if h not in report_text] == []


def test_municipality_counts_are_as_printed(report_text: str) -> None:
    assert sheet_of("大分県").overview_extra == (("市町村数", "18市町村（14市 3町 1村）"),)
    assert sheet_of("鹿児島県").overview_extra == (("市町村数", "43市町村（19市 20町 4村）"),)
    assert "・市町村数：18市町村（14市3町1村）" in report_text
    assert "・市町村数：43市町村（19市20町4村）" in report_text


def test_every_stored_paragraph_is_the_reports_text(report_text: str) -> None:
    facts = list(PrefectureSupportFact.objects.all())
    assert len(facts) == 15
    for fact in facts:
        assert squeeze(fact.text) in report_text, fact
        assert fact.source.startswith(("事例表№6 大分県", "事例表№7 鹿児島県"))


def test_kagoshima_attention_has_pdca_cross_department_and_grant_worry() -> None:
    text = section_text(sheet_of("鹿児島県"), "2")
    assert "PDCAを意識した継続的な支援が必要である" in text
    assert "部局横断的な庁内連携" in text
    assert "地域支援事業交付金の交付対象から外れる" in text


def test_kagoshima_sheet_lists_chosen_municipalities_and_follow_up() -> None:
    text = section_text(sheet_of("鹿児島県"), "1")
    assert "令和5年度 かごしま介護予防推進事業: 出水市、日置市、南大隅町" in text
    assert "令和6年度 かごしま介護予防推進事業: 徳之島町" in text
    assert "フォローアップ" in [p.heading for p in sheet_of("鹿児島県").sections[0].parts]


def test_oita_sheet_has_saiki_visits_and_its_assessment() -> None:
    text = section_text(sheet_of("大分県"), "1")
    assert "第1回目支援：令和5年8月28日" in text
    assert "好事例と考えられるとしている" in text
    assert "単純な好事例の横展開はできず" in section_text(sheet_of("大分県"), "2")


def test_overview_figures_come_from_the_prefectures_statistics() -> None:
    overview = sheet_of("大分県").overview
    assert (overview.population, overview.population_65_plus) == (1085198, 373743)
    assert str(overview.aging_rate) == "34.4"


def test_municipality_staff_of_another_prefecture_cannot_open_it(user_named: Any) -> None:
    with pytest.raises(NotFound):
        prefecture_for_case_sheet(user=user_named("kawara"), key="大分県")


def test_page_and_downloads_answer(client_as: Any) -> None:
    client = client_as("oita")
    assert (
        "事例表№6（大分県）" in client.get("/plans/prefecture-case-sheets/440001/").content.decode()
    )
    assert (
        client.get("/plans/prefecture-case-sheets/440001/pdf/")["Content-Type"] == "application/pdf"
    )
    xlsx = client.get("/plans/prefecture-case-sheets/440001/xlsx/").content
    cells = [
        c
        for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert "43市町村" not in "".join(map(str, cells)) and "18市町村（14市 3町 1村）" in cells


def test_cli_writes_a_prefecture_sheet(tmp_path: Path, capsys: Any) -> None:
    from tsunagu.cli import main

    out = tmp_path / "oita.xlsx"
    assert main(["case-sheet", "--prefecture", "大分県", "--format", "xlsx", "-o", str(out)]) == 0
    assert out.stat().st_size > 0
    assert "事例表№6（大分県）" in capsys.readouterr().out


def test_sheet_files_are_made_by_a_job_for_its_owner_only(client_as: Any, settings, tmp_path):
    from django.test import override_settings

    from tsunagu.core.jobs.models import Job, JobStatus
    from tsunagu.core.jobs.runner import job_execute

    settings.MEDIA_ROOT = tmp_path
    client = client_as("oita")
    page = client.get("/plans/prefecture-case-sheets/440001/").content.decode()
    assert "/plans/prefecture-case-sheets/440001/job/pdf/" in page
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        response = client.post("/plans/prefecture-case-sheets/440001/job/xlsx/")
    job = Job.objects.get(kind="plans.case_sheet")
    assert response["Location"] == f"/jobs/{job.pk}/" and job.status == JobStatus.QUEUED
    job_execute(job_id=job.pk)
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "18市町村（14市 3町 1村）" in cells
    other = client_as("kagoshima-pref")
    assert other.post("/plans/prefecture-case-sheets/440001/job/pdf/").status_code == 404
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/"):
        assert other.get(url).status_code == 404
    assert client.post("/plans/prefecture-case-sheets/440001/job/doc/").status_code == 404
    assert Job.objects.count() == 1
