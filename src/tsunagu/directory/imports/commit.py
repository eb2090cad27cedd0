"""Writing a validated plan (all or nothing), indexing the new records, and :func:`import_file`."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.areas.models import Municipality
from tsunagu.core.errors import TsunaguError
from tsunagu.directory import services
from tsunagu.directory.imports.columns import (
    BATCH_SIZE,
    KIND_ORGANISATION,
    KIND_PERSON,
    KIND_RESOURCE,
    ON_DUPLICATE_SKIP,
    PHASE_COMMIT,
    PHASE_INDEX,
    PHASE_READ,
    PROGRESS_EVERY,
    ImportFileError,
    ImportReport,
    Progress,
    RowError,
    normalise_name,
)
from tsunagu.directory.imports.reading import Table, mapping_by_header, read_table
from tsunagu.directory.imports.validation import ImportPlan
from tsunagu.directory.imports.validators import _NewLocation, validate
from tsunagu.directory.models import (
    Location,
    Organisation,
    Resource,
)
from tsunagu.directory.services import (
    LocationFields,
    OrganisationFields,
    PersonFields,
    ResourceFields,
)

# --- writing ------------------------------------------------------------------------------


class _RowFailed(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


def _message_of(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(f"{k}: {'、'.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc)


def commit(plan: ImportPlan, *, actor: Any, progress: Progress | None = None) -> ImportReport:
    """Write a valid plan in one transaction: everything or, on any error, nothing."""
    started = time.perf_counter()
    report = ImportReport(
        kind=plan.kind,
        file_name=plan.file_name,
        municipality=plan.municipality.name,
        encoding=plan.encoding,
        total_rows=plan.total_rows,
    )
    if plan.errors:
        report.errors = [str(e) for e in plan.errors]
        return report
    writer = {
        KIND_ORGANISATION: _commit_organisations,
        KIND_PERSON: _commit_people,
        KIND_RESOURCE: _commit_resources,
    }[plan.kind]
    touched: list[Any] = []
    if progress:
        progress(PHASE_COMMIT, 0, len(plan.rows))
    try:
        with transaction.atomic():
            writer(plan, actor, report, touched, progress)
            _index_created(plan.kind, touched, progress)
    except _RowFailed as exc:
        report.created = report.updated = report.skipped = report.locations_created = 0
        report.errors = [str(RowError(plan.file_name, exc.row, None, None, exc.message))]
        report.seconds = time.perf_counter() - started
        return report
    report.committed = True
    report.skipped = plan.count("skip")
    report.seconds = time.perf_counter() - started
    return report


def _call(row: int, func: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return func(**kwargs)
    except (ValidationError, TsunaguError) as exc:
        raise _RowFailed(row, _message_of(exc)) from exc


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress and (done % PROGRESS_EVERY == 0 or done == total):
        progress(PHASE_COMMIT, done, total)


def _commit_organisations(
    plan: ImportPlan,
    actor: Any,
    report: ImportReport,
    touched: list[Any],
    progress: Progress | None,
) -> None:
    by_row: dict[int, Organisation] = {}
    total = len(plan.rows)
    for done, planned in enumerate(plan.rows, start=1):
        values = dict(planned.data)
        parent_row = planned.extra.get("parent_row")
        if parent_row is not None:
            values["parent"] = by_row[parent_row]
        if planned.action == "create":
            org = _call(
                planned.row,
                services.organisation_create,
                fields=OrganisationFields(**{**values, "municipality": plan.municipality}),
                actor=actor,
            )
            report.created += 1
        elif planned.action == "update":
            org = _call(
                planned.row,
                services.organisation_update,
                organisation=planned.existing,
                fields=OrganisationFields(**values),
                actor=actor,
            )
            report.updated += 1
        else:
            org = planned.existing
        by_row[planned.row] = org
        _tick(progress, done, total)


def _commit_people(
    plan: ImportPlan,
    actor: Any,
    report: ImportReport,
    touched: list[Any],
    progress: Progress | None,
) -> None:
    total = len(plan.rows)
    for done, planned in enumerate(plan.rows, start=1):
        roles: list[tuple[Organisation, str]] = planned.extra.get("roles", [])
        if planned.action == "create":
            first = roles[0] if roles else (None, "")
            person = _call(
                planned.row,
                services.person_create,
                fields=PersonFields(**{**planned.data, "municipality": plan.municipality}),
                organisation=first[0],
                title=first[1],
                actor=actor,
            )
            _add_roles(planned.row, person, roles[1:], actor)
            report.created += 1
        elif planned.action == "update":
            person = _call(
                planned.row,
                services.person_update,
                person=planned.existing,
                fields=PersonFields(**planned.data),
                actor=actor,
            )
            today = timezone.localdate()
            current = {
                (r.organisation_id, r.title)
                for r in person.roles.all()
                if r.ends_on is None or r.ends_on >= today
            }
            missing = [(o, title) for o, title in roles if (o.pk, title) not in current]
            _add_roles(planned.row, person, missing, actor)
            report.updated += 1
        _tick(progress, done, total)


def _add_roles(row: int, person: Any, roles: list[tuple[Organisation, str]], actor: Any) -> None:
    for organisation, title in roles:
        _call(
            row,
            services.person_role_add,
            person=person,
            organisation=organisation,
            title=title,
            actor=actor,
        )


def _commit_resources(
    plan: ImportPlan,
    actor: Any,
    report: ImportReport,
    touched: list[Any],
    progress: Progress | None,
) -> None:
    locations: dict[str, Location] = {}
    for planned in plan.rows:
        if planned.action == "skip":
            continue
        for index, place in enumerate(planned.data.get("locations", [])):
            if isinstance(place, _NewLocation):
                key = normalise_name(place.name)
                if key not in locations:
                    locations[key] = _call(
                        planned.row,
                        services.location_create,
                        fields=LocationFields(
                            name=place.name,
                            municipality=plan.municipality,
                            organisation=planned.data.get("provider")
                            or getattr(planned.existing, "provider", None),
                        ),
                        actor=actor,
                    )
                    report.locations_created += 1
                planned.data["locations"][index] = locations[key]
    total = len(plan.rows)
    done = 0
    creates = [p for p in plan.rows if p.action == "create"]
    for start in range(0, len(creates), BATCH_SIZE):
        batch = creates[start : start + BATCH_SIZE]
        try:
            created = services.resource_create_many(
                items=[
                    ResourceFields(**{**p.data, "municipality": plan.municipality}) for p in batch
                ],
                actor=actor,
                clean=False,  # validate() ran full_clean on every row
                index=False,  # indexed by _index_created, as a phase of its own
                prepared=[p.extra.get("instance") or Resource(**_plain(p.data)) for p in batch],
            )
        except (ValidationError, TsunaguError) as exc:
            raise _RowFailed(batch[0].row, _message_of(exc)) from exc
        touched.extend(created)
        report.created += len(created)
        done += len(batch)
        if progress:
            progress(PHASE_COMMIT, done, total)
    for planned in plan.rows:
        if planned.action == "update":
            _call(
                planned.row,
                services.resource_update,
                resource=planned.existing,
                fields=ResourceFields(**planned.data),
                actor=actor,
            )
            report.updated += 1
        if planned.action != "create":
            done += 1
            _tick(progress, done, total)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in Resource._meta.concrete_fields}
    return {k: v for k, v in values.items() if k in names}


# --- search index -------------------------------------------------------------------------


def _index_created(kind: str, records: list[Any], progress: Progress | None) -> None:
    """Add the batch-created resources to the search index, in the import's transaction.

    Records written one by one through the services are indexed by the services; the
    batches are created with ``index=False`` so that indexing reports its own progress.
    Each distinct phrase is analysed once (names and descriptions repeat across rows);
    the phrase cache is bounded so that a very large file cannot exhaust memory.
    """
    if kind != KIND_RESOURCE or not records:
        return
    from tsunagu.directory.search.index import index_new_resources

    total = len(records)
    if progress:
        progress(PHASE_INDEX, 0, total)
    index_new_resources(
        [resource.pk for resource in records],
        batch_size=INDEX_BATCH,
        progress=(lambda done, total: progress(PHASE_INDEX, done, total)) if progress else None,
    )


INDEX_BATCH = 1000


# --- one call: validate and commit --------------------------------------------------------


def run_import(
    table: Table,
    *,
    kind: str,
    municipality: Municipality,
    actor: Any,
    mapping: dict[str, int] | None = None,
    on_duplicate: str = ON_DUPLICATE_SKIP,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row, then commit if nothing is wrong (the synchronous path)."""
    plan = validate(
        table,
        kind=kind,
        municipality=municipality,
        actor=actor,
        mapping=mapping,
        on_duplicate=on_duplicate,
        progress=progress,
    )
    return commit(plan, actor=actor, progress=progress)


def import_file(
    path: str | Path,
    *,
    kind: str,
    municipality_code: str,
    actor: Any,
    on_duplicate: str = ON_DUPLICATE_SKIP,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """CLI hook: import an .xlsx or CSV file into a municipality (by 全国地方公共団体コード).

    Columns are matched by header (or by ``mapping``: our field → header). Nothing is
    written when any row has an error; the report lists every error.
    """
    municipality = Municipality.objects.filter(code=str(municipality_code).strip()).first()
    if municipality is None:
        raise TsunaguError(f"市町村コード「{municipality_code}」の市町村がありません。")
    path = Path(path)
    try:
        table = read_table(path)
    except ImportFileError as exc:
        report = ImportReport(kind=kind, file_name=path.name, municipality=municipality.name)
        report.errors = [f"{path.name}: {exc.message}"]
        return report
    if progress:
        progress(PHASE_READ, len(table.rows), len(table.rows))
    columns = mapping_by_header(kind, table.headers, mapping) if mapping else None
    return run_import(
        table,
        kind=kind,
        municipality=municipality,
        actor=actor,
        mapping=columns,
        on_duplicate=on_duplicate,
        progress=progress,
    )
