"""Files of jobs (core/jobs/files.py): uploads kept for a job, result files downloaded by
the job's owner only, and their removal TSUNAGU_JOB_RESULT_DAYS after the job finished."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from tests.factories import MunicipalityFactory, UserFactory, staff_of
from tsunagu.core.errors import TsunaguError
from tsunagu.core.jobs import files, registry, services
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import JobContext

pytestmark = pytest.mark.django_db


def make_report(context: JobContext) -> dict[str, Any]:
    content = files.job_input_file_read(context).upper()
    return files.job_result_file_save(
        context, name="../報告 書.csv", content=content, content_type="text/csv"
    )


registry.register_job_kind(
    registry.JobKind(
        code="tests.report", label="tests.report", handler="tests.core.test_job_files:make_report"
    )
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _report_job(owner: Any, municipality: Any = None, data: bytes = b"a,b\n") -> Job:
    stored = files.job_input_file_save(data=data, name="in.csv")
    job = services.job_enqueue(
        kind="tests.report",
        title="報告",
        input={files.INPUT_FILE: stored},
        actor=owner,
        municipality=municipality,
    )
    job.refresh_from_db()  # the immediate queue ran it
    return job


def test_result_file_is_stored_under_jobs_and_downloaded_by_its_owner_only() -> None:
    place = MunicipalityFactory()
    owner = staff_of(place)
    colleague = staff_of(place)
    job = _report_job(owner, place)
    assert job.status == JobStatus.DONE
    stored = job.result["file"]
    assert stored.startswith(f"jobs/{job.pk}/") and ".." not in stored
    assert job.result_url == f"/jobs/{job.pk}/download/"
    response = _client(owner).get(job.result_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"A,B\n"
    assert "attachment" in response["Content-Disposition"]
    # the colleague sees the job in the municipality's list, but neither link nor file
    page = _client(colleague).get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and job.result_url not in page.content.decode()
    assert _client(colleague).get(job.result_url).status_code == 404
    assert _client(staff_of(MunicipalityFactory())).get(job.result_url).status_code == 404


def test_a_result_path_outside_the_job_is_never_served() -> None:
    owner = UserFactory()
    job = _report_job(owner)
    other = _report_job(owner)
    Job.objects.filter(pk=job.pk).update(result={**job.result, "file": other.result["file"]})
    assert _client(owner).get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_missing_input_file_fails_in_japanese() -> None:
    owner = UserFactory()
    job = services.job_enqueue(
        kind="tests.report", title="報告", input={"file": "../../etc/passwd"}, actor=owner
    )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == files.MISSING_INPUT
    with pytest.raises(TsunaguError):
        files.job_input_file_read(JobContext(job))


def test_cleanup_removes_files_of_jobs_finished_before_the_retention(settings) -> None:
    settings.TSUNAGU_JOB_RESULT_DAYS = 30
    owner = UserFactory()
    old, recent = _report_job(owner), _report_job(owner)
    running = _report_job(owner)
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING, finished_at=None)
    now = timezone.now()
    Job.objects.filter(pk=old.pk).update(finished_at=now - datetime.timedelta(days=31))
    Job.objects.filter(pk=recent.pk).update(finished_at=now - datetime.timedelta(days=29))

    assert files.job_files_cleanup(now=now) == 2  # the old job's input and result

    old.refresh_from_db()
    assert not default_storage.exists(old.input["file"])
    assert old.result["file"] == "" and old.result["file_removed"] and old.result_url == ""
    page = _client(owner).get(f"/jobs/{old.pk}/").content.decode()
    assert "保存期間を過ぎたため削除しました" in page
    assert _client(owner).get(f"/jobs/{old.pk}/download/").status_code == 404
    for job in (recent, running):
        job.refresh_from_db()
        assert default_storage.exists(job.result["file"])
    assert files.job_files_cleanup(now=now) == 0  # once
    # a failed job's kept upload goes too, and the job is not looked at again
    failed = services.job_enqueue(
        kind="tests.report", title="報告", input={"file": "jobs/inputs/x/gone.csv"}, actor=owner
    )
    kept = files.job_input_file_save(data=b"x", name="kept.csv")
    Job.objects.filter(pk=failed.pk).update(
        input={"file": kept}, finished_at=now - datetime.timedelta(days=40)
    )
    assert files.job_files_cleanup(now=now) == 1
    assert not default_storage.exists(kept)
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED and failed.result == {"files_removed": True}
    assert "保存期間を過ぎた" not in _client(owner).get(f"/jobs/{failed.pk}/").content.decode()
    assert files.job_files_cleanup(now=now) == 0


def test_the_daily_cleanup_job_reports_what_it_removed(settings) -> None:
    settings.TSUNAGU_JOB_RESULT_DAYS = 0
    owner = UserFactory()
    job = _report_job(owner)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(minutes=1))
    cleanup = services.job_enqueue(kind="core.job_files", title="削除", input={}, actor=None)
    cleanup.refresh_from_db()
    assert cleanup.status == JobStatus.DONE
    assert cleanup.result == {"removed": 2, "days": 0}
