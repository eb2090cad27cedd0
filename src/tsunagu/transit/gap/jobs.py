"""The gap analysis's .xlsx (交通空白の分析) computed by a background job (ADR 0010):
distances from tens of thousands of points or mesh cells to every stop, with the day's
departures, take longer than a request should. The page's 「Excel（.xlsx）で保存」 enqueues
it; the job page shows progress and then the file (stored in the default storage under
``jobs/``, downloaded by the user who asked only: it may hold riders' member numbers).

The page enqueues it (:func:`.views.gap_export_job_start`: this module imports the views,
not the other way round). The job's input is the form's choices and, for a file of points, the file itself kept in
the default storage (``jobs/inputs/…``) for 再実行 until the job files' retention removes
it. Riders are read when the job runs, with the asking user's rights, and the read is
logged then. ``tsunagu mobility gap`` still computes synchronously.

Resumable: the analysis writes nothing but its file, so a job whose worker died is run again.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.core.jobs.files import job_input_file_read, job_result_file_save
from tsunagu.core.jobs.registry import JobKind, register_job_kind
from tsunagu.core.jobs.runner import JobContext
from tsunagu.transit.gap import compute

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _request_for(user: Any, path_name: str = "transit_gap:export_job") -> HttpRequest:
    """What the riders' source needs of a request: who reads (for their rights and the read
    log) and where from."""
    request = HttpRequest()
    request.user = user
    request.path = reverse(path_name)
    return request


def _analysis(context: JobContext, path_name: str = "transit_gap:export_job") -> Any:
    """The analysis the job's input asks for, with the asking user's rights now."""
    from tsunagu.transit.gap import views
    from tsunagu.transit.selectors import feed_get_for_user

    data = context.input
    user = get_user_model().objects.filter(pk=data.get("user_id"), is_active=True).first()
    if user is None:
        raise TsunaguError("分析を依頼した人が見つかりません。", code="not_found")
    context.progress(0, 3, "地点を読んでいます", force=True)
    try:
        feed = feed_get_for_user(user=user, pk=data["feed_id"])
        if data["source"] == views.SOURCE_RIDERS:
            riders = views._rider_source()
            if riders is None:
                raise NotFound()
            service = riders.service_get_for_user(user, data["service_id"])
            source = riders.points(_request_for(user, path_name), service)
        else:
            points, kind = compute.read_points_csv(
                job_input_file_read(context), data.get("file_name") or "points.csv"
            )
            source = views.PointSource(
                points=points, kind=kind, name=data.get("file_name") or "", individual=True
            )
    except NotFound:
        raise TsunaguError(
            "時刻表データまたは取組が見つからないか、見る権限がなくなりました。",
            code="not_found",
        ) from None
    context.progress(1, 3, "最寄りの停留所までの距離と便数を計算しています", force=True)
    analysis = views.analyse_source(
        feed=feed,
        source=source,
        date=dt.date.fromisoformat(data["date"]),
        served_only=data.get("stops") != views.STOPS_ALL,
        thresholds=tuple(float(t) for t in data["thresholds"]),
        min_departures=data.get("min_departures"),
        detour_factor=float(data["detour_factor"]),
    )
    return analysis


def gap_export_job_run(context: JobContext) -> dict[str, Any]:
    from tsunagu.transit.gap import views

    analysis = _analysis(context)
    context.progress(2, 3, "Excel ファイルを作っています", force=True)
    buffer = io.BytesIO()
    views.write_xlsx(buffer, analysis)
    stamp = analysis.date.strftime("%Y%m%d")
    stored = job_result_file_save(
        context, name=f"交通空白分析_{stamp}.xlsx", content=buffer.getvalue(), content_type=XLSX
    )
    context.progress(3, 3, "完了", force=True)
    total = analysis.result.total
    return {**stored, "points": total.points, "weight": float(total.weight)}


def gap_page_job_run(context: JobContext) -> dict[str, Any]:
    """The analysis's page (tables, map) rendered once and kept as the job's result file;
    :func:`.views.job_result` shows it to the job's owner."""
    from django.template.loader import render_to_string

    from tsunagu.transit.gap import views

    analysis = _analysis(context, "transit_gap:analysis_job")
    context.progress(2, 3, "結果の表と地図を作っています", force=True)
    user = get_user_model().objects.get(pk=context.input["user_id"])
    html = render_to_string(
        "transit/_gap_result.html",
        {
            **views._base_context(),
            "analysis": views._result_context(_request_for(user), analysis),
        },
    )
    stamp = analysis.date.strftime("%Y%m%d")
    stored = job_result_file_save(
        context,
        name=f"交通空白分析_{stamp}.html",
        content=html.encode("utf-8"),
        content_type="text/html; charset=utf-8",
    )
    context.result_url = reverse("transit_gap:job_result", kwargs={"pk": context.job.pk})
    context.progress(3, 3, "完了", force=True)
    total = analysis.result.total
    return {
        **stored,
        "points": total.points,
        "weight": float(total.weight),
        "individual": analysis.source.individual,
        "source": analysis.source.kind,
    }


def register() -> None:
    register_job_kind(
        JobKind(
            code="transit.gap_export",  # views.GAP_EXPORT_JOB (views enqueue it)
            label=gettext_lazy("交通空白の分析（Excel）"),
            handler="tsunagu.transit.gap.jobs:gap_export_job_run",
            resumable=True,
        )
    )
    register_job_kind(
        JobKind(
            code="transit.gap_page",  # views.GAP_PAGE_JOB
            label=gettext_lazy("交通空白の分析（ページ）"),
            handler="tsunagu.transit.gap.jobs:gap_page_job_run",
            resumable=True,
            redirect_on_done=True,  # the job page opens the result when it is ready
        )
    )
