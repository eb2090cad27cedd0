"""Import and export pages: upload → column mapping → preview → commit → report; export.

Thin: the work is in the :mod:`tsunagu.directory.imports` modules and
:mod:`tsunagu.directory.exporting`, the forms in :mod:`.forms`. Large files are validated
and committed as a background job (:mod:`.jobs`, run by ``tsunagu worker``); the progress
page polls the job's state every second with htmx.
"""

from __future__ import annotations

import io
import re
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from tsunagu.accounts.scope import scope_for
from tsunagu.areas.models import Municipality
from tsunagu.core import spreadsheet
from tsunagu.directory import exporting
from tsunagu.directory import jobs as directory_jobs
from tsunagu.directory.imports import columns, jobs, reading, validation
from tsunagu.directory.imports.forms import (
    KIND_LABELS,
    ON_DUPLICATE_LABELS,
    ExportForm,
    MappingForm,
    UploadForm,
)

SESSION_KEY = "directory_imports"
STEP_VALIDATE = jobs.STEP_VALIDATE
STEP_COMMIT = jobs.STEP_COMMIT
SAMPLE_ROWS = 3
KEEP_UPLOADS_SECONDS = 24 * 60 * 60


def _import_dir() -> Path:
    return Path(getattr(settings, "TSUNAGU_IMPORT_DIR", settings.DATA_DIR / "imports"))


def _sync_max_bytes() -> int:
    """Files up to this size are handled within the request; larger ones by the worker."""
    return int(getattr(settings, "TSUNAGU_IMPORT_SYNC_MAX_BYTES", 256 * 1024))


def _prune_uploads() -> None:
    root = _import_dir()
    if not root.exists():
        return
    limit = time.time() - KEEP_UPLOADS_SECONDS
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _check_step(step: str) -> None:
    if step not in (STEP_VALIDATE, STEP_COMMIT):
        raise Http404()


def _state(request: HttpRequest, token: str) -> dict[str, Any]:
    state = request.session.get(SESSION_KEY, {}).get(token)
    if state is None or state.get("user_id") != request.user.pk:
        raise Http404(_("取り込みの作業が見つかりません。最初からやり直してください。"))
    return state


def _save_state(request: HttpRequest, token: str, state: dict[str, Any]) -> None:
    imports = request.session.get(SESSION_KEY, {})
    imports[token] = state
    if len(imports) > 10:  # keep the session small: the oldest go first
        for old in sorted(imports, key=lambda t: imports[t].get("started", 0))[:-10]:
            imports.pop(old, None)
    request.session[SESSION_KEY] = imports
    request.session.modified = True


# --- import -------------------------------------------------------------------------------


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    available = validation.importable_municipalities(request.user).exists()
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and available and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        file_name = Path(upload.name).name
        try:
            table = reading.read_table(data, file_name, limit=SAMPLE_ROWS)
        except columns.ImportFileError as exc:
            form.add_error("file", f"{file_name}: {exc.message}")
        else:
            _prune_uploads()
            token = uuid.uuid4().hex
            folder = _import_dir() / token
            folder.mkdir(parents=True, exist_ok=True)
            safe = re.sub(r"[^\w.\-]+", "_", file_name) or "upload"
            path = folder / safe
            path.write_bytes(data)
            _save_state(
                request,
                token,
                {
                    "user_id": request.user.pk,
                    "kind": form.cleaned_data["kind"],
                    "municipality_id": form.cleaned_data["municipality"].pk,
                    "path": str(path),
                    "file_name": file_name,
                    "size": len(data),
                    "headers": table.headers,
                    "encoding": table.encoding,
                    "sample": [
                        [reading._cell_text(v) for v in cells[: len(table.headers)]]
                        for _, cells in table.rows
                    ],
                    "started": time.time(),
                },
            )
            return redirect("directory_io:import_mapping", token=token)
    return render(
        request,
        "directory/import_start.html",
        {
            "form": form,
            "available": available,
            "kind_labels": KIND_LABELS,
            "can_reindex": scope_for(request.user).is_system_admin,
        },
    )


@login_required
@require_POST
def reindex(request: HttpRequest) -> HttpResponse:
    """A system administrator rebuilds the search index as a background job (after a bulk
    load, or to repair it); the job page shows its progress."""
    job = directory_jobs.reindex_job_start(actor=request.user)  # PermissionDenied → 403
    return redirect("jobs:detail", pk=job.pk)


@login_required
def import_mapping(request: HttpRequest, token: str) -> HttpResponse:
    state = _state(request, token)
    kind, headers = state["kind"], state["headers"]
    saved = reading.mapping_get(user=request.user, kind=kind)
    initial = reading.auto_mapping(kind, headers, saved)
    if state.get("mapping"):
        initial = reading.mapping_by_header(kind, headers, state["mapping"])
    form = MappingForm(
        request.POST or None,
        kind=kind,
        headers=headers,
        initial_mapping=initial,
        initial={"on_duplicate": state.get("on_duplicate", columns.ON_DUPLICATE_SKIP)},
    )
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        reading.mapping_save(user=request.user, kind=kind, mapping=mapping)
        state["mapping"] = mapping
        state["on_duplicate"] = form.cleaned_data["on_duplicate"]
        return _start(request, token, state, STEP_VALIDATE)
    municipality = Municipality.objects.get(pk=state["municipality_id"])
    return render(
        request,
        "directory/import_mapping.html",
        {
            "form": form,
            "state": state,
            "token": token,
            "municipality": municipality,
            "kind_label": KIND_LABELS[kind],
            "column_letters": [columns.column_letter(i) for i in range(len(headers))],
            "remembered": bool(saved),
        },
    )


