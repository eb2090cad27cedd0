"""Background jobs (core/jobs, ADR 0010): enqueue, progress, failure, retry, cancel, the
worker loop on the database backend, recovery after a restart, the daily schedule, scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import MunicipalityFactory, UserFactory, staff_of
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.jobs import registry, selectors, services
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import JobContext, cancel_key, job_execute
from tsunagu.core.jobs.worker import run_worker

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def count_rows(context: JobContext) -> dict[str, Any]:
    total = int(context.input["rows"])
    for done in range(1, total + 1):
        context.progress(done, total, "数えています")
    context.result_url = "/jobs/result/"
    return {"counted": total}


def refuse_row(context: JobContext) -> None:
    raise TsunaguError("3行目: 名称がありません。")


def crash(context: JobContext) -> None:
    raise RuntimeError("bug")


def fail_first_attempt(context: JobContext) -> dict[str, Any]:
    if context.job.attempts == 1:
        raise TsunaguError("一時的に失敗しました。")
    return {"rows": context.input["rows"]}


def cancelled_while_running(context: JobContext) -> None:
    cache.set(cancel_key(context.job.pk), True)  # the user pressed 取り消す meanwhile
    context.progress(1, 2, "途中", force=True)


for code, handler, resumable in (
    ("tests.count", "count_rows", True),
    ("tests.refuse", "refuse_row", False),
    ("tests.crash", "crash", False),
    ("tests.flaky", "fail_first_attempt", False),
    ("tests.cancelled", "cancelled_while_running", False),
    ("tests.once", "count_rows", False),
):
    registry.register_job_kind(
        registry.JobKind(
            code=code, label=code, handler=f"tests.core.test_jobs:{handler}", resumable=resumable
        )
    )


def _enqueue(kind: str = "tests.count", *, actor: Any = None, **input: Any) -> Job:
    return services.job_enqueue(
        kind=kind, title="テストのジョブ", input=input or {"rows": 3}, actor=actor
    )


def _running_job(kind: str, *, worker_id: str, owner: Any = None) -> Job:
    """A job as a worker left it when it was killed mid-run."""
    return Job.objects.create(
        kind=kind,
        title="中断されたジョブ",
        owner=owner,
        input={"rows": 4},
        status=JobStatus.RUNNING,
        attempts=1,
        worker_id=worker_id,
        started_at=timezone.now(),
        done=2,
        total=4,
    )


def test_enqueued_job_runs_and_keeps_progress_result_and_result_url() -> None:
    job = _enqueue(actor=UserFactory())
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    assert job.result == {"counted": 3}
    assert job.result_url == "/jobs/result/"
    assert job.attempts == 1 and job.finished_at is not None


def test_failed_job_keeps_its_input_and_shows_the_japanese_error() -> None:
    job = _enqueue("tests.refuse", rows=7)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "3行目: 名称がありません。"
    assert job.input == {"rows": 7}


def test_unexpected_exception_fails_the_job_with_a_japanese_message_not_the_traceback() -> None:
    job = _enqueue("tests.crash")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "予期しないエラー" in job.error and "bug" not in job.error


def test_retry_runs_a_failed_job_again_from_the_same_input() -> None:
    owner = UserFactory()
    job = _enqueue("tests.flaky", actor=owner, rows=5)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
    services.job_retry(job=job, actor=owner)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (JobStatus.DONE, 2, "")
    assert job.result == {"rows": 5}


def test_retry_by_another_user_is_refused_and_changes_nothing() -> None:
    job = _enqueue("tests.refuse", actor=UserFactory())
    job.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.job_retry(job=job, actor=UserFactory())
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)


def test_retry_of_a_finished_job_is_refused() -> None:
    owner = UserFactory()
    job = _enqueue(actor=owner)
    job.refresh_from_db()
    with pytest.raises(TsunaguError):
        services.job_retry(job=job, actor=owner)


def test_cancelled_waiting_job_is_interrupted_and_never_runs() -> None:
    owner = UserFactory()
    with override_settings(TASKS=DUMMY_QUEUE):
        job = _enqueue(actor=owner)
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    services.job_cancel(job=job, actor=owner)
    job_execute(job_id=job.pk)  # the queue delivers it anyway
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.INTERRUPTED, 0)


def test_job_cancelled_while_running_stops_at_its_next_progress_report() -> None:
    job = _enqueue("tests.cancelled")
    job.refresh_from_db()
    assert job.status == JobStatus.INTERRUPTED
    assert "取り消しました" in job.error


def test_worker_loop_runs_a_job_queued_in_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    # The worker checks its connection between tasks; in a test's transaction it must not.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    with override_settings(TASKS=DATABASE_QUEUE):
        job = _enqueue(rows=4)
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
        assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
        run_worker(batch=True, schedule=False, signals=False, worker_id="test-worker")
    job.refresh_from_db()
    assert (job.status, job.done, job.worker_id) == (JobStatus.DONE, 4, "test-worker")
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_worker_start_runs_again_a_resumable_job_its_dead_worker_left_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    job = _running_job("tests.count", worker_id="killed-worker")
    with override_settings(TASKS=DATABASE_QUEUE):
        run_worker(batch=True, schedule=False, signals=False, worker_id="new-worker")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done) == (JobStatus.DONE, 2, 4)
    assert job.worker_id == "new-worker"


def test_worker_start_marks_a_job_its_dead_worker_left_running_interrupted() -> None:
    owner = UserFactory()
    job = _running_job("tests.once", worker_id="killed-worker", owner=owner)
    services.worker_beat("new-worker")
    services.job_recover_stale()
    job.refresh_from_db()
    assert job.status == JobStatus.INTERRUPTED
    assert "中断されました" in job.error and "再実行" in job.error
    assert job.input == {"rows": 4}


def test_job_of_a_worker_that_still_beats_is_left_running() -> None:
    services.worker_beat("busy-worker")
    job = _running_job("tests.once", worker_id="busy-worker")
    assert services.job_recover_stale() == []
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_interrupted_job_page_offers_retry_that_reruns_it(client: Any) -> None:
    owner = UserFactory()
    job = _running_job("tests.once", worker_id="killed-worker", owner=owner)
    services.job_recover_stale()
    client.force_login(owner)
    page = client.get(f"/jobs/{job.pk}/")
    assert "再実行" in page.content.decode()
    client.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)


def test_daily_job_is_enqueued_once_after_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        registry,
        "_PERIODIC",
        {"tests.once": registry.Periodic("tests.once", datetime.time(6, 0), "毎日のテスト")},
    )
    early = timezone.make_aware(datetime.datetime(2026, 4, 1, 5, 59))
    later = timezone.make_aware(datetime.datetime(2026, 4, 1, 6, 30))
    assert services.periodic_enqueue_due(now=early) == []
    first = services.periodic_enqueue_due(now=later)
    second = services.periodic_enqueue_due(now=later + datetime.timedelta(hours=3))
    assert len(first) == 1 and second == []
    assert Job.objects.filter(kind="tests.once").count() == 1
    assert first[0].dedupe_key == "periodic:tests.once:2026-04-01"


def test_user_sees_their_own_jobs_and_not_another_users() -> None:
    me, other = UserFactory(), UserFactory()
    mine, theirs = _enqueue(actor=me), _enqueue(actor=other)
    assert list(selectors.job_list_visible_to(user=me)) == [mine]
    with pytest.raises(NotFound):
        selectors.job_get_for_user(user=me, job_id=theirs.pk)


def test_municipality_staff_see_the_jobs_of_their_municipality() -> None:
    town, elsewhere = MunicipalityFactory(), MunicipalityFactory()
    staff = staff_of(town)
    ours = services.job_enqueue(
        kind="tests.count", title="t", input={"rows": 1}, actor=UserFactory(), municipality=town
    )
    services.job_enqueue(
        kind="tests.count", title="t", input={"rows": 1}, actor=None, municipality=elsewhere
    )
    assert list(selectors.job_list_visible_to(user=staff)) == [ours]


def test_another_users_job_page_is_not_found(client: Any) -> None:
    job = _enqueue(actor=UserFactory())
    client.force_login(UserFactory())
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 404


def test_running_job_page_polls_every_second_with_a_labelled_progress_bar(client: Any) -> None:
    owner = UserFactory()
    job = _running_job("tests.once", worker_id="w", owner=owner)
    client.force_login(owner)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and 'aria-live="polite"' in html
    assert f'<label for="job-progress-{job.pk}"' in html
    assert '<progress id="job-progress' in html and 'value="2"' in html
    assert "取り消す" in html


def test_finished_job_status_stops_polling_and_links_the_result(client: Any) -> None:
    owner = UserFactory()
    job = _enqueue(actor=owner)
    client.force_login(owner)
    html = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in html
    assert 'href="/jobs/result/"' in html


def test_job_list_shows_the_users_jobs(client: Any) -> None:
    owner = UserFactory()
    job = _enqueue(actor=owner)
    client.force_login(owner)
    html = client.get("/jobs/").content.decode()
    assert f'href="/jobs/{job.pk}/"' in html and "完了" in html


def test_tsunagu_worker_batch_runs_the_waiting_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    from tsunagu import cli

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.Worker.configure_signals", lambda self: None
    )
    with override_settings(TASKS=DATABASE_QUEUE):
        job = _enqueue(rows=2)
        assert cli.main(["worker", "--batch", "--no-schedule"]) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_demo_starts_its_worker_as_a_child_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from tsunagu import cli

    started: list[list[str]] = []

    class FakeProcess:
        def __init__(self, command: list[str], env: dict[str, str]) -> None:
            started.append(command)

    monkeypatch.setattr(cli.subprocess, "Popen", FakeProcess)
    cli._start_demo_worker()
    assert started and started[0][-3:] == ["-m", "tsunagu.cli", "worker"]
