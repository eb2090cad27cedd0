"""The gap analysis's .xlsx as a background job: the page's button enqueues it, the job page
offers the file to the user who asked; a bad file fails the job in Japanese; riders are read
with the asking user's rights when the job runs; other municipalities see nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from openpyxl import load_workbook

from tests.transit import test_gap_views as gap
from tests.transit.test_gap_views import POINTS, URL, form_data, upload
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import job_execute

pytestmark = pytest.mark.django_db
feed, service = gap.feed, gap.service  # the gap page tests' fixtures
JOB_URL = "/mobility/gap/export-job/"
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _workbook(client: Client, job: Job) -> Any:
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_page_button_enqueues_the_xlsx_and_the_job_page_offers_it(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    client = client_as("saiki")
    first = client.post(URL, form_data(feed, points_file=upload(POINTS)))
    assert JOB_URL in first.content.decode()  # the page's 「Excel（.xlsx）で保存」
    with override_settings(TASKS=DUMMY_QUEUE):
        response = client.post(JOB_URL, dict(first.context["export_fields"]))
    job = Job.objects.get(kind="transit.gap_export")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.QUEUED and job.municipality == feed.municipality
    assert default_storage.exists(job.input["file"]) and job.input["thresholds"] == [
        300.0,
        500.0,
        1000.0,
    ]

    job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["points"] == 5
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"/jobs/{job.pk}/download/" in page and "交通空白分析_20261201.xlsx" in page
    book = _workbook(client, job)
    assert book.sheetnames == ["概要", "地区別", "地点別"]
    summary = [list(r) for r in book["概要"].iter_rows(values_only=True)]
    assert ["300 m 以内", 1, 5.0] in summary and ["1000 m より遠い", 14, 70.0] in summary


def test_a_bad_points_file_fails_the_job_in_japanese(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    client = client_as("saiki")
    client.post(JOB_URL, form_data(feed, points_file=upload("id,lat,lon\np1,北緯,131.9\n")))
    job = Job.objects.get(kind="transit.gap_export")
    assert job.status == JobStatus.FAILED and "lat" in job.error and "2" in job.error
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "再実行" in page and "ダウンロード" not in page
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_form_errors_stay_on_the_page(feed: Any, client_as: Callable[[str], Client]) -> None:
    client = client_as("saiki")
    response = client.post(JOB_URL, form_data(feed, use_saved_file="on"))
    assert response.status_code == 400
    assert "前回のファイルが見つかりません" in response.content.decode()
    response = client.post(JOB_URL, form_data(feed, thresholds="abc", points_file=upload(POINTS)))
    assert response.status_code == 400 and not Job.objects.exists()


def test_riders_are_read_with_the_users_rights_when_the_job_runs(
    feed: Any,
    service: Any,
    client_as: Callable[[str], Client],
) -> None:
    from tsunagu.accounts.models import PersonalDataReadLog

    outsider = client_as("saiki")
    outsider.post(JOB_URL, form_data(feed, source="riders", service=service.pk))
    job = Job.objects.get(kind="transit.gap_export")
    assert "地点別" not in _workbook(outsider, job).sheetnames  # aggregates only

    before = PersonalDataReadLog.objects.count()
    operator = client_as("naokawa")
    operator.post(JOB_URL, form_data(feed, source="riders", service=service.pk))
    mine = Job.objects.filter(kind="transit.gap_export").latest("pk")
    rows = list(_workbook(operator, mine)["地点別"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["M1", "M2", "M3", "M4", "M5"]
    assert PersonalDataReadLog.objects.count() == before + 1
    # a colleague who sees the job in the municipality's list does not get the file
    assert outsider.get(f"/jobs/{mine.pk}/download/").status_code == 404


def test_another_municipality_cannot_see_the_job_or_its_file(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    client_as("saiki").post(JOB_URL, form_data(feed, points_file=upload(POINTS)))
    job = Job.objects.get(kind="transit.gap_export")
    other = client_as("kawara")
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/"):
        assert other.get(url).status_code == 404, url
    assert other.post(JOB_URL, form_data(feed, points_file=upload(POINTS))).status_code == 404