def _start(request: HttpRequest, token: str, state: dict[str, Any], step: str) -> HttpResponse:
    background = state.get("size", 0) > _sync_max_bytes()
    job = jobs.import_job_start(
        state=state, step=step, token=token, actor=request.user, inline=not background
    )
    state[f"{step}_job"] = job.pk
    _save_state(request, token, state)
    if background:
        return redirect("directory_io:import_progress", token=token, step=step)
    return redirect(_next_url(token, step))


def _next_url(token: str, step: str) -> str:
    name = "directory_io:import_preview" if step == STEP_VALIDATE else "directory_io:import_report"
    return reverse(name, kwargs={"token": token})


def _job(request: HttpRequest, state: dict[str, Any], step: str) -> dict[str, Any] | None:
    return jobs.job_state(state.get(f"{step}_job"), user=request.user)


def _progress_context(job: dict[str, Any] | None) -> dict[str, Any]:
    job = job or {}
    done, total = int(job.get("done") or 0), int(job.get("total") or 0)
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": min(100, int(done * 100 / total)) if total else 0,
        "phase_label": job.get("phase_label")
        or (_("順番を待っています") if job.get("state") == "queued" else _("準備しています")),
    }


@login_required
def import_progress(request: HttpRequest, token: str, step: str) -> HttpResponse:
    _check_step(step)
    state = _state(request, token)
    job = _job(request, state, step)
    if job is not None and job.get("state") in ("done", "failed"):
        return redirect(_next_url(token, step))
    return render(
        request,
        "directory/import_progress.html",
        {
            "state": state,
            "token": token,
            "step": step,
            "kind_label": KIND_LABELS[state["kind"]],
            **_progress_context(job),
        },
    )


@login_required
def import_status(request: HttpRequest, token: str, step: str) -> HttpResponse:
    """The progress fragment, polled every second; redirects the page when the job ends."""
    _check_step(step)
    state = _state(request, token)
    job = _job(request, state, step)
    finished = job is None or job.get("state") in ("done", "failed")
    if finished:
        url = _next_url(token, step)
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render(
        request,
        "directory/import_status.html",
        {"token": token, "step": step, **_progress_context(job)},
    )


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    state = _state(request, token)
    job = _job(request, state, STEP_VALIDATE)
    if job is None:
        messages.error(request, _("確認の結果が見つかりません。もう一度確認してください。"))
        return redirect("directory_io:import_mapping", token=token)
    if job.get("state") not in ("done", "failed"):
        return redirect("directory_io:import_progress", token=token, step=STEP_VALIDATE)
    return render(
        request,
        "directory/import_preview.html",
        {
            "state": state,
            "token": token,
            "job": job,
            "summary": job.get("result") or {},
            "kind_label": KIND_LABELS[state["kind"]],
            "on_duplicate_label": ON_DUPLICATE_LABELS.get(state.get("on_duplicate", "")),
        },
    )


@login_required
@require_POST
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    state = _state(request, token)
    job = _job(request, state, STEP_VALIDATE)
    summary = (job or {}).get("result") or {}
    if not summary or summary.get("error_count"):
        messages.error(request, _("エラーのあるファイルは取り込めません。"))
        return redirect("directory_io:import_preview", token=token)
    if _job(request, state, STEP_COMMIT) is not None:  # a second click, or the back button
        return redirect("directory_io:import_report", token=token)
    return _start(request, token, state, STEP_COMMIT)


@login_required
def import_report(request: HttpRequest, token: str) -> HttpResponse:
    state = _state(request, token)
    job = _job(request, state, STEP_COMMIT)
    if job is None:
        return redirect("directory_io:import_preview", token=token)
    if job.get("state") not in ("done", "failed"):
        return redirect("directory_io:import_progress", token=token, step=STEP_COMMIT)
    return render(
        request,
        "directory/import_report.html",
        {
            "state": state,
            "token": token,
            "job": job,
            "report": job.get("result") or {},
            "kind_label": KIND_LABELS[state["kind"]],
        },
    )


@login_required
def import_errors(request: HttpRequest, token: str) -> HttpResponse:
    """Every error of the preview as a CSV (UTF-8 with BOM) to work through in Excel."""
    state = _state(request, token)
    job = _job(request, state, STEP_VALIDATE) or {}
    errors = (job.get("result") or {}).get("all_errors", [])
    buffer = io.StringIO()
    spreadsheet.write_csv_rows(buffer, [[_("エラー")], *([error] for error in errors)])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    name = f"{Path(state['file_name']).stem}_エラー一覧.csv"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# --- export -------------------------------------------------------------------------------


@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None, user=request.user)
    if request.GET and form.is_valid():
        kind = form.cleaned_data["kind"]
        fmt = form.cleaned_data["fmt"]
        municipality = form.cleaned_data["municipality"]
        buffer = io.BytesIO()
        exporting.write_export(
            buffer, kind=kind, user=request.user, fmt=fmt, municipality=municipality
        )
        response = HttpResponse(buffer.getvalue(), content_type=exporting.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = content_disposition_header(
            True, exporting.file_name_for(kind, fmt, municipality)
        )
        return response
    return render(request, "directory/export_form.html", {"form": form})
