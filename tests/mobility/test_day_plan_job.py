"""The day plan (配車計画) as a background job (ADR 0010): the request enqueues, the job page
shows progress, then the plan."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.mobility.rides_helpers import (
    DAY,
    make_driver,
    make_own_car,
    make_request,
    make_rider,
    make_service,
)
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.runner import job_execute
from tsunagu.mobility.models import DayPlan

pytestmark = pytest.mark.django_db
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_running_a_day_plan_enqueues_a_job_whose_page_leads_to_the_plan(client_as) -> None:
    service = make_service()
    make_own_car(make_driver(service, name="A"))
    make_request(make_rider(service))
    client = client_as("naokawa")
    with override_settings(TASKS=DUMMY_QUEUE):  # the worker has not taken it yet
        response = client.post(reverse("mobility:day_plan_run", args=[service.pk, DAY.isoformat()]))
    job = Job.objects.get(kind="mobility.day_plan")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.municipality) == (JobStatus.QUEUED, service.municipality)
    assert not DayPlan.objects.filter(service=service).exists()

    job_execute(job_id=job.pk)  # the worker

    plan_url = reverse("mobility:day_plan", args=[service.pk, DAY.isoformat()])
    job.refresh_from_db()
    assert (job.status, job.result_url) == (JobStatus.DONE, plan_url)
    assert DayPlan.objects.filter(service=service, date=DAY).exists()
    polled = client.get(f"/jobs/{job.pk}/status/", HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == plan_url


def test_day_plan_run_without_a_worker_delay_goes_straight_to_the_plan(client_as) -> None:
    service = make_service()
    make_own_car(make_driver(service, name="A"))
    make_request(make_rider(service))
    response = client_as("naokawa").post(
        reverse("mobility:day_plan_run", args=[service.pk, DAY.isoformat()])
    )
    assert response["Location"] == reverse("mobility:day_plan", args=[service.pk, DAY.isoformat()])
    assert Job.objects.get(kind="mobility.day_plan").status == JobStatus.DONE
