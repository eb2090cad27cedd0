"""Every write of referrals (つなぎ): 作成 → 送付 → 受付 / お断り → 利用開始 → 終了, or 中止.

Each service checks the actor's side (:mod:`tsunagu.care.referrals.permissions`; "not found"
otherwise, and nothing changes), refuses a wrong transition with a Japanese
:class:`TsunaguError`, locks the row, validates (``full_clean``) and writes one history row
(action codes ``care.referral.*``) inside one transaction. Sender-side writes also log the
resident's read (the sender sees the resident while writing).

Consent: :func:`referral_send` needs an active 「つなぎ」 consent (``ConsentPurpose.REFERRAL``);
withdrawing it stops every referral of the resident still in progress
(:func:`stop_on_consent_withdrawn`, registered on the residents' ``consent_withdrawn`` hook).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.care.access import log_resident_read
from tsunagu.care.models import ConsentPurpose, ConsentRecord, Resident, ResidentStatus
from tsunagu.care.referrals.models import OPEN_STATUSES, Referral, ReferralOutcome, ReferralStatus
from tsunagu.care.referrals.permissions import can_answer_referral, can_send_referral
from tsunagu.core.errors import NotFound, TsunaguError
from tsunagu.core.history import save_with_history

# A referral in these statuses can still be stopped: waiting for someone, or the person is
# taking part (a consent withdrawn while they take part ends what the receiver may hold).
STOPPABLE_STATUSES = (*OPEN_STATUSES, ReferralStatus.STARTED)
STOP_REASON_CONSENT = "同意の撤回"
PURPOSE_WRITE = "つなぎを記録"


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _require_sender(actor: Any, municipality_id: int) -> None:
    if not can_send_referral(actor, municipality_id):
        raise NotFound()


def _locked(referral: Referral) -> Referral:
    """The row, locked for the transition (two people answering at once: one wins)."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _require_status(referral: Referral, *allowed: str, doing: str) -> None:
    if referral.status not in allowed:
        raise TsunaguError(
            _("「%(status)s」のつなぎは%(doing)sできません。")
            % {"status": referral.get_status_display(), "doing": doing},
            field="status",
            code="wrong_status",
        )


def _save(referral: Referral, *, actor: Any, action: str, note: str = "") -> Referral:
    referral.full_clean()
    save_with_history(referral, actor=actor, action=action, note=note)
    return referral


def _done(target: Referral, saved: Referral) -> Referral:
    """Give the caller's object the saved state (it may hold an older copy)."""
    if target is not saved:
        target.refresh_from_db()
    return saved


def _destination(resident: Resident, resource: Any, program: Any) -> Any:
    if (resource is None) == (program is None):
        raise TsunaguError(
            _("つなぎ先を一つ選んでください（地域資源または総合事業のどちらか）。"),
            field="destination",
        )
    destination = resource if resource is not None else program
    if destination.municipality_id != resident.municipality_id:
        raise TsunaguError(
            _("つなぎ先は住民と同じ市町村の地域資源・総合事業から選んでください。"),
            field="destination",
        )
    return destination


@transaction.atomic
def referral_create(
    *,
    resident: Resident,
    resource: Any = None,
    program: Any = None,
    wishes: str,
    accessibility_needs: str = "",
    share_care_level: bool = False,
    note: str = "",
    actor: Any,
) -> Referral:
    """Write a referral (作成) of ``resident`` to a directory ``resource`` or a 総合事業
    ``program`` instance of the resident's municipality; addressed to its provider."""
    _require_sender(actor, resident.municipality_id)
    if resident.anonymised_on is not None or resident.status == ResidentStatus.CLOSED:
        raise TsunaguError(_("記録を終了した住民はつなげません。"))
    if not wishes.strip():
        raise TsunaguError(_("本人の希望（やりたいこと）を書いてください。"), field="wishes")
    destination = _destination(resident, resource, program)
    referral = Referral(
        municipality_id=resident.municipality_id,
        resident=resident,
        resource=resource,
        program=program,
        receiving_organisation_id=destination.provider_id,
        resident_name=resident.name,
        contact_phone=resident.contact_phone,
        wishes=wishes.strip(),
        accessibility_needs=accessibility_needs.strip(),
        share_care_level=share_care_level,
        note=note.strip(),
        created_by=actor,
    )
    _save(referral, actor=actor, action="care.referral.create")
    log_resident_read(user=actor, resident=resident, purpose=PURPOSE_WRITE)
    return referral


def has_referral_consent(resident: Resident, day: datetime.date) -> bool:
    """Does ``resident`` consent, on ``day``, to being connected (情報提供) to a place?"""
    consents = ConsentRecord.objects.filter(resident=resident, purpose=ConsentPurpose.REFERRAL)
    return any(consent.is_active_on(day) for consent in consents)


