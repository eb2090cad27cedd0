"""GTFS import from the web page as a background job: queued for the worker, the job page
leads to the feed; a refused feed shows its problems by file and line on the job page and
keeps the zip for 再実行; another municipality sees nothing of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse

from tests.transit.test_views import _zip_upload
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import job_execute
from tsunagu.transit.models import Feed, Stop

pytestmark = pytest.mark.django_db
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_queued_import_runs_in_the_worker_and_leads_to_the_feed(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    saiki = municipality("佐伯市")
    client = client_as("saiki")
    with override_settings(TASKS=DUMMY_QUEUE):
        response = client.post(
            reverse("transit:feed_import"),
            {"file": _zip_upload(tmp_path), "municipality": saiki.pk, "name": "ジョブで"},
        )
    job = Job.objects.get(kind="transit.gtfs_import")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.municipality) == (JobStatus.QUEUED, saiki)
    stored = job.input["file"]
    assert default_storage.exists(stored) and not Feed.objects.filter(name="ジョブで").exists()

    job_execute(job_id=job.pk)

    job.refresh_from_db()
    feed = Feed.objects.get(name="ジョブで", municipality=saiki)
    assert job.status == JobStatus.DONE
    assert job.result_url == reverse("transit:feed_detail", args=[feed.pk])
    assert feed.source_filename == "路線データ.zip" and Stop.objects.filter(feed=feed).count() == 4
    assert not default_storage.exists(stored)  # removed once stored
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.result_url in page
    assert client.get(job.result_url).status_code == 200


def test_refused_feed_fails_the_job_with_its_problems_and_can_be_retried(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    stops = "stop_id,stop_name,stop_lat,stop_lon\nA,駅前,北緯33度,131.0\n"
    client = client_as("saiki")
    with override_settings(TASKS=DUMMY_QUEUE):
        client.post(
            reverse("transit:feed_import"),
            {"file": _zip_upload(tmp_path, {"stops.txt": stops}),
             "municipality": municipality("佐伯市").pk, "name": "壊れ"},
        )  # fmt: skip
    job = Job.objects.get(kind="transit.gtfs_import")
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "取り込んでいません" in job.error and "stops.txt 2行目" in job.error
    assert "stops.txt" in {p["file"] for p in job.result["problems"]}
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "stop_lat が数値ではありません" in page and "再実行" in page
    assert default_storage.exists(job.input["file"])  # kept: 再実行 reads the same zip
    with override_settings(TASKS=DUMMY_QUEUE):
        client.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.result is None
    assert not Feed.objects.filter(name="壊れ").exists()


def test_another_municipality_sees_neither_the_job_nor_the_feed(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    client_as("saiki").post(
        reverse("transit:feed_import"),
        {"file": _zip_upload(tmp_path), "municipality": municipality("佐伯市").pk, "name": "私の"},
    )
    job = Job.objects.get(kind="transit.gtfs_import")
    assert job.status == JobStatus.DONE
    other = client_as("kawara")
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/", job.result_url):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/jobs/{job.pk}/retry/").status_code == 404
