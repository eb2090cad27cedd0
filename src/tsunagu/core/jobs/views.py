"""Job pages: the user's ジョブ list, one job with its progress (htmx polling every second
while it runs), 再実行 and 取り消す."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.core.jobs import files, selectors, services
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.registry import job_kind_label, job_redirects_on_done


def _job(request: HttpRequest, pk: int) -> Job:
    try:
        return selectors.job_get_for_user(user=request.user, job_id=pk)
    except NotFound:
        raise Http404() from None


def _context(request: HttpRequest, job: Job) -> dict[str, object]:
    result_file = files.job_result_file(job)
    return {
        "job": job,
        "kind_label": _(job_kind_label(job.kind)),
        "mine": job.owner_id == request.user.pk or request.user.is_superuser,
        "result_file": result_file,
        # a kept file is offered as a download, unless the job's result is a page showing it
        "result_is_download": result_file is not None
        and job.result_url == reverse("jobs:download", kwargs={"pk": job.pk}),
        # A result file goes to its owner only; a colleague who sees the job sees no link.
        "show_result": bool(job.result_url)
        and (result_file is None or job.owner_id == request.user.pk),
        "file_removed": isinstance(job.result, dict) and bool(job.result.get("file_removed")),
        **selectors.job_progress(job),
    }


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.job_list_visible_to(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    rows = [(job, _(job_kind_label(job.kind))) for job in page.object_list]
    return render(request, "core/jobs/list.html", {"page_obj": page, "rows": rows})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "core/jobs/detail.html", _context(request, job))


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment; polls itself every second until the job has finished."""
    job = _job(request, pk)
    if request.htmx and job.result_url and job.status == JobStatus.DONE:
        if job_redirects_on_done(job.kind):
            return HttpResponseClientRedirect(job.result_url)
    return render(request, "core/jobs/_status.html", _context(request, job))


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.job_retry(job=job, actor=request.user)
    except TsunaguError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("同じ入力で、もう一度実行します。"))
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.job_cancel(job=job, actor=request.user)
    except TsunaguError as exc:
        messages.error(request, exc.message)
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's result file, for the job's owner only (404 for everyone else, as for a job
    they may not see: the file was made from what its owner may see)."""
    job = _job(request, pk)
    result_file = files.job_result_file(job)
    if result_file is None or job.owner_id != request.user.pk:
        raise Http404()
    name = result_file[files.RESULT_FILE]
    if not default_storage.exists(name):
        raise Http404(_("結果のファイルは保存期間を過ぎたため削除しました。"))
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=result_file.get("file_name") or "result",
        content_type=result_file.get("content_type") or "application/octet-stream",
    )
