"""Reads of referrals (つなぎ) for users, one function per side.

- The sender side (care right) reads through :mod:`tsunagu.care.access`; every referral shown
  logs its resident's read (``PersonalDataReadLog``, 「住民 #12」) with the purpose.
- The receiver side reads :class:`ReceivedReferral` only: :data:`RECEIVER_FIELDS` plus status,
  dates and the destination's name, and the care level only when ``share_care_level``. The
  querysets fetch nothing else (``only``), so a template cannot print what was not read. Each
  read is logged too (purpose 「つなぎの受付」).

A referral the user may not read is "not found" (:class:`Http404`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tsunagu.accounts.services import log_personal_data_reads
from tsunagu.care.access import care_municipality_ids, log_resident_read, resident_log_label
from tsunagu.care.models import CareLevelRecord, Resident
from tsunagu.care.referrals.models import RECEIVER_FIELDS, Referral, ReferralStatus
from tsunagu.care.referrals.permissions import RECEIVER_STATUSES, receiving_organisation_ids
from tsunagu.directory.models import Resource, ResourceStatus

PURPOSE_LIST = "つなぎの一覧を表示"
PURPOSE_DETAIL = "つなぎの詳細を表示"
PURPOSE_RECEIVE = "つなぎの受付"

# The receiver's columns: RECEIVER_FIELDS, what identifies the row and its place, the dates.
RECEIVER_COLUMNS = (
    "pk",
    *RECEIVER_FIELDS,
    "share_care_level",
    "status",
    "decline_reason",
    "sent_on",
    "answered_on",
    "started_on",
    "ended_on",
    "resident_id",
    "receiving_organisation_id",
    "receiving_organisation__name",
    "resource__name",
    "program__name",
)


def remind_after_days() -> int:
    return max(1, int(getattr(settings, "TSUNAGU_REFERRAL_REMIND_AFTER_DAYS", 7)))


def stalled_q(today: datetime.date, days: int) -> Q:
    """Sent and unanswered for ``days`` days, or accepted and not started for as long."""
    cut = today - datetime.timedelta(days=days)
    return Q(status=ReferralStatus.SENT, sent_on__lte=cut) | Q(
        status=ReferralStatus.ACCEPTED, answered_on__lte=cut
    )


def log_referral_reads(*, user: Any, referrals: Any, purpose: str, path: str = "") -> None:
    """One read-log row per referral shown, naming its resident by number (as
    :func:`~tsunagu.care.access.log_resident_read` does), written in one INSERT: a commit per
    row made a 50-row page ~0.5 s slower on SQLite."""
    log_personal_data_reads(
        user=user,
        model_label=Resident._meta.label,
        reads=[(r.resident_id, resident_log_label(Resident(pk=r.resident_id))) for r in referrals],
        purpose=purpose,
        path=path,
    )


# --- the sender side ----------------------------------------------------------------------------


def _sender_rows(user: Any) -> QuerySet[Referral]:
    return Referral.objects.filter(municipality_id__in=care_municipality_ids(user))


def referral_list_for_sender(
    *,
    user: Any,
    municipality_id: int | None = None,
    status: str = "",
    stalled: bool = False,
    resident_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Referral]:
    """The referrals of the municipalities where ``user`` holds the care right, filtered.
    The caller logs each one it shows (:func:`log_referral_reads`)."""
    rows = _sender_rows(user).select_related(
        "municipality", "resource", "program", "receiving_organisation"
    )
    if municipality_id:
        rows = rows.filter(municipality_id=municipality_id)
    if status:
        rows = rows.filter(status=status)
    if resident_id:
        rows = rows.filter(resident_id=resident_id)
    if stalled:
        rows = rows.filter(stalled_q(today or timezone.localdate(), remind_after_days()))
    # Newest first by id (ids grow with creation): the primary key's order needs no sort of
    # the joined rows, which took ~0.5 s for 20,000 referrals on SQLite ordered by created_at.
    return rows.order_by("-pk")


def referral_get_for_sender(
    *, user: Any, referral_id: int, purpose: str, path: str = ""
) -> Referral:
    """One referral for the sender side, its read logged; else :class:`Http404`."""
    referral = (
        _sender_rows(user)
        .select_related(
            "municipality",
            "resident",
            "resource",
            "program",
            "receiving_organisation",
            "created_by",
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    log_resident_read(user=user, resident=referral.resident, purpose=purpose, path=path)
    return referral


def stalled_referrals_for_sender(*, user: Any, today: datetime.date) -> QuerySet[Referral]:
    """What the sender's dashboard shows as stalled (no resident data is read)."""
    return (
        _sender_rows(user)
        .filter(stalled_q(today, remind_after_days()))
        .select_related("resource", "program", "receiving_organisation")
        .only(
            "pk",
            "status",
            "sent_on",
            "answered_on",
            "resource__name",
            "program__name",
            "receiving_organisation__name",
        )
        .order_by("sent_on", "pk")
    )