@transaction.atomic
def referral_send(
    *, referral: Referral, actor: Any, today: datetime.date | None = None
) -> Referral:
    """Send (送付) a written referral: the receiver sees it from now on. Needs the resident's
    active 「つなぎ」 consent; copies the name and phone the receiver is told."""
    _require_sender(actor, referral.municipality_id)
    locked = _locked(referral)
    _require_status(locked, ReferralStatus.DRAFT, doing=_("送付"))
    day = _today(today)
    resident = locked.resident
    if not has_referral_consent(resident, day):
        raise TsunaguError(
            _(
                "本人の「地域の活動・サービスへのつなぎ（情報提供）」の同意が記録されていないため、"
                "送付できません。住民のページで同意を記録してください。"
            ),
            code="no_consent",
        )
    locked.resident_name = resident.name
    locked.contact_phone = resident.contact_phone
    locked.status = ReferralStatus.SENT
    locked.sent_on = day
    _save(locked, actor=actor, action="care.referral.send")
    log_resident_read(user=actor, resident=resident, purpose=PURPOSE_WRITE)
    return _done(referral, locked)


def _answer(referral: Referral, actor: Any) -> Referral:
    """The locked row, after checking that ``actor`` is on either side (404 otherwise)."""
    locked = _locked(referral)
    if not can_answer_referral(actor, locked):
        raise NotFound()
    return locked


@transaction.atomic
def referral_accept(
    *, referral: Referral, actor: Any, today: datetime.date | None = None
) -> Referral:
    """The receiver says yes (受付)."""
    locked = _answer(referral, actor)
    _require_status(locked, ReferralStatus.SENT, doing=_("受付"))
    locked.status = ReferralStatus.ACCEPTED
    locked.answered_on = _today(today)
    _save(locked, actor=actor, action="care.referral.accept")
    return _done(referral, locked)


@transaction.atomic
def referral_decline(
    *, referral: Referral, reason: str, actor: Any, today: datetime.date | None = None
) -> Referral:
    """The receiver says no (お断り), with the reason the sender needs to look elsewhere."""
    locked = _answer(referral, actor)
    _require_status(locked, ReferralStatus.SENT, doing=_("お断り"))
    if not reason.strip():
        raise TsunaguError(_("お断りの理由を書いてください。"), field="reason")
    locked.status = ReferralStatus.DECLINED
    locked.decline_reason = reason.strip()
    locked.answered_on = _today(today)
    _save(locked, actor=actor, action="care.referral.decline")
    return _done(referral, locked)


@transaction.atomic
def referral_start(*, referral: Referral, started_on: datetime.date, actor: Any) -> Referral:
    """The person came (利用開始) on ``started_on``."""
    locked = _answer(referral, actor)
    _require_status(locked, ReferralStatus.ACCEPTED, doing=_("利用開始の記録"))
    if locked.sent_on and started_on < locked.sent_on:
        raise TsunaguError(_("来られた日は送付日より後の日にしてください。"), field="started_on")
    if started_on > timezone.localdate():
        raise TsunaguError(_("来られた日に未来の日は記録できません。"), field="started_on")
    locked.status = ReferralStatus.STARTED
    locked.started_on = started_on
    _save(locked, actor=actor, action="care.referral.start")
    return _done(referral, locked)


@transaction.atomic
def referral_end(
    *, referral: Referral, outcome: str, note: str, ended_on: datetime.date, actor: Any
) -> Referral:
    """Taking part ended (終了) on ``ended_on``, with the outcome (why)."""
    locked = _answer(referral, actor)
    _require_status(locked, ReferralStatus.STARTED, doing=_("終了の記録"))
    if outcome not in ReferralOutcome.values:
        raise TsunaguError(_("終了の理由を選んでください。"), field="outcome")
    if locked.started_on and ended_on < locked.started_on:
        raise TsunaguError(_("終了日は利用開始日より後の日にしてください。"), field="ended_on")
    locked.status = ReferralStatus.ENDED
    locked.outcome = outcome
    locked.outcome_note = note.strip()
    locked.ended_on = ended_on
    _save(locked, actor=actor, action="care.referral.end")
    return _done(referral, locked)


def _stop(locked: Referral, *, reason: str, actor: Any) -> Referral:
    locked.status = ReferralStatus.STOPPED
    locked.stop_reason = reason[:200]
    return _save(locked, actor=actor, action="care.referral.stop", note=reason)


@transaction.atomic
def referral_stop(*, referral: Referral, reason: str, actor: Any) -> Referral:
    """The sender stops (中止) a referral still in progress; the receiver no longer sees it."""
    _require_sender(actor, referral.municipality_id)
    locked = _locked(referral)
    _require_status(locked, *STOPPABLE_STATUSES, doing=_("中止"))
    if not reason.strip():
        raise TsunaguError(_("中止の理由を書いてください。"), field="reason")
    _stop(locked, reason=reason.strip(), actor=actor)
    return _done(referral, locked)


def stop_on_consent_withdrawn(*, consent: ConsentRecord, actor: Any) -> None:
    """The residents' ``consent_withdrawn`` hook: a withdrawn 「つなぎ」 consent stops every
    referral of the resident still in progress, in the withdrawal's transaction."""
    if consent.purpose != ConsentPurpose.REFERRAL:
        return
    rows = Referral.objects.select_for_update().filter(
        resident_id=consent.resident_id, status__in=STOPPABLE_STATUSES
    )
    for locked in rows.order_by("pk"):
        _stop(locked, reason=STOP_REASON_CONSENT, actor=actor)
