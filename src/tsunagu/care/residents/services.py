"""Every write of residents (住民), their care levels and consents.

Each service checks that ``actor`` holds the care right for the resident's municipality
(:func:`tsunagu.care.access.can_open_residents`; 404 otherwise, as if the resident did not
exist), validates, writes inside one transaction with a history row (action codes
``care.*`` of :mod:`tsunagu.core.actions`) and a ``PersonalDataReadLog`` row with the purpose
(a change shows the resident to the person making it). The loaders' and commands' system
account (inactive, cannot sign in) may write too: it is how the demo and the retention command
act; no person signs in as it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tsunagu.accounts.models import PersonalDataReadLog
from tsunagu.accounts.services import SYSTEM_USERNAME
from tsunagu.care.access import can_open_residents, log_resident_read
from tsunagu.care.models import (
    CareLevelRecord,
    ConsentRecord,
    Resident,
    ResidentStatus,
)
from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.core.fields import apply_fields
from tsunagu.core.history import save_with_history
from tsunagu.core.plugins import hooks

PURPOSE_CHANGE = "住民の情報を変更"
# Extension point: ``function(*, consent, actor)`` called inside :func:`consent_withdraw`'s
# transaction after the withdrawal is saved (referrals stop the resident's open referrals).
CONSENT_WITHDRAWN = "consent_withdrawn"
ANONYMISED_NAME = "匿名化済み"
ANONYMISED_KANA = "とくめいかずみ"  # よみがな is required: the reading of 匿名化済み


def is_system_actor(actor: Any) -> bool:
    """The loaders' account: a superuser that cannot sign in (``accounts.system_actor``)."""
    return getattr(actor, "username", None) == SYSTEM_USERNAME and not getattr(
        actor, "is_active", True
    )


def _require_right(actor: Any, municipality_id: int) -> None:
    if not (is_system_actor(actor) or can_open_residents(actor, municipality_id)):
        raise NotFound()


def _require_open(resident: Resident) -> None:
    if resident.anonymised_on is not None:
        raise TsunaguError(_("この記録は保存期間を過ぎて匿名化されているため、変更できません。"))


def _check_district(municipality: Any, district: Any) -> None:
    if district is not None and district.municipality_id != municipality.pk:
        raise TsunaguError(
            _("「%(district)s」は%(municipality)sの地区ではありません。")
            % {"district": district.name, "municipality": municipality.name},
            field="district",
        )


def _log(actor: Any, resident: Resident, purpose: str = PURPOSE_CHANGE) -> None:
    log_resident_read(user=actor, resident=resident, purpose=purpose)


@transaction.atomic
def resident_create(
    *,
    actor: Any,
    municipality: Any,
    name: str,
    name_kana: str,
    district: Any = None,
    birth_date: datetime.date | None = None,
    sex: str = "",
    household: str = "",
    contact_name: str = "",
    contact_relation: str = "",
    contact_phone: str = "",
    is_synthetic: bool = False,
) -> Resident:
    """Register a resident of ``municipality`` (the actor needs the care right there)."""
    _require_right(actor, municipality.pk)
    _check_district(municipality, district)
    resident = Resident(
        municipality=municipality,
        district=district,
        name=name,
        name_kana=name_kana,
        birth_date=birth_date,
        sex=sex,
        household=household,
        contact_name=contact_name,
        contact_relation=contact_relation,
        contact_phone=contact_phone,
        is_synthetic=is_synthetic,
    )
    save_with_history(resident, actor=actor, action="care.resident.create")
    _log(actor, resident, "住民を登録")
    return resident


@transaction.atomic
def resident_update(
    *,
    actor: Any,
    resident: Resident,
    name: str,
    name_kana: str,
    district: Any,
    birth_date: datetime.date | None,
    sex: str,
    household: str,
    contact_name: str,
    contact_relation: str,
    contact_phone: str,
) -> Resident:
    """Change a resident's own fields (not the status: :func:`resident_close`)."""
    _require_right(actor, resident.municipality_id)
    _require_open(resident)
    _check_district(resident.municipality, district)
    changed = apply_fields(
        resident,
        {
            "name": name,
            "name_kana": name_kana,
            "district": district,
            "birth_date": birth_date,
            "sex": sex,
            "household": household,
            "contact_name": contact_name,
            "contact_relation": contact_relation,
            "contact_phone": contact_phone,
        },
    )
    if changed:
        save_with_history(resident, actor=actor, action="care.resident.update")
        _log(actor, resident)
    return resident


