"""Writes of councils forming: an area's stage and dates, key persons of its 準備会."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.accounts.permissions import can_edit
from tsunagu.areas.models import District, Municipality
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import apply_fields
from tsunagu.core.history import delete_with_history, save_with_history
from tsunagu.plans.councils.models import CouncilFormation, KeyPerson


def _clean(row: Any) -> None:
    try:
        row.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise TsunaguError(messages[0], field=field) from error


def council_formation_record(
    *,
    actor: Any,
    municipality: Municipality,
    area_label: str,
    stage: str,
    district: District | None = None,
    name_recorded: bool = True,
    preparatory_name: str = "",
    preparatory_on: datetime.date | None = None,
    preparatory_text: str = "",
    council_name: str = "",
    council_on: datetime.date | None = None,
    council_text: str = "",
    order: int = 0,
    source: str = "",
) -> CouncilFormation:
    """Create or update the area ``area_label`` of ``municipality`` (matched on its label)."""
    if not can_edit(actor, municipality):
        raise PermissionDenied("この市町村の協議会の記録を変更する権限がありません。")
    area_label = area_label.strip()
    with transaction.atomic():
        row = (
            CouncilFormation.objects.select_for_update(of=("self",))
            .filter(municipality=municipality, area_label=area_label)
            .first()
        )
        creating = row is None
        row = row or CouncilFormation(municipality=municipality, area_label=area_label)
        changed = apply_fields(
            row,
            {
                "district": district,
                "name_recorded": name_recorded,
                "stage": stage,
                "preparatory_name": preparatory_name,
                "preparatory_on": preparatory_on,
                "preparatory_text": preparatory_text,
                "council_name": council_name,
                "council_on": council_on,
                "council_text": council_text,
                "order": order,
                "source": source,
            },
        )
        if creating or changed:
            _clean(row)
            save_with_history(row, actor=actor, action="plans.council_formation.record")
    return row


def key_person_add(
    *,
    actor: Any,
    formation: CouncilFormation,
    sub_area: str,
    age_band: str,
    gender: str,
    role: str = "",
    is_synthetic: bool = False,
) -> KeyPerson:
    if not can_edit(actor, formation):
        raise PermissionDenied("この市町村の協議会の記録を変更する権限がありません。")
    row = KeyPerson(
        formation=formation,
        sub_area=sub_area.strip(),
        age_band=age_band,
        gender=gender,
        role=role.strip(),
        is_synthetic=is_synthetic,
    )
    with transaction.atomic():
        _clean(row)
        save_with_history(row, actor=actor, action="plans.key_person.add")
    return row


def key_person_delete(*, actor: Any, person: KeyPerson) -> None:
    if not can_edit(actor, person):
        raise PermissionDenied("この市町村の協議会の記録を変更する権限がありません。")
    with transaction.atomic():
        delete_with_history(person, actor=actor, action="plans.key_person.delete")
