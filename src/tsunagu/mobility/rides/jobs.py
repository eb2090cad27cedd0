"""The day plan (配車計画) as a background job (ADR 0010): OR-Tools searches for up to ~10 s,
which must not hold a request (nor its transaction) open. The page enqueues, the job page
shows progress, then leads to the plan. Resumable: planning a day replaces that day's
draft plan, so running it again after a killed worker is harmless."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tsunagu.core.jobs.models import Job
from tsunagu.core.jobs.registry import JobKind, register_job_kind
from tsunagu.core.jobs.runner import JobContext
from tsunagu.core.jobs.services import job_enqueue
from tsunagu.mobility.models import MobilityService
from tsunagu.mobility.rides import coexistence, planning

DAY_PLAN_JOB = "mobility.day_plan"


def day_plan_job_start(*, service: MobilityService, date: datetime.date, actor: Any) -> Job:
    """Enqueue the day's plan; the caller has checked that ``actor`` may plan rides."""
    return job_enqueue(
        kind=DAY_PLAN_JOB,
        title=f"配車計画 {service.name} {date.isoformat()}",
        input={"service_id": service.pk, "date": date.isoformat(), "user_id": actor.pk},
        actor=actor,
        municipality=service.municipality,
    )


def day_plan_job_run(context: JobContext) -> dict[str, Any]:
    service = MobilityService.objects.select_related("municipality").get(
        pk=context.input["service_id"]
    )
    date = datetime.date.fromisoformat(context.input["date"])
    actor = get_user_model().objects.get(pk=context.input["user_id"])
    context.progress(0, 2, "配車の組み合わせを計算しています（最長10秒ほど）", force=True)
    plan = planning.plan_day(service=service, date=date, actor=actor)
    context.progress(1, 2, "路線バス・デマンド交通で行ける予約を調べています", force=True)
    # Mark the requests a bus or demand trip could serve, so staff see it next to the plan.
    coexistence.mark_public_alternatives(service=service, date=date, actor=actor)
    context.progress(2, 2, "完了", force=True)
    context.result_url = reverse("mobility:day_plan", args=[service.pk, date.isoformat()])
    return {"routes": plan.routes.count(), "unserved": plan.unserved.count()}


def register() -> None:
    register_job_kind(
        JobKind(
            code=DAY_PLAN_JOB,
            label=gettext_lazy("配車計画の作成"),
            handler="tsunagu.mobility.rides.jobs:day_plan_job_run",
            resumable=True,
            redirect_on_done=True,
        )
    )
