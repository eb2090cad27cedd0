"""The daily jobs the apps register (ADR 0010): scheduled by the worker, not by cron."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.registry import periodic_jobs
from tsunagu.core.jobs.services import periodic_enqueue_due

pytestmark = pytest.mark.django_db


def test_reminders_review_reminders_and_retention_are_daily_jobs() -> None:
    assert {p.kind: p.at for p in periodic_jobs()} == {
        "care.retention": datetime.time(2, 30),
        "core.job_files": datetime.time(2, 45),
        "engagements.reminders": datetime.time(7, 0),
        "plans.review_reminders": datetime.time(7, 10),
    }


def test_the_days_jobs_are_enqueued_once_and_finish() -> None:
    morning = timezone.make_aware(datetime.datetime(2026, 6, 1, 8, 0))
    jobs = periodic_enqueue_due(now=morning)
    again = periodic_enqueue_due(now=morning + datetime.timedelta(minutes=1))
    assert again == []
    runs = Job.objects.filter(pk__in=[job.pk for job in jobs])
    assert sorted(runs.values_list("kind", "status", "input")) == [
        ("care.retention", JobStatus.DONE, {"today": "2026-06-01"}),
        ("core.job_files", JobStatus.DONE, {"today": "2026-06-01"}),
        ("engagements.reminders", JobStatus.DONE, {"today": "2026-06-01"}),
        ("plans.review_reminders", JobStatus.DONE, {"today": "2026-06-01"}),
    ]


def test_only_the_jobs_whose_time_has_come_are_enqueued() -> None:
    night = timezone.make_aware(datetime.datetime(2026, 6, 2, 3, 0))
    assert [job.kind for job in periodic_enqueue_due(now=night)] == [
        "care.retention",
        "core.job_files",
    ]
