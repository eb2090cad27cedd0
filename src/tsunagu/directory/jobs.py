"""The directory's long work as background jobs (ADR 0010), besides the import
(:mod:`.imports.jobs`):

- ``directory.reindex``: rebuild the whole search index (after bulk loads, or to repair it).
  One transaction: the old index serves searches until the new one commits, and a rebuild
  whose worker died is simply run again (resumable). Started by a system administrator from
  the import page, or ``tsunagu directory reindex --enqueue``; without ``--enqueue`` the
  command still rebuilds synchronously, as ``tsunagu manage rebuild_search_index`` does.
- ``directory.hsds_import``: ``tsunagu hsds import PATH --municipality CODE --enqueue`` (HSDS
  has no web entry point). The file (a folder is zipped first) is copied to the default
  storage, so a worker on another host reads it too. Not resumable: a run that committed just
  before its worker died would be repeated; it is marked 中断 for the operator to check.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy

from tsunagu.accounts.scope import scope_for
from tsunagu.accounts.services import system_actor
from tsunagu.areas.models import Municipality
from tsunagu.core.codes import normalize_code
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.jobs.files import INPUT_FILE, job_input_file_local, job_input_file_save
from tsunagu.core.jobs.models import Job
from tsunagu.core.jobs.registry import JobKind, register_job_kind
from tsunagu.core.jobs.runner import JobContext
from tsunagu.core.jobs.services import job_enqueue

REINDEX_JOB = "directory.reindex"
HSDS_IMPORT_JOB = "directory.hsds_import"
MAX_HSDS_BYTES = 200 * 1024 * 1024


def reindex_job_start(*, actor: Any) -> Job:
    """Enqueue a rebuild of the search index (system administrators only: it spans every
    municipality)."""
    if not scope_for(actor).is_system_admin:
        raise PermissionDenied("検索索引の作り直しは、システム管理者だけが実行できます。")
    return job_enqueue(kind=REINDEX_JOB, title="検索索引の作り直し", input={}, actor=actor)


def reindex_job_run(context: JobContext) -> dict[str, Any]:
    from tsunagu.directory.search.index import rebuild_index

    context.progress(0, 1, "検索索引を作り直しています", force=True)

    def progress(done: int, total: int) -> None:
        context.progress(done, total, "団体・地域資源を索引に入れています")

    count = rebuild_index(progress=progress)
    return {"entries": count}


def _zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _municipality_by_code(municipality_code: str) -> Municipality:
    code = normalize_code(municipality_code)
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise TsunaguError(f"市町村コード {code} の市町村が見つかりません。", field="municipality")
    return municipality


def hsds_import_job_start(*, path: Path, municipality_code: str, actor: Any) -> Job:
    """Copy the HSDS file (or zipped folder) to the job storage and enqueue its import."""
    municipality = _municipality_by_code(municipality_code)
    path = Path(path)
    if not path.exists():
        raise TsunaguError(f"{path} が見つかりません。", field="path")
    if path.is_dir():
        data, name = _zip_folder(path), f"{path.name or 'hsds'}.zip"
    else:
        if path.stat().st_size > MAX_HSDS_BYTES:
            raise TsunaguError(
                f"{path.name}: ファイルが大きすぎます（{MAX_HSDS_BYTES // 2**20} MB まで）。"
            )
        data, name = path.read_bytes(), path.name
    stored = job_input_file_save(data=data, name=name)
    return job_enqueue(
        kind=HSDS_IMPORT_JOB,
        title=f"HSDS の読み込み {name}（{municipality.name}）",
        input={INPUT_FILE: stored, "file_name": name, "municipality_code": municipality.code},
        actor=actor,
        municipality=municipality,
    )


def hsds_import_job_run(context: JobContext) -> dict[str, Any]:
    """What ``tsunagu hsds import`` does, from the kept copy, as the job's owner (the
    system actor when enqueued from the command line)."""
    from tsunagu.directory.hsds.importer import import_json, import_tabular
    from tsunagu.directory.hsds.reading import _decode

    municipality = _municipality_by_code(context.input["municipality_code"])
    actor = context.owner or system_actor()
    context.progress(0, 1, "HSDS のデータを確かめて読み込んでいます", force=True)
    with job_input_file_local(context, file_name=context.input["file_name"]) as path:
        if zipfile.is_zipfile(path):
            summary = import_tabular(path, municipality=municipality, actor=actor)
        else:
            try:
                text = _decode(path.read_bytes())
            except UnicodeDecodeError:
                raise TsunaguError(f"{path.name}: 文字コードを UTF-8 にしてください。") from None
            summary = import_json(
                text, municipality=municipality, actor=actor, source_name=path.name
            )
    context.progress(1, 1, "完了", force=True)
    return {
        "summary": str(summary),
        "created": summary.total_created,
        "updated": summary.total_updated,
    }


def register() -> None:
    register_job_kind(
        JobKind(
            code=REINDEX_JOB,
            label=gettext_lazy("検索索引の作り直し"),
            handler="tsunagu.directory.jobs:reindex_job_run",
            resumable=True,  # one transaction: a rerun rebuilds from scratch
        )
    )
    register_job_kind(
        JobKind(
            code=HSDS_IMPORT_JOB,
            label=gettext_lazy("HSDS の読み込み"),
            handler="tsunagu.directory.jobs:hsds_import_job_run",
        )
    )