def destinations_for(*, municipality_id: int) -> tuple[list[Resource], list[Any]]:
    """The places a resident of the municipality can be referred to: the directory's resources
    in operation and the 総合事業 instances planned or running there.

    The program instance model is taken from the referral's own relation (``program``) so that
    care does not import the programs app, which sits above it."""
    resources = list(
        Resource.objects.filter(
            municipality_id=municipality_id,
            status__in=[ResourceStatus.ACTIVE, ResourceStatus.PLANNED],
        )
        .select_related("provider", "category")
        .prefetch_related("locations")
        .order_by("name_kana", "name", "pk")
    )
    program_model = Referral._meta.get_field("program").related_model
    programs = list(
        program_model._default_manager.filter(  # type: ignore[union-attr]
            municipality_id=municipality_id, status__in=["planned", "running"]
        )
        .select_related("provider")
        .order_by("name", "pk")
    )
    return resources, programs


# --- the receiver side --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedReferral:
    """All the receiving organisation is ever shown of a referral."""

    id: int
    resident_name: str
    contact_phone: str
    wishes: str
    accessibility_needs: str
    care_level: str | None  # only when the resident consented to share it
    status: str
    status_label: str
    decline_reason: str
    sent_on: datetime.date | None
    answered_on: datetime.date | None
    started_on: datetime.date | None
    ended_on: datetime.date | None
    destination: str
    organisation: str
    organisation_id: int

    @property
    def phone_digits(self) -> str:
        """The phone for a ``tel:`` link (digits and +)."""
        return "".join(c for c in self.contact_phone if c.isdigit() or c == "+")


def _receiver_rows(user: Any) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(
            receiving_organisation_id__in=receiving_organisation_ids(user),
            status__in=RECEIVER_STATUSES,
        )
        .select_related("receiving_organisation", "resource", "program")
        .only(*RECEIVER_COLUMNS)
    )


def _care_levels(referrals: list[Referral], today: datetime.date) -> dict[int, str]:
    """The care level in force today, for the referrals whose resident agreed to share it."""
    resident_ids = [r.resident_id for r in referrals if r.share_care_level]
    if not resident_ids:
        return {}
    found: dict[int, str] = {}
    records = CareLevelRecord.objects.filter(resident_id__in=resident_ids).order_by(
        "-valid_from", "-pk"
    )
    for record in records:
        if record.resident_id not in found and record.is_valid_on(today):
            found[record.resident_id] = record.get_level_display()
    return found


def _received(referral: Referral, care_levels: dict[int, str]) -> ReceivedReferral:
    place = referral.resource or referral.program
    return ReceivedReferral(
        id=referral.pk,
        resident_name=referral.resident_name,
        contact_phone=referral.contact_phone,
        wishes=referral.wishes,
        accessibility_needs=referral.accessibility_needs,
        care_level=care_levels.get(referral.resident_id) if referral.share_care_level else None,
        status=referral.status,
        status_label=referral.get_status_display(),
        decline_reason=referral.decline_reason,
        sent_on=referral.sent_on,
        answered_on=referral.answered_on,
        started_on=referral.started_on,
        ended_on=referral.ended_on,
        destination=place.name if place is not None else "",
        organisation=referral.receiving_organisation.name,
        organisation_id=referral.receiving_organisation_id,
    )


def received_referrals_for_user(
    *, user: Any, statuses: tuple[str, ...] = (), purpose: str = PURPOSE_RECEIVE, path: str = ""
) -> list[ReceivedReferral]:
    """The referrals addressed to ``user``'s organisations (newest first), each read logged."""
    rows = _receiver_rows(user)
    if statuses:
        rows = rows.filter(status__in=statuses)
    referrals = list(rows.order_by("-sent_on", "-pk"))
    log_referral_reads(user=user, referrals=referrals, purpose=purpose, path=path)
    levels = _care_levels(referrals, timezone.localdate())
    return [_received(r, levels) for r in referrals]


def received_referral_get(
    *, user: Any, referral_id: int, purpose: str = PURPOSE_RECEIVE, path: str = ""
) -> ReceivedReferral:
    """One referral addressed to ``user``'s organisation, its read logged; else 404."""
    referral = _receiver_rows(user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    log_referral_reads(user=user, referrals=[referral], purpose=purpose, path=path)
    return _received(referral, _care_levels([referral], timezone.localdate()))


def received_referral_for_write(*, user: Any, referral_id: int) -> Referral:
    """The row a receiver's action works on (the service checks the side again); else 404."""
    referral = _receiver_rows(user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral
