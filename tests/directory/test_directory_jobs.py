"""The directory's long work as background jobs: the search-index rebuild (a system
administrator's button, ``tsunagu directory reindex [--enqueue]``) and HSDS imports
(``tsunagu hsds import --enqueue``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from tests.directory.test_hsds import EXAMPLE_JSON, EXAMPLE_TABULAR
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import job_execute
from tsunagu.directory.cli import cmd_reindex
from tsunagu.directory.hsds.cli import cmd_hsds
from tsunagu.directory.models import Organisation, SearchEntry

pytestmark = pytest.mark.django_db
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
KAWARA = "406015"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_system_admin_rebuilds_the_index_as_a_job(client_as) -> None:
    client = client_as("admin")
    assert "検索索引を作り直す" in client.get("/directory/io/import/").content.decode()
    SearchEntry.objects.all().delete()  # a broken index
    with override_settings(TASKS=DUMMY_QUEUE):
        response = client.post("/directory/io/reindex/")
    job = Job.objects.get(kind="directory.reindex")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.QUEUED and not SearchEntry.objects.exists()

    job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result["entries"] == SearchEntry.objects.count() > 0
    assert job.done == job.total >= Organisation.objects.count()
    assert "完了" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_municipal_staff_may_not_rebuild_nor_see_the_admins_job(client_as) -> None:
    client = client_as("kawara")
    assert "検索索引を作り直す" not in client.get("/directory/io/import/").content.decode()
    assert client.post("/directory/io/reindex/").status_code == 403
    assert not Job.objects.exists()
    client_as("admin").post("/directory/io/reindex/")
    job = Job.objects.get()
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404


def test_reindex_command_runs_here_by_default_and_enqueues_on_request(capsys) -> None:
    SearchEntry.objects.all().delete()
    assert cmd_reindex(argparse.Namespace(enqueue=False)) == 0
    assert "検索索引を作り直しました" in capsys.readouterr().out
    assert SearchEntry.objects.exists() and not Job.objects.exists()
    with override_settings(TASKS=DUMMY_QUEUE):
        assert cmd_reindex(argparse.Namespace(enqueue=True)) == 0
    job = Job.objects.get(kind="directory.reindex")
    assert f"/jobs/{job.pk}/" in capsys.readouterr().out and job.status == JobStatus.QUEUED


def _hsds(path: Path, *, enqueue: bool, municipality: str = KAWARA) -> int:
    return cmd_hsds(
        argparse.Namespace(
            hsds_command="import", path=str(path), municipality=municipality, enqueue=enqueue
        )
    )


def test_hsds_import_enqueued_from_the_command_line(client_as, capsys) -> None:
    before = Organisation.objects.count()
    with override_settings(TASKS=DUMMY_QUEUE):
        assert _hsds(EXAMPLE_JSON, enqueue=True) == 0
    job = Job.objects.get(kind="directory.hsds_import")
    assert job.municipality.code == KAWARA and job.status == JobStatus.QUEUED
    assert default_storage.exists(job.input["file"])
    assert Organisation.objects.count() == before  # nothing until the worker runs it

    job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["created"] == 3
    assert Organisation.objects.count() > before
    # the municipality's staff follow it in their job list; another municipality does not
    assert client_as("kawara").get(f"/jobs/{job.pk}/").status_code == 200
    assert client_as("saiki").get(f"/jobs/{job.pk}/").status_code == 404


def test_hsds_folder_is_zipped_for_the_job(tmp_path: Path) -> None:
    assert _hsds(EXAMPLE_TABULAR, enqueue=True) == 0
    job = Job.objects.get(kind="directory.hsds_import")
    assert job.input["file_name"].endswith(".zip")
    assert job.status == JobStatus.DONE, job.error


def test_a_bad_hsds_file_fails_the_job_in_japanese(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"organizations": [{"id": 1}]', encoding="utf-8")
    assert _hsds(bad, enqueue=True) == 0
    job = Job.objects.get(kind="directory.hsds_import")
    assert job.status == JobStatus.FAILED and job.error
    assert any("\u3040" <= ch <= "\u30ff" for ch in job.error)  # a Japanese message
    assert _hsds(tmp_path / "missing.json", enqueue=True) == 1
    assert "見つかりません" in capsys.readouterr().err
    assert _hsds(EXAMPLE_JSON, enqueue=True, municipality="999999") == 1
    assert Job.objects.count() == 1


def test_synchronous_hsds_import_is_unchanged(capsys: Any) -> None:
    assert _hsds(EXAMPLE_JSON, enqueue=False) == 0
    assert "新規" in capsys.readouterr().out and not Job.objects.exists()
