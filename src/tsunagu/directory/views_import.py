"""Import and export pages: upload → column mapping → preview → commit → report; export.

Thin: the work is in :mod:`tsunagu.directory.importing` and :mod:`.exporting`. Large
files are validated and committed in a background thread (``importing.job_start``); the
progress page polls the job's state every second with htmx.
"""

from __future__ import annotations

import io
import re
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from tsunagu.accounts.permissions import scope_for
from tsunagu.areas.models import Municipality
from tsunagu.core import spreadsheet
from tsunagu.directory import exporting, importing

SESSION_KEY = "directory_imports"
STEP_VALIDATE = "validate"
STEP_COMMIT = "commit"
SAMPLE_ROWS = 3
KEEP_UPLOADS_SECONDS = 24 * 60 * 60

KIND_LABELS = {
    importing.KIND_ORGANISATION: gettext_lazy("団体・組織"),
    importing.KIND_PERSON: gettext_lazy("人（連絡先）"),
    importing.KIND_RESOURCE: gettext_lazy("地域資源"),
}
ON_DUPLICATE_LABELS = {
    importing.ON_DUPLICATE_SKIP: gettext_lazy("スキップする（既存の記録をそのまま残す）"),
    importing.ON_DUPLICATE_UPDATE: gettext_lazy(
        "更新する（ファイルの内容で既存の記録を書き換える）"
    ),
    importing.ON_DUPLICATE_KEEP_BOTH: gettext_lazy("両方残す（別の記録として登録する）"),
}
FORMAT_LABELS = {
    exporting.FORMAT_XLSX: gettext_lazy("Excel（.xlsx）"),
    exporting.FORMAT_CSV_UTF8: gettext_lazy("CSV（UTF-8 BOM付き・Excel で開けます）"),
    exporting.FORMAT_CSV_SJIS: gettext_lazy("CSV（Shift_JIS・古いソフト向け）"),
}


def _import_dir() -> Path:
    return Path(getattr(settings, "TSUNAGU_IMPORT_DIR", settings.DATA_DIR / "imports"))


def _sync_max_bytes() -> int:
    """Files up to this size are handled within the request; larger ones in a thread."""
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


def _column_label(column: importing.Column, kind: str) -> str:
    model = importing.SPECS[kind].model
    try:
        return str(model._meta.get_field(column.key).verbose_name)
    except Exception:
        return column.header


# --- forms --------------------------------------------------------------------------------


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("取り込むもの"))
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("取り込み先の市町村"), queryset=Municipality.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("ファイル"),
        help_text=gettext_lazy(
            "Excel（.xlsx）または CSV（UTF-8・Shift_JIS のどちらでも）。1行目に見出しを入れてください。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt,.tsv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipalities = importing.importable_municipalities(user)
        self.fields["municipality"].queryset = municipalities
        editable = importing.importable_municipalities(user, importing.KIND_ORGANISATION)
        kinds = importing.KINDS if editable.exists() else (importing.KIND_RESOURCE,)
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in kinds]
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, municipality = data.get("kind"), data.get("municipality")
        if kind and municipality is not None:
            allowed = importing.importable_municipalities(self.user, kind)
            if not allowed.filter(pk=municipality.pk).exists():
                self.add_error(
                    "municipality",
                    _("%(municipality)sに%(kind)sを取り込む権限がありません。")
                    % {"municipality": municipality.name, "kind": KIND_LABELS[kind]},
                )
        upload = data.get("file")
        if upload is not None and upload.size > importing.MAX_FILE_BYTES:
            self.add_error("file", _("ファイルが大きすぎます（50 MB まで）。"))
        return data


class MappingForm(forms.Form):
    """One select per field of ours: which column of the file fills it."""

    on_duplicate = forms.ChoiceField(
        label=gettext_lazy("既にある記録と重複したとき"),
        choices=list(ON_DUPLICATE_LABELS.items()),
        initial=importing.ON_DUPLICATE_SKIP,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "同じ市町村で、名称（空白・全角半角の違いは無視）が同じで、住所または電話番号も同じものを重複とみなします。"
        ),
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        headers: list[str],
        initial_mapping: dict[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.headers = headers
        choices = [("", _("（取り込まない）"))] + [
            (
                str(i),
                f"{importing.column_letter(i)}列: {h}" if h else f"{importing.column_letter(i)}列",
            )
            for i, h in enumerate(headers)
        ]
        for column in importing.SPECS[kind].columns:
            index = initial_mapping.get(column.key)
            help_text = column.help
            self.fields[f"col_{column.key}"] = forms.ChoiceField(
                label=_column_label(column, kind),
                choices=choices,
                required=column.required,
                initial="" if index is None else str(index),
                help_text=help_text,
                error_messages={
                    "required": _("必須の項目です。ファイルのどの列か選んでください。")
                },
            )
        # The duplicate choice comes last, after the columns.
        self.order_fields(
            [f"col_{c.key}" for c in importing.SPECS[kind].columns] + ["on_duplicate"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        seen: dict[str, str] = {}
        for column in importing.SPECS[self.kind].columns:
            value = data.get(f"col_{column.key}")
            if not value:
                continue
            if value in seen:
                self.add_error(
                    f"col_{column.key}",
                    _("同じ列が「%(other)s」にも選ばれています。") % {"other": seen[value]},
                )
            seen[value] = str(self.fields[f"col_{column.key}"].label)
        return data

    def mapping(self) -> dict[str, str]:
        """Our field → the file's header (how it is saved and remembered)."""
        result = {}
        for column in importing.SPECS[self.kind].columns:
            value = self.cleaned_data.get(f"col_{column.key}")
            if value:
                result[column.key] = self.headers[int(value)]
        return result


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("書き出すもの"), choices=list(KIND_LABELS.items()))
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("市町村"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=gettext_lazy("閲覧できるすべて"),
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("形式"),
        choices=list(FORMAT_LABELS.items()),
        initial=exporting.FORMAT_XLSX,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Shift_JIS で表せない文字（一部の旧字体や絵文字など）は「?」になります。"
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        queryset = Municipality.objects.all()
        if not scope.is_system_admin:
            queryset = queryset.filter(pk__in=scope.municipality_ids)
        self.fields["municipality"].queryset = queryset


# --- import -------------------------------------------------------------------------------


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    available = importing.importable_municipalities(request.user).exists()
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and available and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        file_name = Path(upload.name).name
        try:
            table = importing.read_table(data, file_name, limit=SAMPLE_ROWS)
        except importing.ImportFileError as exc:
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
                        [importing._cell_text(v) for v in cells[: len(table.headers)]]
                        for _, cells in table.rows
                    ],
                    "started": time.time(),
                },
            )
            return redirect("directory_io:import_mapping", token=token)
    return render(
        request,
        "directory/import_start.html",
        {"form": form, "available": available, "kind_labels": KIND_LABELS},
    )


