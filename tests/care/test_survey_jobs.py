"""Anonymous surveys scored in bulk as a background job: the upload page enqueues, the job
stores only the district counts and removes the kept file; a bad file shows its rows; other
municipalities see neither the job nor the survey."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from tests.care import checklist_helpers as h
from tests.care.test_checklist_files import _survey_file
from tsunagu.care.models import ChecklistSurvey
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import job_execute

pytestmark = pytest.mark.django_db
TITLE = "ジョブで集計する調査"
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _post(client: Client, data: bytes, title: str = TITLE):
    return client.post(
        reverse("care_checklist:survey_new"),
        {
            "municipality": h.municipality("香春町").pk,
            "title": title,
            "file": SimpleUploadedFile("survey.csv", data, content_type="text/csv"),
        },
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_queued_survey_is_scored_by_the_worker_and_its_file_removed():
    actor = h.staff("香春町", care=False)
    a, b = h.district("香春町", "テスト北"), h.district("香春町", "テスト南")
    client = _client(actor)
    with override_settings(TASKS=DUMMY_QUEUE):
        response = _post(client, _survey_file(a, b))
    job = Job.objects.get(kind="care.survey_score")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.QUEUED and job.municipality == h.municipality("香春町")
    stored = job.input["file"]
    assert stored.startswith("jobs/inputs/") and default_storage.exists(stored)
    assert not ChecklistSurvey.objects.filter(title=TITLE).exists()

    job_execute(job_id=job.pk)

    job.refresh_from_db()
    survey = ChecklistSurvey.objects.get(title=TITLE)
    assert job.status == JobStatus.DONE and job.result["respondents"] == 4 == survey.respondents
    assert job.result_url == reverse("care_checklist:survey", args=[survey.pk])
    assert not default_storage.exists(stored)  # answers are never kept
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.result_url in page and "結果を見る" in page
    assert client.get(job.result_url).status_code == 200


def test_without_a_worker_delay_the_page_goes_straight_to_the_survey():
    actor = h.staff("香春町", care=False)
    a, b = h.district("香春町", "テスト北"), h.district("香春町", "テスト南")
    response = _post(_client(actor), _survey_file(a, b))
    survey = ChecklistSurvey.objects.get(title=TITLE)
    assert response["Location"] == reverse("care_checklist:survey", args=[survey.pk])


def test_a_bad_file_shows_its_rows_in_japanese_and_can_be_retried():
    actor = h.staff("香春町", care=False)
    a = h.district("香春町", "テスト北")
    other = h.district("鹿児島市", "よそ")
    client = _client(actor)
    response = _post(client, _survey_file(a, other))  # run at once: shown on the form
    assert response.status_code == 400
    assert "5行目の列「district」" in response.content.decode()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "5行目の列「district」" in job.error
    assert default_storage.exists(job.input["file"])  # kept for 再実行
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "5行目の列「district」" in page and "再実行" in page
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 2  # same input, same answer
    assert not ChecklistSurvey.objects.filter(title=TITLE).exists()


def test_another_municipality_sees_neither_job_nor_survey():
    actor = h.staff("香春町", care=False)
    a, b = h.district("香春町", "テスト北"), h.district("香春町", "テスト南")
    _post(_client(actor), _survey_file(a, b))
    job = Job.objects.get()
    other = _client(h.staff("鹿児島市", care=True))
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/status/").status_code == 404
    assert other.get(job.result_url).status_code == 404
    assert other.post(f"/jobs/{job.pk}/retry/").status_code == 404