@transaction.atomic
def resident_close(
    *, actor: Any, resident: Resident, closed_on: datetime.date, note: str = ""
) -> Resident:
    """End the resident's record (転出・死亡・利用終了); the retention period runs from
    ``closed_on``."""
    _require_right(actor, resident.municipality_id)
    _require_open(resident)
    if resident.status == ResidentStatus.CLOSED:
        raise TsunaguError(_("この住民の記録はすでに終了しています。"))
    resident.status = ResidentStatus.CLOSED
    resident.closed_on = closed_on
    save_with_history(resident, actor=actor, action="care.resident.close", note=note)
    _log(actor, resident)
    return resident


@transaction.atomic
def care_level_add(
    *,
    actor: Any,
    resident: Resident,
    level: str,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
) -> CareLevelRecord:
    """Record a care level (要介護度など) with its validity (認定の有効期間)."""
    _require_right(actor, resident.municipality_id)
    _require_open(resident)
    if valid_from and valid_until and valid_until < valid_from:
        raise TsunaguError(_("有効期間の終了は開始より後の日にしてください。"), field="valid_until")
    record = CareLevelRecord(
        resident=resident, level=level, valid_from=valid_from, valid_until=valid_until
    )
    save_with_history(record, actor=actor, action="care.care_level.add")
    _log(actor, resident)
    return record


@transaction.atomic
def consent_give(
    *,
    actor: Any,
    resident: Resident,
    purpose: str,
    given_on: datetime.date,
    detail: str = "",
) -> ConsentRecord:
    """Record a consent: what (``purpose``), when, and who recorded it (``actor``)."""
    _require_right(actor, resident.municipality_id)
    _require_open(resident)
    consent = ConsentRecord(
        resident=resident, purpose=purpose, given_on=given_on, detail=detail, recorded_by=actor
    )
    save_with_history(consent, actor=actor, action="care.consent.give")
    _log(actor, resident)
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: Any, consent: ConsentRecord, withdrawn_on: datetime.date
) -> ConsentRecord:
    """Record that a consent was withdrawn on ``withdrawn_on``, and who recorded it."""
    resident = consent.resident
    _require_right(actor, resident.municipality_id)
    _require_open(resident)
    if consent.withdrawn_on is not None:
        raise TsunaguError(_("この同意はすでに撤回されています。"), field="withdrawn_on")
    if withdrawn_on < consent.given_on:
        raise TsunaguError(_("撤回日は同意日より後の日にしてください。"), field="withdrawn_on")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = actor
    save_with_history(consent, actor=actor, action="care.consent.withdraw")
    _log(actor, resident)
    for withdrawn in hooks(CONSENT_WITHDRAWN):  # same transaction: all or nothing
        withdrawn(consent=consent, actor=actor)
    return consent


# Fields the retention command clears (name and よみがな get a fixed text).
ANONYMISED_FIELDS = {
    "name": ANONYMISED_NAME,
    "name_kana": ANONYMISED_KANA,
    "birth_date": None,
    "contact_name": "",
    "contact_relation": "",
    "contact_phone": "",
}


@transaction.atomic
def resident_anonymise(*, actor: Any, resident: Resident, today: datetime.date) -> Resident:
    """Remove what identifies a closed resident past the retention period.

    Cleared on the resident *and on every historical version* (simple-history keeps old
    values): name → 「匿名化済み」 (よみがな 「とくめいかずみ」), birth date, the contact person; consents keep
    purpose and dates but lose their free-text note. The read log keeps who read it when,
    with the name replaced. Kept: municipality, district, sex, household, status, dates, care
    levels (for aggregate figures, no longer attributable to a person).
    """
    _require_right(actor, resident.municipality_id)
    if resident.status != ResidentStatus.CLOSED:
        raise TsunaguError(_("終了していない住民の記録は匿名化できません。"))
    resident.history.update(**ANONYMISED_FIELDS)  # type: ignore[attr-defined]
    for consent in resident.consents.all():
        consent.history.update(detail="")  # type: ignore[attr-defined]
        if consent.detail:
            consent.detail = ""
            save_with_history(consent, actor=actor, action="care.resident.anonymise")
    PersonalDataReadLog.objects.filter(
        model_label=Resident._meta.label, object_id=str(resident.pk)
    ).update(object_repr=ANONYMISED_NAME)
    apply_fields(resident, {**ANONYMISED_FIELDS, "anonymised_on": today})
    save_with_history(resident, actor=actor, action="care.resident.anonymise")
    return resident