@login_required
def import_mapping(request: HttpRequest, token: str) -> HttpResponse:
    state = _state(request, token)
    kind, headers = state["kind"], state["headers"]
    saved = importing.mapping_get(user=request.user, kind=kind)
    initial = importing.auto_mapping(kind, headers, saved)
    if state.get("mapping"):
        initial = importing.mapping_by_header(kind, headers, state["mapping"])
    form = MappingForm(
        request.POST or None,
        kind=kind,
        headers=headers,
        initial_mapping=initial,
        initial={"on_duplicate": state.get("on_duplicate", importing.ON_DUPLICATE_SKIP)},
    )
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        importing.mapping_save(user=request.user, kind=kind, mapping=mapping)
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
            "column_letters": [importing.column_letter(i) for i in range(len(headers))],
            "remembered": bool(saved),
        },
    )


def _work(state: dict[str, Any], step: str) -> Any:
    """The job body: read the stored file, validate, and for the commit step write."""
    user_id, kind = state["user_id"], state["kind"]
    path, file_name = state["path"], state["file_name"]
    municipality_id, mapping = state["municipality_id"], state.get("mapping") or {}
    on_duplicate = state.get("on_duplicate", importing.ON_DUPLICATE_SKIP)

    def work(progress: importing.Progress) -> dict[str, Any]:
        actor = get_user_model().objects.get(pk=user_id)
        municipality = Municipality.objects.get(pk=municipality_id)
        try:
            table = importing.read_table(path, file_name)
        except FileNotFoundError:
            raise importing.ImportFileError(
                "アップロードしたファイルが見つかりません。もう一度アップロードしてください。"
            ) from None
        progress(importing.PHASE_READ, len(table.rows), len(table.rows))
        plan = importing.validate(
            table,
            kind=kind,
            municipality=municipality,
            actor=actor,
            mapping=importing.mapping_by_header(kind, table.headers, mapping),
            on_duplicate=on_duplicate,
            progress=progress,
        )
        if step == STEP_VALIDATE:
            return plan.summary()
        report = importing.commit(plan, actor=actor, progress=progress)
        if report.committed:
            shutil.rmtree(Path(path).parent, ignore_errors=True)
        return report.as_dict()

    return work


def _start(request: HttpRequest, token: str, state: dict[str, Any], step: str) -> HttpResponse:
    background = state.get("size", 0) > _sync_max_bytes()
    job_id = importing.job_start(_work(state, step), background=background)
    state[f"{step}_job"] = job_id
    _save_state(request, token, state)
    if background:
        return redirect("directory_io:import_progress", token=token, step=step)
    return redirect(_next_url(token, step))


def _next_url(token: str, step: str) -> str:
    name = "directory_io:import_preview" if step == STEP_VALIDATE else "directory_io:import_report"
    return reverse(name, kwargs={"token": token})


def _job(state: dict[str, Any], step: str) -> dict[str, Any] | None:
    job_id = state.get(f"{step}_job")
    return importing.job_get(job_id) if job_id else None


def _progress_context(job: dict[str, Any] | None) -> dict[str, Any]:
    job = job or {}
    done, total = int(job.get("done") or 0), int(job.get("total") or 0)
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": int(done * 100 / total) if total else 0,
        "phase_label": importing.PHASE_LABELS.get(job.get("phase", ""), _("準備しています")),
    }


@login_required
def import_progress(request: HttpRequest, token: str, step: str) -> HttpResponse:
    _check_step(step)
    state = _state(request, token)
    job = _job(state, step)
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
    job = _job(state, step)
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
    job = _job(state, STEP_VALIDATE)
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
    job = _job(state, STEP_VALIDATE)
    summary = (job or {}).get("result") or {}
    if not summary or summary.get("error_count"):
        messages.error(request, _("エラーのあるファイルは取り込めません。"))
        return redirect("directory_io:import_preview", token=token)
    if _job(state, STEP_COMMIT) is not None:  # a second click, or the back button
        return redirect("directory_io:import_report", token=token)
    return _start(request, token, state, STEP_COMMIT)


@login_required
def import_report(request: HttpRequest, token: str) -> HttpResponse:
    state = _state(request, token)
    job = _job(state, STEP_COMMIT)
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
    job = _job(state, STEP_VALIDATE) or {}
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
