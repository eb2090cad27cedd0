"""Writes of program instances, their enrolments and participant counts.

Municipality staff (editors of the municipality) create and change instances and record
counts; enrolling a resident also needs the care right (:mod:`tsunagu.care.access`) and is
written to the personal-data read log, as every change of a resident is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from django.db import transaction

from tsunagu.accounts.scope import can_edit
from tsunagu.care.access import log_resident_reads
from tsunagu.care.models import Resident
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.fields import apply_fields
from tsunagu.core.history import save_with_history, set_history_context
from tsunagu.programs.instances.models import Enrolment, ParticipationCount, ProgramInstance
from tsunagu.programs.instances.participants import PURPOSE_ENROL, may_see_participants


@dataclass(frozen=True)
class InstanceFields:
    """What a user enters for a program instance (all of it, on create and on edit)."""

    service_type: str
    name: str
    provider: Any
    resource: Any = None
    status: str = "running"
    description: str = ""
    daily_life_areas: tuple[Any, ...] = ()
    districts: tuple[Any, ...] = ()
    schedule_note: str = ""
    weekdays: tuple[int, ...] = ()
    capacity: int | None = None
    unit_price_yen: int | None = None
    price_unit: str = ""
    cap_yen: int | None = None
    funding: str = ""
    funding_note: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    source: str = ""


_AREAS = ("daily_life_areas", "districts")


def _check_areas(municipality: Any, fields: InstanceFields) -> None:
    for name in _AREAS:
        for area in getattr(fields, name):
            if area.municipality_id != municipality.pk:
                raise TsunaguError(
                    f"「{area.name}」は{municipality}の区域ではありません。", field=name
                )


def _save(instance: ProgramInstance, fields: InstanceFields, actor: Any, action: str) -> None:
    _check_areas(instance.municipality, fields)
    values = {
        f.name: getattr(fields, f.name) for f in dataclass_fields(fields) if f.name not in _AREAS
    }
    values["weekdays"] = sorted(set(fields.weekdays))
    changed = apply_fields(instance, values)
    if instance.pk is None or changed:
        save_with_history(instance, actor=actor, action=action)
    set_history_context(instance, actor=actor, action=action)
    instance.daily_life_areas.set(list(fields.daily_life_areas))
    instance.districts.set(list(fields.districts))


@transaction.atomic
def instance_create(*, municipality: Any, fields: InstanceFields, actor: Any) -> ProgramInstance:
    """Register a program instance in ``municipality`` (its editors only)."""
    if not can_edit(actor, municipality):
        raise PermissionDenied()
    instance = ProgramInstance(municipality=municipality)
    _save(instance, fields, actor, "programs.instance.create")
    return instance


@transaction.atomic
def instance_update(
    *, instance: ProgramInstance, fields: InstanceFields, actor: Any
) -> ProgramInstance:
    if not can_edit(actor, instance):
        raise PermissionDenied()
    _save(instance, fields, actor, "programs.instance.update")
    return instance


@transaction.atomic
def enrolment_start(
    *, instance: ProgramInstance, resident: Resident, starts_on: datetime.date, actor: Any
) -> Enrolment:
    """Enrol a resident (editors of the municipality holding the care right)."""
    if not can_edit(actor, instance):
        raise PermissionDenied()
    if not may_see_participants(actor, instance):
        raise NotFound()
    if instance.enrolments.filter(resident=resident, ends_on__isnull=True).exists():
        raise TsunaguError("この方はすでに利用中です。", field="resident")
    enrolment = Enrolment(program=instance, resident=resident, starts_on=starts_on)
    save_with_history(enrolment, actor=actor, action="programs.enrolment.start")
    log_resident_reads(user=actor, residents=[resident], purpose=PURPOSE_ENROL)
    return enrolment


@transaction.atomic
def enrolment_end(*, enrolment: Enrolment, ends_on: datetime.date, actor: Any) -> Enrolment:
    instance = enrolment.program
    if not can_edit(actor, instance):
        raise PermissionDenied()
    if not may_see_participants(actor, instance):
        raise NotFound()
    if enrolment.ends_on is not None:
        raise TsunaguError("すでに利用を終了しています。", field="ends_on")
    enrolment.ends_on = ends_on
    save_with_history(enrolment, actor=actor, action="programs.enrolment.end")
    log_resident_reads(user=actor, residents=[enrolment.resident], purpose=PURPOSE_ENROL)
    return enrolment


@transaction.atomic
def participation_count_record(
    *,
    instance: ProgramInstance,
    period_start: datetime.date,
    period_end: datetime.date,
    support_1: int = 0,
    support_2: int = 0,
    program_eligible: int = 0,
    care_needed: int = 0,
    other: int = 0,
    visits: int | None = None,
    note: str = "",
    is_synthetic: bool = False,
    actor: Any,
) -> ParticipationCount:
    """Record (or correct) the anonymous participants of one period with their care-level
    mix. Works whether or not personal records are on."""
    if not can_edit(actor, instance):
        raise PermissionDenied()
    count = ParticipationCount.objects.filter(
        program=instance, period_start=period_start, period_end=period_end
    ).first() or ParticipationCount(
        program=instance, period_start=period_start, period_end=period_end
    )
    changed = apply_fields(
        count,
        {
            "support_1": support_1,
            "support_2": support_2,
            "program_eligible": program_eligible,
            "care_needed": care_needed,
            "other": other,
            "visits": visits,
            "note": note,
            "is_synthetic": is_synthetic,
        },
    )
    if count.pk is None or changed:
        save_with_history(count, actor=actor, action="programs.count.record")
    return count
