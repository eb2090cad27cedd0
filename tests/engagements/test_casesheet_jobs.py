"""Case-sheet files (事例表 PDF / .xlsx) as background jobs: the page enqueues, the job
page offers the file to the user who asked, stored under jobs/ in the default storage."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from openpyxl import load_workbook
from pypdf import PdfReader

from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import job_execute

pytestmark = pytest.mark.django_db

KAWARA, SAIKI = "406015", "442054"
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _download(client, job: Job):
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_pdf_job_runs_and_its_page_offers_the_file(client_as) -> None:
    client = client_as("saiki")
    response = client.post(f"/engagements/case-sheets/{SAIKI}/job/pdf/")
    job = Job.objects.get(kind="engagements.case_sheet")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.municipality.code == SAIKI
    assert job.input["format"] == "pdf"
    assert job.result["file"].startswith(f"jobs/{job.pk}/")
    assert default_storage.exists(job.result["file"])
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"/jobs/{job.pk}/download/" in page and "事例表№2（佐伯市）.pdf" in page
    response, content = _download(client, job)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "事例表№2（佐伯市）" in text


def test_xlsx_job_is_queued_until_the_worker_runs_it(client_as) -> None:
    client = client_as("saiki")
    with override_settings(TASKS=DUMMY_QUEUE):
        client.post(f"/engagements/case-sheets/{SAIKI}/job/xlsx/")
    job = Job.objects.get(kind="engagements.case_sheet")
    assert job.status == JobStatus.QUEUED
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    job_execute(job_id=job.pk)
    _, content = _download(client, job)
    assert load_workbook(io.BytesIO(content))["事例表"]["A1"].value == "事例表№2（佐伯市）"


def test_another_municipality_cannot_start_see_or_download(client_as) -> None:
    assert client_as("kawara").post(f"/engagements/case-sheets/{SAIKI}/job/pdf/").status_code == 404
    assert not Job.objects.exists()
    client_as("saiki").post(f"/engagements/case-sheets/{SAIKI}/job/xlsx/")
    job = Job.objects.get()
    other = client_as("kawara")
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/", f"/jobs/{job.pk}/download/"):
        assert other.get(url).status_code == 404, url


def test_unknown_format_and_get_are_refused(client_as) -> None:
    client = client_as("saiki")
    assert client.post(f"/engagements/case-sheets/{SAIKI}/job/docx/").status_code == 404
    assert client.get(f"/engagements/case-sheets/{SAIKI}/job/pdf/").status_code == 405
    assert not Job.objects.exists()


def test_a_user_whose_access_ended_gets_a_japanese_error(client_as, user_named) -> None:
    client = client_as("saiki")
    with override_settings(TASKS=DUMMY_QUEUE):
        client.post(f"/engagements/case-sheets/{SAIKI}/job/pdf/")
    job = Job.objects.get()
    user = user_named("saiki")
    user.memberships.all().delete()
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "権限がなくなった" in job.error and not job.result_url
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "権限がなくなった" in page and "再実行" in page


def test_the_list_starts_the_files_as_jobs(client_as) -> None:
    body = client_as("saiki").get("/engagements/case-sheets/").content.decode()
    assert f'action="/engagements/case-sheets/{SAIKI}/job/pdf/"' in body
    assert f'action="/engagements/case-sheets/{SAIKI}/job/xlsx/"' in body
